import neo4j, { type Driver } from 'neo4j-driver';
import type { Neo4jTarget } from '../config.ts';
import { readEmbeddedPassword, startEmbeddedNeo4j, type EmbeddedNeo4j } from '../neo4j/embedded.ts';
import { runningNeo4j } from '../neo4j/running.ts';
import { startSupervisedNeo4j, type SupervisionEvents } from '../neo4j/supervisor.ts';

/** A connected driver, and the embedded Neo4j behind it when this process started one. */
export interface Database {
  readonly driver: Driver;
  /** Database name for multi-database servers; undefined means the server's default. */
  readonly name: string | undefined;
  readonly embedded: EmbeddedNeo4j | undefined;
  /** How long a failed read is retried through transient failures (see DriverOptions); absent: not retried. */
  readonly retryTimeMs?: number;
  close(): Promise<void>;
}

export class DatabaseUnavailableError extends Error {
  override name = 'DatabaseUnavailableError';
}

export interface DriverOptions {
  /**
   * How long the driver keeps retrying a transaction through transient failures and lost connections.
   * An API request wants a quick, clear error while Neo4j is down (a few seconds); a long load wants
   * to ride out a restart (the driver's default, 30 s).
   */
  maxRetryTimeMs?: number;
  onProgress?: (line: string) => void;
  /**
   * Restart the embedded Neo4j when it dies (src/neo4j/supervisor.ts), telling these handlers. Absent:
   * not supervised (the loaders, which fail and can be run again).
   */
  supervise?: SupervisionEvents;
}

const retryTimeOf = (options: DriverOptions) => options.maxRetryTimeMs ?? 30_000;

function driverConfig(options: DriverOptions) {
  return {
    // Integers come back as JS numbers: every count and position here is far below 2^53.
    disableLosslessIntegers: true,
    maxConnectionPoolSize: 50,
    connectionAcquisitionTimeout: 20_000,
    connectionTimeout: 5_000,
    maxTransactionRetryTime: retryTimeOf(options),
  };
}

/**
 * The one place a Driver is made. With NEO4J_URI set it connects there (routing `neo4j://` URIs work for
 * clusters and Aura) and starts nothing. Otherwise it starts the embedded Neo4j and stops it on close();
 * but a loader (not supervising) uses the Neo4j already running on the data directory, the server's,
 * when there is one, and leaves it running.
 */
export async function openDatabase(target: Neo4jTarget, options: DriverOptions = {}): Promise<Database> {
  if (target.kind === 'external') {
    const driver = neo4j.driver(target.uri, neo4j.auth.basic(target.user, target.password), driverConfig(options));
    await verify(driver, target.uri);
    return { driver, name: target.database, embedded: undefined, retryTimeMs: retryTimeOf(options), close: () => driver.close() };
  }

  if (!options.supervise) {
    const running = await runningNeo4j(target.dataDir);
    if (running) {
      options.onProgress?.(`using the Neo4j already running on ${target.dataDir} (${running.boltUri}, pid ${running.pid})`);
      const password = await readEmbeddedPassword(target.dataDir);
      const driver = neo4j.driver(running.boltUri, neo4j.auth.basic('neo4j', password), driverConfig(options));
      await verify(driver, running.boltUri);
      return { driver, name: undefined, embedded: undefined, retryTimeMs: retryTimeOf(options), close: () => driver.close() };
    }
  }

  const embeddedOptions = {
    boltPort: target.boltPort,
    dataDir: target.dataDir,
    heapMb: target.heapMb,
    pageCacheMb: target.pageCacheMb,
    onProgress: options.onProgress,
  };
  const embedded = options.supervise ? await startSupervisedNeo4j(embeddedOptions, options.supervise) : await startEmbeddedNeo4j(embeddedOptions);
  const driver = neo4j.driver(embedded.boltUri, neo4j.auth.basic(embedded.user, embedded.password), driverConfig(options));
  try {
    await verify(driver, embedded.boltUri);
  } catch (error) {
    await driver.close();
    await embedded.stop();
    throw error;
  }
  return {
    driver,
    name: undefined,
    embedded,
    retryTimeMs: retryTimeOf(options),
    async close() {
      await driver.close();
      await embedded.stop();
    },
  };
}

async function verify(driver: Driver, uri: string): Promise<void> {
  try {
    await driver.getServerInfo();
  } catch (error) {
    await driver.close();
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new DatabaseUnavailableError(`cannot reach Neo4j at ${uri}: ${reason}`);
  }
}
