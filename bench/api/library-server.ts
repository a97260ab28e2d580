/**
 * The Neo4j GraphQL Library served the way its documentation shows: `new Neo4jGraphQL({ typeDefs, driver })`,
 * its schema behind graphql-yoga with default options, a neo4j-driver with default settings. As many
 * worker processes as the server has, so both sides get the same share of the cores.
 *
 *   node --import tsx bench/api/library-server.ts BOLT_URI WORKERS   (started by bench/api/server.ts)
 */
import cluster from 'node:cluster';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Neo4jGraphQL } from '@neo4j/graphql';
import { createYoga } from 'graphql-yoga';
import neo4j from 'neo4j-driver';
import { libraryTypeDefs } from './library.ts';

const [boltUri, workersText] = process.argv.slice(2);
const workers = Number(workersText ?? 1);

if (cluster.isPrimary) {
  // Every worker listens on the same ephemeral port (cluster shares it): ready once each has said so.
  let listening = 0;
  for (let i = 0; i < workers; i++) {
    cluster.fork().on('message', (message: { port?: number }) => {
      if (typeof message.port === 'number' && ++listening === workers) console.log(`library ready at http://127.0.0.1:${message.port}/graphql`);
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
  const driver = neo4j.driver(boltUri!, neo4j.auth.basic('neo4j', process.env.NEO4J_PASSWORD ?? ''));
  const schema = await new Neo4jGraphQL({ typeDefs: libraryTypeDefs, driver }).getSchema();
  const yoga = createYoga({ schema, logging: 'warn', graphiql: false });
  const server = createServer(yoga);
  server.listen(0, '127.0.0.1', () => process.send!({ port: (server.address() as AddressInfo).port }));
  process.on('SIGTERM', () => {
    server.close();
    void driver.close().finally(() => process.exit(0));
  });
}
