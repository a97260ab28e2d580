import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import neo4j from 'neo4j-driver';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort, readEmbeddedPassword } from '../../src/neo4j/embedded.ts';
import { embeddedPids, postGraphql, processAlive, startServerProcess, waitFor } from '../helpers/server-process.ts';

function logLines(output: string): Record<string, unknown>[] {
  return output.split('\n').flatMap((line) => {
    try {
      return [JSON.parse(line) as Record<string, unknown>];
    } catch {
      return [];
    }
  });
}

describe('the server supervising its embedded Neo4j', () => {
  const cleanups: (() => Promise<unknown>)[] = [];
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
  });

  it('restarts a killed Neo4j under load: requests fail cleanly, then succeed again with the same data; gives up with exit 1 when restarts keep failing', {
    timeout: 600_000,
  }, async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'papergraph-supervision-test-'));
    cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
    const [httpPort, boltPort] = [await freePort(), await freePort()];
    const server = startServerProcess({ PORT: String(httpPort), NEO4J_BOLT_PORT: String(boltPort), NEO4J_DATA_DIR: dataDir, LOG_LEVEL: 'info' });
    cleanups.push(async () => {
      server.child.kill('SIGKILL');
      for (const pid of embeddedPids(server.output())) if (processAlive(pid)) process.kill(pid, 'SIGKILL');
    });
    await waitFor(() => server.output().includes('papergraph ready'), 180_000, 'the server to start');
    const stats = '{ stats { papers authors } }';
    const seeded = { data: { stats: { papers: 46, authors: 22 } } };
    expect((await postGraphql(httpPort, stats)).body).toEqual(seeded);
    const [firstPid] = embeddedPids(server.output());

    // A committed write just before the kill must survive it (Neo4j recovers from its transaction log).
    const driver = neo4j.driver(`bolt://127.0.0.1:${boltPort}`, neo4j.auth.basic('neo4j', await readEmbeddedPassword(dataDir)));
    cleanups.push(() => driver.close());
    await driver.executeQuery("CREATE (:SupervisionMarker {at: 'before the kill'})");

    // Load: four clients asking over and over; every answer is kept.
    const answers: { at: number; status: number; ok: boolean; code?: string; failure?: string }[] = [];
    let loading = true;
    const client = async () => {
      while (loading) {
        try {
          const { status, body } = await postGraphql(httpPort, stats);
          const ok = JSON.stringify(body) === JSON.stringify(seeded);
          answers.push({ at: Date.now(), status, ok, code: body.errors?.[0]?.extensions?.code });
        } catch (error) {
          answers.push({ at: Date.now(), status: 0, ok: false, failure: String(error) });
        }
      }
    };
    const clients = [client(), client(), client(), client()];
    await waitFor(() => answers.length >= 20, 60_000, 'load to run');

    const killedAt = Date.now();
    process.kill(firstPid!, 'SIGKILL');
    await waitFor(async () => (await fetch(`http://127.0.0.1:${httpPort}/ready`)).status === 503, 60_000, '/ready to turn 503');
    // Liveness stays up while the server restarts Neo4j itself.
    expect((await fetch(`http://127.0.0.1:${httpPort}/health`)).status).toBe(200);
    await waitFor(async () => (await fetch(`http://127.0.0.1:${httpPort}/ready`)).status === 200, 180_000, '/ready to return');
    const recoveredAt = Date.now();
    await waitFor(() => answers.filter((answer) => answer.at > recoveredAt && answer.ok).length >= 10, 60_000, 'answers after the restart');
    loading = false;
    await Promise.all(clients);

    // Every request was answered: the data, or a clean error (not a 5xx, not a dropped connection).
    for (const answer of answers) {
      // (A request that waited for the restarting Neo4j past QUERY_TIMEOUT_MS gets QUERY_TIMEOUT.)
      if (!answer.ok) expect(['DATABASE_UNAVAILABLE', 'QUERY_TIMEOUT'], JSON.stringify(answer)).toContain(answer.code);
      expect(answer.status).toBeGreaterThan(0);
      expect(answer.status).toBeLessThan(500);
    }
    expect(answers.some((answer) => answer.code === 'DATABASE_UNAVAILABLE')).toBe(true);
    expect(server.output()).toContain('embedded Neo4j exited; restarting it');
    // Bolt answers a few seconds before the launcher's start-up checks are done and it reports READY.
    const restartedLine = () => logLines(server.output()).find((line) => line.msg === 'embedded Neo4j restarted');
    await waitFor(() => restartedLine() !== undefined, 120_000, 'the restart to be logged');
    const restarted = restartedLine();
    const secondPid = Number(restarted!.embeddedNeo4jPid);
    expect(secondPid).not.toBe(firstPid);
    expect(processAlive(secondPid)).toBe(true);
    console.log(`Neo4j restarted ${String(restarted!.downMs)} ms after the kill (answered again after ${recoveredAt - killedAt} ms)`);

    // No data lost.
    expect((await postGraphql(httpPort, stats)).body).toEqual(seeded);
    const markers = await driver.executeQuery('MATCH (m:SupervisionMarker) RETURN count(m) AS n');
    expect(markers.records[0]!.get('n').toNumber()).toBe(1);

    // Now make every restart fail (another process takes the Bolt port): after a few tries the server
    // gives up and exits non-zero, for an outer supervisor to take over.
    process.kill(secondPid, 'SIGKILL');
    await waitFor(() => !processAlive(secondPid), 30_000, 'Neo4j to die');
    const squatter: Server = createServer();
    await new Promise<void>((resolve) => squatter.listen(boltPort, '127.0.0.1', resolve));
    cleanups.push(() => new Promise((resolve) => squatter.close(resolve)));
    expect(await server.exit).toBe(1);
    expect(server.output()).toContain('embedded Neo4j restart failed; trying again');
    expect(server.output()).toContain('embedded Neo4j could not be restarted; giving up');
  });
});
