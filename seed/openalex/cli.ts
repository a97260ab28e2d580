import { defaultBatchSize, importOpenAlex, listWorkFiles, workRowOfLine, type ImportSummary } from '../../src/load/openalex.ts';
import { analyzeAfterLoad, analyzeUsage, parseLoaderCommand, runLoaderCommand, withLoaderDatabase } from '../loader-cli.ts';
import { readJsonLines } from '../../src/load/json-lines.ts';

const usage = `usage: npm run import:openalex -- [--dry-run --json] [--batch-size N] [--no-analyze] <file.jsonl | file.jsonl.gz | dir>…
  Imports OpenAlex works (one JSON object a line, plain or gzip) into Neo4j: papers, authors,
  CITES and RELATED_TO, then analyses the graph if it changed. In a directory, files ending .jsonl,
  .ndjson or .gz are read.
  --dry-run --json   check and shape every work, print one JSON row per work on stdout; Neo4j is not touched
  --batch-size N     works per transaction (default ${defaultBatchSize})
${analyzeUsage}`;

async function main(): Promise<number> {
  const command = parseLoaderCommand(usage, defaultBatchSize);
  if (typeof command === 'number') return command;
  if (command.paths.length === 0) {
    process.stderr.write(`name at least one file or directory\n${usage}\n`);
    return 2;
  }
  if (command.dryRun) return dryRun(command.paths, command.json);
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

function report(summary: ImportSummary): void {
  const seconds = summary.durationMs / 1000;
  process.stderr.write(
    `import:openalex: ${summary.files} files, ${summary.lines} lines: ${summary.written} works written ` +
      `(${summary.citations} citations), ${summary.unchanged} unchanged, ${summary.failedCount} bad lines skipped ` +
      `in ${seconds.toFixed(1)}s (${(summary.written / Math.max(seconds, 0.001)).toFixed(0)} works/s)\n`,
  );
}

runLoaderCommand('import:openalex', main);
