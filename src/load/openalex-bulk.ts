/**
 * OpenAlex works into the CSV files of Neo4j's bulk importer, with the graph the transactional
 * importer (openalex.ts, src/db/queries/load-openalex.ts) builds when it loads the same files into an
 * empty database: the same nodes, relationships, properties and keys.
 *
 * What the transactional path decides with the graph at hand is decided here from sorted files on
 * disk, so Node's memory stays flat whatever the number of works:
 * - a work read twice is loaded once, from its first line; later lines are reported;
 * - an arXiv id goes to the first work (in reading order) that carries it;
 * - a title key goes to a work only when no other work has that title;
 * - an author is one node per OpenAlex author id, named with the smallest spelling any work gives,
 *   with the first ORCID met;
 * - a venue, institution or topic is one node per OpenAlex id, with the smallest name any work gives
 *   and each other property from the first work that gives it;
 * - a cited or related work that no line holds is a stub: its OpenAlex id as title.
 *
 * Phases: reading (every line parsed and shaped once; what a work decides alone, its relationships
 * above all, written as CSV there and then), sorting (the keys above; a repeated work's output cut
 * out again), writing CSV (the work nodes finished with their keys, the entities, the stubs). Nodes
 * and relationships that come from works are the tables `workNode`, `workEntities` and
 * `workRelationships`: a new kind of node or relationship is a new entry there.
 */
import { mkdir, readdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { arrayDelimiter, CsvTable, type CsvFiles, type NodeKind, type RelationshipKind } from './bulk-csv.ts';
import { cutByteRanges, keyOf, LineCursor, LineWriter, readLines, sortLines } from './external-sort.ts';
import { readJsonLines } from './json-lines.ts';
import { listWorkFiles, workRowOfLine } from './openalex.ts';
import type { InstitutionRow, TopicRow, VenueRow, WorkAuthorRow, WorkRow } from './openalex-work.ts';
import type { SeedFailure } from './pages.ts';
import { createProgress } from './progress.ts';
import { workUid } from '../domain/openalex.ts';

/** The keys a work is given once every work has been read (the late columns of `workNode`). */
export interface WorkKeys {
  /** The work's arXiv id when it is the first work read with that id. */
  arxivId: string | null;
  /** The work's title key when no other work has that title. */
  titleKey: string | null;
}

export const workNode: NodeKind<WorkRow, WorkKeys> = {
  name: 'papers',
  labels: ['Paper'],
  idSpace: 'Paper',
  idProperty: 'openalexId',
  id: (w) => w.openalexId,
  columns: [
    { name: 'uid', type: 'string', of: (w) => w.uid },
    { name: 'openalexHash', type: 'string', of: (w) => w.hash },
    { name: 'doi', type: 'string', of: (w) => w.doi },
    { name: 'workTitleKey', type: 'string', of: (w) => w.titleKey },
    { name: 'publicationYear', type: 'long', of: (w) => w.publicationYear },
    { name: 'workType', type: 'string', of: (w) => w.workType },
    { name: 'venue', type: 'string', of: (w) => w.venue },
    { name: 'openalexCitedByCount', type: 'long', of: (w) => w.citedByCount },
    { name: 'title', type: 'string', of: (w) => w.title },
    { name: 'abstract', type: 'string', of: (w) => w.abstract },
    { name: 'publishedAt', type: 'datetime', of: (w) => w.publishedAt },
  ],
  lateColumns: [
    { name: 'arxivId', type: 'string', of: (k) => k.arxivId },
    { name: 'titleKey', type: 'string', of: (k) => k.titleKey },
    { name: 'titleKeyFromWork', type: 'boolean', of: (k) => (k.titleKey ? true : null) },
  ],
};

/** A cited or related work that no line of the input holds. */
export const stubNode: NodeKind<string> = {
  name: 'stubs',
  labels: ['Paper'],
  idSpace: 'Paper',
  idProperty: 'openalexId',
  id: (openalexId) => openalexId,
  columns: [
    { name: 'uid', type: 'string', of: (openalexId) => workUid(openalexId) },
    { name: 'title', type: 'string', of: (openalexId) => openalexId },
  ],
};

/**
 * A node that works mention (an author, …), one per id: `mentions` gives a work's mentions (one per
 * id), `combine` folds the mentions of one id, in reading order, into the node written.
 */
export interface WorkEntityKind<E> extends NodeKind<E> {
  mentions(row: WorkRow): E[];
  combine(node: E, next: E): E;
}

/** An author as its node needs it: a work's authorship without what belongs to the AUTHORED relationship. */
type AuthorMention = Pick<WorkAuthorRow, 'openalexId' | 'uid' | 'key' | 'name' | 'orcid'>;

export const authorNode: WorkEntityKind<AuthorMention> = {
  name: 'authors',
  labels: ['Author'],
  idSpace: 'Author',
  idProperty: 'openalexId',
  id: (a) => a.openalexId,
  columns: [
    { name: 'uid', type: 'string', of: (a) => a.uid },
    { name: 'key', type: 'string', of: (a) => a.key },
    { name: 'name', type: 'string', of: (a) => a.name },
    { name: 'orcid', type: 'string', of: (a) => a.orcid },
  ],
  // Only the node's fields: every mention is written to disk, sorted and read back.
  mentions: (row) => row.authors.map(({ openalexId, uid, key, name, orcid }) => ({ openalexId, uid, key, name, orcid })),
  // The smallest spelling, and the first ORCID met, as the transactional importer keeps them.
  // biome-ignore lint/complexity/useMathMinMax: names are strings; Math.min would give NaN
  combine: (node, next) => ({ ...node, name: next.name < node.name ? next.name : node.name, orcid: node.orcid ?? next.orcid }),
};

/**
 * A venue, institution or topic (src/db/queries/load-openalex.ts fillEntity): the smallest name any
 * work gives, and each other property as the first work that gives it.
 */
function entityNode<E extends { openalexId: string; name: string | null }>(
  name: string,
  label: string,
  properties: { name: keyof E & string; type: 'string' | 'long' }[],
  mentions: (row: WorkRow) => E[],
): WorkEntityKind<E> {
  return {
    name,
    labels: [label],
    idSpace: label,
    idProperty: 'openalexId',
    id: (e) => e.openalexId,
    columns: [
      { name: 'name', type: 'string', of: (e) => e.name },
      ...properties.map((property) => ({ name: property.name, type: property.type, of: (e: E) => e[property.name] as string | number | null })),
    ],
    mentions,
    combine: (node, next) => {
      const combined = { ...node, name: next.name !== null && (node.name === null || next.name < node.name) ? next.name : node.name };
      for (const { name: property } of properties) combined[property] ??= next[property];
      return combined;
    },
  };
}

export const venueNode = entityNode<VenueRow>(
  'venues',
  'Venue',
  [
    { name: 'type', type: 'string' },
    { name: 'issnL', type: 'string' },
  ],
  (row) => (row.publishedIn ? [row.publishedIn] : []),
);

export const institutionNode = entityNode<InstitutionRow>(
  'institutions',
  'Institution',
  [
    { name: 'country', type: 'string' },
    { name: 'type', type: 'string' },
    { name: 'ror', type: 'string' },
  ],
  (row) => row.institutions,
);

export const topicNode = entityNode<TopicRow>(
  'topics',
  'Topic',
  [
    { name: 'subfield', type: 'string' },
    { name: 'field', type: 'string' },
    { name: 'domain', type: 'string' },
    { name: 'level', type: 'long' },
  ],
  (row) => row.topics,
);

export const workEntities: WorkEntityKind<never>[] = [authorNode, venueNode, institutionNode, topicNode] as unknown as WorkEntityKind<never>[];

/** A relationship of a work: `rows` gives its rows for one work. */
export interface WorkRelationshipKind<R> extends RelationshipKind<R> {
  rows(row: WorkRow): R[];
}

const authored: WorkRelationshipKind<{ work: WorkRow; author: WorkAuthorRow }> = {
  name: 'authored',
  type: 'AUTHORED',
  from: 'Author',
  to: 'Paper',
  start: ({ author }) => author.openalexId,
  end: ({ work }) => work.openalexId,
  columns: [
    { name: 'position', type: 'long', of: ({ author }) => author.position },
    { name: 'name', type: 'string', of: ({ author }) => author.name },
    { name: 'role', type: 'string', of: ({ author }) => author.role },
    { name: 'institutions', type: 'string[]', of: ({ author }) => author.institutions },
  ],
  rows: (work) => work.authors.map((author) => ({ work, author })),
};

const cites: WorkRelationshipKind<{ work: WorkRow; target: string }> = {
  name: 'cites',
  type: 'CITES',
  from: 'Paper',
  to: 'Paper',
  start: ({ work }) => work.openalexId,
  end: ({ target }) => target,
  columns: [],
  rows: (work) => work.references.map((ref) => ({ work, target: ref.openalexId })),
};

const relatedTo: WorkRelationshipKind<{ work: WorkRow; target: string }> = {
  name: 'related',
  type: 'RELATED_TO',
  from: 'Paper',
  to: 'Paper',
  start: ({ work }) => work.openalexId,
  end: ({ target }) => target,
  columns: [],
  rows: (work) => work.related.map((ref) => ({ work, target: ref.openalexId })),
};

const publishedIn: WorkRelationshipKind<{ work: WorkRow; venue: VenueRow }> = {
  name: 'published-in',
  type: 'PUBLISHED_IN',
  from: 'Paper',
  to: 'Venue',
  start: ({ work }) => work.openalexId,
  end: ({ venue }) => venue.openalexId,
  columns: [],
  rows: (work) => (work.publishedIn ? [{ work, venue: work.publishedIn }] : []),
};

/** One per authorship and institution, with the work's id and year: "who was at X in year Y" is one hop. */
const affiliatedWith: WorkRelationshipKind<{ work: WorkRow; author: WorkAuthorRow; institution: string }> = {
  name: 'affiliated-with',
  type: 'AFFILIATED_WITH',
  from: 'Author',
  to: 'Institution',
  start: ({ author }) => author.openalexId,
  end: ({ institution }) => institution,
  columns: [
    { name: 'work', type: 'string', of: ({ work }) => work.openalexId },
    { name: 'year', type: 'long', of: ({ work }) => work.publicationYear },
  ],
  rows: (work) => work.authors.flatMap((author) => author.institutionIds.map((institution) => ({ work, author, institution }))),
};

const hasTopic: WorkRelationshipKind<{ work: WorkRow; topic: TopicRow }> = {
  name: 'has-topic',
  type: 'HAS_TOPIC',
  from: 'Paper',
  to: 'Topic',
  start: ({ work }) => work.openalexId,
  end: ({ topic }) => topic.openalexId,
  columns: [{ name: 'score', type: 'double', of: ({ topic }) => topic.score }],
  rows: (work) => work.topics.map((topic) => ({ work, topic })),
};

export const workRelationships: WorkRelationshipKind<never>[] = [
  authored,
  cites,
  relatedTo,
  publishedIn,
  affiliatedWith,
  hasTopic,
] as unknown as WorkRelationshipKind<never>[];

/** Works that point at other works: their ids become stubs unless a line holds them. */
const targetsOf = (row: WorkRow): string[] => [...row.references, ...row.related].map((ref) => ref.openalexId);

export interface BulkCsvOptions {
  maxLineBytes?: number;
  /** Phase lines and reading progress on stderr. */
  progress?: boolean;
  onFailure?: (failure: SeedFailure) => void;
  maxKeptFailures?: number;
  /** Buffer of each `sort` (its -S), default 256M. */
  sortMemory?: string;
  /**
   * Threads that read the works files, each a share of the files (default 1, at most one per file).
   * One reads in this thread; more read in worker threads, which pays only where cores are idle.
   */
  readers?: number;
}

export interface BulkCsvSummary {
  files: number;
  lines: number;
  works: number;
  failedCount: number;
  failed: SeedFailure[];
  /** Rows written per CSV kind (nodes and relationships). */
  rows: Record<string, number>;
  relationships: number;
  /** The CSV files of each kind, for importArguments. */
  tables: CsvFiles[];
  /** Bytes of scratch files and CSV files together at their largest (measured after each step). */
  peakTempBytes: number;
  phases: { phase: string; seconds: number }[];
}

/**
 * A work's place in reading order, as text that sorts as it: its file's index among the files read,
 * then its line. Readers of different files number their works alike without telling each other.
 */
const SEQ_WIDTH = 16;
const seqOf = (file: number, line: number) => `${String(file).padStart(6, '0')}${String(line).padStart(10, '0')}`;

/** A work the CSV cannot carry as the transactional importer would write it; null when it is fine. */
export function bulkProblem(row: WorkRow): string | null {
  for (const author of row.authors) {
    if (author.institutions.some((name) => name.includes(arrayDelimiter))) {
      return `${row.openalexId}: an institution name of ${author.openalexId} holds U+001F, which the bulk importer cannot carry; load this work without --bulk`;
    }
  }
  return null;
}

/** A file written by a reader: its path, and its bytes and lines (less whatever is cut out later). */
interface WrittenFile {
  path: string;
  bytes: number;
  lines: number;
}

/** What one reader is given: its share of the files, each with its index in reading order. */
export interface ReadPart {
  part: number;
  files: { file: string; index: number }[];
  csvDir: string;
  /** The reader's own scratch directory. */
  scratchDir: string;
  maxLineBytes?: number;
}

/** What one reader wrote, per kind in the order of workRelationships and workEntities. */
export interface ReadPartOutput {
  lines: number;
  works: number;
  relationships: { plain: WrittenFile; multiline: WrittenFile }[];
  mentions: WrittenFile[];
  targets: WrittenFile;
  /** Per work in reading order: `seq,bytes lines,…`, where it began in each per-work file (see cutRepeats). */
  starts: string;
  /** Per work in reading order: its seq, then the cells of its node known while reading (CsvTable.begin). */
  begun: string;
  /** `openalexId \t seq \t source`, `arxivId \t seq`, `titleKey \t seq`, to be sorted. */
  ids: string;
  arxiv: string;
  titles: string;
}

/** Sent by a reader while it reads. */
export type ReadMessage = { lines: number } | { failure: SeedFailure };

/** Where a part writes its share of a kind's CSV rows: part 0 under the kind's own name. */
const partFile = (name: string, part: number) => (part === 0 ? name : `${name}.${part}`);

/**
 * Reads one share of the files: every line parsed and shaped once. What a work alone decides is
 * written now: its relationships to their CSV files, its entities' mentions and its targets aside,
 * the cells of its node that need no other work (`begun`), and its keys, to be sorted. Before each
 * work, where it starts in each of those files, so that a work found later to be a repeat can be cut
 * out again.
 */
export async function readWorksPart(part: ReadPart, send: (message: ReadMessage) => void): Promise<ReadPartOutput> {
  await mkdir(part.scratchDir, { recursive: true });
  const scratch = (name: string) => path.join(part.scratchDir, name);
  const relationshipTables = workRelationships.map((kind) => new CsvTable(part.csvDir, kind, partFile(kind.name, part.part)));
  const mentionFiles = workEntities.map((kind) => ({ kind, file: new LineWriter(scratch(`${kind.name}.mentions.tsv`)) }));
  const targets = new LineWriter(scratch('targets.txt'));
  const perWork = [...relationshipTables.flatMap((table) => table.writers), ...mentionFiles.map(({ file }) => file), targets];
  const starts = new LineWriter(scratch('starts.csv'));
  const works = new CsvTable(part.csvDir, workNode, partFile(workNode.name, part.part));
  const begun = new LineWriter(scratch('works.begun'));
  const ids = new LineWriter(scratch('ids.tsv'));
  const arxivIds = new LineWriter(scratch('arxiv.tsv'));
  const titleKeys = new LineWriter(scratch('titles.tsv'));
  let lines = 0;
  let unsent = 0;
  let count = 0;
  // A write returns a promise only when its buffer is flushed: awaiting only those saves a turn of
  // the microtask queue per row.
  const wrote = async (pending: Promise<void> | undefined) => {
    if (pending) await pending;
  };
  for (const { file, index } of part.files) {
    for await (const line of readJsonLines(file, { maxLineBytes: part.maxLineBytes })) {
      lines += 1;
      if (++unsent === 1000) {
        send({ lines: unsent });
        unsent = 0;
      }
      const row = workRowOfLine(line);
      if (!('hash' in row)) {
        send({ failure: row });
        continue;
      }
      const problem = bulkProblem(row);
      if (problem) {
        send({ failure: { source: row.source, message: `${row.source}: ${problem}` } });
        continue;
      }
      count += 1;
      const s = seqOf(index, line.line);
      let at = s;
      for (const writer of perWork) at += `,${writer.bytes} ${writer.lines}`;
      await wrote(starts.write(at));
      await wrote(begun.write(s + works.begin(row)));
      for (const [i, kind] of workRelationships.entries()) for (const rel of kind.rows(row)) await wrote(relationshipTables[i]!.add(rel));
      for (const { kind, file } of mentionFiles)
        for (const mention of kind.mentions(row)) await wrote(file.write(`${kind.id(mention)}\t${s}\t${JSON.stringify(mention)}`));
      for (const target of targetsOf(row)) await wrote(targets.write(target));
      await wrote(ids.write(`${row.openalexId}\t${s}\t${row.source}`));
      if (row.arxivId) await wrote(arxivIds.write(`${row.arxivId}\t${s}`));
      if (row.titleKey) await wrote(titleKeys.write(`${row.titleKey}\t${s}`));
    }
  }
  if (unsent > 0) send({ lines: unsent });
  await Promise.all([
    ...relationshipTables.map((table) => table.close()),
    ...mentionFiles.map(({ file }) => file.close()),
    targets.close(),
    starts.close(),
    begun.close(),
    ids.close(),
    arxivIds.close(),
    titleKeys.close(),
    // Only its name is needed: the works' rows are written once every part is read.
    works.close(),
  ]);
  const written = ({ path, bytes, lines }: WrittenFile): WrittenFile => ({ path, bytes, lines });
  return {
    lines,
    works: count,
    relationships: relationshipTables.map((table) => {
      const [plain, multiline] = table.writers;
      return { plain: written(plain!), multiline: written(multiline!) };
    }),
    mentions: mentionFiles.map(({ file }) => written(file)),
    targets: written(targets),
    starts: starts.path,
    begun: begun.path,
    ids: ids.path,
    arxiv: arxivIds.path,
    titles: titleKeys.path,
  };
}

/** One part read in a worker thread (src/load/bulk-read-worker.ts), its messages passed on. */
function readInWorker(part: ReadPart, send: (message: ReadMessage) => void): Promise<ReadPartOutput> {
  // Workers do not inherit tsx's loader: the entry registers it, then loads the TypeScript module.
  const tsx = import.meta.resolve('tsx/esm/api');
  const entry = new URL('./bulk-read-worker.ts', import.meta.url).href;
  const code = `import(${JSON.stringify(tsx)}).then(({ register }) => { register(); return import(${JSON.stringify(entry)}); });`;
  const worker = new Worker(code, { eval: true, workerData: part });
  return new Promise((resolve, reject) => {
    let output: ReadPartOutput | undefined;
    worker.on('message', (message: ReadMessage | { done: ReadPartOutput }) => {
      if ('done' in message) output = message.done;
      else send(message);
    });
    worker.once('error', reject);
    worker.once('exit', (code) => (output ? resolve(output) : reject(new Error(`a reader thread exited (code ${code}) before it finished`))));
  });
}

/** Files shared among `readers` parts, about the same bytes each, each part in reading order. */
async function shareFiles(files: string[], readers: number): Promise<{ file: string; index: number }[][]> {
  const sized = await Promise.all(files.map(async (file, index) => ({ file, index, bytes: (await stat(file)).size })));
  const parts = Array.from({ length: Math.max(1, Math.min(readers, files.length)) }, () => ({ bytes: 0, files: [] as typeof sized }));
  for (const file of [...sized].sort((a, b) => b.bytes - a.bytes)) {
    const lightest = parts.reduce((a, b) => (b.bytes < a.bytes ? b : a));
    lightest.files.push(file);
    lightest.bytes += file.bytes;
  }
  return parts.map((part) => part.files.sort((a, b) => a.index - b.index).map(({ file, index }) => ({ file, index })));
}

/**
 * Reads the works under `paths` once and writes the importer's CSV files into `csvDir`, using
 * `scratchDir` for the sorted key files (removed at the end).
 */
export async function writeOpenAlexCsv(paths: string[], csvDir: string, scratchDir: string, options: BulkCsvOptions = {}): Promise<BulkCsvSummary> {
  await mkdir(csvDir, { recursive: true });
  await mkdir(scratchDir, { recursive: true });
  const scratch = (name: string) => path.join(scratchDir, name);
  const say = (line: string) => {
    if (options.progress) process.stderr.write(`bulk: ${line}\n`);
  };
  const maxKept = options.maxKeptFailures ?? 1000;
  const summary: BulkCsvSummary = {
    files: 0,
    lines: 0,
    works: 0,
    failedCount: 0,
    failed: [],
    rows: {},
    relationships: 0,
    tables: [],
    peakTempBytes: 0,
    phases: [],
  };
  const fail = (failure: SeedFailure) => {
    summary.failedCount += 1;
    if (summary.failed.length < maxKept) summary.failed.push(failure);
    options.onFailure?.(failure);
  };
  let phaseStarted = Date.now();
  const phase = (name: string, detail: string) => {
    const seconds = (Date.now() - phaseStarted) / 1000;
    summary.phases.push({ phase: name, seconds });
    say(`${name}: ${detail} in ${seconds.toFixed(1)} s`);
    phaseStarted = Date.now();
  };
  // Scratch files go as soon as they have been used; the temporary bytes are measured before each goes.
  const notePeak = async () => {
    summary.peakTempBytes = Math.max(summary.peakTempBytes, (await directoryBytes(scratchDir)) + (await directoryBytes(csvDir)));
  };
  const sort = (input: string | string[], output: string, unique = false) =>
    sortLines(input, output, { tempDir: scratchDir, unique, memory: options.sortMemory });

  // 1. Reading, in parts of the files read side by side (readWorksPart).
  const files: string[] = [];
  for await (const file of listWorkFiles(paths)) files.push(file);
  summary.files = files.length;
  const shares = await shareFiles(files, options.readers ?? 1);
  say(`reading works from ${paths.join(', ')} (${files.length} files, ${shares.length} reader${shares.length === 1 ? '' : 's'})…`);
  const reading = options.progress ? createProgress('bulk: reading lines', undefined) : undefined;
  const receive = (message: ReadMessage) => {
    if ('lines' in message) reading?.advance(message.lines);
    else fail(message.failure);
  };
  const parts = await Promise.all(
    shares.map((share, part) => {
      const request: ReadPart = { part, files: share, csvDir, scratchDir: scratch(`part-${part}`), maxLineBytes: options.maxLineBytes };
      return shares.length === 1 ? readWorksPart(request, receive) : readInWorker(request, receive);
    }),
  );
  reading?.finish();
  summary.lines = parts.reduce((sum, part) => sum + part.lines, 0);
  const read = parts.reduce((sum, part) => sum + part.works, 0);
  await notePeak();
  phase('reading', `${summary.lines} lines of ${summary.files} files, ${read} works, their relationships written`);

  // 2. Sorting: which lines repeat a work, which work holds each arXiv id and title key.
  await sort(
    parts.map((part) => part.ids),
    scratch('ids.sorted'),
  );
  for (const part of parts) await rm(part.ids);
  const repeats = new LineWriter(scratch('repeats.tsv'));
  const kept = new LineWriter(scratch('kept.txt'));
  {
    let previous: string | undefined;
    let firstSource = '';
    for await (const line of readLines(scratch('ids.sorted'))) {
      const [id = '', s = '', ...source] = line.split('\t');
      if (id === previous) {
        await repeats.write(s);
        const where = source.join('\t');
        fail({ source: where, message: `${where}: the same work was read before, at ${firstSource}; this line is skipped` });
      } else {
        await kept.write(id);
        previous = id;
        firstSource = source.join('\t');
      }
    }
  }
  await Promise.all([repeats.close(), kept.close()]);
  await sort(repeats.path, scratch('repeats.sorted'));
  summary.works = kept.lines;
  for (const part of parts) {
    if (repeats.lines > 0) await cutRepeats(perWorkFiles(part), part.starts, scratch('repeats.sorted'), scratchDir);
    await rm(part.starts);
  }

  /** The lines of the parts' files whose work is not a repeat, sorted by their key. */
  const keysOfKept = async (files: string[], output: string) => {
    const out = new LineWriter(`${output}.unsorted`);
    // A part's seqs ascend, so one pass of a cursor over the sorted repeats per part.
    for (const file of files) {
      const skipped = await LineCursor.open(scratch('repeats.sorted'));
      for await (const line of readLines(file)) {
        const s = line.slice(line.lastIndexOf('\t') + 1);
        if ((await skipped.seek(s)) === undefined) await out.write(line);
      }
      await rm(file);
    }
    await out.close();
    await sort(out.path, output);
    await rm(out.path);
  };
  await keysOfKept(
    parts.map((part) => part.arxiv),
    scratch('arxiv.sorted'),
  );
  await keysOfKept(
    parts.map((part) => part.titles),
    scratch('titles.sorted'),
  );
  // Owners as `seq \t key`, in reading order, to be merged with the works.
  const arxivOwners = new LineWriter(scratch('arxiv-owners.tsv'));
  {
    let previous: string | undefined;
    for await (const line of readLines(scratch('arxiv.sorted'))) {
      const [key = '', s = ''] = line.split('\t');
      if (key !== previous) await arxivOwners.write(`${s}\t${key}`);
      previous = key;
    }
  }
  const titleOwners = new LineWriter(scratch('title-owners.tsv'));
  {
    let group: string[] = [];
    const flush = async () => {
      if (group.length === 1) {
        const [key = '', s = ''] = group[0]!.split('\t');
        await titleOwners.write(`${s}\t${key}`);
      }
    };
    for await (const line of readLines(scratch('titles.sorted'))) {
      if (group.length > 0 && keyOf(group[0]!) !== keyOf(line)) {
        await flush();
        group = [];
      }
      // Only whether a key has one work or more matters: a group is never kept beyond two lines.
      if (group.length < 2) group.push(line);
    }
    await flush();
  }
  await Promise.all([arxivOwners.close(), titleOwners.close()]);
  await sort(arxivOwners.path, scratch('arxiv-owners.sorted'));
  await sort(titleOwners.path, scratch('title-owners.sorted'));
  phase(
    'sorting keys',
    `${summary.works} distinct works, ${repeats.lines} repeated lines, ${arxivOwners.lines} arXiv ids, ${titleOwners.lines} title keys held`,
  );

  // 3. Writing CSV: the works in reading order, finished with their keys; the entities grouped from
  // their mentions; the stubs. The three go side by side, so that each one's `sort` (a process of its
  // own) runs while this thread writes another's rows.
  const valueAfterTab = (line: string | undefined) => (line === undefined ? null : line.slice(line.indexOf('\t') + 1));
  const writeWorks = async () => {
    const tables: CsvTable<WorkRow, WorkKeys>[] = [];
    for (const [i, part] of parts.entries()) {
      const works = new CsvTable(csvDir, workNode, partFile(workNode.name, i));
      // A part's seqs ascend: the cursors over all the works' keys skip what other parts hold.
      const skipped = await LineCursor.open(scratch('repeats.sorted'));
      const arxivCursor = await LineCursor.open(scratch('arxiv-owners.sorted'));
      const titleCursor = await LineCursor.open(scratch('title-owners.sorted'));
      for await (const line of readLines(part.begun)) {
        const s = line.slice(0, SEQ_WIDTH);
        if ((await skipped.seek(s)) !== undefined) continue;
        const pending = works.finish(line.slice(SEQ_WIDTH), {
          arxivId: valueAfterTab(await arxivCursor.seek(s)),
          titleKey: valueAfterTab(await titleCursor.seek(s)),
        });
        if (pending) await pending;
      }
      await works.close();
      tables.push(works);
    }
    await notePeak();
    for (const part of parts) await rm(part.begun);
    say(`writing CSV: ${tables.reduce((sum, table) => sum + table.rows, 0)} works written after ${((Date.now() - phaseStarted) / 1000).toFixed(1)} s`);
    return tables;
  };

  // The entities: one node per id from its mentions in reading order.
  const writeEntities = async (kind: WorkEntityKind<never>, i: number) => {
    const sorted = scratch(`${kind.name}.mentions.sorted`);
    await sort(
      parts.map((part) => part.mentions[i]!.path),
      sorted,
    );
    for (const part of parts) await rm(part.mentions[i]!.path);
    const table = new CsvTable(csvDir, kind);
    let node: never | undefined;
    let nodeId: string | undefined;
    for await (const line of readLines(sorted)) {
      const id = keyOf(line);
      const mention = JSON.parse(line.slice(line.indexOf('\t', id.length + 1) + 1)) as never;
      if (id === nodeId && node !== undefined) {
        node = kind.combine(node, mention);
      } else {
        if (node !== undefined) await table.add(node);
        node = mention;
        nodeId = id;
      }
    }
    if (node !== undefined) await table.add(node);
    await table.close();
    await notePeak();
    await rm(sorted);
    say(`writing CSV: ${table.rows} ${kind.name} after ${((Date.now() - phaseStarted) / 1000).toFixed(1)} s`);
    return table;
  };

  // Stubs: targets no line holds.
  const writeStubs = async () => {
    await sort(
      parts.map((part) => part.targets.path),
      scratch('targets.sorted'),
      true,
    );
    for (const part of parts) await rm(part.targets.path);
    const table = new CsvTable(csvDir, stubNode);
    const known = await LineCursor.open(kept.path);
    for await (const target of readLines(scratch('targets.sorted'))) {
      if ((await known.seek(target)) === undefined) await table.add(target);
    }
    await table.close();
    return table;
  };

  const [workTables, stubs, ...entityTables] = await Promise.all([writeWorks(), writeStubs(), ...workEntities.map(writeEntities)]);

  const filesOf = (tables: CsvTable<never, never>[]): CsvFiles => ({
    kind: tables[0]!.kind,
    plain: tables.flatMap((table) => table.files.plain),
    multiline: tables.flatMap((table) => table.files.multiline),
    rows: tables.reduce((sum, table) => sum + table.rows, 0),
  });
  // The rows of a reader's relationship files: its lines but the headers (a line break in a value is within quotes).
  const relationshipFiles = workRelationships.map(
    (kind, i): CsvFiles => ({
      kind,
      plain: parts.map((part) => part.relationships[i]!.plain.path),
      multiline: parts.map((part) => part.relationships[i]!.multiline.path),
      rows: parts.reduce((sum, part) => sum + part.relationships[i]!.plain.lines - 1 + part.relationships[i]!.multiline.lines - 1, 0),
    }),
  );
  summary.tables = [filesOf(workTables as unknown as CsvTable<never, never>[]), stubs.files, ...entityTables.map((table) => table.files), ...relationshipFiles];
  for (const table of summary.tables) summary.rows[table.kind.name] = table.rows;
  summary.relationships = relationshipFiles.reduce((sum, table) => sum + table.rows, 0);
  await notePeak();
  await rm(scratchDir, { recursive: true, force: true });
  phase(
    'writing CSV',
    summary.tables.map((table) => `${table.rows} ${table.kind.name}`).join(', ') +
      ` (${(summary.peakTempBytes / 1048576).toFixed(0)} MiB of temporary files at most)`,
  );
  return summary;
}

/** The files of a part that each work writes to, in the order of its `starts` lines. */
const perWorkFiles = (part: ReadPartOutput): WrittenFile[] => [
  ...part.relationships.flatMap(({ plain, multiline }) => [plain, multiline]),
  ...part.mentions,
  part.targets,
];

/**
 * Takes what repeated works wrote while reading out of the per-work files again: `starts` holds, for
 * every work in reading order, where it began in each file (`bytes lines`, comma-separated).
 */
async function cutRepeats(writers: WrittenFile[], starts: string, repeats: string, scratchDir: string): Promise<void> {
  const skipped = await LineCursor.open(repeats);
  const cuts = writers.map((_, i) => new LineWriter(path.join(scratchDir, `cut-${i}.tsv`)));
  const removed = writers.map(() => ({ bytes: 0, lines: 0 }));
  let repeat: number[][] | undefined;
  const cutTo = async (ends: number[][]) => {
    for (const [i, [bytes = 0, lines = 0]] of ends.entries()) {
      const [from = 0, fromLine = 0] = repeat![i]!;
      if (bytes === from) continue;
      await cuts[i]!.write(`${from}\t${bytes}`);
      removed[i]!.bytes += bytes - from;
      removed[i]!.lines += lines - fromLine;
    }
    repeat = undefined;
  };
  for await (const line of readLines(starts)) {
    const [s = '', ...offsets] = line.split(',');
    const here = offsets.map((pair) => pair.split(' ').map(Number));
    if (repeat) await cutTo(here);
    if ((await skipped.seek(s)) !== undefined) repeat = here;
  }
  if (repeat) await cutTo(writers.map((writer) => [writer.bytes, writer.lines]));
  await Promise.all(cuts.map((cut) => cut.close()));
  for (const [i, writer] of writers.entries()) {
    if (cuts[i]!.lines === 0) continue;
    await cutByteRanges(writer.path, cuts[i]!.path);
    writer.bytes -= removed[i]!.bytes;
    writer.lines -= removed[i]!.lines;
  }
}

/** Bytes of the files under a directory (a file removed meanwhile, by a step running beside, counts 0). */
export async function directoryBytes(dir: string): Promise<number> {
  let total = 0;
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) total += (await stat(path.join(entry.parentPath, entry.name)).catch(() => ({ size: 0 }))).size;
  }
  return total;
}
