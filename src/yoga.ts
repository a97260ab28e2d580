import { createYoga, useReadinessCheck, type Plugin, type YogaServerInstance } from 'graphql-yoga';
import type { Database } from './db/driver.ts';
import { Cypher } from './db/run.ts';
import { useExplorer } from './explorer/serve.ts';
import { useCostAtExecution, useOperationLimits } from './graphql/armor.ts';
import { useCompiledExecution } from './graphql/compiled-execution.ts';
import { createContext, type Context } from './graphql/context.ts';
import { exampleOperations } from './graphql/examples.ts';
import { maskError } from './graphql/mask-error.ts';
import { schema } from './graphql/schema.ts';
import { useBodyLimit } from './http/body-limit.ts';
import { useIntrospectionSwitch } from './http/introspection.ts';
import { useRequestParsing } from './http/request-parsing.ts';
import { useRequestId } from './http/request-id.ts';
import { useResponseLimit } from './http/response-limit.ts';
import { useRoundTripsExtension } from './http/round-trips.ts';
import { log } from './log.ts';

export interface YogaOptions {
  database: Database;
  /** Serve GraphiQL at /graphql to browsers (default true). */
  graphiql?: boolean;
  /** Answer introspection queries (default true). */
  introspection?: boolean;
  /** Hide "did you mean…" field suggestions in validation errors (default false). */
  hideSuggestions?: boolean;
  /** Browser origins allowed by CORS; empty or absent: same-origin only. */
  corsOrigins?: string[];
  maxBodyBytes?: number;
  /** Larger JSON answers are replaced by a RESPONSE_TOO_LARGE error. */
  maxResponseBytes?: number;
  /** Add `extensions.cypherRoundTrips` to every response. */
  debugExtensions?: boolean;
  /** The Neo4j time budget of one request, shared by all its queries. */
  queryTimeoutMs?: number;
  /** Fold relations into their parent's query (default true); false loads each through its own loader. */
  foldRelations?: boolean;
}

export const defaultMaxBodyBytes = 100_000;
export const defaultMaxResponseBytes = 5_000_000;

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
    useExplorer(),
  ];
  plugins.push(
    useRequestId(),
    useResponseLimit(options.maxResponseBytes ?? defaultMaxResponseBytes),
    useBodyLimit(options.maxBodyBytes ?? defaultMaxBodyBytes),
    useRequestParsing(),
    useOperationLimits({ hideSuggestions: options.hideSuggestions ?? false }),
  );
  if (options.introspection === false) plugins.push(useIntrospectionSwitch());
  if (options.debugExtensions) plugins.push(useRoundTripsExtension());
  plugins.push(useCompiledExecution(), useCostAtExecution());
  const corsOrigins = options.corsOrigins ?? [];

  return createYoga<Record<string, never>, Context>({
    schema,
    context: () => createContext(database, { queryTimeoutMs: options.queryTimeoutMs, foldRelations: options.foldRelations }),
    graphqlEndpoint: '/graphql',
    healthCheckEndpoint: '/health',
    landingPage: false,
    cors: corsOrigins.length > 0 ? { origin: corsOrigins.includes('*') ? '*' : corsOrigins, methods: ['GET', 'POST'] } : false,
    // GraphiQL is served from the bundled package, not a CDN: it must work on a machine with no internet.
    graphiql: options.graphiql === false ? false : { title: 'papergraph', defaultTabs: exampleOperations },
    // Loaded on the first GraphiQL page, not at start: the bundle is about 28 MB of heap, wasted where
    // GraphiQL is off (production).
    renderGraphiQL: async (graphiqlOptions) => (await import('@graphql-yoga/render-graphiql')).renderGraphiQL(graphiqlOptions),
    plugins,
    // useBodyLimit enforces the limit: it trusts a declared length and reads a chunked body only up to
    // the limit. Yoga's own limit would pipe every body through a TransformStream besides.
    maxRequestBodySize: false,
    maskedErrors: { maskError },
    logging: {
      debug: (...args) => log.debug(String(args[0]), { args: args.slice(1) }),
      info: (...args) => log.info(String(args[0]), { args: args.slice(1) }),
      warn: (...args) => log.warn(String(args[0]), { args: args.slice(1) }),
      // Yoga passes every error it masked here, one call each; src/http/request-id.ts logs a request's
      // errors together in one line instead.
      error: (...args) => {
        if (args[0] instanceof Error) return;
        log.error(String(args[0]), { args: args.slice(1) });
      },
    },
  });
}
