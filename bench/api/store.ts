/**
 * The bench's Neo4j stores: a corpus loaded once by the project's own loader (seedPages), then the
 * works corpus (the first W generated OpenAlex works of those pages, bench/corpus.ts ensureWorks)
 * imported on top by the project's own importer (importOpenAlex), so the pages gain OpenAlex ids and
 * CITES; kept, cleanly shut down, in .cache/bench/api-store-N[-worksW]-seedS/ (no works: no `-worksW`);
 * each run works on a copy of it in
 * /tmp/apibench-run-* (the server writes its schema at start, and a run killed halfway must not
 * leave the cached store for Neo4j to recover), started on the bench's own Bolt port.
 *
 * The cache is keyed by the corpus and the works corpus (their ids change whenever they are
 * regenerated) and by a hash of the code that decides what the graph holds (parser, keys, loader,
 * write queries, and with works the importer's reader, shaping and queries; Neo4j version): change any
 * of it and the store is loaded again.
 */
import { createHash } from 'node:crypto';
import { cp, mkdir, mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import neo4j from 'neo4j-driver';
import type { Database } from '../../src/db/driver.ts';
import { readGraphStats, type GraphStats } from '../../src/db/queries/stats.ts';
import { Cypher } from '../../src/db/run.ts';
import { startEmbeddedNeo4j, type EmbeddedNeo4j } from '../../src/neo4j/embedded.ts';
import { seedPages } from '../../src/load/pages.ts';
import { importOpenAlex } from '../../src/load/openalex.ts';
import type { Corpus, WorksCorpus } from '../corpus.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
/** What decides the loaded graph, besides the corpus. */
const GRAPH_SOURCES = [
  'src/load/pages.ts',
  'src/load/page-parser.ts',
  'src/domain/keys.ts',
  'src/domain/latex.ts',
  'src/db/queries/load-pages.ts',
  'src/neo4j/pom.xml',
];
/** What decides the works' part of the graph, when works are imported. */
const IMPORT_SOURCES = [
  'src/load/openalex.ts',
  'src/load/json-lines.ts',
  'src/load/openalex-work.ts',
  'src/db/queries/load-openalex.ts',
  'src/domain/openalex.ts',
  'src/db/migrations.ts',
];
const MARKER = '.bench-store.json';

const say = (line: string) => process.stderr.write(`bench: ${line}\n`);

export interface StoreMarker {
  corpusId: string;
  /** The works corpus imported on top (none: undefined). */
  worksId?: string;
  codeKey: string;
  pages: number;
  /** Works imported (0: none). */
  works?: number;
  stats: GraphStats;
  loadSeconds: number;
  importSeconds?: number;
  createdAt: string;
}

export interface Neo4jSettings {
  boltPort: number;
  heapMb: number;
  pageCacheMb: number;
}

/** A running Neo4j on a throw-away copy of a cached store. */
export interface RunningStore {
  neo: EmbeddedNeo4j;
  database: Database;
  dataDir: string;
  marker: StoreMarker;
  close(): Promise<void>;
}

async function codeKey(withWorks: boolean): Promise<string> {
  const hash = createHash('sha256');
  for (const file of withWorks ? [...GRAPH_SOURCES, ...IMPORT_SOURCES] : GRAPH_SOURCES) hash.update(file).update(await readFile(path.join(ROOT, file)));
  return hash.digest('hex').slice(0, 16);
}

async function readMarker(dir: string): Promise<StoreMarker | undefined> {
  try {
    return JSON.parse(await readFile(path.join(dir, MARKER), 'utf8')) as StoreMarker;
  } catch {
    return undefined;
  }
}

function connect(neo: EmbeddedNeo4j): Database {
  const driver = neo4j.driver(neo.boltUri, neo4j.auth.basic(neo.user, neo.password), { disableLosslessIntegers: true });
  return { driver, name: undefined, embedded: undefined, close: () => driver.close() };
}

function progress(line: string): void {
  if (line.startsWith('java:')) say(`  ${line}`);
}

/** Every embedded Neo4j the bench has started and not yet stopped, for the signal handler. */
const live = new Set<{ stop(): Promise<void> }>();

export async function stopEverything(): Promise<void> {
  await Promise.allSettled([...live].map((item) => item.stop()));
}

async function start(dataDir: string, settings: Neo4jSettings): Promise<EmbeddedNeo4j> {
  const neo = await startEmbeddedNeo4j({
    boltPort: settings.boltPort,
    dataDir,
    heapMb: settings.heapMb,
    pageCacheMb: settings.pageCacheMb,
    onProgress: progress,
  });
  live.add(neo);
  void neo.exited.then(() => live.delete(neo));
  return neo;
}

/**
 * The cached store of this corpus and these works (none: undefined): loaded now (into /tmp, then moved
 * into the cache) unless it is there.
 */
export async function ensureStore(
  corpus: Corpus,
  works: WorksCorpus | undefined,
  cacheDir: string,
  settings: Neo4jSettings,
): Promise<{ dir: string; marker: StoreMarker }> {
  if (works && (works.pages !== corpus.papers || works.seed !== corpus.seed)) {
    throw new Error(`the works were generated for ${works.pages} pages (seed ${works.seed}), not this corpus`);
  }
  const dir = path.join(cacheDir, `api-store-${corpus.papers}${works ? `-works${works.works}` : ''}-seed${corpus.seed}`);
  const key = await codeKey(works !== undefined);
  const found = await readMarker(dir);
  // A store cached before works were imported has no works and no citations (nor did it count them).
  const existing = found && { ...found, works: found.works ?? 0, stats: { ...found.stats, citations: found.stats.citations ?? 0 } };
  if (existing && existing.corpusId === corpus.id && existing.worksId === works?.id && existing.codeKey === key) {
    say(
      `reusing the loaded store in ${path.relative(process.cwd(), dir)} (${existing.pages} pages, ${existing.works ?? 0} works, ` +
        `${existing.stats.citations} citations, loaded ${existing.createdAt})`,
    );
    return { dir, marker: existing };
  }

  const work = await mkdtemp(path.join(os.tmpdir(), 'apibench-load-'));
  say(
    `loading ${corpus.files} pages with seedPages${works ? ` and ${works.works} works with importOpenAlex` : ''} into a new store (${work}); done once per corpus…`,
  );
  let neo: EmbeddedNeo4j | undefined;
  let database: Database | undefined;
  try {
    neo = await start(work, settings);
    database = connect(neo);
    const started = Date.now();
    const summary = await seedPages(database, [corpus.dir], { progress: true });
    const loadSeconds = (Date.now() - started) / 1000;
    if (summary.failed.length > 0) throw new Error(`${summary.failed.length} page(s) failed to load, e.g. ${summary.failed[0]!.message}`);
    say(`loaded ${summary.written} pages in ${loadSeconds.toFixed(0)} s`);
    let importSeconds: number | undefined;
    if (works) {
      say(`importing ${works.works} works with importOpenAlex…`);
      const importStarted = Date.now();
      const imported = await importOpenAlex(database, [works.dir], { progress: true });
      importSeconds = (Date.now() - importStarted) / 1000;
      if (imported.failedCount > 0) throw new Error(`${imported.failedCount} work(s) failed to import, e.g. ${imported.failed[0]?.message ?? '?'}`);
      if (imported.written !== works.works) throw new Error(`${imported.written} of ${works.works} works written`);
      say(`imported ${imported.written} works (${imported.citations} references) in ${importSeconds.toFixed(0)} s`);
    }
    const stats = await readGraphStats(new Cypher(database));
    say(`store: ${stats.papers} papers, ${stats.authors} authors, ${stats.citations} citations, ${stats.relationships} relationships`);
    await database.close();
    database = undefined;
    await neo.stop();
    const code = await neo.exited;
    neo = undefined;
    if (code !== 0) throw new Error(`Neo4j exited with ${String(code)} after the load; the store is not cached`);

    const marker: StoreMarker = {
      corpusId: corpus.id,
      worksId: works?.id,
      codeKey: key,
      pages: summary.written,
      works: works?.works ?? 0,
      stats,
      loadSeconds,
      importSeconds,
      createdAt: new Date().toISOString(),
    };
    await rm(dir, { recursive: true, force: true });
    await mkdir(dir, { recursive: true });
    await moveDir(path.join(work, 'data'), path.join(dir, 'data'));
    await writeFile(path.join(dir, MARKER), `${JSON.stringify(marker, null, 2)}\n`);
    return { dir, marker };
  } finally {
    await database?.close().catch(() => {});
    await neo?.stop();
    await rm(work, { recursive: true, force: true });
  }
}

async function moveDir(from: string, to: string): Promise<void> {
  try {
    await rename(from, to);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EXDEV') throw error;
    await cp(from, to, { recursive: true });
  }
}

/** Copies the cached store to /tmp/apibench-run-*, starts Neo4j on it and connects. */
export async function startStoreCopy(store: { dir: string; marker: StoreMarker }, settings: Neo4jSettings): Promise<RunningStore> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'apibench-run-'));
  let neo: EmbeddedNeo4j | undefined;
  try {
    await cp(path.join(store.dir, 'data'), path.join(dataDir, 'data'), { recursive: true });
    say(`starting Neo4j on a copy of the store (${dataDir}, bolt ${settings.boltPort}, heap ${settings.heapMb} MB, page cache ${settings.pageCacheMb} MB)…`);
    neo = await start(dataDir, settings);
  } catch (error) {
    await neo?.stop();
    await rm(dataDir, { recursive: true, force: true });
    throw error;
  }
  const running = neo;
  const database = connect(running);
  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      live.delete(handle);
      await database.close().catch(() => {});
      await running.stop();
      await rm(dataDir, { recursive: true, force: true });
    })());
  const handle = { stop: close };
  live.add(handle);
  return { neo: running, database, dataDir, marker: store.marker, close };
}
