import type { Plugin } from 'graphql-yoga';
import type { Context } from '../graphql/context.ts';

/** Debug aid: `extensions.cypherRoundTrips` on every response, the Neo4j round-trips the operation cost. */
export function useRoundTripsExtension(): Plugin {
  return {
    onExecute: ({ args }) => ({
      onExecuteDone: ({ result, setResult }) => {
        if (Symbol.asyncIterator in result) return;
        const cypher = (args.contextValue as unknown as Context).cypher;
        setResult({ ...result, extensions: { ...result.extensions, cypherRoundTrips: cypher.roundTrips } });
      },
    }),
  };
}
