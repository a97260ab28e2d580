import { mkdtemp, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import neo4j from 'neo4j-driver';
import { afterAll, describe, expect, it } from 'vitest';
import { encodeGlobalId } from '../../src/graphql/lib/global-id.ts';
import { freePort, readEmbeddedPassword } from '../../src/neo4j/embedded.ts';
import { embeddedPids, postGraphql, processAlive, startServerProcess, waitFor } from '../helpers/server-process.ts';

/** One raw keep-alive connection: requests are written on the same socket, one after another. */
function keepAliveConnection(port: number) {
  const socket = connect(port, '127.0.0.1');
  let buffer = '';
  let failure: Error | undefined;
  socket.on('data', (chunk) => (buffer += chunk));
  socket.on('error', (error) => (failure = error));
  return {
    async request(): Promise<{ head: string; body: string }> {
      buffer = '';
      const body = JSON.stringify({ query: '{ stats { papers } }' });
      socket.write(`POST /graphql HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
      await waitFor(() => failure !== undefined || /\r\n\r\n[\s\S]*\}\s*$/.test(buffer), 60_000, 'a response');
      if (failure) throw failure;
      const [head, rest] = buffer.split('\r\n\r\n');
      return { head: head!.toLowerCase(), body: rest! };
    },
    close: () => socket.destroy(),
  };
}

describe('stopping the server', () => {
  const cleanups: (() => Promise<unknown>)[] = [];
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
  });

  it('on SIGTERM to its whole process group: a long request still gets its answer from Neo4j, which stops only after; a keep-alive request gets `connection: close`, not a reset', {
    timeout: 600_000,
  }, async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'papergraph-shutdown-test-'));
    cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
    const [httpPort, boltPort] = [await freePort(), await freePort()];
    // A long QUERY_TIMEOUT_MS: the request below may run long on a busy machine; the grace follows it.
    const env = { PORT: String(httpPort), NEO4J_BOLT_PORT: String(boltPort), NEO4J_DATA_DIR: dataDir, LOG_LEVEL: 'info', QUERY_TIMEOUT_MS: '120000' };
    const server = startServerProcess(env, { detached: true });
    cleanups.push(async () => {
      if (server.child.pid) process.kill(-server.child.pid, 'SIGKILL');
      for (const pid of embeddedPids(server.output())) if (processAlive(pid)) process.kill(pid, 'SIGKILL');
    });
    await waitFor(() => server.output().includes('papergraph ready'), 180_000, 'the server to start');
    const [javaPid] = embeddedPids(server.output());

    // A heavy question through the API: hubs sharing 1,000 related papers that each list the same 200
    // papers; recommendations for all of them rank 200,000 paths per hub (test/integration/hardening.test.ts).
    const hubs = 30;
    const driver = neo4j.driver(`bolt://127.0.0.1:${boltPort}`, neo4j.auth.basic('neo4j', await readEmbeddedPassword(dataDir)));
    await driver.executeQuery(`UNWIND range(1, 200) AS t CREATE (:Paper {uid: 'target-' + t, titleKey: 'target' + t, title: 'Target ' + t})`);
    await driver.executeQuery(`
      UNWIND range(1, 1000) AS m
      CREATE (mid:Paper {uid: 'mid-' + m, titleKey: 'mid' + m, title: 'Mid ' + m})
      WITH mid MATCH (t:Paper) WHERE t.uid STARTS WITH 'target-'
      CREATE (mid)-[:RELATED_TO {score: 1.0, rank: 1}]->(t)`);
    await driver.executeQuery(
      `
      UNWIND range(1, $hubs) AS h
      CREATE (hub:Paper {uid: 'hub-' + h, titleKey: 'hub' + h, title: 'Hub ' + h})
      WITH hub MATCH (mid:Paper) WHERE mid.uid STARTS WITH 'mid-'
      CREATE (hub)-[:RELATED_TO {score: 1.0, rank: 1}]->(mid)`,
      { hubs: neo4j.int(hubs) },
    );
    await driver.close();
    const ids = Array.from({ length: hubs }, (_, i) => JSON.stringify(encodeGlobalId('Paper', `hub-${i + 1}`)));
    const heavy = `{ nodes(ids: [${ids.join(', ')}]) { ... on Paper { recommendations(first: 5) { score } } } }`;

    const keepAlive = keepAliveConnection(httpPort);
    cleanups.push(async () => keepAlive.close());
    const first = await keepAlive.request();
    expect(first.head).toMatch(/^http\/1\.1 200/);
    expect(first.head).not.toMatch(/connection: close/);

    const heavyStarted = Date.now();
    const heavyAnswer = postGraphql(httpPort, heavy).then((answer) => ({ ...answer, javaAlive: processAlive(javaPid!), at: Date.now() }));
    await new Promise((resolve) => setTimeout(resolve, 500));
    process.kill(-server.child.pid!, 'SIGTERM');

    // Past the first second of draining (when the listener closes), the idle keep-alive connection is
    // still served, and told to close.
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    const second = await keepAlive.request();
    expect(second.head).toMatch(/^http\/1\.1 200/);
    expect(second.head).toMatch(/connection: close/);

    const answer = await heavyAnswer;
    console.log(`the heavy request took ${answer.at - heavyStarted} ms`);
    expect(answer.body.errors).toBeUndefined();
    expect(answer.body.data).toMatchObject({ nodes: Array(hubs).fill({ recommendations: Array(5).fill({ score: 1000 }) }) });
    expect(answer.javaAlive).toBe(true);
    expect(await server.exit).toBe(0);
    expect(processAlive(javaPid!)).toBe(false);
    expect(server.output()).toContain('"msg":"stopped"');
  });
});
