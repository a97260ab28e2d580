import type { Plugin } from 'graphql-yoga';

type FetchAPI = Parameters<NonNullable<Plugin['onRequest']>>[0]['fetchAPI'];

function tooLarge(fetchAPI: FetchAPI, maxBytes: number): Response {
  return new fetchAPI.Response(
    JSON.stringify({ errors: [{ message: `request body too large: at most ${maxBytes} bytes`, extensions: { code: 'PAYLOAD_TOO_LARGE' } }] }),
    { status: 413, headers: { 'content-type': 'application/json' } },
  );
}

/** The whole stream, or null (and the stream cancelled) as soon as it passes maxBytes. */
async function readAtMost(stream: ReadableStream<Uint8Array>, maxBytes: number): Promise<Uint8Array | null> {
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      return null;
    }
    chunks.push(value);
  }
  const body = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return body;
}

/**
 * Refuses a request whose body is larger than the limit: 413, with a GraphQL-shaped body. GraphQL
 * operations are small; a multi-megabyte one is a mistake or an attack. A declared length is checked
 * before anything reads the body; a body sent without one (chunked) is read up to the limit and no further.
 */
export function useBodyLimit(maxBytes: number): Plugin {
  return {
    onRequest: ({ request, endResponse, fetchAPI }) => {
      const declared = Number(request.headers.get('content-length') ?? 0);
      if (declared > maxBytes) endResponse(tooLarge(fetchAPI, maxBytes));
    },
    onRequestParse: ({ request, requestParser, setRequestParser, fetchAPI }) => {
      if (request.headers.has('content-length') || !request.body || !requestParser) return;
      setRequestParser(async (unread) => {
        const body = unread.body ? await readAtMost(unread.body, maxBytes) : new Uint8Array();
        if (body === null) return tooLarge(fetchAPI, maxBytes);
        return requestParser(new fetchAPI.Request(unread.url, { method: unread.method, headers: unread.headers, body: body.buffer as ArrayBuffer }));
      });
    },
  };
}
