import neo4j from 'neo4j-driver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DatabaseUnavailableError, openDatabase, type Database } from '../../src/db/driver.ts';
import { Cypher } from '../../src/db/run.ts';
import { createPapergraphYoga, type PapergraphYoga } from '../../src/yoga.ts';
import { connectTestDatabase, resetGraph } from '../helpers/database.ts';
import { graphql } from '../helpers/graphql.ts';

describe('server skeleton against the real Neo4j', () => {
  let database: Database;
  let yoga: PapergraphYoga;

  beforeAll(async () => {
    database = await connectTestDatabase();
    await resetGraph(database);
    yoga = createPapergraphYoga({ database });
  });
  afterAll(async () => {
    await database?.close();
  });

  it('answers /health while the process is alive', async () => {
    const response = await yoga.fetch('http://papergraph.test/health');
    expect(response.status).toBe(200);
  });

  it('answers /ready with 200 when Neo4j answers', async () => {
    const response = await yoga.fetch('http://papergraph.test/ready');
    expect(response.status).toBe(200);
  });

  it('reads stats { papers authors } from Neo4j', async () => {
    await new Cypher(database).write(`
      CREATE (a:Author {uid: 'a1', key: 'ada', name: 'Ada'})-[:AUTHORED {position: 1}]->(p:Paper {uid: 'p1', titleKey: 'one', title: 'One'}),
             (a)-[:AUTHORED {position: 1}]->(q:Paper {uid: 'p2', titleKey: 'two', title: 'Two'}),
             (p)-[:RELATED_TO {score: 1.5, rank: 1}]->(q)`);
    const response = await graphql(yoga, '{ stats { papers authors authorships relatedEdges nodes relationships } }');
    expect(response.errors).toBeUndefined();
    expect(response.data).toEqual({
      stats: { papers: 2, authors: 1, authorships: 2, relatedEdges: 1, nodes: 3, relationships: 3 },
    });
  });

  it('serves GraphiQL to a browser', async () => {
    const response = await yoga.fetch('http://papergraph.test/graphql', { headers: { accept: 'text/html' } });
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain('papergraph');
    // These machines are offline: GraphiQL must come from the server, not a CDN.
    expect(html).not.toMatch(/unpkg\.com|jsdelivr|cdnjs/);
  });
});

describe('when Neo4j is unreachable', () => {
  // A driver aimed at a port where nothing listens: the state of a server whose Neo4j went away.
  const driver = neo4j.driver('bolt://127.0.0.1:9', neo4j.auth.basic('neo4j', 'x'), { connectionTimeout: 1_000, maxTransactionRetryTime: 0 });
  const unreachable: Database = { driver, name: undefined, embedded: undefined, close: () => driver.close() };
  const yoga = createPapergraphYoga({ database: unreachable });
  afterAll(() => driver.close());

  it('refuses to open a database with a one-line reason', async () => {
    await expect(openDatabase({ kind: 'external', uri: 'bolt://127.0.0.1:9', user: 'neo4j', password: 'x', database: undefined })).rejects.toThrow(
      DatabaseUnavailableError,
    );
  });

  it('turns /ready to 503 while /health stays 200', async () => {
    expect((await yoga.fetch('http://papergraph.test/ready')).status).toBe(503);
    expect((await yoga.fetch('http://papergraph.test/health')).status).toBe(200);
  });

  it('answers a query with a DATABASE_UNAVAILABLE error, no stack trace', async () => {
    const response = await graphql(yoga, '{ stats { papers } }');
    expect(response.data).toBeNull();
    expect(response.errors?.[0]?.extensions?.code).toBe('DATABASE_UNAVAILABLE');
    expect(JSON.stringify(response)).not.toMatch(/at .*\.ts:\d+|Neo4jError|ServiceUnavailable/);
  });
});
