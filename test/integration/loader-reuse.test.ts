import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { openDatabase, type Database } from '../../src/db/driver.ts';
import { Cypher } from '../../src/db/run.ts';
import { freePort } from '../../src/neo4j/embedded.ts';
import { connectTestDatabase, resetGraph } from '../helpers/database.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const dataDir = inject('embeddedNeo4jDataDir');

/** The run's shared Neo4j stands for a server's: it was started by startEmbeddedNeo4j on dataDir. */
describe.skipIf(dataDir === '')('a loader while a Neo4j runs on its data directory', () => {
  let database: Database;
  beforeAll(async () => {
    database = await connectTestDatabase();
    await resetGraph(database);
  });
  afterAll(async () => {
    await database.close();
  });

  it('uses that Neo4j instead of starting its own on the locked store', async () => {
    await new Cypher(database).write("CREATE (:Paper { uid: 'reuse-marker', title: 'Reuse marker' })");
    const lines: string[] = [];
    const loader = await openDatabase(
      { kind: 'embedded', boltPort: await freePort(), dataDir, heapMb: 256, pageCacheMb: 32, database: undefined },
      { onProgress: (line) => lines.push(line) },
    );
    try {
      expect(loader.embedded).toBeUndefined();
      expect(lines.join('\n')).toMatch(/using the Neo4j already running on .* \(bolt:\/\/127\.0\.0\.1:\d+, pid \d+\)/);
      expect(await new Cypher(loader).read("MATCH (p:Paper { uid: 'reuse-marker' }) RETURN p.title AS title")).toEqual([{ title: 'Reuse marker' }]);
    } finally {
      await loader.close();
    }
    // Closing the loader leaves the shared Neo4j running.
    expect(await new Cypher(database).read('RETURN 1 AS one')).toEqual([{ one: 1 }]);
  });

  it('runs `npm run seed` against it, saying so', async () => {
    const page = path.join(root, 'seed/pages/000_727672f43cbe572e.txt');
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'seed/cli.ts'), page], {
      cwd: root,
      env: { ...process.env, NEO4J_DATA_DIR: dataDir, NEO4J_BOLT_PORT: String(await freePort()), NEO4J_URI: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(stderr).toMatch(/using the Neo4j already running/);
    expect(code, stderr).toBe(0);
    expect(await new Cypher(database).read('MATCH (p:Paper) WHERE p.sourceHash IS NOT NULL RETURN count(p) AS pages')).toEqual([{ pages: 1 }]);
  });
});
