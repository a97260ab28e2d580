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
import { arrayDelimiter, CsvTable, type NodeKind, type RelationshipKind } from './bulk-csv.ts';
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
  /** The CSV tables, for importArguments. */
  tables: CsvTable<never>[];
  /** Bytes of scratch files and CSV files together at their largest (measured after each step). */
  peakTempBytes: number;
  phases: { phase: string; seconds: number }[];
}

const SEQ_WIDTH = 12;
const seqOf = (n: number) => String(n).padStart(SEQ_WIDTH, '0');

/** A work the CSV cannot carry as the transactional importer would write it; null when it is fine. */
export function bulkProblem(row: WorkRow): string | null {
  for (const author of row.authors) {
    if (author.institutions.some((name) => name.includes(arrayDelimiter))) {
      return `${row.openalexId}: an institution name of ${author.openalexId} holds U+001F, which the bulk importer cannot carry; load this work without --bulk`;
    }
  }
  return null;
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
  const sort = (input: string, output: string, unique = false) => sortLines(input, output, { tempDir: scratchDir, unique, memory: options.sortMemory });

  // 1. Reading: every line parsed and shaped once. What a work alone decides is written now: its
  // relationships to their CSV files, its entities' mentions and its targets aside, the cells of its
  // node that need no other work (`begun`), and its keys, to be sorted. Before each work, where it
  // starts in each of those files, so that a work found later to be a repeat can be cut out again.
  say(`reading works from ${paths.join(', ')}…`);
  const relationshipTables = workRelationships.map((kind) => ({ kind, table: new CsvTable(csvDir, kind) }));
  const mentionFiles = workEntities.map((kind) => ({ kind, file: new LineWriter(scratch(`${kind.name}.mentions.tsv`)) }));
  const targets = new LineWriter(scratch('targets.txt'));
  const perWork = [...relationshipTables.flatMap(({ table }) => table.writers), ...mentionFiles.map(({ file }) => file), targets];
  const starts = new LineWriter(scratch('starts.csv'));
  const works = new CsvTable(csvDir, workNode);
  const begun = new LineWriter(scratch('works.begun'));
  const ids = new LineWriter(scratch('ids.tsv'));
  const arxivIds = new LineWriter(scratch('arxiv.tsv'));
  const titleKeys = new LineWriter(scratch('titles.tsv'));
  const reading = options.progress ? createProgress('bulk: reading lines', undefined) : undefined;
  let seq = 0;
  for await (const file of listWorkFiles(paths)) {
    summary.files += 1;
    for await (const line of readJsonLines(file, { maxLineBytes: options.maxLineBytes })) {
      summary.lines += 1;
      reading?.advance();
      const row = workRowOfLine(line);
      if (!('hash' in row)) {
        fail(row);
        continue;
      }
      const problem = bulkProblem(row);
      if (problem) {
        fail({ source: row.source, message: `${row.source}: ${problem}` });
        continue;
      }
      const s = seqOf(seq++);
      let at = `${perWork[0]!.bytes} ${perWork[0]!.lines}`;
      for (let i = 1; i < perWork.length; i++) at += `,${perWork[i]!.bytes} ${perWork[i]!.lines}`;
      await starts.write(at);
      await begun.write(works.begin(row));
      for (const { kind, table } of relationshipTables) for (const rel of kind.rows(row)) await table.add(rel);
      for (const { kind, file } of mentionFiles)
        for (const mention of kind.mentions(row)) await file.write(`${kind.id(mention)}\t${s}\t${JSON.stringify(mention)}`);
      for (const target of targetsOf(row)) await targets.write(target);
      await ids.write(`${row.openalexId}\t${s}\t${row.source}`);
      if (row.arxivId) await arxivIds.write(`${row.arxivId}\t${s}`);
      if (row.titleKey) await titleKeys.write(`${row.titleKey}\t${s}`);
    }
  }
  reading?.finish();
  await Promise.all([
    ...relationshipTables.map(({ table }) => table.close()),
    ...mentionFiles.map(({ file }) => file.close()),
    targets.close(),
    starts.close(),
    begun.close(),
    ids.close(),
    arxivIds.close(),
    titleKeys.close(),
  ]);
  await notePeak();
  phase('reading', `${summary.lines} lines of ${summary.files} files, ${seq} works, their relationships written`);

  // 2. Sorting: which lines repeat a work, which work holds each arXiv id and title key.
  await sort(ids.path, scratch('ids.sorted'));
  await rm(ids.path);
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
  if (repeats.lines > 0) await cutRepeats(perWork, starts.path, scratch('repeats.sorted'), scratchDir);
  await rm(starts.path);

  /** The lines of a file in reading order whose work is not a repeat, sorted by their key. */
  const keysOfKept = async (file: string, output: string) => {
    const skipped = await LineCursor.open(scratch('repeats.sorted'));
    const out = new LineWriter(`${output}.unsorted`);
    for await (const line of readLines(file)) {
      const s = line.slice(line.lastIndexOf('\t') + 1);
      if ((await skipped.seek(s)) === undefined) await out.write(line);
    }
    await out.close();
    await sort(out.path, output);
    await rm(out.path);
    await rm(file);
  };
  await keysOfKept(arxivIds.path, scratch('arxiv.sorted'));
  await keysOfKept(titleKeys.path, scratch('titles.sorted'));
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
  // their mentions; the stubs.
  {
    const skipped = await LineCursor.open(scratch('repeats.sorted'));
    const arxivCursor = await LineCursor.open(scratch('arxiv-owners.sorted'));
    const titleCursor = await LineCursor.open(scratch('title-owners.sorted'));
    const valueAfterTab = (line: string | undefined) => (line === undefined ? null : line.slice(line.indexOf('\t') + 1));
    let n = 0;
    for await (const line of readLines(begun.path)) {
      const s = seqOf(n++);
      if ((await skipped.seek(s)) !== undefined) continue;
      await works.finish(line, { arxivId: valueAfterTab(await arxivCursor.seek(s)), titleKey: valueAfterTab(await titleCursor.seek(s)) });
    }
  }
  await works.close();
  await notePeak();
  await rm(begun.path);
  say(
    `writing CSV: ${works.rows} works written after ${((Date.now() - phaseStarted) / 1000).toFixed(1)} s; grouping ${mentionFiles.map(({ kind }) => kind.name).join(', ')} and stubs…`,
  );

  // The entities: one node per id from its mentions in reading order.
  const entityTables: CsvTable<never>[] = [];
  for (const { kind, file } of mentionFiles) {
    const sorted = `${file.path}.sorted`;
    await sort(file.path, sorted);
    await rm(file.path);
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
    entityTables.push(table);
  }

  say(`writing CSV: ${entityTables.map((table) => `${table.rows} ${table.kind.name}`).join(', ')} after ${((Date.now() - phaseStarted) / 1000).toFixed(1)} s`);
  // Stubs: targets no line holds.
  await sort(targets.path, scratch('targets.sorted'), true);
  await rm(targets.path);
  const stubs = new CsvTable(csvDir, stubNode);
  {
    const known = await LineCursor.open(kept.path);
    for await (const target of readLines(scratch('targets.sorted'))) {
      if ((await known.seek(target)) === undefined) await stubs.add(target);
    }
  }
  await stubs.close();

  summary.tables = [works, stubs, ...entityTables, ...relationshipTables.map(({ table }) => table)] as CsvTable<never>[];
  for (const table of summary.tables) summary.rows[table.kind.name] = table.rows;
  summary.relationships = relationshipTables.reduce((sum, { table }) => sum + table.rows, 0);
  await notePeak();
  await rm(scratchDir, { recursive: true, force: true });
  phase(
    'writing CSV',
    summary.tables.map((table) => `${table.rows} ${table.kind.name}`).join(', ') +
      ` (${(summary.peakTempBytes / 1048576).toFixed(0)} MiB of temporary files at most)`,
  );
  return summary;
}

/**
 * Takes what repeated works wrote while reading out of the per-work files again: `starts` holds, for
 * every work in reading order, where it began in each file (`bytes lines`, comma-separated).
 */
async function cutRepeats(writers: LineWriter[], starts: string, repeats: string, scratchDir: string): Promise<void> {
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
  let n = 0;
  for await (const line of readLines(starts)) {
    const here = line.split(',').map((pair) => pair.split(' ').map(Number));
    if (repeat) await cutTo(here);
    if ((await skipped.seek(seqOf(n++))) !== undefined) repeat = here;
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

/** Bytes of the files under a directory. */
export async function directoryBytes(dir: string): Promise<number> {
  let total = 0;
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) total += (await stat(path.join(entry.parentPath, entry.name))).size;
  }
  return total;
}
