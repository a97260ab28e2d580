import { parseArgs } from 'node:util';
import { loadConfig } from '../src/config.ts';
import { openDatabase } from '../src/db/driver.ts';
import { startupFailureMessage } from '../src/startup-error.ts';
import { defaultPagesDir, listPageFiles, seedPages, type SeedSummary } from './load.ts';
import { PageParseError, parsePageFile } from './parse.ts';

const usage = `usage: npm run seed -- [--dry-run --json] [--batch-size N] [file-or-dir…]
  Loads summary pages into Neo4j (default: ${defaultPagesDir}).
  --dry-run --json   print one JSON object per page on stdout; Neo4j is not touched
  --batch-size N     pages per transaction (default 500)`;

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      'dry-run': { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      'batch-size': { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(`${usage}\n`);
    return 0;
  }
  const paths = positionals.length > 0 ? positionals : [defaultPagesDir];
  if (values['dry-run']) return dryRun(paths, values.json);

  const batchSize = values['batch-size'] === undefined ? 500 : Number(values['batch-size']);
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    process.stderr.write(`--batch-size must be a positive integer\n${usage}\n`);
    return 2;
  }
  const config = loadConfig();
  const database = await openDatabase(config.neo4j, { onProgress: (line) => process.stderr.write(`${line}\n`) });
  const stop = () => void database.close().then(() => process.exit(130));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    const summary = await seedPages(database, paths, { batchSize, progress: true });
    report(summary);
    return summary.failed.length > 0 ? 1 : 0;
  } finally {
    await database.close();
  }
}

/** Parses every page and prints it as JSON Lines; parse errors go to stderr as `file:line: message`. */
async function dryRun(paths: string[], json: boolean): Promise<number> {
  let failures = 0;
  let pages = 0;
  for await (const file of listPageFiles(paths)) {
    try {
      const page = await parsePageFile(file);
      pages += 1;
      process.stdout.write(json ? `${JSON.stringify(page)}\n` : `${file}: ${page.arxivId ?? '-'} ${page.title} (${page.related.length} related)\n`);
    } catch (error) {
      failures += 1;
      process.stderr.write(`${error instanceof PageParseError ? error.message : `${file}: ${String(error)}`}\n`);
    }
  }
  process.stderr.write(`dry run: ${pages} pages parsed, ${failures} failed\n`);
  return failures > 0 ? 1 : 0;
}

function report(summary: SeedSummary): void {
  const seconds = (summary.durationMs / 1000).toFixed(1);
  for (const failure of summary.failed) process.stderr.write(`${failure.message}\n`);
  process.stderr.write(
    `seed: ${summary.files} files, ${summary.written} written, ${summary.unchanged} unchanged, ${summary.failed.length} failed in ${seconds}s\n`,
  );
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`seed: ${startupFailureMessage(error)}\n`);
    process.exit(1);
  },
);
