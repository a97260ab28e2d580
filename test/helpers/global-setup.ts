import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { freePort, startEmbeddedNeo4j, type EmbeddedNeo4j } from '../../src/neo4j/embedded.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    neo4jUri: string;
    neo4jUser: string;
    neo4jPassword: string;
    embeddedNeo4jPid: number;
    /** The embedded Neo4j's data dir ('' with TEST_NEO4J_URI). */
    embeddedNeo4jDataDir: string;
  }
}

/**
 * One Neo4j for the whole integration run. TEST_NEO4J_URI points the tests at a Neo4j of your own
 * (they wipe it!); otherwise an embedded one starts on its own port with a throw-away data directory.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const externalUri = process.env.TEST_NEO4J_URI;
  if (externalUri) {
    project.provide('neo4jUri', externalUri);
    project.provide('neo4jUser', process.env.TEST_NEO4J_USER ?? 'neo4j');
    project.provide('neo4jPassword', process.env.TEST_NEO4J_PASSWORD ?? '');
    project.provide('embeddedNeo4jPid', 0);
    project.provide('embeddedNeo4jDataDir', '');
    return async () => {};
  }

  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'papergraph-test-neo4j-'));
  // A port of the kernel's choosing, so that test runs side by side (and a developer's Neo4j) don't collide.
  const boltPort = process.env.TEST_NEO4J_BOLT_PORT ? Number(process.env.TEST_NEO4J_BOLT_PORT) : await freePort();
  const neo4j: EmbeddedNeo4j = await startEmbeddedNeo4j({
    boltPort,
    dataDir,
    heapMb: 768,
    pageCacheMb: 128,
    onProgress: (line) => process.stderr.write(`[neo4j] ${line}\n`),
  });
  project.provide('neo4jUri', neo4j.boltUri);
  project.provide('neo4jUser', neo4j.user);
  project.provide('neo4jPassword', neo4j.password);
  project.provide('embeddedNeo4jPid', neo4j.pid);
  project.provide('embeddedNeo4jDataDir', dataDir);
  return async () => {
    await neo4j.stop();
    await rm(dataDir, { recursive: true, force: true });
  };
}
