import type { DocumentNode, GraphQLSchema } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { executorOf } from '../graphql/compiled-execution.ts';
import type { Context } from '../graphql/context.ts';
import { operationCost } from '../graphql/lib/cost.ts';

/**
 * Debug aid: `extensions.cypherRoundTrips` on every response, the Neo4j round-trips the operation cost,
 * `extensions.cost`, its estimated cost as the operation limits count it (src/graphql/armor.ts), and
 * `extensions.executor`, which executor answered it (graphql-jit or graphql-js).
 */
export function useRoundTripsExtension(): Plugin {
  return {
    onExecute: ({ args }) => ({
      onExecuteDone: ({ result, setResult }) => {
        if (Symbol.asyncIterator in result) return;
        const cypher = (args.contextValue as unknown as Context).cypher;
        let cost: number | null = null;
        try {
          cost = operationCost(
            args.schema as GraphQLSchema,
            args.document as DocumentNode,
            args.operationName ?? undefined,
            (args.variableValues ?? {}) as Record<string, unknown>,
          );
        } catch {
          // variables that do not fit their types: execution has reported them
        }
        const executor = executorOf(args.contextValue as object);
        setResult({ ...result, extensions: { ...result.extensions, cypherRoundTrips: cypher.roundTrips, cost, executor } });
      },
    }),
  };
}
