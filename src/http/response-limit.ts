import type { Plugin } from 'graphql-yoga';
import { log } from '../log.ts';

/**
 * Refuses to send a JSON answer larger than the limit, replacing it with a RESPONSE_TOO_LARGE error:
 * the cost limit bounds what a request may ask for, this bounds what it may receive whatever the data.
 * Yoga gives a serialized answer a content-length, so the check reads no body.
 */
export function useResponseLimit(maxBytes: number): Plugin {
  return {
    onResponse: ({ request, response, setResponse, fetchAPI }) => {
      const size = Number(response.headers.get('content-length') ?? 0);
      if (size <= maxBytes || !response.headers.get('content-type')?.includes('json')) return;
      const requestId = response.headers.get('x-request-id');
      log.warn('response too large', { requestId, bytes: size, maxBytes, url: request.url.slice(0, 200) });
      const body = {
        data: null,
        errors: [
          {
            message: `The answer would be ${size} bytes, more than the ${maxBytes} allowed; ask for less.`,
            extensions: { code: 'RESPONSE_TOO_LARGE', maxBytes },
          },
        ],
      };
      const headers: Record<string, string> = { 'content-type': response.headers.get('content-type')! };
      if (requestId) headers['x-request-id'] = requestId;
      setResponse(new fetchAPI.Response(JSON.stringify(body), { status: response.status, headers }));
    },
  };
}
