import { randomUUID } from 'node:crypto';
import type { Plugin } from 'graphql-yoga';
import { requestContext } from '../request-context.ts';

const acceptableId = /^[A-Za-z0-9._-]{1,64}$/;

/**
 * Gives each request an id (the caller's `x-request-id` when it is a sane token, a new UUID otherwise),
 * runs the request inside it so every log line carries it, and returns it in the `x-request-id` header.
 */
export function useRequestId(): Plugin {
  const ids = new WeakMap<Request, string>();
  return {
    instrumentation: {
      request: ({ request }, wrapped) => {
        const offered = request.headers.get('x-request-id');
        const requestId = offered && acceptableId.test(offered) ? offered : randomUUID();
        ids.set(request, requestId);
        return requestContext.run({ requestId }, wrapped);
      },
    },
    onResponse: ({ request, response }) => {
      const requestId = ids.get(request);
      if (requestId) response.headers.set('x-request-id', requestId);
    },
  };
}
