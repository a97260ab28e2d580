import { GraphQLError } from 'graphql';

/** The codes a client can see in `errors[].extensions.code`. */
export type ErrorCode =
  | 'BAD_USER_INPUT'
  | 'INVALID_ID'
  | 'INVALID_CURSOR'
  | 'DATABASE_UNAVAILABLE'
  | 'QUERY_TIMEOUT'
  | 'INTERNAL_SERVER_ERROR';

/** An expected failure, shown to the client as it is, with a machine-readable code. */
export function userError(code: ErrorCode, message: string, extensions: Record<string, unknown> = {}): GraphQLError {
  return new GraphQLError(message, { extensions: { code, ...extensions } });
}
