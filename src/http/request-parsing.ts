import { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { malformedRequestError } from '../graphql/lib/errors.ts';

/**
 * Body types a POST may have. None of them is one a web page may send cross-origin without a CORS
 * preflight, as it may send `multipart/form-data`, `application/x-www-form-urlencoded` and `text/plain`:
 * refusing those means another site cannot make a visitor's browser run operations here unless
 * CORS_ORIGINS allows it.
 */
const postBodyTypes = new Set(['application/json', 'application/graphql+json', 'application/graphql']);

/**
 * How a request's own faults are answered: a POST of another body type gets 415, and invalid JSON in
 * a GET's `variables` or `extensions` a 400 (JSON.parse's SyntaxError would otherwise be an unexpected
 * error, 500). Parser errors leave out `extensions.originalError`: nothing internal leaves the server.
 */
export function useRequestParsing(): Plugin {
  return {
    onRequestParse: ({ request, requestParser, setRequestParser, endResponse, fetchAPI }) => {
      if (request.method === 'POST') {
        const type = (request.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
        if (!postBodyTypes.has(type)) {
          const body = {
            errors: [
              {
                message: `POST bodies must be application/json (got ${type ? `"${type.slice(0, 100)}"` : 'none'})`,
                extensions: { code: 'UNSUPPORTED_MEDIA_TYPE' },
              },
            ],
          };
          endResponse(
            new fetchAPI.Response(JSON.stringify(body), { status: 415, headers: { 'content-type': 'application/json', accept: 'application/json' } }),
          );
          return;
        }
      }
      if (!requestParser) return;
      const parse = requestParser;
      setRequestParser(async (unparsed) => {
        try {
          return await parse(unparsed);
        } catch (error) {
          if (error instanceof SyntaxError) throw malformedRequestError('The variables or extensions parameter is not valid JSON.');
          // Yoga's "POST body sent invalid JSON." carries the parser's message as extensions.originalError.
          if (error instanceof GraphQLError && error.extensions?.originalError !== undefined) throw malformedRequestError(error.message);
          throw error;
        }
      });
    },
  };
}
