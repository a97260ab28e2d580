/**
 * The process plumbing of the bench's extra HTTP sides (the HTTP floor, the Neo4j GraphQL Library): N
 * worker processes sharing one ephemeral port, "<name> ready at <url>" printed once all listen, all
 * stopped on SIGTERM. `start` runs in each worker, returns its server and what to close on exit.
 */
import cluster from 'node:cluster';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export async function serveOnWorkers(
  name: string,
  workers: number,
  path: string,
  start: () => Promise<{ server: Server; close: () => Promise<unknown> }>,
): Promise<void> {
  if (cluster.isPrimary) {
    // Every worker listens on the same ephemeral port (cluster shares it): ready once each has said so.
    let listening = 0;
    for (let i = 0; i < workers; i++) {
      cluster.fork().on('message', (message: { port?: number }) => {
        if (typeof message.port === 'number' && ++listening === workers) console.log(`${name} ready at http://127.0.0.1:${message.port}${path}`);
      });
    }
    cluster.on('exit', (_worker, code) => {
      if (code !== 0) process.exit(1);
    });
    process.on('SIGTERM', () => {
      for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill('SIGTERM');
      process.exit(0);
    });
    return;
  }
  const { server, close } = await start();
  server.listen(0, '127.0.0.1', () => process.send!({ port: (server.address() as AddressInfo).port }));
  process.on('SIGTERM', () => {
    server.close();
    void close().finally(() => process.exit(0));
  });
}
