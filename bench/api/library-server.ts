/**
 * The Neo4j GraphQL Library served the way its documentation shows: `new Neo4jGraphQL({ typeDefs, driver })`,
 * its schema behind graphql-yoga with default options, a neo4j-driver with default settings. As many
 * worker processes as the server has, so both sides get the same share of the cores.
 *
 *   node --import tsx bench/api/library-server.ts BOLT_URI WORKERS   (started by bench/api/server.ts)
 */
import { createServer } from 'node:http';
import { Neo4jGraphQL } from '@neo4j/graphql';
import { createYoga } from 'graphql-yoga';
import neo4j from 'neo4j-driver';
import { serveOnWorkers } from './cluster-server.ts';
import { libraryTypeDefs } from './library.ts';

const [boltUri, workersText] = process.argv.slice(2);
const workers = Number(workersText ?? 1);

await serveOnWorkers('library', workers, '/graphql', async () => {
  const driver = neo4j.driver(boltUri!, neo4j.auth.basic('neo4j', process.env.NEO4J_PASSWORD ?? ''));
  const schema = await new Neo4jGraphQL({ typeDefs: libraryTypeDefs, driver }).getSchema();
  const yoga = createYoga({ schema, logging: 'warn', graphiql: false });
  return { server: createServer(yoga), close: () => driver.close() };
});
