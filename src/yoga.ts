import { randomUUID } from 'node:crypto';
import { GraphQLError } from 'graphql';
import { renderGraphiQL } from '@graphql-yoga/render-graphiql';
import { createYoga, useReadinessCheck, type Plugin, type YogaServerInstance } from 'graphql-yoga';
import { DatabaseUnavailableError, type Database } from './db/driver.ts';
import { Cypher, QueryTimeoutError } from './db/run.ts';
import { createContext, type Context } from './graphql/context.ts';
import { exampleOperations } from './graphql/examples.ts';
import { userError } from './graphql/lib/errors.ts';
import { schema } from './graphql/schema.ts';
import { log } from './log.ts';

export interface YogaOptions {
  database: Database;
  graphiql?: boolean;
  /** Add `extensions.cypherRoundTrips` to every response. */
  debugExtensions?: boolean;
  queryTimeoutMs?: number;
}

export type PapergraphYoga = YogaServerInstance<Record<string, never>, Context>;

/** Builds the HTTP handler: /graphql (with GraphiQL), /health and /ready. Tests call its `fetch`. */
export function createPapergraphYoga(options: YogaOptions): PapergraphYoga {
  const { database } = options;
  const plugins: Plugin[] = [
    useReadinessCheck({
      endpoint: '/ready',
      // Ready means Neo4j answers a query now, not merely that the process is up (that is /health).
      check: async () => {
        try {
          await new Cypher(database, { timeoutMs: 2_000 }).read('RETURN 1 AS ok');
          return true;
        } catch {
          return false;
        }
      },
    }),
  ];
  if (options.debugExtensions) plugins.push(useRoundTripsExtension());

  return createYoga<Record<string, never>, Context>({
    schema,
    context: () => createContext(database, { queryTimeoutMs: options.queryTimeoutMs }),
    graphqlEndpoint: '/graphql',
    healthCheckEndpoint: '/health',
    landingPage: false,
    // GraphiQL is served from the bundled package, not a CDN: it must work on a machine with no internet.
    graphiql: options.graphiql === false ? false : { title: 'papergraph', defaultTabs: exampleOperations },
    renderGraphiQL,
    plugins,
    maskedErrors: { maskError },
    logging: {
      debug: (...args) => log.debug(String(args[0]), { args: args.slice(1) }),
      info: (...args) => log.info(String(args[0]), { args: args.slice(1) }),
      warn: (...args) => log.warn(String(args[0]), { args: args.slice(1) }),
      error: (...args) => log.error(String(args[0]), { args: args.slice(1) }),
    },
  });
}

/**
 * Expected failures keep their message and code; Neo4j outages and timeouts get a code of their own;
 * anything else is logged with an id and reaches the client only as that id.
 */
function maskError(error: unknown): Error {
  const original = error instanceof GraphQLError ? (error.originalError ?? error) : error;
  const path = error instanceof GraphQLError ? error.path : undefined;
  if (original instanceof GraphQLError) return error as GraphQLError;
  if (original instanceof DatabaseUnavailableError) {
    return withPath(userError('DATABASE_UNAVAILABLE', 'The database is unavailable; try again shortly.'), path);
  }
  if (original instanceof QueryTimeoutError) {
    return withPath(userError('QUERY_TIMEOUT', 'The query took too long and was stopped; ask for less.'), path);
  }
  const errorId = randomUUID();
  log.error('unexpected error while executing an operation', { errorId, path, error: original });
  return withPath(userError('INTERNAL_SERVER_ERROR', 'Unexpected error.', { errorId }), path);
}

function withPath(error: GraphQLError, path: ReadonlyArray<string | number> | undefined): GraphQLError {
  return path ? new GraphQLError(error.message, { path, extensions: error.extensions }) : error;
}

function useRoundTripsExtension(): Plugin {
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
