import cluster, { type Worker } from 'node:cluster';
import { createServer } from 'node:net';
import type { Config } from './config.ts';
import { openDatabase } from './db/driver.ts';
import { log } from './log.ts';
import { announceReady, listen, prepareDatabase } from './startup.ts';

/** What a worker sends its primary once it answers requests (src/index.ts). */
export const workerReadyMessage = { papergraph: 'worker ready' } as const;

/** A worker's own drain and close take up to 8 s (src/index.ts); past this the primary kills it. */
const workerStopMs = 12_000;

/**
 * The primary of WORKERS > 1: one Node process executes GraphQL on one core, so on a machine with
 * more, several worker processes share the HTTP port (node:cluster) and each has its own driver. The
 * primary serves nothing itself: it checks the port, starts or reaches Neo4j, prepares the database
 * once, forks the workers with the Bolt URI to use, replaces a worker that dies, and on SIGTERM stops
 * the workers (each drains its requests) before it stops Neo4j.
 */
export async function runWorkers(config: Config): Promise<void> {
  await checkPortFree(config);
  const database = await openDatabase(config.neo4j, { maxRetryTimeMs: 3_000, onProgress: (line) => log.info(line) });
  log.info('connected to Neo4j', {
    uri: database.embedded?.boltUri ?? (config.neo4j.kind === 'external' ? config.neo4j.uri : ''),
    embeddedNeo4jPid: database.embedded?.pid,
  });
  await prepareDatabase(database, config);

  // The embedded Neo4j listens on loopback without auth; an external one is named by the same variables.
  const workerEnv = database.embedded ? { NEO4J_URI: database.embedded.boltUri, NEO4J_USER: 'neo4j', NEO4J_PASSWORD: 'neo4j' } : {};
  let stopping = false;
  let ready = false;
  const serving = new Set<Worker>();
  const fork = () => cluster.fork(workerEnv);

  const stopped = new Promise<void>((resolve) => {
    const shutdown = async (signal: string) => {
      if (stopping) return;
      stopping = true;
      log.info('shutting down', { signal, workers: Object.keys(cluster.workers ?? {}).length });
      const workers = Object.values(cluster.workers ?? {}).filter((worker): worker is Worker => worker !== undefined);
      await Promise.all(workers.map(stopWorker));
      await database.close();
      log.info('stopped');
      resolve();
    };
    process.on('SIGINT', () => void shutdown('SIGINT'));
    process.on('SIGTERM', () => void shutdown('SIGTERM'));
  });

  cluster.on('message', (worker, message: unknown) => {
    if ((message as typeof workerReadyMessage | undefined)?.papergraph !== workerReadyMessage.papergraph) return;
    serving.add(worker);
    if (!ready && serving.size === config.workers) {
      ready = true;
      announceReady(config, { workers: config.workers });
    }
  });
  cluster.on('exit', (worker, code, signal) => {
    const wasServing = serving.delete(worker);
    if (stopping) return;
    if (!wasServing) {
      // A worker that never got as far as serving will fail the same way again: stop, do not loop.
      log.error('a worker failed to start; stopping', { pid: worker.process.pid, code, signal });
      process.kill(process.pid, 'SIGTERM');
      process.exitCode = 1;
      return;
    }
    log.error('a worker exited; starting another', { pid: worker.process.pid, code, signal });
    fork();
  });
  for (let i = 0; i < config.workers; i++) fork();

  await stopped;
  process.exit(process.exitCode ?? 0);
}

/** Fails at once, before Neo4j starts, when the HTTP port is taken (as the single process does). */
async function checkPortFree(config: Config): Promise<void> {
  const probe = createServer();
  await listen(probe, config);
  await new Promise<void>((resolve) => probe.close(() => resolve()));
}

function stopWorker(worker: Worker): Promise<void> {
  return new Promise((resolve) => {
    if (worker.isDead()) return resolve();
    const kill = setTimeout(() => worker.process.kill('SIGKILL'), workerStopMs);
    worker.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    worker.process.kill('SIGTERM');
  });
}
