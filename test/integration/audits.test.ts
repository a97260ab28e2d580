import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serverAudits } from 'graphql-http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/driver.ts';
import { createPapergraphYoga } from '../../src/yoga.ts';
import { connectTestDatabase, resetGraph } from '../helpers/database.ts';

describe('GraphQL over HTTP conformance (graphql-http serverAudits)', () => {
  let database: Database;
  let server: Server;
  let url: string;

  beforeAll(async () => {
    database = await connectTestDatabase();
    await resetGraph(database);
    server = createServer(createPapergraphYoga({ database }).requestListener);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server?.close(resolve));
    await database?.close();
  });

  it('passes every audit against the running server', async () => {
    const results = [];
    for (const audit of serverAudits({ url })) results.push(await audit.fn());
    const notOk = results.filter((result) => result.status !== 'ok').map(({ name, status, reason }) => `${status}: ${name}: ${reason}`);
    process.stdout.write(`graphql-http audits: ${results.length - notOk.length} ok, ${notOk.length} not ok\n`);
    expect(notOk).toEqual([]);
    expect(results.length).toBeGreaterThan(50);
  });
});
