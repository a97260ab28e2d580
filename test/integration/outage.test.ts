import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../src/db/driver.ts';
import { Cypher } from '../../src/db/run.ts';
import { freePort, startEmbeddedNeo4j, type EmbeddedNeo4j } from '../../src/neo4j/embedded.ts';
import { createPapergraphYoga } from '../../src/yoga.ts';
import { graphql } from '../helpers/graphql.ts';

describe('Neo4j going away under a running server', () => {
  let dataDir: string;
  let neo4j: EmbeddedNeo4j | undefined;
  let database: Database | undefined;

  afterAll(async () => {
    await database?.close();
    await neo4j?.stop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  // Starts Neo4j twice: generous on a loaded 2-core machine.
  it('turns /ready to 503 and queries to DATABASE_UNAVAILABLE, then recovers without a restart', { timeout: 300_000 }, async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'papergraph-outage-test-'));
    // A Neo4j of this test's own, so that stopping it disturbs no other test; restarted on the same port.
    const boltPort = await freePort();
    neo4j = await startEmbeddedNeo4j({ boltPort, dataDir, heapMb: 256, pageCacheMb: 32 });
    database = await openDatabase(
      { kind: 'external', uri: neo4j.boltUri, user: neo4j.user, password: neo4j.password, database: undefined },
      { maxRetryTimeMs: 1_000 },
    );
    await new Cypher(database).write("CREATE (:Paper {uid: 'p1', titleKey: 'one', title: 'One'})");
    const yoga = createPapergraphYoga({ database });
    const stats = () => graphql(yoga, '{ stats { papers } }');
    const ready = async () => (await yoga.fetch('http://papergraph.test/ready')).status;

    expect((await stats()).data).toEqual({ stats: { papers: 1 } });
    expect(await ready()).toBe(200);

    await neo4j.stop();
    const failedAt = Date.now();
    expect(await ready()).toBe(503);
    const down = await stats();
    expect(down.status).toBeLessThan(500);
    expect(down.errors?.[0]?.extensions?.code).toBe('DATABASE_UNAVAILABLE');
    expect(down.errors?.[0]?.message).toBe('The database is unavailable; try again shortly.');
    expect(Date.now() - failedAt).toBeLessThan(15_000);
    expect((await yoga.fetch('http://papergraph.test/health')).status).toBe(200);

    neo4j = await startEmbeddedNeo4j({ boltPort, dataDir, heapMb: 256, pageCacheMb: 32 });
    const deadline = Date.now() + 30_000;
    while ((await ready()) !== 200 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 250));
    expect(await ready()).toBe(200);
    expect((await stats()).data).toEqual({ stats: { papers: 1 } });
  });
});
