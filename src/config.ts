import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Either an external Neo4j named by NEO4J_URI, or the embedded one this project starts itself. */
export type Neo4jTarget =
  | { kind: 'external'; uri: string; user: string; password: string; database: string | undefined }
  | { kind: 'embedded'; boltPort: number; dataDir: string; heapMb: number; pageCacheMb: number; database: undefined };

/** Keeps an analysis, with the driver and the write batches, within 2 GB of RSS. */
export const defaultAnalyzeMaxMemoryMb = 1536;

export interface Config {
  host: string;
  port: number;
  neo4j: Neo4jTarget;
  /** Load the default pages when the database holds no paper yet. */
  seedOnStart: boolean;
  /** Put the Cypher round-trip count of each operation into the response's `extensions`. */
  debugExtensions: boolean;
  /** NODE_ENV=production: GraphiQL, introspection and field suggestions default to off. */
  production: boolean;
  graphiql: boolean;
  introspection: boolean;
  /** Origins allowed to call the API from a browser; empty means same-origin only (no CORS headers). */
  corsOrigins: string[];
  maxBodyBytes: number;
  /** Larger JSON answers are replaced by a RESPONSE_TOO_LARGE error. */
  maxResponseBytes: number;
  /** The Neo4j time budget of one API request, shared by all the queries it runs. */
  queryTimeoutMs: number;
  logLevel: 'debug' | 'info' | 'warn' | 'error';
  /** HTTP worker processes (node:cluster) sharing the port; 1 serves from the main process itself. */
  workers: number;
  /** After SIGTERM, how long requests in flight may still run before their connections are cut. */
  shutdownGraceMs: number;
  /** `npm run analyze` refuses a graph whose analysis it estimates would need more memory than this. */
  analyzeMaxMemoryMb: number;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

/** Reads and checks every environment variable papergraph uses, once; throws ConfigError listing all problems. */
export function loadConfig(env: Env = process.env): Config {
  const problems: string[] = [];
  const read = (name: string): string | undefined => {
    const value = env[name]?.trim();
    return value === '' ? undefined : value;
  };
  const integer = (name: string, fallback: number, min: number, max: number): number => {
    const raw = read(name);
    if (raw === undefined) return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min || value > max) {
      problems.push(`${name} must be an integer from ${min} to ${max}, got "${raw}"`);
      return fallback;
    }
    return value;
  };
  const flag = (name: string, fallback: boolean): boolean => {
    const raw = read(name)?.toLowerCase();
    if (raw === undefined) return fallback;
    if (['1', 'true', 'yes', 'on'].includes(raw)) return true;
    if (['0', 'false', 'no', 'off'].includes(raw)) return false;
    problems.push(`${name} must be true or false, got "${raw}"`);
    return fallback;
  };

  const uri = read('NEO4J_URI');
  let neo4j: Neo4jTarget;
  if (uri !== undefined) {
    if (!/^(neo4j|bolt)(\+s|\+ssc)?:\/\/[^/]+/.test(uri)) {
      problems.push(`NEO4J_URI must look like neo4j://host:7687, neo4j+s://… or bolt://…, got "${uri}"`);
    }
    neo4j = {
      kind: 'external',
      uri,
      user: read('NEO4J_USER') ?? 'neo4j',
      password: read('NEO4J_PASSWORD') ?? '',
      database: read('NEO4J_DATABASE'),
    };
  } else {
    neo4j = {
      kind: 'embedded',
      boltPort: integer('NEO4J_BOLT_PORT', 7687, 1, 65535),
      dataDir: path.resolve(projectRoot, read('NEO4J_DATA_DIR') ?? '.data/neo4j'),
      heapMb: integer('NEO4J_HEAP_MB', 512, 128, 16384),
      pageCacheMb: integer('NEO4J_PAGECACHE_MB', 256, 16, 16384),
      database: undefined,
    };
  }

  const logLevel = (read('LOG_LEVEL') ?? 'info').toLowerCase();
  if (!['debug', 'info', 'warn', 'error'].includes(logLevel)) {
    problems.push(`LOG_LEVEL must be one of debug, info, warn, error, got "${logLevel}"`);
  }

  const production = read('NODE_ENV') === 'production';
  const corsOrigins = (read('CORS_ORIGINS') ?? '')
    .split(',')
    .map((origin) => origin.trim())
    .filter(Boolean);
  for (const origin of corsOrigins) {
    if (origin !== '*' && !/^https?:\/\/[^/\s]+$/.test(origin)) problems.push(`CORS_ORIGINS entries must be * or scheme://host[:port], got "${origin}"`);
  }

  const config: Config = {
    host: read('HOST') ?? '127.0.0.1',
    port: integer('PORT', 4000, 0, 65535),
    neo4j,
    seedOnStart: flag('SEED_ON_START', true),
    debugExtensions: flag('PAPERGRAPH_DEBUG', false),
    production,
    graphiql: flag('GRAPHIQL', !production),
    introspection: flag('INTROSPECTION', !production),
    corsOrigins,
    maxBodyBytes: integer('MAX_BODY_BYTES', 100_000, 1_000, 10_000_000),
    maxResponseBytes: integer('MAX_RESPONSE_BYTES', 5_000_000, 10_000, 1_000_000_000),
    queryTimeoutMs: integer('QUERY_TIMEOUT_MS', 10_000, 100, 600_000),
    logLevel: logLevel as Config['logLevel'],
    workers: integer('WORKERS', 1, 1, 64),
    analyzeMaxMemoryMb: integer('ANALYZE_MAX_MEMORY_MB', defaultAnalyzeMaxMemoryMb, 16, 1_000_000),
    shutdownGraceMs: 0, // set below: its default follows QUERY_TIMEOUT_MS
  };
  // The longest a request may run against Neo4j, plus a margin for the rest of its work and its reply.
  config.shutdownGraceMs = integer('SHUTDOWN_GRACE_MS', config.queryTimeoutMs + 5_000, 1_000, 3_600_000);
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}
