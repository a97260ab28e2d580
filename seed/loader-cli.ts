/** What the two loaders' command lines (seed/cli.ts, seed/openalex/cli.ts) share. */
import { parseArgs } from 'node:util';
import { AnalyticsLimitError, analyzeGraph, type AnalyzeOptions } from '../src/analytics/analyze.ts';
import { loadConfig } from '../src/config.ts';
import { recordGraphLoad } from '../src/db/queries/analytics.ts';
import { openDatabase, type Database } from '../src/db/driver.ts';
import { Cypher } from '../src/db/run.ts';
import { startupFailureMessage } from '../src/startup-error.ts';

export interface LoaderCommand {
  dryRun: boolean;
  json: boolean;
  batchSize: number;
  paths: string[];
  /** Analyse the graph after a load that changed it (--no-analyze turns it off). */
  analyze: boolean;
  /** --bulk (OpenAlex importer only): Neo4j's offline bulk importer into an empty database. */
  bulk: boolean;
  /** --temp-dir: where --bulk writes its temporary files. */
  tempDir: string | undefined;
  /** --readers: threads that read the works files for --bulk (default 1). */
  readers: number | undefined;
}

/** The options every loader takes; a number is the exit code to end with (after --help or a bad option). */
export function parseLoaderCommand(usage: string, defaultBatchSize: number, { bulk = false } = {}): LoaderCommand | number {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      'dry-run': { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      'batch-size': { type: 'string' },
      'no-analyze': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
      // Only loaders that have a bulk path take these.
      ...(bulk ? { bulk: { type: 'boolean', default: false }, 'temp-dir': { type: 'string' }, readers: { type: 'string' } } : {}),
    },
  });
  if (values.help) {
    process.stdout.write(`${usage}\n`);
    return 0;
  }
  const batchSize = values['batch-size'] === undefined ? defaultBatchSize : Number(values['batch-size']);
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    process.stderr.write(`--batch-size must be a positive integer\n${usage}\n`);
    return 2;
  }
  const bulkValues = values as { bulk?: boolean; 'temp-dir'?: string; readers?: string };
  const readers = bulkValues.readers === undefined ? undefined : Number(bulkValues.readers);
  if (readers !== undefined && (!Number.isInteger(readers) || readers < 1)) {
    process.stderr.write(`--readers must be a positive integer\n${usage}\n`);
    return 2;
  }
  return {
    dryRun: values['dry-run'],
    json: values.json,
    batchSize,
    paths: positionals,
    analyze: !values['no-analyze'],
    bulk: bulkValues.bulk ?? false,
    tempDir: bulkValues['temp-dir'],
    readers,
  };
}

/**
 * Runs a load against the configured Neo4j (embedded or NEO4J_URI), closing it when the load ends or
 * on SIGINT/SIGTERM: an interrupted load leaves committed batches, and a rerun finishes the rest.
 */
export async function withLoaderDatabase<T>(load: (database: Database) => Promise<T>): Promise<T> {
  const database = await openDatabase(loadConfig().neo4j, { onProgress: (line) => process.stderr.write(`${line}\n`) });
  const stop = () => void database.close().then(() => process.exit(130));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    return await load(database);
  } finally {
    await database.close();
  }
}

/** Exits with main's code, or 1 with a one-line reason prefixed by the command's name. */
export function runLoaderCommand(name: string, main: () => Promise<number>): void {
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(`${name}: ${startupFailureMessage(error)}\n`);
      process.exit(1);
    },
  );
}

/** What the loaders' usage says of the analysis that follows a load. */
export const analyzeUsage = `  --no-analyze       do not re-analyse the graph after a load that changed it (run npm run analyze later)`;

/**
 * The end of a load: when it changed the graph, records that (analytics computed before it are stale)
 * and, unless --no-analyze, analyses the graph again. Returns the exit code the analysis adds: 3 when
 * the memory cap refused it (the load itself stands).
 */
export async function analyzeAfterLoad(database: Database, changed: boolean, command: LoaderCommand): Promise<number> {
  if (!changed) return 0;
  await recordGraphLoad(new Cypher(database));
  if (!command.analyze) {
    process.stderr.write('analyze: skipped (--no-analyze); the analytics are stale until npm run analyze\n');
    return 0;
  }
  return runAnalysis(database, {});
}

/**
 * Runs the analysis with progress and a summary line on stderr, which ends with the process's peak
 * heap (sampled) and peak RSS; 3 when the memory cap refuses it.
 */
export async function runAnalysis(database: Database, options: AnalyzeOptions): Promise<number> {
  const cpuAtStart = process.cpuUsage();
  const cpuSeconds = () => {
    const { user, system } = process.cpuUsage(cpuAtStart);
    return (user + system) / 1e6;
  };
  let peakHeap = process.memoryUsage().heapUsed;
  const sampler = setInterval(() => (peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed)), 100);
  sampler.unref();
  try {
    const defined = Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined));
    const summary = await analyzeGraph(database, {
      maxMemoryMb: loadConfig().analyzeMaxMemoryMb,
      ...defined,
      onProgress: (line) => {
        peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
        process.stderr.write(`${line}\n`);
      },
    });
    const mb = (bytes: number) => Math.round(bytes / 1024 / 1024);
    process.stderr.write(
      `analyze: ${summary.papers} papers (influence over ${summary.influenceOver}), ${summary.communities} communities over ${summary.links} links ` +
        `(modularity ${summary.modularity.toFixed(3)}), ${summary.similarLinks} similar-paper links, ${summary.authors} authors ` +
        `in ${(summary.durationMs / 1000).toFixed(1)}s (CPU ${cpuSeconds().toFixed(1)}s), peak heap ${mb(peakHeap)} MB, peak RSS ${mb(process.resourceUsage().maxRSS * 1024)} MB\n`,
    );
    return 0;
  } catch (error) {
    if (!(error instanceof AnalyticsLimitError)) throw error;
    process.stderr.write(`analyze: refused: ${error.message}\n`);
    return 3;
  } finally {
    clearInterval(sampler);
  }
}
