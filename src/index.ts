import cluster from 'node:cluster';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { Server as NetServer } from 'node:net';
import { loadConfig } from './config.ts';
import { openDatabase, type Database } from './db/driver.ts';
import { log, setLogLevel } from './log.ts';
import { announceReady, answerStarting, listen, logConnected, prepareDatabase, superviseEmbedded } from './startup.ts';
import { startupFailureMessage } from './startup-error.ts';
import { runWorkers, workerReadyMessage } from './workers.ts';
import { createPapergraphYoga } from './yoga.ts';

/** Past the grace (SHUTDOWN_GRACE_MS), stopping Neo4j (up to 15 s, then SIGKILL) is all that is left. */
const shutdownLastResortMs = 30_000;
/**
 * After SIGTERM the server goes on accepting for this long (answering with `connection: close` and a
 * 503 on /ready), so connections already queued in the kernel, or sent by a balancer that has not yet
 * seen /ready turn, are served rather than reset.
 */
const shutdownDrainMs = 1_000;

/**
 * The entry: read config, take the port, start or reach Neo4j, serve, and shut down cleanly. With
 * WORKERS > 1 this process starts Neo4j and forks that many workers (src/workers.ts), each of which
 * runs this same function and serves the shared port, reaching Neo4j through the Bolt URI it is given.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  setLogLevel(config.logLevel);
  if (cluster.isPrimary && config.workers > 1) return runWorkers(config);

  // Take the HTTP port first, so a second `npm start` fails at once instead of touching Neo4j.
  let handler: ((req: IncomingMessage, res: ServerResponse) => void) | undefined;
  let stopping = false;
  const server = createServer((req, res) => {
    if (stopping) {
      res.setHeader('connection', 'close');
      if (req.url === '/ready') {
        res.writeHead(503, { 'content-type': 'application/json' });
        return res.end(JSON.stringify({ status: 'stopping' }));
      }
    }
    if (handler) return handler(req, res);
    answerStarting(res);
  });
  await listen(server, config);

  let database: Database | undefined;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info('shutting down', { signal, graceMs: config.shutdownGraceMs });
    const force = setTimeout(() => {
      log.error('shutdown took too long; exiting');
      process.exit(1);
    }, config.shutdownGraceMs + shutdownLastResortMs);
    force.unref();
    await new Promise((resolve) => setTimeout(resolve, shutdownDrainMs));
    // Stop accepting and let in-flight requests finish; only then close Neo4j. http.Server#close would
    // also close the idle keep-alive connections, and a client sending its next request on one just
    // then gets ECONNRESET; the net.Server close leaves them open: a request on one is answered (with
    // `connection: close`, so each closes after at most one more), and idle ones end at the server's
    // keep-alive timeout (5 s).
    let cut = false;
    await new Promise<void>((resolve) => {
      const grace = setTimeout(
        () => {
          cut = true;
          log.error('shutdown grace over; closing connections with requests still running', { graceMs: config.shutdownGraceMs });
          server.closeAllConnections();
        },
        Math.max(0, config.shutdownGraceMs - shutdownDrainMs),
      );
      grace.unref();
      NetServer.prototype.close.call(server, () => {
        clearTimeout(grace);
        resolve();
      });
    });
    await database?.close();
    log.info('stopped');
    process.exit(cut ? 1 : Number(process.exitCode ?? 0));
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));

  database = await openDatabase(config.neo4j, {
    maxRetryTimeMs: 3_000,
    onProgress: (line) => log.info(line),
    supervise: superviseEmbedded(() => {
      process.exitCode = 1;
      void shutdown('embedded Neo4j down');
    }),
  });
  if (stopping) return;
  logConnected(database, config);

  // A worker's primary has prepared the database already.
  if (cluster.isPrimary) await prepareDatabase(database, config);

  const yoga = createPapergraphYoga({
    database,
    graphiql: config.graphiql,
    introspection: config.introspection,
    hideSuggestions: config.production,
    corsOrigins: config.corsOrigins,
    maxBodyBytes: config.maxBodyBytes,
    maxResponseBytes: config.maxResponseBytes,
    debugExtensions: config.debugExtensions,
    queryTimeoutMs: config.queryTimeoutMs,
  });
  handler = yoga.requestListener;
  if (cluster.isPrimary) announceReady(config);
  else {
    log.info('worker ready', { pid: process.pid });
    process.send?.(workerReadyMessage);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`papergraph: ${startupFailureMessage(error)}\n`);
  process.exit(1);
});
