import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { readFile, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { projectRoot } from '../config.ts';
import type { Database } from '../db/driver.ts';
import { ensureGraphSchema } from '../db/migrations.ts';
import { countPapers, formerTitleKeys, writePages, type PageRow } from '../db/queries/load-pages.ts';
import { PipelinedWriter } from '../db/pipelined-writer.ts';
import { Cypher } from '../db/run.ts';
import { log } from '../log.ts';
import { arxivPaperUid, authorKey, authorUid, paperUid, titleKey } from '../domain/keys.ts';
import { PageParseError, parsePageBytes, type ParsedPage } from './page-parser.ts';
import { createProgress, type Progress } from './progress.ts';

/** The project's own copy of the five summary pages: the default data. */
export const defaultPagesDir = path.join(projectRoot, 'seed', 'pages');

export interface SeedOptions {
  /** Pages written per transaction. */
  batchSize?: number;
  /** Shows files/s and an ETA; off by default so library callers (tests, the server) stay quiet. */
  progress?: boolean;
}

export interface SeedFailure {
  source: string;
  /** `file:line: message` for parse errors, `file: message` for pages Neo4j refused. */
  message: string;
}

export interface SeedSummary {
  files: number;
  written: number;
  unchanged: number;
  failed: SeedFailure[];
  durationMs: number;
}

/** Every page file under the given files and directories, in a stable (sorted) order. */
export async function* listPageFiles(paths: string[]): AsyncGenerator<string> {
  for (const entry of paths) {
    const info = await stat(entry);
    if (info.isDirectory()) yield* listDirectory(entry);
    else if (info.isFile()) yield entry;
  }
}

/** A directory's page files, recursively; the entry types readdir reports spare a stat per file. */
async function* listDirectory(dir: string): AsyncGenerator<string> {
  const children = (await readdir(dir, { withFileTypes: true })).filter((child) => !child.name.startsWith('.')).sort((a, b) => a.name.localeCompare(b.name));
  for (const child of children) {
    const entry = path.join(dir, child.name);
    if (child.isDirectory()) yield* listDirectory(entry);
    else if (child.isFile()) yield entry;
    // Anything else (a symbolic link, a file system that reports no type) is stat'ed, which follows links.
    else yield* listPageFiles([entry]);
  }
}

async function countPageFiles(paths: string[]): Promise<number> {
  let count = 0;
  for await (const _ of listPageFiles(paths)) count += 1;
  return count;
}

export function toPageRow(page: ParsedPage, sourceHash: string): PageRow {
  const { authors, related, ...fields } = page;
  const key = titleKey(page.title);
  return {
    ...fields,
    sourceHash,
    // The parser requires an arXiv id; the title key would be the identity of a page without one.
    uid: page.arxivId === null ? paperUid(key) : arxivPaperUid(page.arxivId),
    titleKey: key,
    authors: authors.map((name, index) => {
      const author = authorKey(name);
      return { uid: authorUid(author), key: author, name, position: index + 1 };
    }),
    related: related.map((entry) => {
      const relatedKey = titleKey(entry.title);
      return { ...entry, uid: paperUid(relatedKey), titleKey: relatedKey };
    }),
  };
}

/** Reads and parses one file; a file that cannot be read or parsed becomes a failure, never an exception. */
export async function readPageRow(file: string): Promise<PageRow | SeedFailure> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (error) {
    return readFailure(file, error);
  }
  return pageRowOf(file, bytes);
}

/**
 * The same, reading synchronously: a page file is a few kB, and fs/promises' readFile (open, fstat,
 * read, close, each a thread-pool round trip) costs about five times the CPU of readFileSync, which
 * on a small machine is taken from Neo4j while it writes the previous batch.
 */
function readPageRowSync(file: string): PageRow | SeedFailure {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (error) {
    return readFailure(file, error);
  }
  return pageRowOf(file, bytes);
}

function pageRowOf(file: string, bytes: Buffer): PageRow | SeedFailure {
  try {
    const page = parsePageBytes(bytes, file);
    return toPageRow(page, createHash('sha256').update(bytes).digest('hex'));
  } catch (error) {
    if (error instanceof PageParseError) return { source: file, message: error.message };
    return readFailure(file, error);
  }
}

function readFailure(file: string, error: unknown): SeedFailure {
  const reason = error instanceof Error ? error.message : String(error);
  return { source: file, message: `${file}: ${reason}` };
}

/** Lets pending I/O callbacks run (setImmediate fires after the poll phase), unlike awaiting a resolved promise. */
const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Loads page files into Neo4j: parsed one file at a time and written in batches, so memory stays
 * flat whatever the corpus size (but for the arXiv ids read, a few dozen bytes a page), while the next
 * batch is parsed as the previous one is written. A bad file is reported and skipped; the others still load.
 *
 * A paper has one page: a file whose arXiv id an earlier file of the same run had is reported and
 * skipped (the files are read in a stable order, so the same one wins every time). In a later run, a
 * page with that arXiv id, from whatever file, is the paper's page now and replaces the earlier one.
 */
export async function seedPages(database: Database, paths: string[], options: SeedOptions = {}): Promise<SeedSummary> {
  const started = Date.now();
  const batchSize = options.batchSize ?? 500;
  const cypher = new Cypher(database);
  await ensureGraphSchema(cypher);

  const progress: Progress | undefined = options.progress ? createProgress('pages', await countPageFiles(paths)) : undefined;
  const summary: SeedSummary = { files: 0, written: 0, unchanged: 0, failed: [], durationMs: 0 };
  const readArxivIds = new Map<string, string>();

  const writer = new PipelinedWriter();
  const flush = (batch: PageRow[]) => writer.write(() => writeBatch(cypher, batch, summary).then(() => progress?.advance(batch.length)));

  let batch: PageRow[] = [];
  for await (const file of listPageFiles(paths)) {
    summary.files += 1;
    // Files are read and parsed synchronously, so give the driver's socket I/O for the batch in flight
    // a turn between files: its request goes out and its reply is seen while the next batch is parsed.
    await yieldToEventLoop();
    let row = readPageRowSync(file);
    if ('sourceHash' in row && row.arxivId !== null) {
      const first = readArxivIds.get(row.arxivId);
      if (first === undefined) readArxivIds.set(row.arxivId, file);
      else row = { source: file, message: `${file}: arXiv id ${row.arxivId} is the page of ${first}, read before in this run; this file is skipped` };
    }
    if ('sourceHash' in row) {
      batch.push(row);
      if (batch.length >= batchSize) {
        await flush(batch);
        batch = [];
      }
    } else {
      summary.failed.push(row);
      progress?.advance();
    }
  }
  if (batch.length > 0) await flush(batch);
  await writer.drain();
  progress?.finish();
  summary.durationMs = Date.now() - started;
  return summary;
}

/**
 * One transaction per batch. When Neo4j refuses a batch (a uniqueness constraint), the pages are
 * written one by one so that only the offending page fails, and nothing of it is half-written.
 * A page that changes its paper's title leaves the former title to a stub, whose uid derives from the
 * title key by a hash Cypher cannot compute: the keys are read first and the uids given with the rows.
 */
async function writeBatch(cypher: Cypher, batch: PageRow[], summary: SeedSummary): Promise<void> {
  try {
    for (const { index, key } of await formerTitleKeys(cypher, batch)) batch[index]!.formerStubUid = paperUid(key);
    const written = await writePages(cypher, batch);
    summary.written += written;
    summary.unchanged += batch.length - written;
  } catch (error) {
    if (batch.length === 1 || !isRefusal(error)) {
      if (!isRefusal(error)) throw error;
      const page = batch[0]!;
      summary.failed.push({ source: page.source, message: `${page.source}: Neo4j refused the page: ${firstLine(error)}` });
      return;
    }
    for (const page of batch) await writeBatch(cypher, [page], summary);
  }
}

/** Neo4j refused the data itself (a uniqueness constraint), as opposed to failing to run the query. */
function isRefusal(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 'Neo.ClientError.Schema.ConstraintValidationFailed';
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';
}

/** `npm start` on an empty database: load the default pages so there is something to explore. True when it wrote any. */
export async function seedDefaultPagesIfEmpty(database: Database): Promise<boolean> {
  const papers = await countPapers(new Cypher(database));
  if (papers > 0) return false;
  log.info('the database holds no paper yet: loading the default pages', { dir: defaultPagesDir });
  const summary = await seedPages(database, [defaultPagesDir]);
  log.info('default pages loaded', { ...summary });
  return summary.written > 0;
}
