/**
 * Foreground embedded Neo4j, for debugging:
 *
 *   npx tsx src/neo4j/cli.ts            (or: npm run neo4j)
 *
 * Environment:
 *   NEO4J_BOLT_PORT        Bolt port on 127.0.0.1 (default 7687)
 *   NEO4J_DATA_DIR         Neo4j home: store in <dir>/data, logs in <dir>/logs (default <root>/.data/neo4j)
 *   NEO4J_HEAP_MB          Java heap cap (default 512)
 *   NEO4J_PAGECACHE_MB     page cache cap (default 256)
 *   NEO4J_TX_TIMEOUT_MS    db.transaction.timeout (default: none)
 *
 * Prints the Bolt URI once Neo4j is ready; Ctrl-C / SIGTERM stops it cleanly.
 */
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { EmbeddedNeo4jError, startEmbeddedNeo4j } from './embedded.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

function intFromEnv(name: string, fallback: number | undefined): number | undefined {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) {
    console.error(`error: ${name} must be a non-negative integer, got '${raw}'`);
    process.exit(2);
  }
  return value;
}

async function main(): Promise<void> {
  const boltPort = intFromEnv('NEO4J_BOLT_PORT', 7687) ?? 7687;
  const dataDir = path.resolve(process.env.NEO4J_DATA_DIR ?? path.join(root, '.data', 'neo4j'));
  const started = Date.now();
  const neo = await startEmbeddedNeo4j({
    boltPort,
    dataDir,
    heapMb: intFromEnv('NEO4J_HEAP_MB', undefined),
    pageCacheMb: intFromEnv('NEO4J_PAGECACHE_MB', undefined),
    transactionTimeoutMs: intFromEnv('NEO4J_TX_TIMEOUT_MS', undefined),
    projectRoot: root,
    onProgress: (line) => console.error(`[neo4j] ${line}`),
  });
  console.error(`[neo4j] ready in ${((Date.now() - started) / 1000).toFixed(1)} s (pid ${neo.pid}); Ctrl-C to stop`);
  console.log(neo.boltUri);

  let stopping = false;
  const shutdown = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    console.error(`[neo4j] ${signal}: stopping…`);
    void neo
      .stop()
      .then(() => neo.exited)
      .then((code) => {
        console.error(`[neo4j] stopped (exit ${String(code)})`);
        process.exit(code === 0 ? 0 : 1);
      });
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));

  const code = await neo.exited;
  if (!stopping) {
    console.error(`[neo4j] java exited unexpectedly (exit ${String(code)}); see ${path.join(dataDir, 'logs')}`);
    process.exit(1);
  }
}

main().catch((e: unknown) => {
  if (e instanceof EmbeddedNeo4jError) {
    console.error(`error: ${e.message}`);
  } else {
    console.error(e);
  }
  process.exit(1);
});
