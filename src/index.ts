import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { loadConfig, type Config } from './config.ts';
import { openDatabase, type Database } from './db/driver.ts';
import { ensureGraphSchema } from './db/migrations.ts';
import { Cypher } from './db/run.ts';
import { log, setLogLevel } from './log.ts';
import { StartupError, startupFailureMessage } from './startup-error.ts';
import { createPapergraphYoga } from './yoga.ts';
import { seedDefaultPagesIfEmpty } from '../seed/load.ts';

const shutdownGraceMs = 8_000;
/**
 * After SIGTERM the server goes on accepting for this long (answering with `connection: close` and a
 * 503 on /ready), so connections already queued in the kernel, or sent by a balancer that has not yet
 * seen /ready turn, are served rather than reset.
 */
const shutdownDrainMs = 1_000;

/** The entry: read config, take the port, start or reach Neo4j, serve, and shut down cleanly. */
async function main(): Promise<void> {
  const config = loadConfig();
  setLogLevel(config.logLevel);

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
    res.writeHead(503, { 'content-type': 'application/json', 'retry-after': '5' });
    res.end(JSON.stringify({ status: 'starting' }));
  });
  await listen(server, config);

  let database: Database | undefined;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info('shutting down', { signal });
    const force = setTimeout(() => {
      log.error('shutdown took too long; exiting');
      process.exit(1);
    }, shutdownGraceMs);
    force.unref();
    await new Promise((resolve) => setTimeout(resolve, shutdownDrainMs));
    // Stop accepting, let in-flight requests finish, then close Neo4j. Keep-alive connections turn idle
    // as their last response goes out; close them as they do, rather than waiting for their timeout.
    await new Promise<void>((resolve) => {
      const closeIdle = setInterval(() => server.closeIdleConnections(), 50);
      server.close(() => {
        clearInterval(closeIdle);
        resolve();
      });
      server.closeIdleConnections();
    });
    await database?.close();
    log.info('stopped');
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));

  database = await openDatabase(config.neo4j, { maxRetryTimeMs: 3_000, onProgress: (line) => log.info(line) });
  if (stopping) return;
  log.info('connected to Neo4j', {
    uri: database.embedded?.boltUri ?? (config.neo4j.kind === 'external' ? config.neo4j.uri : ''),
    embeddedNeo4jPid: database.embedded?.pid,
  });

  const cypher = new Cypher(database);
  await ensureGraphSchema(cypher);
  if (config.seedOnStart) await seedDefaultPagesIfEmpty(database);

  const yoga = createPapergraphYoga({
    database,
    graphiql: config.graphiql,
    introspection: config.introspection,
    hideSuggestions: config.production,
    corsOrigins: config.corsOrigins,
    maxBodyBytes: config.maxBodyBytes,
    debugExtensions: config.debugExtensions,
    queryTimeoutMs: config.queryTimeoutMs,
  });
  handler = yoga.requestListener;
  const address = `http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${config.port}`;
  log.info(`ready: GraphiQL at ${address}/graphql`, { ready: true });
  process.stdout.write(`papergraph ready at ${address}/graphql\n`);
}

function listen(server: ReturnType<typeof createServer>, config: Config): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE') {
        reject(new StartupError(`port ${config.port} on ${config.host} is already in use — is papergraph already running? Set PORT to use another.`));
      } else reject(error);
    });
    server.listen(config.port, config.host, () => resolve());
  });
}

main().catch((error: unknown) => {
  process.stderr.write(`papergraph: ${startupFailureMessage(error)}\n`);
  process.exit(1);
});
