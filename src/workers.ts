import cluster, { type Worker } from 'node:cluster';
import { createServer } from 'node:http';
import type { Config } from './config.ts';
import { openDatabase, type Database } from './db/driver.ts';
import { log } from './log.ts';
import { announceReady, answerStarting, listen, logConnected, prepareDatabase, superviseEmbedded } from './startup.ts';

/** What a worker sends its primary once it answers requests (src/index.ts). */
export const workerReadyMessage = { papergraph: 'worker ready' } as const;

/** A worker's own drain takes up to SHUTDOWN_GRACE_MS (src/index.ts); this much later the primary kills it. */
const workerStopMarginMs = 5_000;

/** A replacement worker that fails to start is tried again after this, doubling up to the maximum. */
const restartDelayMs = { first: 1_000, max: 30_000 } as const;

/**
 * The primary of WORKERS > 1: one Node process executes GraphQL on one core, so on a machine with
 * more, several worker processes share the HTTP port (node:cluster) and each has its own driver. The
 * primary holds the port (answering 503 while it starts), starts or reaches Neo4j, prepares the database
 * once, then hands the port to the workers with the Bolt URI to use. It replaces a worker that dies (a
 * worker that cannot start at all stops the whole at first start, and is retried with backoff later),
 * and on SIGTERM stops the workers, each draining its requests, before it stops Neo4j.
 */
export async function runWorkers(config: Config): Promise<void> {
  let stopping = false;
  let starting = true;
  let database: Database | undefined;
  const serving = new Set<Worker>();
  const stopped = new Promise<void>((resolve) => {
    const shutdown = async (signal: string) => {
      if (stopping) return;
      stopping = true;
      log.info('shutting down', { signal, workers: Object.keys(cluster.workers ?? {}).length });
      const workers = Object.values(cluster.workers ?? {}).filter((worker): worker is Worker => worker !== undefined);
      await Promise.all(workers.map((worker) => stopWorker(worker, config.shutdownGraceMs + workerStopMarginMs)));
      // While starting, the start-up below closes Neo4j once it has it.
      if (starting) return;
      await database?.close();
      log.info('stopped');
      resolve();
    };
    process.on('SIGINT', () => void shutdown('SIGINT'));
    process.on('SIGTERM', () => void shutdown('SIGTERM'));
  });

  const placeholder = createServer((_req, res) => {
    res.setHeader('connection', 'close');
    answerStarting(res);
  });
  await listen(placeholder, config);
  database = await openDatabase(config.neo4j, {
    maxRetryTimeMs: 3_000,
    onProgress: (line) => log.info(line),
    // The primary owns Neo4j: it restarts it on the same port, and the workers' drivers reconnect.
    supervise: superviseEmbedded(() => {
      process.exitCode = 1;
      process.kill(process.pid, 'SIGTERM');
    }),
  });
  logConnected(database, config);
  if (!stopping) await prepareDatabase(database, config);
  await new Promise<void>((resolve) => {
    placeholder.close(() => resolve());
    placeholder.closeAllConnections();
  });
  starting = false;
  if (stopping) {
    await database.close();
    log.info('stopped');
    process.exit(0);
  }

  // The embedded Neo4j has one database and the password from its data dir (the environment of a
  // process is readable by its user only); an external one is named by the same variables as here.
  const { embedded } = database;
  const workerEnv = embedded ? { NEO4J_URI: embedded.boltUri, NEO4J_USER: embedded.user, NEO4J_PASSWORD: embedded.password, NEO4J_DATABASE: '' } : {};
  let ready = false;
  let restartDelay: number = restartDelayMs.first;
  const fork = () => {
    if (!stopping) cluster.fork(workerEnv);
  };

  cluster.on('message', (worker, message: unknown) => {
    if ((message as typeof workerReadyMessage | undefined)?.papergraph !== workerReadyMessage.papergraph) return;
    serving.add(worker);
    restartDelay = restartDelayMs.first;
    if (!ready && serving.size === config.workers) {
      ready = true;
      announceReady(config, { workers: config.workers });
    }
  });
  cluster.on('exit', (worker, code, signal) => {
    const wasServing = serving.delete(worker);
    if (stopping) return;
    if (!wasServing && !ready) {
      // At first start a worker that cannot start would fail the same way again: stop, do not loop.
      log.error('a worker failed to start; stopping', { pid: worker.process.pid, code, signal });
      process.exitCode = 1;
      process.kill(process.pid, 'SIGTERM');
      return;
    }
    if (wasServing) {
      log.error('a worker exited; starting another', { pid: worker.process.pid, code, signal });
      fork();
    } else {
      log.error('a replacement worker failed to start; trying again', { pid: worker.process.pid, code, signal, inMs: restartDelay });
      setTimeout(fork, restartDelay).unref();
      restartDelay = Math.min(restartDelay * 2, restartDelayMs.max);
    }
  });
  for (let i = 0; i < config.workers; i++) fork();

  await stopped;
  process.exit(process.exitCode ?? 0);
}

function stopWorker(worker: Worker, killAfterMs: number): Promise<void> {
  return new Promise((resolve) => {
    if (worker.isDead()) return resolve();
    const kill = setTimeout(() => worker.process.kill('SIGKILL'), killAfterMs);
    worker.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    worker.process.kill('SIGTERM');
  });
}
