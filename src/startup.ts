/** Steps of starting the server that the single process and the primary of WORKERS > 1 share. */
import type { ServerResponse } from 'node:http';
import type { Server } from 'node:net';
import type { Config } from './config.ts';
import type { Database } from './db/driver.ts';
import type { SupervisionEvents } from './neo4j/supervisor.ts';
import { ensureGraphSchema } from './db/migrations.ts';
import { Cypher } from './db/run.ts';
import { log } from './log.ts';
import { StartupError } from './startup-error.ts';
import { seedDefaultPagesIfEmpty } from './load/pages.ts';

/** The graph schema (constraints, indexes), and the default pages when the database holds no paper. */
export async function prepareDatabase(database: Database, config: Config): Promise<void> {
  await ensureGraphSchema(new Cypher(database));
  if (config.seedOnStart) await seedDefaultPagesIfEmpty(database);
}

/** Until the server is ready, its port answers every request with this. */
export function answerStarting(res: ServerResponse): void {
  res.writeHead(503, { 'content-type': 'application/json', 'retry-after': '5' });
  res.end(JSON.stringify({ status: 'starting' }));
}

/** Which Neo4j the server uses (and the embedded one's pid, which tests and operators look for). */
export function logConnected(database: Database, config: Config): void {
  log.info('connected to Neo4j', {
    uri: database.embedded?.boltUri ?? (config.neo4j.kind === 'external' ? config.neo4j.uri : ''),
    embeddedNeo4jPid: database.embedded?.pid,
  });
}

/** The line scripts and people wait for: everything is up and answering. */
export function announceReady(config: Config, fields: Record<string, unknown> = {}): void {
  const address = `http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${config.port}`;
  log.info(`ready: GraphiQL at ${address}/graphql`, { ready: true, ...fields });
  process.stdout.write(`papergraph ready at ${address}/graphql\n`);
}

export function listen(server: Server, config: Config): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE') {
        reject(new StartupError(`port ${config.port} on ${config.host} is already in use — is papergraph already running? Set PORT to use another.`));
      } else reject(error);
    });
    server.listen(config.port, config.host, () => resolve());
  });
}

/**
 * What the process that owns the embedded Neo4j logs while supervising it, and what it does when the
 * restarts fail: `giveUp` stops the server with a non-zero exit, for an outer supervisor to take over.
 * /health stays 200 meanwhile (the process is alive and restarting Neo4j itself; a failing liveness
 * probe would only make an orchestrator kill it mid-recovery); /ready is 503 until Neo4j answers.
 */
export function superviseEmbedded(giveUp: () => void): SupervisionEvents {
  return {
    onExit: ({ pid, code, signal, restartInMs, failures }) =>
      log.error('embedded Neo4j exited; restarting it', { embeddedNeo4jPid: pid, code, signal, restartInMs, failures }),
    onRestartFailed: ({ error, failures, restartInMs }) => log.error('embedded Neo4j restart failed; trying again', { error, failures, restartInMs }),
    onRestarted: ({ pid, downMs, attempts }) => log.info('embedded Neo4j restarted', { embeddedNeo4jPid: pid, downMs, attempts }),
    onGiveUp: ({ failures, error }) => {
      log.error('embedded Neo4j could not be restarted; giving up', { failures, error });
      giveUp();
    },
  };
}
