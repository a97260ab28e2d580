import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { createServer, type AddressInfo, type Server } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../src/config.ts';
import { EmbeddedNeo4jError, freePort, startEmbeddedNeo4j } from '../../src/neo4j/embedded.ts';

function startServer(env: Record<string, string>): { child: ChildProcess; output: () => string; exit: Promise<number | null> } {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/index.ts'], {
    cwd: projectRoot,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk) => (output += chunk));
  child.stderr?.on('data', (chunk) => (output += chunk));
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => output, exit };
}

/** Opens one connection per request and resolves once every request has been written to its socket. */
async function sendRequests(httpPort: number, count: number, query: string): Promise<Promise<{ status: number; body: string }>[]> {
  const sent: Promise<void>[] = [];
  const answers = Array.from({ length: count }, () => {
    let markSent: () => void = () => {};
    sent.push(new Promise((resolve) => (markSent = resolve)));
    return new Promise<{ status: number; body: string }>((resolve, reject) => {
      const body = JSON.stringify({ query });
      const request = httpRequest(
        {
          host: '127.0.0.1',
          port: httpPort,
          path: '/graphql',
          method: 'POST',
          agent: false,
          headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), connection: 'close' },
        },
        (response) => {
          let text = '';
          response.on('data', (chunk) => (text += chunk));
          response.on('end', () => resolve({ status: response.statusCode ?? 0, body: text }));
        },
      );
      request.on('error', reject);
      request.on('finish', markSent);
      request.end(body);
    });
  });
  await Promise.all(sent);
  // Let the server read them: these requests are now in flight, not merely on their way.
  await new Promise((resolve) => setTimeout(resolve, 200));
  return answers;
}

async function waitFor(predicate: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('the server process, end to end', () => {
  const cleanups: (() => Promise<unknown>)[] = [];
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  it('starts its embedded Neo4j, seeds the default pages, answers, and exits 0 on SIGTERM leaving no Java behind', { timeout: 300_000 }, async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'papergraph-start-test-'));
    cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
    const [httpPort, boltPort, otherHttpPort] = [await freePort(), await freePort(), await freePort()];
    const env = { PORT: String(httpPort), NEO4J_BOLT_PORT: String(boltPort), NEO4J_DATA_DIR: dataDir, LOG_LEVEL: 'info' };
    const server = startServer(env);
    cleanups.push(async () => server.child.kill('SIGKILL'));
    await waitFor(() => server.output().includes('papergraph ready'), 120_000);

    const response = await fetch(`http://127.0.0.1:${httpPort}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ stats { papers authors } }' }),
    });
    expect(await response.json()).toEqual({ data: { stats: { papers: 46, authors: 22 } } });

    // A second server on the same data directory and Bolt port must refuse at once, not hang.
    const second = startServer({ ...env, PORT: String(otherHttpPort) });
    expect(await second.exit).toBe(1);
    expect(second.output()).toContain(`papergraph: port ${boltPort} is already in use`);
    const third = startServer(env);
    expect(await third.exit).toBe(1);
    expect(third.output()).toContain(`papergraph: port ${httpPort} on 127.0.0.1 is already in use`);

    const javaPid = Number(/"embeddedNeo4jPid":(\d+)/.exec(server.output())?.[1]);
    expect(processAlive(javaPid)).toBe(true);

    // SIGTERM while requests are in flight: every one of them still gets its full answer.
    const inFlight = await sendRequests(httpPort, 12, '{ papers(first: 50) { edges { node { title authors { name } } } } }');
    const stoppedAt = Date.now();
    server.child.kill('SIGTERM');
    const answers = await Promise.all(inFlight);
    expect(answers.map((answer) => answer.status)).toEqual(Array(12).fill(200));
    for (const answer of answers) expect(JSON.parse(answer.body).data.papers.edges).toHaveLength(46);
    expect(await server.exit).toBe(0);
    expect(Date.now() - stoppedAt).toBeLessThan(10_000);
    expect(processAlive(javaPid)).toBe(false);
    expect(server.output()).toContain('"msg":"stopped"');
  });

  it('with WORKERS=2 serves from two worker processes, survives losing one, and stops all of them and Neo4j on SIGTERM', { timeout: 300_000 }, async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'papergraph-workers-test-'));
    cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
    const [httpPort, boltPort] = [await freePort(), await freePort()];
    const env = { PORT: String(httpPort), NEO4J_BOLT_PORT: String(boltPort), NEO4J_DATA_DIR: dataDir, LOG_LEVEL: 'info', WORKERS: '2' };
    const server = startServer(env);
    cleanups.push(async () => server.child.kill('SIGKILL'));
    await waitFor(() => server.output().includes('papergraph ready'), 120_000);
    const workerPids = () => [...server.output().matchAll(/"msg":"worker ready","pid":(\d+)/g)].map((match) => Number(match[1]));
    expect(workerPids()).toHaveLength(2);
    const javaPid = Number(/"embeddedNeo4jPid":(\d+)/.exec(server.output())?.[1]);

    const ask = async () => {
      const response = await fetch(`http://127.0.0.1:${httpPort}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', connection: 'close' },
        body: JSON.stringify({ query: '{ stats { papers } }' }),
      });
      return response.json();
    };
    for (let i = 0; i < 6; i++) expect(await ask()).toEqual({ data: { stats: { papers: 46 } } });

    // A worker that dies is replaced, and the port keeps answering meanwhile.
    const [lost] = workerPids();
    process.kill(lost!, 'SIGKILL');
    await waitFor(() => workerPids().length === 3, 60_000);
    expect(server.output()).toContain('a worker exited; starting another');
    expect(await ask()).toEqual({ data: { stats: { papers: 46 } } });

    server.child.kill('SIGTERM');
    expect(await server.exit).toBe(0);
    for (const pid of [...workerPids(), javaPid]) expect(processAlive(pid)).toBe(false);
    expect(server.output()).toContain('"msg":"stopped"');
  });

  it('refuses a taken Bolt port and a locked store with a one-line error', { timeout: 300_000 }, async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'papergraph-lock-test-'));
    cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
    const blocker: Server = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const takenPort = (blocker.address() as AddressInfo).port;
    cleanups.push(() => new Promise((resolve) => blocker.close(resolve)));
    const taken = startEmbeddedNeo4j({ boltPort: takenPort, dataDir });
    await expect(taken).rejects.toThrow(EmbeddedNeo4jError);
    await expect(taken).rejects.toThrow(`port ${takenPort} is already in use`);

    const first = await startEmbeddedNeo4j({ boltPort: await freePort(), dataDir });
    cleanups.push(() => first.stop());
    const started = Date.now();
    const locked = startEmbeddedNeo4j({ boltPort: await freePort(), dataDir });
    await expect(locked).rejects.toThrow(/locked by another process/);
    expect(Date.now() - started).toBeLessThan(30_000);
    await first.stop();
    expect(await first.exited).toBe(0);
  });
});
