import { defaultBatchSize, importOpenAlex, listWorkFiles, workRowOfLine, type ImportSummary } from '../../src/load/openalex.ts';
import { analyzeAfterLoad, analyzeUsage, type LoaderCommand, parseLoaderCommand, runLoaderCommand, withLoaderDatabase } from '../loader-cli.ts';
import { readJsonLines } from '../../src/load/json-lines.ts';
import { BulkImportRefused, bulkImportOpenAlex, type BulkImportResult } from '../../src/load/bulk-import.ts';
import { Neo4jAdminError } from '../../src/neo4j/admin.ts';
import { loadConfig } from '../../src/config.ts';

const usage = `usage: npm run import:openalex -- [--dry-run --json] [--batch-size N] [--no-analyze] [--bulk [--temp-dir DIR] [--readers N]] <file.jsonl | file.jsonl.gz | dir>…
  Imports OpenAlex works (one JSON object a line, plain or gzip) into Neo4j: papers, authors,
  CITES and RELATED_TO, then analyses the graph if it changed. In a directory, files ending .jsonl,
  .ndjson or .gz are read.
  --dry-run --json   check and shape every work, print one JSON row per work on stdout; Neo4j is not touched
  --batch-size N     works per transaction (default ${defaultBatchSize})
  --bulk             initial load of an EMPTY database with Neo4j's offline bulk importer (much faster);
                     with NEO4J_URI it writes the CSV files and prints the neo4j-admin command to run
  --temp-dir DIR     where --bulk writes its temporary files (default: the system's temp dir)
  --readers N        --bulk reads the files in N threads side by side (default 1; for many cores and many files)
${analyzeUsage}`;

async function main(): Promise<number> {
  const command = parseLoaderCommand(usage, defaultBatchSize, { bulk: true });
  if (typeof command === 'number') return command;
  if (command.paths.length === 0) {
    process.stderr.write(`name at least one file or directory\n${usage}\n`);
    return 2;
  }
  if (command.dryRun) return dryRun(command.paths, command.json);
  if (command.bulk) return bulk(command);
  return withLoaderDatabase(async (database) => {
    const summary = await importOpenAlex(database, command.paths, {
      batchSize: command.batchSize,
      progress: true,
      // Bad lines are reported as they are met: a large file may hold many.
      onFailure: (failure) => process.stderr.write(`${failure.message}\n`),
    });
    report(summary);
    return Math.max(summary.failedCount > 0 ? 1 : 0, await analyzeAfterLoad(database, summary.written > 0, command));
  });
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

/** The initial load with Neo4j's bulk importer (src/load/bulk-import.ts). */
async function bulk(command: LoaderCommand): Promise<number> {
  const { paths, tempDir, readers } = command;
  let result: BulkImportResult;
  try {
    result = await bulkImportOpenAlex(loadConfig().neo4j, paths, {
      tempDir,
      readers,
      progress: true,
      onFailure: (failure) => process.stderr.write(`${failure.message}\n`),
    });
  } catch (error) {
    // Expected refusals and the importer's own failure: their message, without a stack.
    if (error instanceof BulkImportRefused || error instanceof Neo4jAdminError) {
      process.stderr.write(`import:openalex --bulk: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
  const { csv } = result;
  const rows = Object.entries(csv.rows)
    .map(([kind, count]) => `${count} ${kind}`)
    .join(', ');
  const seconds = result.durationMs / 1000;
  process.stderr.write(
    `import:openalex --bulk: ${csv.files} files, ${csv.lines} lines: ${csv.works} works (${rows}), ${csv.failedCount} bad lines skipped ` +
      `in ${seconds.toFixed(1)}s (${(csv.works / Math.max(seconds, 0.001)).toFixed(0)} works/s; ` +
      `${result.phases.map(({ phase, seconds: s }) => `${phase} ${s.toFixed(1)}s`).join(', ')}; temporary files ${(csv.peakTempBytes / 1048576).toFixed(0)} MiB at most` +
      `${result.storeBytes !== undefined ? `, store ${(result.storeBytes / 1048576).toFixed(0)} MiB` : ''})\n`,
  );
  if (result.outcome === 'command') {
    process.stderr.write(
      `\nNEO4J_URI is set: Neo4j's importer must run where that Neo4j keeps its store. The CSV files are in\n  ${result.csvDir}\n` +
        'Copy that directory to the Neo4j machine at the same path (or edit the paths), stop the database (or import under a new name and CREATE DATABASE it), and run there:\n' +
        `  ${result.command}\n` +
        'then start the database and papergraph with NEO4J_URI: papergraph creates the constraints, indexes and full-text indexes at start.\n',
    );
  }
  const failed = csv.failedCount > 0 ? 1 : 0;
  if (result.outcome === 'command') return failed;
  // As after any load: the analytics are recorded stale and, unless --no-analyze, computed again.
  return Math.max(failed, await withLoaderDatabase((database) => analyzeAfterLoad(database, csv.works > 0, command)));
}

function report(summary: ImportSummary): void {
  const seconds = summary.durationMs / 1000;
  process.stderr.write(
    `import:openalex: ${summary.files} files, ${summary.lines} lines: ${summary.written} works written ` +
      `(${summary.citations} citations), ${summary.unchanged} unchanged, ${summary.failedCount} bad lines skipped ` +
      `in ${seconds.toFixed(1)}s (${(summary.written / Math.max(seconds, 0.001)).toFixed(0)} works/s)\n`,
  );
}

runLoaderCommand('import:openalex', main);
