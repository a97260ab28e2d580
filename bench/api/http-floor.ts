/**
 * The HTTP floor: each operation's floor Cypher behind plain node:http, with as many worker processes
 * as the server has, and the same driver set-up. POST /<operation> with {"case": k} runs the k-th floor
 * call and answers its rows as JSON. Beside the server and the floor it shows what HTTP and JSON alone
 * cost, so that the rest of the server's gap is known to be GraphQL's (Yoga, Pothos, execution).
 *
 *   node --import tsx bench/api/http-floor.ts BOLT_URI CALLS_JSON WORKERS   (started by bench/api/server.ts)
 */
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { openDatabase } from '../../src/db/driver.ts';
import { Cypher } from '../../src/db/run.ts';
import { serveOnWorkers } from './cluster-server.ts';
import type { FloorCall } from './drive.ts';

const [boltUri, callsFile, workersText] = process.argv.slice(2);
const workers = Number(workersText ?? 1);

await serveOnWorkers('http floor', workers, '', async () => {
  const calls = JSON.parse(readFileSync(callsFile!, 'utf8')) as Record<string, FloorCall[]>;
  const database = await openDatabase(
    { kind: 'external', uri: boltUri!, user: 'neo4j', password: process.env.NEO4J_PASSWORD ?? '', database: undefined },
    { maxRetryTimeMs: 3_000 },
  );
  const cypher = new Cypher(database);
  const answer = async (request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const list = calls[(request.url ?? '/').slice(1)];
    const { case: index } = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { case: number };
    const call = list?.[index];
    if (!call) {
      response.writeHead(404).end();
      return;
    }
    const body = JSON.stringify({ data: await cypher.read(call.query, call.params) });
    response.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }).end(body);
  };
  const server = createServer((request, response) => {
    answer(request, response).catch((error: unknown) => {
      response.writeHead(500, { 'content-type': 'text/plain' }).end(error instanceof Error ? error.message : String(error));
    });
  });
  return { server, close: () => database.close() };
});
