import { defaultPagesDir, listPageFiles, seedPages, type SeedSummary } from '../src/load/pages.ts';
import { analyzeAfterLoad, analyzeUsage, parseLoaderCommand, runLoaderCommand, withLoaderDatabase } from './loader-cli.ts';
import { PageParseError, parsePageFile } from '../src/load/page-parser.ts';

const usage = `usage: npm run seed -- [--dry-run --json] [--batch-size N] [--no-analyze] [file-or-dir…]
  Loads summary pages into Neo4j (default: ${defaultPagesDir}), then analyses the graph if it changed.
  --dry-run --json   print one JSON object per page on stdout; Neo4j is not touched
  --batch-size N     pages per transaction (default 500)
${analyzeUsage}`;

async function main(): Promise<number> {
  const command = parseLoaderCommand(usage, 500);
  if (typeof command === 'number') return command;
  const paths = command.paths.length > 0 ? command.paths : [defaultPagesDir];
  if (command.dryRun) return dryRun(paths, command.json);
  return withLoaderDatabase(async (database) => {
    const summary = await seedPages(database, paths, { batchSize: command.batchSize, progress: true });
    report(summary);
    return Math.max(summary.failed.length > 0 ? 1 : 0, await analyzeAfterLoad(database, summary.written > 0, command));
  });
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

runLoaderCommand('seed', main);
