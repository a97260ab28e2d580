import { GraphQLError } from 'graphql';

/** The codes a client can see in `errors[].extensions.code`. */
export type ErrorCode =
  | 'BAD_USER_INPUT'
  | 'BAD_REQUEST'
  | 'INVALID_ID'
  | 'INVALID_CURSOR'
  | 'AMBIGUOUS_NAME'
  | 'QUERY_TOO_COMPLEX'
  | 'QUERY_TOO_DEEP'
  | 'TOO_MANY_ALIASES'
  | 'TOO_MANY_DIRECTIVES'
  | 'TOO_MANY_TOKENS'
  | 'TOO_MANY_IDS'
  | 'TOO_MANY_LINKS'
  | 'RESPONSE_TOO_LARGE'
  | 'SERVER_BUSY'
  | 'DATABASE_UNAVAILABLE'
  | 'QUERY_TIMEOUT'
  | 'INTERNAL_SERVER_ERROR';

/** An expected failure, shown to the client as it is, with a machine-readable code. */
export function userError(code: ErrorCode, message: string, extensions: Record<string, unknown> = {}): GraphQLError {
  return new GraphQLError(message, { extensions: { code, ...extensions } });
}

/**
 * A refusal of the request itself (its shape, size or variables), before anything runs: HTTP 400 under
 * `application/graphql-response+json`, 200 under `application/json`, as the GraphQL-over-HTTP spec says
 * (Yoga reads `http.spec` so and leaves `http` out of the body).
 */
export function requestError(code: ErrorCode, message: string, extensions: Record<string, unknown> = {}): GraphQLError {
  return new GraphQLError(message, { extensions: { code, http: { spec: true, status: 400 }, ...extensions } });
}

/** A request that is not a well-formed GraphQL-over-HTTP request (its JSON does not parse): HTTP 400 whatever the media type. */
export function malformedRequestError(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'BAD_REQUEST', http: { status: 400 } } });
}
