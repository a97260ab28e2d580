/**
 * The HTTP floor: each operation's floor Cypher behind plain node:http, with as many worker processes
 * as the server has, and the same driver set-up. POST /<operation> with {"case": k} runs the k-th floor
 * call and answers its rows as JSON. Beside the server and the floor it shows what HTTP and JSON alone
 * cost, so that the rest of the server's gap is known to be GraphQL's (Yoga, Pothos, execution).
 *
 *   node --import tsx bench/api/http-floor.ts BOLT_URI CALLS_JSON WORKERS   (started by bench/api/server.ts)
 */
import cluster from 'node:cluster';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { openDatabase } from '../../src/db/driver.ts';
import { Cypher } from '../../src/db/run.ts';
import type { FloorCall } from './drive.ts';

const [boltUri, callsFile, workersText] = process.argv.slice(2);
const workers = Number(workersText ?? 1);

if (cluster.isPrimary) {
  // Every worker listens on the same ephemeral port (cluster shares it): ready once each has said so.
  let listening = 0;
  for (let i = 0; i < workers; i++) {
    cluster.fork().on('message', (message: { port?: number }) => {
      if (typeof message.port === 'number' && ++listening === workers) console.log(`http floor ready at http://127.0.0.1:${message.port}`);
    });
  }
  cluster.on('exit', (_worker, code) => {
    if (code !== 0) process.exit(1);
  });
  process.on('SIGTERM', () => {
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill('SIGTERM');
    process.exit(0);
  });
} else {
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
  server.listen(0, '127.0.0.1', () => process.send!({ port: (server.address() as AddressInfo).port }));
  process.on('SIGTERM', () => {
    server.close();
    void database.close().finally(() => process.exit(0));
  });
}
