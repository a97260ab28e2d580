/** What the two loaders' command lines (seed/cli.ts, seed/openalex/cli.ts) share. */
import { parseArgs } from 'node:util';
import { loadConfig } from '../src/config.ts';
import { openDatabase, type Database } from '../src/db/driver.ts';
import { startupFailureMessage } from '../src/startup-error.ts';

export interface LoaderCommand {
  dryRun: boolean;
  json: boolean;
  batchSize: number;
  paths: string[];
  /** --bulk (OpenAlex importer only): Neo4j's offline bulk importer into an empty database. */
  bulk: boolean;
  /** --temp-dir: where --bulk writes its temporary files. */
  tempDir: string | undefined;
}

/** The options every loader takes; a number is the exit code to end with (after --help or a bad option). */
export function parseLoaderCommand(usage: string, defaultBatchSize: number, { bulk = false } = {}): LoaderCommand | number {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      'dry-run': { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      'batch-size': { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
      // Only loaders that have a bulk path take these.
      ...(bulk ? { bulk: { type: 'boolean', default: false }, 'temp-dir': { type: 'string' } } : {}),
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
  const bulkValues = values as { bulk?: boolean; 'temp-dir'?: string };
  return { dryRun: values['dry-run'], json: values.json, batchSize, paths: positionals, bulk: bulkValues.bulk ?? false, tempDir: bulkValues['temp-dir'] };
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
