import { randomUUID } from 'node:crypto';
import { GraphQLError } from 'graphql';
import { DatabaseUnavailableError } from '../db/driver.ts';
import { QueryTimeoutError } from '../db/run.ts';
import { log } from '../log.ts';
import { userError } from './lib/errors.ts';

/**
 * Expected failures keep their message and code; Neo4j outages and timeouts get a code of their own;
 * anything else is logged with an id and reaches the client only as that id.
 */
export function maskError(error: unknown): Error {
  const original = error instanceof GraphQLError ? (error.originalError ?? error) : error;
  const path = error instanceof GraphQLError ? error.path : undefined;
  // Our own expected errors carry a code; errors about the request itself (syntax, validation,
  // variables) have no original error and no path. An error at a path without an original one comes
  // from the executor (graphql-jit reports a leaf that fails to serialize so) and is masked, like any
  // other GraphQLError from a library and every unexpected failure.
  if (original instanceof GraphQLError && typeof original.extensions?.code === 'string') return error as GraphQLError;
  if (original === error && path === undefined) return error as GraphQLError;
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

