import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import neo4j, { type AuthToken } from 'neo4j-driver';
import { describe, expect, inject, it } from 'vitest';
import { PASSWORD_FILE, readEmbeddedPassword } from '../../src/neo4j/embedded.ts';

// The shared embedded Neo4j of the run (global-setup.ts), as another local process would see it.
const dataDir = inject('embeddedNeo4jDataDir');
const external = dataDir === '';

async function run(auth: AuthToken | undefined, query: string) {
  const driver = neo4j.driver(inject('neo4jUri'), auth, { maxTransactionRetryTime: 0, connectionTimeout: 5_000 });
  try {
    return (await driver.executeQuery(query)).records.map((record) => record.toObject());
  } finally {
    await driver.close();
  }
}
const owner = () => neo4j.auth.basic(inject('neo4jUser'), inject('neo4jPassword'));

describe.skipIf(external)('the embedded Neo4j, seen from another local process', () => {
  it('refuses Bolt clients without the password', async () => {
    const unauthorized = { code: 'Neo.ClientError.Security.Unauthorized' };
    await expect(run(undefined, 'RETURN 1 AS one')).rejects.toMatchObject(unauthorized);
    await expect(run(neo4j.auth.basic('neo4j', 'neo4j'), 'RETURN 1 AS one')).rejects.toMatchObject(unauthorized);
    await expect(run(neo4j.auth.basic('neo4j', 'not-the-password'), 'RETURN 1 AS one')).rejects.toMatchObject(unauthorized);
    expect(await run(owner(), 'RETURN 1 AS one')).toEqual([{ one: neo4j.int(1) }]);
  });

  it('cannot read local files with LOAD CSV', async () => {
    await expect(run(owner(), "LOAD CSV FROM 'file:///etc/hostname' AS line RETURN line")).rejects.toThrow(/allow_csv_import_from_file_urls/);
  });

  it('loads no APOC procedure the project does not use', async () => {
    await expect(run(owner(), "CALL apoc.cypher.runWrite('CREATE (:Intruder)', {}) YIELD value RETURN value")).rejects.toMatchObject({
      code: 'Neo.ClientError.Procedure.ProcedureNotFound',
    });
    expect(await run(owner(), "SHOW PROCEDURES YIELD name WHERE name STARTS WITH 'apoc.' RETURN collect(name) AS names")).toEqual([{ names: [] }]);
    expect(await run(owner(), "SHOW FUNCTIONS YIELD name WHERE name STARTS WITH 'apoc.' RETURN collect(name) AS names")).toEqual([{ names: ['apoc.version'] }]);
    // The project's own built-in calls still work.
    expect(await run(owner(), 'CALL db.awaitIndexes(10)')).toEqual([]);
  });

  it('keeps the password in an owner-only file in the data dir, and refuses one others can read', async () => {
    const file = path.join(dataDir, PASSWORD_FILE);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(await readEmbeddedPassword(dataDir)).toBe(inject('neo4jPassword'));

    const loose = await mkdtemp(path.join(os.tmpdir(), 'papergraph-password-test-'));
    try {
      await writeFile(path.join(loose, PASSWORD_FILE), 'a-password-others-can-read\n', { mode: 0o644 });
      await expect(readEmbeddedPassword(loose)).rejects.toThrow(/mode is 644, readable by others/);
    } finally {
      await rm(loose, { recursive: true, force: true });
    }
  });
});
