import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/driver.ts';
import { schema } from '../../src/graphql/schema.ts';
import { createPapergraphYoga } from '../../src/yoga.ts';
import { connectSeededDatabase } from '../helpers/database.ts';
import { randomOperations } from '../helpers/random-operations.ts';

const operationCount = 2_000;
const concurrency = 8;
const seed = Number(process.env.FUZZ_SEED ?? 20261123);
const internals = /Neo4jError|Neo\.ClientError|MATCH \(|UNWIND |\.ts:\d+|at \S+ \(|node_modules|PothosError|has not been implemented/;

describe('fuzzing the running server with operations generated from the schema', () => {
  let database: Database;
  let server: Server;
  let url: string;
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);

  beforeAll(async () => {
    database = await connectSeededDatabase();
    server = createServer(createPapergraphYoga({ database }).requestListener);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
    process.on('unhandledRejection', onUnhandled);
  });
  afterAll(async () => {
    process.off('unhandledRejection', onUnhandled);
    await new Promise((resolve) => server?.close(resolve));
    await database?.close();
  });

  it(`answers ${operationCount} random operations with no 5xx and no internal detail`, { timeout: 600_000 }, async () => {
    const ids = (await (
      await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ papers(first: 20) { edges { node { id authors { id } } } } }' }),
      })
    ).json()) as { data: { papers: { edges: { node: { id: string; authors: { id: string }[] } }[] } } };
    const knownIds = ids.data.papers.edges.flatMap(({ node }) => [node.id, ...node.authors.map((author) => author.id)]);
    const operations = randomOperations(schema, operationCount, seed, knownIds);

    const counts = { sent: 0, data: 0, errors: 0, byStatus: {} as Record<number, number> };
    const failures: string[] = [];
    let next = 0;
    const worker = async () => {
      while (next < operations.length) {
        const query = operations[next++]!;
        const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) });
        const text = await response.text();
        counts.sent += 1;
        counts.byStatus[response.status] = (counts.byStatus[response.status] ?? 0) + 1;
        if (response.status >= 500) failures.push(`${response.status} for ${query.slice(0, 300)}`);
        if (internals.test(text)) failures.push(`internal detail in ${text.slice(0, 300)} for ${query.slice(0, 200)}`);
        const body = JSON.parse(text) as { data?: unknown; errors?: unknown[] };
        if (body.errors?.length) counts.errors += 1;
        if (body.data) counts.data += 1;
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
    process.stdout.write(`fuzz (seed ${seed}): ${JSON.stringify(counts)}; unhandled rejections: ${unhandled.length}\n`);

    expect(failures.slice(0, 5)).toEqual([]);
    expect(unhandled).toEqual([]);
    expect(counts.sent).toBe(operationCount);
    // Most generated operations carry some bad argument or exceed the cost limit; still, a share must
    // have been served, or the run tested only refusals.
    expect(counts.data).toBeGreaterThan(operationCount / 40);
    const after = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ stats { papers } }' }),
    });
    expect(await after.json()).toEqual({ data: { stats: { papers: 46 } } });
  });
});
