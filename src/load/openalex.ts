/**
 * Imports OpenAlex works (JSON Lines, plain or gzip) into the paper graph: line by line, in batches
 * written while the next batch is read, so memory stays flat whatever the size of the files. A bad
 * line (not UTF-8, not JSON, not a work, a work already read in this run, a blank line) is reported
 * as `file:line: message` and skipped; the other lines still load. Loading is idempotent: a work
 * whose line is unchanged is not written again.
 */
import { createHash, randomUUID } from 'node:crypto';
import { stat } from 'node:fs/promises';
import type { Database } from '../db/driver.ts';
import { ensureGraphSchema } from '../db/migrations.ts';
import { clearImportMarks, writeWorks, type WorkWriteResult } from '../db/queries/load-openalex.ts';
import { Cypher } from '../db/run.ts';
import { listPageFiles, type SeedFailure } from './pages.ts';
import { createProgress, type Progress } from './progress.ts';
import { readJsonLines, type SourceLine } from './json-lines.ts';
import { toWorkRow, WorkError, type WorkRow } from './openalex-work.ts';

export interface ImportOptions {
  /** Works written per transaction. */
  batchSize?: number;
  /** Also flush a batch once its works carry this many authorships, references and related works together. */
  maxBatchItems?: number;
  /** Lines longer than this many bytes are reported and skipped. */
  maxLineBytes?: number;
  /** Shows works/s on stderr; off by default so library callers stay quiet. */
  progress?: boolean;
  /** Called for every bad line as it is met (the summary keeps only the first `maxKeptFailures`). */
  onFailure?: (failure: SeedFailure) => void;
  maxKeptFailures?: number;
}

export interface ImportSummary {
  files: number;
  lines: number;
  /** Works written (new or changed). */
  written: number;
  unchanged: number;
  /** CITES relationships of the works written. */
  citations: number;
  /** Every bad line counts here; `failed` keeps the first ones. */
  failedCount: number;
  failed: SeedFailure[];
  durationMs: number;
}

export const defaultBatchSize = 500;
const defaultMaxBatchItems = 50_000;

/** Files of the works snapshot layout: `part_000.gz`, `works.jsonl`, `….jsonl.gz`, `….ndjson`. */
const workFileName = /\.(?:jsonl|ndjson|gz)$/i;

/**
 * Every works file under the given paths, in a stable order. A file named explicitly is read whatever
 * its name; inside a directory only works files are (a snapshot's manifest is not).
 */
export async function* listWorkFiles(paths: string[]): AsyncGenerator<string> {
  for (const entry of paths) {
    if ((await stat(entry)).isDirectory()) {
      for await (const file of listPageFiles([entry])) if (workFileName.test(file)) yield file;
    } else {
      yield entry;
    }
  }
}

/** One line as a row to write, or the reason it cannot be one. */
export function workRowOfLine(line: SourceLine): WorkRow | SeedFailure {
  const where = `${line.file}:${line.line}`;
  const failure = (message: string): SeedFailure => ({ source: where, message: `${where}: ${message}` });
  if (line.text === null) return failure(line.error ?? 'the line could not be read');
  if (line.text.trim() === '') return failure('blank line');
  let value: unknown;
  try {
    value = JSON.parse(line.text);
  } catch (error) {
    return failure(`not valid JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  try {
    return toWorkRow(value, where, createHash('sha256').update(line.bytes).digest('base64url'));
  } catch (error) {
    if (error instanceof WorkError) return failure(error.message);
    throw error;
  }
}

/** Authorships, references and related works: what makes a work's write expensive. */
export const workItems = (row: WorkRow): number => 1 + row.authors.length + row.references.length + row.related.length;

/** A batch writer with one batch in flight while the next is read, as the page loader does. */
export interface WorkWriter {
  add(row: WorkRow): Promise<void>;
  /** Writes what is left and waits for every write. */
  finish(): Promise<void>;
}

export function createWorkWriter(
  cypher: Cypher,
  run: string,
  options: { batchSize: number; maxBatchItems: number },
  onWritten: (batch: WorkRow[], results: (WorkWriteResult | RefusedWork)[]) => void,
): WorkWriter {
  let pending: Promise<void> = Promise.resolve();
  let batch: WorkRow[] = [];
  let items = 0;
  const flush = async () => {
    const full = batch;
    batch = [];
    items = 0;
    await pending;
    pending = writeBatch(cypher, full, run).then((results) => onWritten(full, results));
    // Awaited before the next batch and at the end; until then a failure must not count as unhandled.
    pending.catch(() => {});
  };
  return {
    async add(row) {
      batch.push(row);
      items += workItems(row);
      if (batch.length >= options.batchSize || items >= options.maxBatchItems) await flush();
    },
    async finish() {
      if (batch.length > 0) await flush();
      await pending;
    },
  };
}

/**
 * One transaction per batch. When Neo4j refuses the data of a batch, its works are written one by one,
 * so that only the offending work fails (as a `file:line` result with state `refused`).
 */
async function writeBatch(cypher: Cypher, batch: WorkRow[], run: string): Promise<(WorkWriteResult | RefusedWork)[]> {
  try {
    return await writeWorks(cypher, batch, run);
  } catch (error) {
    if (!isDataRefusal(error)) throw error;
    if (batch.length === 1) return [{ source: batch[0]!.source, state: 'refused', firstSource: null, reason: firstLine(error) }];
    const results: (WorkWriteResult | RefusedWork)[] = [];
    for (const row of batch) results.push(...(await writeBatch(cypher, [row], run)));
    return results;
  }
}

export interface RefusedWork {
  source: string;
  state: 'refused';
  firstSource: null;
  reason: string;
}

/** Neo4j refused the values themselves (a constraint, a type), as opposed to failing to run the query. */
function isDataRefusal(error: unknown): boolean {
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  return (
    typeof code === 'string' &&
    (code.startsWith('Neo.ClientError.Schema.') || code === 'Neo.ClientError.Statement.TypeError' || code === 'Neo.ClientError.Statement.ArgumentError')
  );
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';
}

/** Imports the works files under `paths`; see the file comment. */
export async function importOpenAlex(database: Database, paths: string[], options: ImportOptions = {}): Promise<ImportSummary> {
  const started = Date.now();
  const cypher = new Cypher(database);
  await ensureGraphSchema(cypher);
  const maxKept = options.maxKeptFailures ?? 1000;
  const summary: ImportSummary = { files: 0, lines: 0, written: 0, unchanged: 0, citations: 0, failedCount: 0, failed: [], durationMs: 0 };
  const progress: Progress | undefined = options.progress ? createProgress('works', undefined) : undefined;
  const fail = (failure: SeedFailure) => {
    summary.failedCount += 1;
    if (summary.failed.length < maxKept) summary.failed.push(failure);
    options.onFailure?.(failure);
  };

  // Marks the works this run has read, so a work met twice is a duplicate; cleared at the end.
  const run = randomUUID();
  const writer = createWorkWriter(
    cypher,
    run,
    { batchSize: options.batchSize ?? defaultBatchSize, maxBatchItems: options.maxBatchItems ?? defaultMaxBatchItems },
    (batch, results) => {
      const references = new Map(batch.map((row) => [row.source, row.references.length]));
      for (const result of results) {
        if (result.state === 'new' || result.state === 'changed') {
          summary.written += 1;
          summary.citations += references.get(result.source) ?? 0;
        } else if (result.state === 'unchanged') {
          summary.unchanged += 1;
        } else if (result.state === 'duplicate') {
          fail({ source: result.source, message: `${result.source}: the same work was read before, at ${result.firstSource ?? '?'}; this line is skipped` });
        } else {
          fail({ source: result.source, message: `${result.source}: Neo4j refused the work: ${'reason' in result ? result.reason : '?'}` });
        }
      }
      progress?.advance(batch.length);
    },
  );

  try {
    for await (const file of listWorkFiles(paths)) {
      summary.files += 1;
      for await (const line of readJsonLines(file, { maxLineBytes: options.maxLineBytes })) {
        summary.lines += 1;
        const row = workRowOfLine(line);
        if ('hash' in row) {
          await writer.add(row);
        } else {
          fail(row);
          progress?.advance();
        }
      }
    }
    await writer.finish();
  } catch (error) {
    // What was read is still written; the marks go (a later run would clear them too).
    await writer.finish().catch(() => {});
    await clearImportMarks(cypher).catch(() => {});
    throw error;
  }
  await clearImportMarks(cypher);
  progress?.finish();
  summary.durationMs = Date.now() - started;
  return summary;
}
