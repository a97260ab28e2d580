import type { Plugin } from 'graphql-yoga';

/**
 * Refuses a request whose declared body is larger than the limit, before anything reads it: 413, with
 * a GraphQL-shaped body. GraphQL operations are small; a multi-megabyte one is a mistake or an attack.
 */
export function useBodyLimit(maxBytes: number): Plugin {
  return {
    onRequest: ({ request, endResponse, fetchAPI }) => {
      const declared = Number(request.headers.get('content-length') ?? 0);
      if (declared > maxBytes) {
        endResponse(
          new fetchAPI.Response(
            JSON.stringify({ errors: [{ message: `request body too large: at most ${maxBytes} bytes`, extensions: { code: 'PAYLOAD_TOO_LARGE' } }] }),
            { status: 413, headers: { 'content-type': 'application/json' } },
          ),
        );
      }
    },
  };
}
