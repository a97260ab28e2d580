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
import type { WorkRow } from '../src/load/openalex-work.ts';
import { checkOutBaseline, type BaselineTree } from './api/baseline.ts';
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
  mode: 'floor' | 'importer' | 'baseline';
  uri: string;
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
  maxRssKb: number;
  /** [seconds since start, RSS in MB], one a second. */
  rss: [number, number][];
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

async function ensureInputs(options: Options): Promise<Inputs> {
  const name = `openalex-works-${options.works}-seed${options.seed}-v${CORPUS_VERSION}`;
  const corpusDir = path.join(CACHE_DIR, name);
  const rowsFile = path.join(CACHE_DIR, `${name}.rows.jsonl`);
  const marker = path.join(corpusDir, '.bench-corpus.json');
  const known = await readJson<Inputs>(marker);
  if (known) {
    say(`reusing ${path.relative(ROOT, corpusDir)} and its rows`);
    return known;
  }
  await rm(corpusDir, { recursive: true, force: true });
  const tmpDir = `${corpusDir}.tmp-${process.pid}`;
  say(`generating ${options.works} works (seed ${options.seed})…`);
  let gzipBytes = 0;
  for await (const part of generateWorks({ works: options.works, seed: options.seed, out: tmpDir, perFile: 50_000 })) {
    gzipBytes += (await stat(part.file)).size;
    say(`  ${path.basename(part.file)}: ${part.works} works`);
  }
  // The rows the importer writes: its own reader and shaping, over the very files it will read
  // (named as they will be after the rename, so `source` matches).
  say('preparing the floor\'s rows (read, parse and shape every work, once)…');
  const out = createWriteStream(`${rowsFile}.tmp`);
  let works = 0;
  for await (const file of listWorkFiles([tmpDir])) {
    for await (const line of readJsonLines(file)) {
      const row = workRowOfLine({ ...line, file: path.join(corpusDir, path.basename(file)) });
      if (!('hash' in row)) throw new BenchError(`the generated corpus has a bad line: ${row.message}`);
      works += 1;
      if (!out.write(`${JSON.stringify(row)}\n`)) await once(out, 'drain');
    }
  }
  out.end();
  await once(out, 'close');
  await rename(`${rowsFile}.tmp`, rowsFile);
  const inputs: Inputs = { corpusDir, rowsFile, works, gzipBytes };
  await writeFile(path.join(tmpDir, '.bench-corpus.json'), `${JSON.stringify(inputs, null, 2)}\n`);
  await rename(tmpDir, corpusDir);
  return inputs;
}

// ---------------------------------------------------------------------------------------------
// One measured run, in a child process

/** JSON Lines, one parsed row at a time; reading pauses while the writer is busy. */
async function* readRows(file: string): AsyncGenerator<WorkRow> {
  const lines = createInterface({ input: createReadStream(file, { highWaterMark: 1 << 20 }), crlfDelay: Infinity });
  for await (const line of lines) if (line) yield JSON.parse(line) as WorkRow;
}

async function child(request: ChildRequest): Promise<void> {
  const database = await openDatabase({ kind: 'external', uri: request.uri, user: 'neo4j', password: process.env.NEO4J_PASSWORD ?? '', database: undefined });
  const rss: [number, number][] = [];
  const started = performance.now();
  const sampler = setInterval(() => rss.push([(performance.now() - started) / 1000, process.memoryUsage.rss() / 1048576]), 1000);
  const cpuBefore = process.cpuUsage();
  let outcome: Omit<ChildResult, 'seconds' | 'cpuSeconds' | 'maxRssKb' | 'rss'>;
  try {
    if (request.mode === 'importer') {
      const summary = await importOpenAlex(database, [request.corpusDir], { batchSize: request.batchSize });
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
      const cypher = new Cypher(database);
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
    await database.close();
  }
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  const result: ChildResult = { ...outcome, seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6, maxRssKb: process.resourceUsage().maxRSS, rss };
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

async function measure(mode: ChildRequest['mode'], options: Options, inputs: Inputs): Promise<ChildResult & { graph: GraphCounts }> {
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
    const result = await runChild({ mode, uri: neo.boltUri, corpusDir: inputs.corpusDir, rowsFile: inputs.rowsFile, batchSize: options.batchSize });
    const [graph] = await cypher.read<GraphCounts>(
      `CALL () { MATCH (p:Paper) RETURN count(p) AS papers }
       CALL () { MATCH (a:Author) RETURN count(a) AS authors }
       CALL () { MATCH ()-[r:AUTHORED]->() RETURN count(r) AS authorships }
       CALL () { MATCH ()-[r:CITES]->() RETURN count(r) AS citations }
       CALL () { MATCH ()-[r:RELATED_TO]->() RETURN count(r) AS related }
       RETURN papers, authors, authorships, citations, related`,
    );
    say(`${mode}: ${result.written} works, ${result.citations} citations in ${result.seconds.toFixed(1)} s, peak RSS ${(result.maxRssKb / 1024).toFixed(0)} MB`);
    return { ...result, graph: graph! };
  } finally {
    await database?.close().catch(() => {});
    await current.neo?.stop();
    await rm(dataDir, { recursive: true, force: true });
    current = {};
  }
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
  const inputs = await ensureInputs(options);
  if (options.baseline) {
    baselineTree = await checkOutBaseline(ROOT, options.baseline);
    say(`baseline: commit ${baselineTree.commit.slice(0, 10)} in ${baselineTree.root}`);
  }
  const runs: (ChildResult & { graph: GraphCounts })[] = [];
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
    `graph: ${Object.entries(runs[0]!.graph).map(([key, value]) => `${key} ${value}`).join(', ')}`,
    '',
    ...runs.map(
      (run) =>
        `${run.mode.padEnd(8)}  ${run.seconds.toFixed(1).padStart(7)} s  ${worksPerSecond(run).toFixed(0).padStart(6)} works/s  ` +
        `${(run.citations / run.seconds).toFixed(0).padStart(7)} edges/s  peak RSS ${(run.maxRssKb / 1024).toFixed(0).padStart(4)} MB  ` +
        `RSS second half ${signed(rssGrowth(run.rss))} MB  node CPU ${run.cpuSeconds.toFixed(1)} s`,
    ),
    '',
    `importer/floor (works/s${options.repeat > 1 ? `, medians of ${options.repeat}` : ''}): ${ratio.toFixed(2)}×   goal ≥ ${GOAL_RATIO}: ${ratioOk ? 'met' : 'MISSED'}`,
    ...(versusBaseline === null
      ? []
      : [
          `importer/baseline ${baselineTree!.commit.slice(0, 10)} (works/s${options.repeat > 1 ? `, medians of ${options.repeat}` : ''}): ${versusBaseline.toFixed(2)}×` +
            (noise === null ? '   (one run each: --repeat 3 or more to see the noise)' : `   noise (slowest to fastest run of one side): ${noise.toFixed(2)}×`),
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
        runs: runs.map(({ rss, ...run }) => ({ ...run, worksPerSecond: worksPerSecond(run), edgesPerSecond: run.citations / run.seconds, rssGrowthMb: rssGrowth(rss), rss })),
        ratio,
        ...(baselineTree ? { baseline: { commit: baselineTree.commit, importerOverBaseline: versusBaseline, noise } } : {}),
        goals: { ratio: { min: GOAL_RATIO, met: ratioOk }, rss: { maxMb: GOAL_RSS_MB, flatToleranceMb: FLAT_TOLERANCE_MB, peakMb, growthMb: growth, met: rssOk } },
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
