/**
 * OpenAlex import benchmark: the importer (`importOpenAlex`, as `npm run import:openalex` runs it)
 * against its floor, the same rows written by the same UNWIND query in the same batches, with no
 * reading, decompressing or parsing of works files.
 *
 *   npm run bench:import -- [--works 200000] [--seed 1] [--batch-size B] [--repeat 1]
 *                           [--heap-mb 2048] [--pagecache-mb 1024] [--port 7723] [--baseline REV]
 *
 * 1. The corpus: N works from seed/openalex/generate.ts (about ten citations each), gzip part files
 *    cached in .cache/bench/openalex-works-N-seedS, generated once and reused.
 * 2. The floor's input: the rows the importer writes for that corpus (its own line reader and
 *    workRowOfLine), saved once as JSON Lines next to it.
 * 3. Each run (floor, then importer; --repeat alternates them) gets a freshly started embedded Neo4j
 *    on an empty data directory (/tmp/openalex-bench-*), the graph schema created before timing
 *    starts, and a Node process of its own (this file with --child) whose peak RSS is reported, with
 *    its RSS sampled every second to show whether it stays flat. Only the writing is timed.
 * 4. With --baseline REV, each round also runs the importer as it was at that git revision (its files
 *    from `git archive`, with this checkout's node_modules) on the same corpus, and the summary gives
 *    importer/baseline and the spread of repeated runs of one side (the noise to read it against).
 * 5. A summary on stdout, the result as JSON in bench-results/.
 *
 * With --bulk (`npm run bench:import -- --works 1000000 --bulk [--subset 20000]`) it compares instead
 * the two ways of an initial load: the transactional importer on the first corpus of --subset works,
 * then `import:openalex --bulk` (CSV, neo4j-admin import, schema and indexes; src/load/bulk-import.ts)
 * on the same --subset corpus, whose graph must equal the transactional one (a canonical dump,
 * src/db/queries/graph-dump.ts), and on the N-work corpus, timed from the first line read to the last
 * index online. Works/s and relationships/s of both, their ratio, Node's peak RSS (the Java
 * importer and Neo4j are processes of their own), the disk used by temporary files and by the store.
 *
 * Exit codes: 0 goals met, 1 a run failed (a work did not load, the two graphs differ, …),
 * 2 bad arguments, 3 every run succeeded but a goal was missed.
 */
import { spawn } from 'node:child_process';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { once } from 'node:events';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { randomUUID } from 'node:crypto';
import neo4j from 'neo4j-driver';
import { openDatabase, type Database } from '../src/db/driver.ts';
import { ensureGraphSchema } from '../src/db/migrations.ts';
import { clearImportMarks } from '../src/db/queries/load-openalex.ts';
import { Cypher } from '../src/db/run.ts';
import { startEmbeddedNeo4j, type EmbeddedNeo4j } from '../src/neo4j/embedded.ts';
import { generateWorks } from '../seed/openalex/generate.ts';
import { readJsonLines } from '../src/load/json-lines.ts';
import { createWorkWriter, defaultBatchSize, importOpenAlex, listWorkFiles, workRowOfLine } from '../src/load/openalex.ts';
import { bulkImportOpenAlex } from '../src/load/bulk-import.ts';
import { dumpGraph, type GraphDump } from '../src/db/queries/graph-dump.ts';
import { freePort } from '../src/neo4j/embedded.ts';
import type { WorkRow } from '../src/load/openalex-work.ts';
import { checkOutBaseline, type BaselineTree } from './api/baseline.ts';
import { cpuSecondsOf } from './api/cpu.ts';
import { runBenchmark } from './main.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CACHE_DIR = path.join(ROOT, '.cache', 'bench');
const RESULTS_DIR = path.join(ROOT, 'bench-results');
const GOAL_RATIO = 0.7;
const GOAL_RSS_MB = 400;
/**
 * RSS is flat when the second half of a run peaks at most this many MB above the first half: the GC's
 * sawtooth moves RSS by tens of MB either way, while memory that grows with the works read would add
 * hundreds over a large run.
 */
const FLAT_TOLERANCE_MB = 64;
/** What importOpenAlex flushes on besides the batch size (src/load/openalex.ts); the floor batches alike. */
const MAX_BATCH_ITEMS = 50_000;
const RESULT_PREFIX = 'BENCH_RESULT ';
/** Part of the corpus cache's name: bumped when seed/openalex/generate.ts writes other works for the same seed. */
const CORPUS_VERSION = 2;

const say = (line: string) => process.stderr.write(`bench: ${line}\n`);

interface Options {
  works: number;
  bulk: boolean;
  subset: number;
  seed: number;
  batchSize: number;
  repeat: number;
  heapMb: number;
  pageCacheMb: number;
  port: number;
  baseline: string | null;
}

interface ChildRequest {
  /** `baseline`: the importer of the baseline revision (its own child runs it as `importer`). */
  mode: 'floor' | 'importer' | 'baseline' | 'bulk';
  uri: string;
  /** For bulk: the empty data dir to load, its Bolt port and the temp dir's parent. */
  dataDir?: string;
  port?: number;
  tempDir?: string;
  heapMb?: number;
  pageCacheMb?: number;
  corpusDir: string;
  rowsFile: string;
  batchSize: number;
}

interface ChildResult {
  mode: ChildRequest['mode'];
  works: number;
  written: number;
  citations: number;
  failed: number;
  failures: string[];
  seconds: number;
  cpuSeconds: number;
  /**
   * CPU seconds of the child's own child processes once they ended (Linux: /proc/self/stat's cutime
   * and cstime): for a bulk run, neo4j-admin's and the Neo4j server's Java and sort(1).
   */
  childCpuSeconds?: number;
  maxRssKb: number;
  /** [seconds since start, RSS in MB], one a second. */
  rss: [number, number][];
  /** The machine's 1-minute load average at the start and the end of the run (other processes share the cores). */
  load: [number, number];
  /** Bulk runs: seconds per phase, temporary and store bytes, relationships written. */
  phases?: { phase: string; seconds: number }[];
  peakTempBytes?: number;
  storeBytes?: number;
  relationships?: number;
}

interface GraphCounts {
  papers: number;
  authors: number;
  authorships: number;
  citations: number;
  related: number;
}

class BenchError extends Error {}

function parseOptions(argv: string[]): Options {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      works: { type: 'string', default: '200000' },
      bulk: { type: 'boolean', default: false },
      subset: { type: 'string', default: '20000' },
      seed: { type: 'string', default: '1' },
      'batch-size': { type: 'string', default: String(defaultBatchSize) },
      repeat: { type: 'string', default: '1' },
      'heap-mb': { type: 'string', default: '2048' },
      'pagecache-mb': { type: 'string', default: '1024' },
      port: { type: 'string', default: '7723' },
      baseline: { type: 'string' },
    },
  });
  const int = (name: string, raw: string | undefined, min: number): number => {
    const value = Number(raw);
    if (!Number.isSafeInteger(value) || value < min) throw new BenchError(`--${name} must be an integer ≥ ${min}, got ${String(raw)}`);
    return value;
  };
  const port = int('port', values.port, 1);
  if (port === 7687 || port === 7688) throw new BenchError(`--port ${port} is the server's or the tests' port; use another`);
  return {
    works: int('works', values.works, 1),
    bulk: values.bulk ?? false,
    subset: int('subset', values.subset, 1),
    seed: int('seed', values.seed, 0),
    batchSize: int('batch-size', values['batch-size'], 1),
    repeat: int('repeat', values.repeat, 1),
    heapMb: int('heap-mb', values['heap-mb'], 64),
    pageCacheMb: int('pagecache-mb', values['pagecache-mb'], 8),
    port,
    baseline: values.baseline ?? null,
  };
}

// ---------------------------------------------------------------------------------------------
// Inputs, made once

interface Inputs {
  corpusDir: string;
  rowsFile: string;
  works: number;
  gzipBytes: number;
}

async function readJson<T>(file: string): Promise<T | undefined> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as T;
  } catch {
    return undefined;
  }
}

async function ensureInputs(options: Pick<Options, 'works' | 'seed'>, withRows = true): Promise<Inputs> {
  const name = `openalex-works-${options.works}-seed${options.seed}-v${CORPUS_VERSION}`;
  const corpusDir = path.join(CACHE_DIR, name);
  const rowsFile = path.join(CACHE_DIR, `${name}.rows.jsonl`);
  const marker = path.join(corpusDir, '.bench-corpus.json');
  let inputs = await readJson<Inputs>(marker);
  if (inputs) {
    say(`reusing ${path.relative(ROOT, corpusDir)}`);
  } else {
    await rm(corpusDir, { recursive: true, force: true });
    const tmpDir = `${corpusDir}.tmp-${process.pid}`;
    say(`generating ${options.works} works (seed ${options.seed})…`);
    let gzipBytes = 0;
    for await (const part of generateWorks({ works: options.works, seed: options.seed, out: tmpDir, perFile: 50_000 })) {
      gzipBytes += (await stat(part.file)).size;
      say(`  ${path.basename(part.file)}: ${part.works} works`);
    }
    inputs = { corpusDir, rowsFile, works: options.works, gzipBytes };
    await writeFile(path.join(tmpDir, '.bench-corpus.json'), `${JSON.stringify(inputs, null, 2)}\n`);
    await rename(tmpDir, corpusDir);
  }
  // The floor's rows (the --bulk comparison needs none).
  if (withRows && !(await stat(rowsFile).catch(() => undefined))) await prepareRows(corpusDir, rowsFile);
  return inputs;
}

/** The rows the importer writes: its own reader and shaping, over the very files it reads. */
async function prepareRows(corpusDir: string, rowsFile: string): Promise<void> {
  say("preparing the floor's rows (read, parse and shape every work, once)…");
  const out = createWriteStream(`${rowsFile}.tmp`);
  for await (const file of listWorkFiles([corpusDir])) {
    for await (const line of readJsonLines(file)) {
      const row = workRowOfLine(line);
      if (!('hash' in row)) throw new BenchError(`the generated corpus has a bad line: ${row.message}`);
      if (!out.write(`${JSON.stringify(row)}\n`)) await once(out, 'drain');
    }
  }
  out.end();
  await once(out, 'close');
  await rename(`${rowsFile}.tmp`, rowsFile);
}

// ---------------------------------------------------------------------------------------------
// One measured run, in a child process

/** JSON Lines, one parsed row at a time; reading pauses while the writer is busy. */
async function* readRows(file: string): AsyncGenerator<WorkRow> {
  const lines = createInterface({ input: createReadStream(file, { highWaterMark: 1 << 20 }), crlfDelay: Infinity });
  for await (const line of lines) if (line) yield JSON.parse(line) as WorkRow;
}

/** CPU seconds of this process's ended and waited-for children (Linux only; clock ticks of 1/100 s). */
async function childrenCpuSeconds(): Promise<number | undefined> {
  const stat = await readFile('/proc/self/stat', 'utf8').catch(() => undefined);
  if (!stat) return undefined;
  // Fields after the command name (which may hold spaces): cutime and cstime are the 16th and 17th.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[13]) + Number(fields[14])) / 100;
}

async function child(request: ChildRequest): Promise<void> {
  const database =
    request.mode === 'bulk'
      ? undefined
      : await openDatabase({ kind: 'external', uri: request.uri, user: 'neo4j', password: process.env.NEO4J_PASSWORD ?? '', database: undefined });
  const rss: [number, number][] = [];
  const started = performance.now();
  const sampler = setInterval(() => rss.push([(performance.now() - started) / 1000, process.memoryUsage.rss() / 1048576]), 1000);
  const cpuBefore = process.cpuUsage();
  const loadBefore = os.loadavg()[0]!;
  let outcome: Omit<ChildResult, 'seconds' | 'cpuSeconds' | 'maxRssKb' | 'rss' | 'load'>;
  try {
    // The bulk run has no Neo4j to connect to before it: it makes the store itself.
    if (request.mode === 'bulk') {
      const target = {
        kind: 'embedded' as const,
        boltPort: request.port!,
        dataDir: request.dataDir!,
        heapMb: request.heapMb!,
        pageCacheMb: request.pageCacheMb!,
        database: undefined,
      };
      const result = await bulkImportOpenAlex(target, [request.corpusDir], { tempDir: request.tempDir, progress: true });
      outcome = {
        mode: 'bulk',
        works: result.csv.lines,
        written: result.csv.works,
        citations: result.csv.rows.cites ?? 0,
        failed: result.csv.failedCount,
        failures: result.csv.failed.slice(0, 5).map((failure) => failure.message),
        phases: result.phases,
        peakTempBytes: result.csv.peakTempBytes,
        storeBytes: result.storeBytes,
        relationships: result.csv.relationships,
      };
    } else if (request.mode === 'importer') {
      const summary = await importOpenAlex(database!, [request.corpusDir], { batchSize: request.batchSize });
      outcome = {
        mode: 'importer',
        works: summary.lines,
        written: summary.written,
        citations: summary.citations,
        failed: summary.failedCount,
        failures: summary.failed.slice(0, 5).map((failure) => failure.message),
      };
    } else {
      // The floor: what importOpenAlex does around the same writer, minus reading the works files.
      const cypher = new Cypher(database!);
      await ensureGraphSchema(cypher);
      const result = { mode: 'floor' as const, works: 0, written: 0, citations: 0, failed: 0, failures: [] as string[] };
      const writer = createWorkWriter(cypher, randomUUID(), { batchSize: request.batchSize, maxBatchItems: MAX_BATCH_ITEMS }, (batch, results) => {
        const references = new Map(batch.map((row) => [row.source, row.references.length]));
        for (const written of results) {
          if (written.state === 'new' || written.state === 'changed') {
            result.written += 1;
            result.citations += references.get(written.source) ?? 0;
          } else if (written.state !== 'unchanged') {
            result.failed += 1;
          }
        }
      });
      for await (const row of readRows(request.rowsFile)) {
        result.works += 1;
        await writer.add(row);
      }
      await writer.finish();
      await clearImportMarks(cypher);
      outcome = result;
    }
  } finally {
    clearInterval(sampler);
    await database?.close();
  }
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  const result: ChildResult = {
    ...outcome,
    seconds,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    childCpuSeconds: await childrenCpuSeconds(),
    maxRssKb: process.resourceUsage().maxRSS,
    rss,
    load: [loadBefore, os.loadavg()[0]!],
  };
  process.stdout.write(`${RESULT_PREFIX}${JSON.stringify(result)}\n`);
}

let current: { neo?: EmbeddedNeo4j; child?: ReturnType<typeof spawn>; dataDir?: string } = {};
let baselineTree: BaselineTree | undefined;

function runChild(request: ChildRequest): Promise<ChildResult> {
  // The baseline's own bench script runs its own importer; its protocol (--child, BENCH_RESULT) is this one's.
  const root = request.mode === 'baseline' ? baselineTree!.root : ROOT;
  const script = request.mode === 'baseline' ? path.join(root, 'bench', 'import.ts') : fileURLToPath(import.meta.url);
  const sent: ChildRequest = request.mode === 'baseline' ? { ...request, mode: 'importer' } : request;
  return new Promise((resolve, reject) => {
    const process_ = spawn(process.execPath, [...process.execArgv, script, '--child', JSON.stringify(sent)], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'inherit'],
      // The embedded Neo4j's password, in the environment (not on the command line, which `ps` shows).
      env: { ...process.env, NEO4J_PASSWORD: current.neo?.password ?? '' },
    });
    current.child = process_;
    let result: ChildResult | undefined;
    createInterface({ input: process_.stdout! }).on('line', (line) => {
      if (line.startsWith(RESULT_PREFIX)) result = JSON.parse(line.slice(RESULT_PREFIX.length)) as ChildResult;
    });
    process_.once('error', reject);
    process_.once('close', (code, signal) => {
      current.child = undefined;
      if (code === 0 && result) resolve({ ...result, mode: request.mode });
      else reject(new BenchError(`the ${request.mode} run exited with ${signal ?? `code ${String(code)}`}`));
    });
  });
}

async function graphCounts(cypher: Cypher): Promise<GraphCounts> {
  const [graph] = await cypher.read<GraphCounts>(
    `CALL () { MATCH (p:Paper) RETURN count(p) AS papers }
     CALL () { MATCH (a:Author) RETURN count(a) AS authors }
     CALL () { MATCH ()-[r:AUTHORED]->() RETURN count(r) AS authorships }
     CALL () { MATCH ()-[r:CITES]->() RETURN count(r) AS citations }
     CALL () { MATCH ()-[r:RELATED_TO]->() RETURN count(r) AS related }
     RETURN papers, authors, authorships, citations, related`,
  );
  return graph!;
}

/** `neo4jCpuSeconds`: what the embedded Neo4j spent while the run wrote (transactional runs). */
type Measured = ChildResult & { graph: GraphCounts; dump?: GraphDump; neo4jCpuSeconds?: number; allRelationships?: number };

async function measure(mode: ChildRequest['mode'], options: Options, inputs: Inputs, withDump = false): Promise<Measured> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'openalex-bench-'));
  current = { dataDir };
  let database: Database | undefined;
  try {
    say(`${mode}: starting an empty Neo4j (port ${options.port}, heap ${options.heapMb} MB, page cache ${options.pageCacheMb} MB, ${dataDir})…`);
    const neo = await startEmbeddedNeo4j({ boltPort: options.port, dataDir, heapMb: options.heapMb, pageCacheMb: options.pageCacheMb });
    current.neo = neo;
    const driver = neo4j.driver(neo.boltUri, neo4j.auth.basic(neo.user, neo.password), { disableLosslessIntegers: true });
    database = { driver, name: undefined, embedded: undefined, close: () => driver.close() };
    const cypher = new Cypher(database);
    await ensureGraphSchema(cypher);
    say(`${mode}: writing ${inputs.works} works…`);
    const neo4jCpuBefore = cpuSecondsOf(neo.pid);
    const result = await runChild({ mode, uri: neo.boltUri, corpusDir: inputs.corpusDir, rowsFile: inputs.rowsFile, batchSize: options.batchSize });
    const neo4jCpuSeconds = cpuSecondsOf(neo.pid) - neo4jCpuBefore;
    const graph = await graphCounts(cypher);
    // Every relationship, of any type: a revision may write kinds another does not (venues, topics).
    const [{ allRelationships } = { allRelationships: Number.NaN }] = await cypher.read<{ allRelationships: number }>(
      'MATCH ()-[r]->() RETURN count(r) AS allRelationships',
    );
    const dump = withDump ? await dumpGraph(cypher) : undefined;
    say(
      `${mode}: ${result.written} works, ${result.citations} citations in ${result.seconds.toFixed(1)} s, peak RSS ${(result.maxRssKb / 1024).toFixed(0)} MB`,
    );
    return { ...result, graph, dump, neo4jCpuSeconds, allRelationships };
  } finally {
    await database?.close().catch(() => {});
    await current.neo?.stop();
    await rm(dataDir, { recursive: true, force: true });
    current = {};
  }
}

/** `import:openalex --bulk` into an empty data dir, in a child process; then the graph read back. */
async function measureBulk(options: Options, inputs: Inputs, withDump: boolean): Promise<Measured> {
  const root = await mkdtemp(path.join(os.tmpdir(), 'openalex-bench-bulk-'));
  const dataDir = path.join(root, 'neo4j');
  current = { dataDir: root };
  let database: Database | undefined;
  try {
    say(`bulk: loading ${inputs.works} works into an empty data dir (${dataDir})…`);
    const port = await freePort();
    const result = await runChild({
      mode: 'bulk',
      uri: '',
      corpusDir: inputs.corpusDir,
      rowsFile: inputs.rowsFile,
      batchSize: options.batchSize,
      dataDir,
      port,
      tempDir: path.join(root, 'tmp'),
      heapMb: options.heapMb,
      pageCacheMb: options.pageCacheMb,
    });
    const neo = await startEmbeddedNeo4j({ boltPort: port, dataDir, heapMb: options.heapMb, pageCacheMb: options.pageCacheMb });
    current.neo = neo;
    const driver = neo4j.driver(neo.boltUri, neo4j.auth.basic(neo.user, neo.password), { disableLosslessIntegers: true });
    database = { driver, name: undefined, embedded: undefined, close: () => driver.close() };
    const cypher = new Cypher(database);
    const graph = await graphCounts(cypher);
    const dump = withDump ? await dumpGraph(cypher) : undefined;
    say(
      `bulk: ${result.written} works, ${result.relationships} relationships in ${result.seconds.toFixed(1)} s, peak RSS ${(result.maxRssKb / 1024).toFixed(0)} MB`,
    );
    return { ...result, graph, dump };
  } finally {
    await database?.close().catch(() => {});
    await current.neo?.stop();
    await rm(root, { recursive: true, force: true });
    current = {};
  }
}

const relationshipsOf = (graph: GraphCounts) => graph.authorships + graph.citations + graph.related;

/** First lines where two dumps differ, to say what differs. */
function dumpDifference(a: GraphDump, b: GraphDump): string {
  const left = [...a.nodes, ...a.relationships];
  const right = [...b.nodes, ...b.relationships];
  const leftSet = new Set(left);
  const rightSet = new Set(right);
  const onlyLeft = left.filter((line) => !rightSet.has(line)).slice(0, 3);
  const onlyRight = right.filter((line) => !leftSet.has(line)).slice(0, 3);
  return `transactional only: ${onlyLeft.join(' | ') || '-'}; bulk only: ${onlyRight.join(' | ') || '-'}`;
}

/** The --bulk comparison: see the file comment. */
async function mainBulk(options: Options): Promise<number> {
  const subsetInputs = await ensureInputs({ works: Math.min(options.subset, options.works), seed: options.seed }, false);
  const inputs = options.works === subsetInputs.works ? subsetInputs : await ensureInputs(options, false);
  const transactional = await measure('importer', options, subsetInputs, true);
  const bulkSubset = await measureBulk(options, subsetInputs, true);
  const bulk = inputs === subsetInputs ? bulkSubset : await measureBulk(options, inputs, false);

  const problems: string[] = [];
  const same = transactional.dump!.digest === bulkSubset.dump!.digest;
  if (!same) problems.push(`the bulk and transactional graphs of ${subsetInputs.works} works differ: ${dumpDifference(transactional.dump!, bulkSubset.dump!)}`);
  for (const run of [transactional, bulkSubset, bulk]) {
    if (run.failed > 0) problems.push(`${run.mode}: ${run.failed} work(s) failed, e.g. ${run.failures[0] ?? '?'}`);
  }
  if (bulk.written !== inputs.works) problems.push(`bulk: ${bulk.written} of ${inputs.works} works written`);

  const worksPerSecond = (run: Measured) => run.written / run.seconds;
  const relsPerSecond = (run: Measured) => relationshipsOf(run.graph) / run.seconds;
  const ratio = worksPerSecond(bulk) / worksPerSecond(transactional);
  const peakMb = bulk.maxRssKb / 1024;
  const growth = rssGrowth(bulk.rss);
  const mib = (bytes: number | undefined) => `${((bytes ?? 0) / 1048576).toFixed(0)} MiB`;
  const cpus = os.cpus();
  const line = (label: string, run: Measured) =>
    `${label.padEnd(28)} ${String(run.written).padStart(8)} works  ${run.seconds.toFixed(1).padStart(7)} s  ${worksPerSecond(run).toFixed(0).padStart(6)} works/s  ` +
    `${relsPerSecond(run).toFixed(0).padStart(7)} relationships/s  Node peak RSS ${(run.maxRssKb / 1024).toFixed(0).padStart(4)} MB (second half ${signed(rssGrowth(run.rss))} MB)  ` +
    `Node CPU ${run.cpuSeconds.toFixed(0)} s${run.childCpuSeconds === undefined || run.mode !== 'bulk' ? '' : `, Java and sort CPU ${run.childCpuSeconds.toFixed(0)} s`}  load ${run.load[0].toFixed(1)}→${run.load[1].toFixed(1)}`;
  const lines = [
    `import bench --bulk: ${inputs.works} works (seed ${options.seed}, ${mib(inputs.gzipBytes)} gzip), transactional on the first ${subsetInputs.works}, ` +
      `Neo4j heap ${options.heapMb} MB / page cache ${options.pageCacheMb} MB, node ${process.version}, ${cpus.length} × ${cpus[0]?.model ?? '?'}, load average ${os.loadavg()[0]!.toFixed(1)}`,
    `graph of ${inputs.works}: ${Object.entries(bulk.graph)
      .map(([key, value]) => `${key} ${value}`)
      .join(', ')}`,
    '',
    line(`transactional (${subsetInputs.works})`, transactional),
    ...(bulk === bulkSubset ? [] : [line(`bulk (${subsetInputs.works})`, bulkSubset)]),
    line(`bulk (${inputs.works})`, bulk),
    `bulk phases (${inputs.works}): ${(bulk.phases ?? []).map(({ phase, seconds }) => `${phase} ${seconds.toFixed(1)} s`).join(', ')} ` +
      '(reading, sorting keys and writing CSV run in Node and sort(1); importing is neo4j-admin, indexing the Neo4j server, both Java)',
    `bulk disk (${inputs.works}): temporary files ${mib(bulk.peakTempBytes)} at most, store with indexes ${mib(bulk.storeBytes)}, input ${mib(inputs.gzipBytes)} gzip`,
    '',
    `bulk/transactional (works/s): ${ratio.toFixed(1)}×   goal ≥ 10: ${ratio >= 10 ? 'met' : 'MISSED'}`,
    `bulk ${inputs.works} works in ${bulk.seconds.toFixed(0)} s   goal (1M) < 600 s: ${inputs.works < 1_000_000 ? 'n/a' : bulk.seconds < 600 ? 'met' : 'MISSED'}`,
    `Node peak RSS ${peakMb.toFixed(0)} MB, second half ${signed(growth)} MB   goal < 1024 MB: ${peakMb < 1024 ? 'met' : 'MISSED'}`,
    problems.length === 0
      ? `check: the bulk and transactional graphs of ${subsetInputs.works} works are identical (canonical dump ${transactional.dump!.digest.slice(0, 16)}…, ${transactional.dump!.nodes.length} nodes, ${transactional.dump!.relationships.length} relationships)`
      : `check FAILED:\n  ${problems.join('\n  ')}`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);

  await mkdir(RESULTS_DIR, { recursive: true });
  const date = new Date();
  const file = path.join(RESULTS_DIR, `import-bulk-${inputs.works}-${date.toISOString().replace(/[:.]/g, '-')}.json`);
  const strip = ({ dump, rss, ...run }: Measured) => ({ ...run, rssGrowthMb: rssGrowth(rss), rss, digest: dump?.digest });
  await writeFile(
    file,
    `${JSON.stringify(
      {
        bench: 'import-bulk',
        date: date.toISOString(),
        machine: { cpu: cpus[0]?.model, cores: cpus.length, loadAverage: os.loadavg() },
        options,
        corpus: { works: inputs.works, gzipBytes: inputs.gzipBytes, subset: subsetInputs.works },
        graph: bulk.graph,
        runs: { transactional: strip(transactional), bulkSubset: strip(bulkSubset), bulk: strip(bulk) },
        ratio,
        sameGraph: same,
        problems,
      },
      null,
      2,
    )}\n`,
  );
  say(`result written to ${path.relative(process.cwd(), file)}`);
  if (problems.length > 0) return 1;
  return ratio >= 10 && peakMb < 1024 && (inputs.works < 1_000_000 || bulk.seconds < 600) ? 0 : 3;
}

/** Peak RSS of the second half of a run less that of the first half, in MB (0 or less: flat). */
function rssGrowth(samples: [number, number][]): number {
  if (samples.length < 4) return 0;
  const half = Math.floor(samples.length / 2);
  const peak = (part: [number, number][]) => Math.max(...part.map(([, mb]) => mb));
  return peak(samples.slice(half)) - peak(samples.slice(0, half));
}

const signed = (mb: number): string => `${mb >= 0 ? '+' : ''}${mb.toFixed(0)}`;

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};

async function main(): Promise<number> {
  let options: Options;
  try {
    options = parseOptions(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    return 2;
  }
  if (options.bulk) return mainBulk(options);
  const inputs = await ensureInputs(options);
  if (options.baseline) {
    baselineTree = await checkOutBaseline(ROOT, options.baseline);
    say(`baseline: commit ${baselineTree.commit.slice(0, 10)} in ${baselineTree.root}`);
  }
  const runs: Measured[] = [];
  const modes = baselineTree ? (['floor', 'importer', 'baseline'] as const) : (['floor', 'importer'] as const);
  for (let r = 0; r < options.repeat; r++) {
    for (const mode of modes) runs.push(await measure(mode, options, inputs));
  }
  await baselineTree?.remove();

  const problems: string[] = [];
  for (const run of runs) {
    if (run.failed > 0) problems.push(`${run.mode}: ${run.failed} work(s) failed, e.g. ${run.failures[0] ?? '?'}`);
    if (run.written !== inputs.works) problems.push(`${run.mode}: ${run.written} of ${inputs.works} works written`);
    if (JSON.stringify(run.graph) !== JSON.stringify(runs[0]!.graph)) {
      problems.push(`${run.mode}: graph ${JSON.stringify(run.graph)} differs from the floor's ${JSON.stringify(runs[0]!.graph)}`);
    }
  }
  const worksPerSecond = (run: Pick<ChildResult, 'written' | 'seconds'>) => run.written / run.seconds;
  const allRelationshipsPerSecond = (run: Measured) => (run.allRelationships ?? Number.NaN) / run.seconds;
  const cpuOfRun = (run: Measured) => run.cpuSeconds + (run.neo4jCpuSeconds ?? Number.NaN);
  const floors = runs.filter((run) => run.mode === 'floor');
  const importers = runs.filter((run) => run.mode === 'importer');
  const ratio = median(importers.map(worksPerSecond)) / median(floors.map(worksPerSecond));
  const peakMb = Math.max(...importers.map((run) => run.maxRssKb)) / 1024;
  const growth = Math.max(...importers.map((run) => rssGrowth(run.rss)));
  const ratioOk = ratio >= GOAL_RATIO;
  const baselines = runs.filter((run) => run.mode === 'baseline');
  const versusBaseline = baselines.length > 0 ? median(importers.map(worksPerSecond)) / median(baselines.map(worksPerSecond)) : null;
  /** The spread of one side's repeated runs, slowest to fastest: a difference smaller than this is noise. */
  const spread = (side: typeof runs) => (side.length > 1 ? Math.max(...side.map(worksPerSecond)) / Math.min(...side.map(worksPerSecond)) : null);
  const noise = Math.max(spread(importers) ?? 0, spread(baselines) ?? 0, spread(floors) ?? 0) || null;
  const rssOk = peakMb < GOAL_RSS_MB && growth <= FLAT_TOLERANCE_MB;

  const cpus = os.cpus();
  const lines = [
    `import bench: ${inputs.works} works (seed ${options.seed}, ${(inputs.gzipBytes / 1048576).toFixed(0)} MiB gzip), batch ${options.batchSize}, ` +
      `Neo4j heap ${options.heapMb} MB / page cache ${options.pageCacheMb} MB, node ${process.version}, ${cpus.length} × ${cpus[0]?.model ?? '?'}, load average ${os.loadavg()[0]!.toFixed(1)}`,
    `graph: ${Object.entries(runs[0]!.graph)
      .map(([key, value]) => `${key} ${value}`)
      .join(', ')}`,
    '',
    ...runs.map(
      (run) =>
        `${run.mode.padEnd(8)}  ${run.seconds.toFixed(1).padStart(7)} s  ${worksPerSecond(run).toFixed(0).padStart(6)} works/s  ` +
        `${(run.citations / run.seconds).toFixed(0).padStart(7)} edges/s  ${((run.allRelationships ?? Number.NaN) / run.seconds).toFixed(0).padStart(6)} relationships/s  peak RSS ${(run.maxRssKb / 1024).toFixed(0).padStart(4)} MB  ` +
        `RSS second half ${signed(rssGrowth(run.rss))} MB  node CPU ${run.cpuSeconds.toFixed(1)} s  Neo4j CPU ${(run.neo4jCpuSeconds ?? Number.NaN).toFixed(1)} s`,
    ),
    '',
    `importer/floor (works/s${options.repeat > 1 ? `, medians of ${options.repeat}` : ''}): ${ratio.toFixed(2)}×   goal ≥ ${GOAL_RATIO}: ${ratioOk ? 'met' : 'MISSED'}`,
    ...(versusBaseline === null
      ? []
      : [
          `importer/baseline ${baselineTree!.commit.slice(0, 10)} (works/s${options.repeat > 1 ? `, medians of ${options.repeat}` : ''}): ${versusBaseline.toFixed(2)}×` +
            (noise === null ? '   (one run each: --repeat 3 or more to see the noise)' : `   noise (slowest to fastest run of one side): ${noise.toFixed(2)}×`),
          `importer/baseline in relationships/s, all types (medians): ${(median(importers.map(allRelationshipsPerSecond)) / median(baselines.map(allRelationshipsPerSecond))).toFixed(2)}× (${importers[0]!.allRelationships} against ${baselines[0]!.allRelationships} relationships)`,
          // CPU seconds move less than wall time when other processes share the cores.
          `importer/baseline CPU seconds, Node + Neo4j (medians): ${(median(baselines.map(cpuOfRun)) / median(importers.map(cpuOfRun))).toFixed(2)}× (above 1: the importer spends less)`,
        ]),
    `importer peak RSS ${peakMb.toFixed(0)} MB, second half's peak ${signed(growth)} MB on the first half's   goal < ${GOAL_RSS_MB} MB and ≤ +${FLAT_TOLERANCE_MB} MB: ${rssOk ? 'met' : 'MISSED'}`,
    problems.length === 0 ? 'check: every work written by both runs, same graph after both' : `check FAILED:\n  ${problems.join('\n  ')}`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);

  await mkdir(RESULTS_DIR, { recursive: true });
  const date = new Date();
  const file = path.join(RESULTS_DIR, `import-${inputs.works}-${date.toISOString().replace(/[:.]/g, '-')}.json`);
  await writeFile(
    file,
    `${JSON.stringify(
      {
        bench: 'import',
        date: date.toISOString(),
        machine: { cpu: cpus[0]?.model, cores: cpus.length, loadAverage: os.loadavg() },
        options,
        corpus: { works: inputs.works, gzipBytes: inputs.gzipBytes },
        graph: runs[0]!.graph,
        runs: runs.map(({ rss, ...run }) => ({
          ...run,
          worksPerSecond: worksPerSecond(run),
          edgesPerSecond: run.citations / run.seconds,
          rssGrowthMb: rssGrowth(rss),
          rss,
        })),
        ratio,
        ...(baselineTree ? { baseline: { commit: baselineTree.commit, importerOverBaseline: versusBaseline, noise } } : {}),
        goals: {
          ratio: { min: GOAL_RATIO, met: ratioOk },
          rss: { maxMb: GOAL_RSS_MB, flatToleranceMb: FLAT_TOLERANCE_MB, peakMb, growthMb: growth, met: rssOk },
        },
        problems,
      },
      null,
      2,
    )}\n`,
  );
  say(`result written to ${path.relative(process.cwd(), file)}`);
  if (problems.length > 0) return 1;
  return ratioOk && rssOk ? 0 : 3;
}

async function cleanUp(): Promise<void> {
  const { neo, child: running, dataDir } = current;
  running?.kill('SIGTERM');
  await neo?.stop().catch(() => {});
  if (dataDir) await rm(dataDir, { recursive: true, force: true }).catch(() => {});
  await baselineTree?.remove().catch(() => {});
}

if (process.argv[2] === '--child') {
  child(JSON.parse(process.argv[3] ?? '') as ChildRequest).then(
    () => process.exit(0),
    (error: unknown) => {
      process.stderr.write(`bench run failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exit(1);
    },
  );
} else {
  runBenchmark(main, cleanUp);
}
