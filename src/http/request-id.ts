import { randomUUID } from 'node:crypto';
import type { ExecutionResult, GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { hiddenErrorOf } from '../graphql/mask-error.ts';
import { log, type LogLevel } from '../log.ts';

const acceptableId = /^[A-Za-z0-9._-]{1,64}$/;

/** Unexpected errors logged in full per request; the rest are counted. */
const detailedErrorsPerRequest = 3;

/** Codes that say the server or Neo4j struggled, worth a warning even though the client sees why. */
const strainCodes = new Set(['QUERY_TIMEOUT', 'DATABASE_UNAVAILABLE', 'RESPONSE_TOO_LARGE', 'SERVER_BUSY']);

/**
 * Gives each request an id (the caller's `x-request-id` when it is a sane token, a new UUID otherwise),
 * returns it in the `x-request-id` header, and logs a request that failed in one line: its id, how many
 * errors of which codes, and the first few unexpected ones with the error each hides (its errorId is
 * what the client got). One line whatever the number of failed fields, so that a hostile request
 * cannot flood the log.
 *
 * The id is not carried by AsyncLocalStorage: on Node 20 its promise hooks slow every promise.
 */
export function useRequestId(): Plugin {
  const ids = new WeakMap<Request, string>();
  return {
    onRequest: ({ request }) => {
      const offered = request.headers.get('x-request-id');
      ids.set(request, offered && acceptableId.test(offered) ? offered : randomUUID());
    },
    onResultProcess: ({ request, result }) => {
      if (!Array.isArray(result) && !(result as ExecutionResult).errors) return;
      const errors = (Array.isArray(result) ? result : [result]).flatMap((one) => (one as ExecutionResult).errors ?? []);
      if (errors.length > 0) logFailedRequest(ids.get(request), errors);
    },
    onResponse: ({ request, response }) => {
      const requestId = ids.get(request);
      if (requestId) response.headers.set('x-request-id', requestId);
    },
  };
}

function logFailedRequest(requestId: string | undefined, errors: readonly GraphQLError[]): void {
  const codes: Record<string, number> = {};
  const unexpected: GraphQLError[] = [];
  for (const error of errors) {
    const code = typeof error.extensions?.code === 'string' ? error.extensions.code : 'NONE';
    codes[code] = (codes[code] ?? 0) + 1;
    if (code === 'INTERNAL_SERVER_ERROR') unexpected.push(error);
  }
  const level: LogLevel = unexpected.length > 0 ? 'error' : Object.keys(codes).some((code) => strainCodes.has(code)) ? 'warn' : 'debug';
  log[level]('request failed', {
    requestId,
    errorCount: errors.length,
    codes,
    unexpected: unexpected.slice(0, detailedErrorsPerRequest).map((error) => ({
      errorId: error.extensions?.errorId,
      path: error.path,
      error: errorFields(hiddenErrorOf(error)),
    })),
  });
}

function errorFields(error: unknown): unknown {
  return error instanceof Error ? { name: error.name, message: error.message, stack: error.stack } : error;
}
