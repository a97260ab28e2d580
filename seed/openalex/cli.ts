import { parseArgs } from 'node:util';
import { loadConfig } from '../../src/config.ts';
import { openDatabase } from '../../src/db/driver.ts';
import { startupFailureMessage } from '../../src/startup-error.ts';
import { defaultBatchSize, importOpenAlex, listWorkFiles, workRowOfLine, type ImportSummary } from './load.ts';
import { readJsonLines } from './lines.ts';

const usage = `usage: npm run import:openalex -- [--dry-run --json] [--batch-size N] <file.jsonl | file.jsonl.gz | dir>…
  Imports OpenAlex works (one JSON object a line, plain or gzip) into Neo4j: papers, authors,
  CITES and RELATED_TO. In a directory, files ending .jsonl, .ndjson or .gz are read.
  --dry-run --json   check and shape every work, print one JSON row per work on stdout; Neo4j is not touched
  --batch-size N     works per transaction (default ${defaultBatchSize})`;

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
  if (positionals.length === 0) {
    process.stderr.write(`name at least one file or directory\n${usage}\n`);
    return 2;
  }
  if (values['dry-run']) return dryRun(positionals, values.json);

  const batchSize = values['batch-size'] === undefined ? defaultBatchSize : Number(values['batch-size']);
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
    const summary = await importOpenAlex(database, positionals, {
      batchSize,
      progress: true,
      // Bad lines are reported as they are met: a large file may hold many.
      onFailure: (failure) => process.stderr.write(`${failure.message}\n`),
    });
    report(summary);
    return summary.failedCount > 0 ? 1 : 0;
  } finally {
    await database.close();
  }
}

/** Checks every line and prints the rows the import would write; bad lines go to stderr as `file:line: message`. */
async function dryRun(paths: string[], json: boolean): Promise<number> {
  let works = 0;
  let failures = 0;
  for await (const file of listWorkFiles(paths)) {
    for await (const line of readJsonLines(file)) {
      const row = workRowOfLine(line);
      if ('hash' in row) {
        works += 1;
        const { source, openalexId, arxivId, title, references } = row;
        process.stdout.write(json ? `${JSON.stringify(row)}\n` : `${source}: ${openalexId} ${arxivId ?? '-'} ${title} (${references.length} references)\n`);
      } else {
        failures += 1;
        process.stderr.write(`${row.message}\n`);
      }
    }
  }
  process.stderr.write(`dry run: ${works} works checked, ${failures} bad lines\n`);
  return failures > 0 ? 1 : 0;
}

function report(summary: ImportSummary): void {
  const seconds = summary.durationMs / 1000;
  process.stderr.write(
    `import:openalex: ${summary.files} files, ${summary.lines} lines: ${summary.written} works written ` +
      `(${summary.citations} citations), ${summary.unchanged} unchanged, ${summary.failedCount} bad lines skipped ` +
      `in ${seconds.toFixed(1)}s (${(summary.written / Math.max(seconds, 0.001)).toFixed(0)} works/s)\n`,
  );
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`import:openalex: ${startupFailureMessage(error)}\n`);
    process.exit(1);
  },
);
