import neo4j, { Neo4jError, routing } from 'neo4j-driver';
import { DatabaseUnavailableError, type Database } from './driver.ts';
import { toNative } from './values.ts';

export type Params = Record<string, unknown>;
export type Row = Record<string, unknown>;

export class QueryTimeoutError extends Error {
  override name = 'QueryTimeoutError';
}

export interface CypherOptions {
  /**
   * The time budget of all the queries this runner will run, counted from its creation: each query gets
   * what is left as its Neo4j transaction timeout, and none starts once it is spent. An API request
   * has one runner, so the budget is the request's, however many queries it makes.
   */
  timeoutMs?: number;
}

/**
 * Runs parameterised Cypher for one unit of work (an API request, a seed run). Every call is one
 * round-trip to Neo4j, and is counted so that tests and the debug extension can show how many
 * round-trips an operation cost.
 *
 * Reads run as auto-commit queries: one RUN + PULL, where a managed transaction adds BEGIN and COMMIT
 * and their waits, which cost throughput and client CPU. A read is idempotent, so this class retries it through transient failures itself, for as long
 * as the database's retry time. Writes stay in managed transactions, which the driver retries.
 */
export class Cypher {
  roundTrips = 0;
  private readonly deadline: number | undefined;

  constructor(
    private readonly database: Database,
    options: CypherOptions = {},
  ) {
    this.deadline = options.timeoutMs ? Date.now() + options.timeoutMs : undefined;
  }

  /** A read: routed to any member of a cluster. */
  async read<T = Row>(query: string, params: Params = {}): Promise<T[]> {
    this.roundTrips += 1;
    const retryUntil = Math.min(Date.now() + (this.database.retryTimeMs ?? 0), this.deadline ?? Number.POSITIVE_INFINITY);
    for (let attempt = 0; ; attempt += 1) {
      const transactionConfig = this.transactionConfig();
      const session = this.database.driver.session({ database: this.database.name, defaultAccessMode: neo4j.session.READ });
      try {
        const result = await withoutCallSiteStack(() => session.run(query, params, transactionConfig));
        return result.records.map((record) => toNative(record.toObject()) as T);
      } catch (error) {
        const delayMs = Math.min(1_000, 100 * 2 ** attempt) * (0.8 + 0.4 * Math.random());
        if (!(error instanceof Neo4jError && error.retryable) || Date.now() + delayMs > retryUntil) throw mapNeo4jError(error);
        await new Promise((resolve) => setTimeout(resolve, delayMs));
      } finally {
        await session.close();
      }
    }
  }

  /** A write: routed to the leader, in a managed transaction the driver retries. */
  async write<T = Row>(query: string, params: Params = {}): Promise<T[]> {
    this.roundTrips += 1;
    const transactionConfig = this.transactionConfig();
    try {
      const result = await this.database.driver.executeQuery(query, params, {
        routing: routing.WRITE,
        database: this.database.name,
        transactionConfig,
      });
      return result.records.map((record) => toNative(record.toObject()) as T);
    } catch (error) {
      throw mapNeo4jError(error);
    }
  }

  /** The transaction timeout of the next query: what is left of the budget; throws when nothing is. */
  private transactionConfig() {
    if (this.deadline === undefined) return undefined;
    const left = this.deadline - Date.now();
    if (left < 1) throw new QueryTimeoutError('the request spent its time budget in Neo4j');
    return { timeout: left };
  }
}

/**
 * neo4j-driver captures the caller's stack trace on every query, to append to the query's error should
 * it fail, and under tsx each capture is source-mapped, which is costly on every query. A failed read is known by Neo4j's code and message (mapped here; unexpected ones logged by
 * src/graphql/mask-error.ts with the GraphQL path that ran it), so the driver-internal trace is given up.
 * The capture happens while `run` returns, hence the synchronous window.
 */
function withoutCallSiteStack<T>(start: () => T): T {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return start();
  } finally {
    Error.stackTraceLimit = limit;
  }
}

const unavailableCodes = new Set(['ServiceUnavailable', 'SessionExpired']);

function mapNeo4jError(error: unknown): unknown {
  if (!(error instanceof Neo4jError)) return error;
  if (unavailableCodes.has(error.code)) {
    return new DatabaseUnavailableError(`Neo4j is unavailable: ${error.message.split('\n')[0]}`, { cause: error });
  }
  if (error.code.startsWith('Neo.ClientError.Transaction.TransactionTimedOut')) {
    return new QueryTimeoutError('the query took longer than the configured timeout', { cause: error });
  }
  return error;
}
