import { randomUUID } from 'node:crypto';
import { GraphQLError } from 'graphql';
import { DatabaseUnavailableError } from '../db/driver.ts';
import { QueryTimeoutError } from '../db/run.ts';
import { requestError, userError } from './lib/errors.ts';

/** What each INTERNAL_SERVER_ERROR sent to a client stands for, for the request's log line (src/http/request-id.ts). */
const hiddenErrors = new WeakMap<GraphQLError, unknown>();

/** The error a masked INTERNAL_SERVER_ERROR hides, if it is one. */
export function hiddenErrorOf(error: GraphQLError): unknown {
  return hiddenErrors.get(error);
}

/**
 * Expected failures keep their message and code; errors about the request itself are the client's;
 * Neo4j outages and timeouts get a code of their own; anything else reaches the client only as an id.
 * Nothing is logged here: a request's errors are logged together, once, when its result is sent.
 */
export function maskError(error: unknown): Error {
  const original = error instanceof GraphQLError ? (error.originalError ?? error) : error;
  const path = error instanceof GraphQLError ? error.path : undefined;
  if (original instanceof GraphQLError && typeof original.extensions?.code === 'string') return error as GraphQLError;
  // Errors about the request (syntax, validation) have no original error and no path. An error at a
  // path without an original one comes from the executor (graphql-jit reports a leaf that fails to
  // serialize so) and is masked, like any other GraphQLError from a library and every unexpected failure.
  if (original === error && path === undefined) return error as GraphQLError;
  // A variable that does not fit its type: no path, and the scalar's own GraphQLError as the original.
  if (error instanceof GraphQLError && path === undefined && original instanceof GraphQLError) {
    const refusal = requestError('BAD_USER_INPUT', error.message);
    return new GraphQLError(refusal.message, { nodes: error.nodes, extensions: refusal.extensions });
  }
  if (original instanceof DatabaseUnavailableError) {
    return withPath(userError('DATABASE_UNAVAILABLE', 'The database is unavailable; try again shortly.'), path);
  }
  if (original instanceof QueryTimeoutError) {
    return withPath(userError('QUERY_TIMEOUT', 'The query took too long and was stopped; ask for less.'), path);
  }
  const masked = withPath(userError('INTERNAL_SERVER_ERROR', 'Unexpected error.', { errorId: randomUUID() }), path);
  hiddenErrors.set(masked, original);
  return masked;
}

function withPath(error: GraphQLError, path: ReadonlyArray<string | number> | undefined): GraphQLError {
  return path ? new GraphQLError(error.message, { path, extensions: error.extensions }) : error;
}
