/**
 * Seed loader benchmark: the loader (`seedPages`, as `npm run seed` runs it) against its floor, the
 * same rows written by the same UNWIND query, one call per batch, with no file reading or parsing.
 *
 *   npm run bench:seed -- [--papers 20000] [--seed 1] [--batch-size B] [--out DIR] [--repeat 2]
 *                         [--heap-mb 2048] [--pagecache-mb 1024] [--port 7701]
 *
 * 1. The corpus: N pages from seed/generate.ts, cached in .cache/bench/pages-N-seedS (or kept in
 *    --out DIR), generated once and reused.
 * 2. The floor's input: the rows the loader writes for that corpus (its own readPageRow), saved once
 *    as JSON Lines under .cache/bench/.
 * 3. Both inputs (the page files, the rows file) are read once, untimed, so that neither run pays for
 *    a cold OS file cache that the other finds warm.
 * 4. The runs alternate, floor loader loader floor (…): on a shared machine whose load drifts during
 *    the bench, a drift weighs on both alike, and the ratio uses the medians. Each run gets a freshly
 *    started embedded Neo4j on an empty data directory (/tmp/bench-seed-*), the same heap and page
 *    cache, the graph schema created before timing starts, and its own Node process
 *    (bench/seed/run.ts) whose peak RSS (ru_maxrss) is reported. Only the writing is timed; the
 *    machine's load average and the CPU other processes used meanwhile are recorded beside it.
 *    Both runs must have written the same batches (count and size) and ended with the same graph.
 * 5. A table on stdout, the result as JSON in bench-results/.
 *
 * Exit codes: 0 goals met, 1 a run failed (a page did not load, the two graphs differ, …),
 * 2 bad arguments, 3 every run succeeded but a goal was missed.
 */
import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import neo4j from 'neo4j-driver';
import type { Database } from '../src/db/driver.ts';
import { ensureGraphSchema } from '../src/db/migrations.ts';
import { readGraphStats, type GraphStats } from '../src/db/queries/stats.ts';
import { Cypher } from '../src/db/run.ts';
import { startEmbeddedNeo4j, type EmbeddedNeo4j } from '../src/neo4j/embedded.ts';
import { listPageFiles } from '../src/load/pages.ts';
import { ensureCorpus, ensureRows, type Corpus, type RowsFile } from './corpus.ts';
import { RESULT_PREFIX, type RunRequest, type RunResult } from './seed/protocol.ts';
import { runBenchmark } from './main.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CACHE_DIR = path.join(ROOT, '.cache', 'bench');
const RESULTS_DIR = path.join(ROOT, 'bench-results');
const RUN_SCRIPT = path.join(ROOT, 'bench', 'seed', 'run.ts');
/** seedPages' default batch size (src/load/pages.ts), used by the floor when --batch-size is not given. */
const LOADER_DEFAULT_BATCH_SIZE = 500;
const GOAL_RATIO = 0.7;
const GOAL_RSS_MB = 400;

const USAGE = `usage: npm run bench:seed -- [--papers N] [--seed S] [--batch-size B] [--out DIR] [--repeat R]
                            [--heap-mb MB] [--pagecache-mb MB] [--port P]
  --papers N         pages in the corpus (default 20000)
  --seed S           generator seed (default 1)
  --batch-size B     pages per transaction, both runs (default: the loader's own, ${LOADER_DEFAULT_BATCH_SIZE})
  --out DIR          generate (or reuse) the corpus in DIR and keep it (default .cache/bench/pages-N-seedS)
  --repeat R         run floor and loader R times each (floor loader loader floor …); the ratio uses the medians (default 2)
  --heap-mb MB       Neo4j heap for every run (default 2048)
  --pagecache-mb MB  Neo4j page cache for every run (default 1024)
  --port P           Bolt port of the bench's Neo4j (default 7701)`;

interface Options {
  papers: number;
  seed: number;
  batchSize: number | undefined;
  out: string | undefined;
  repeat: number;
  heapMb: number;
  pageCacheMb: number;
  port: number;
}

interface Measurement extends RunResult {
  stats: GraphStats;
  relationships: number;
  neo4jPeakRssKb: number | undefined;
  /** CPU seconds Neo4j spent while the run was writing (its start-up excluded). */
  neo4jCpuSeconds: number | undefined;
  /** CPU seconds the rest of the machine (other processes) used meanwhile: the noise. */
  othersCpuSeconds: number | undefined;
  /** Wall seconds of the child process, start to exit. */
  childSeconds: number;
  /** Mean of the machine's 1-minute load average, sampled every 5 s while the child ran. */
  loadAverage: number;
}

class BenchError extends Error {}

const say = (line: string) => process.stderr.write(`bench: ${line}\n`);

function parseOptions(argv: string[]): Options {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      papers: { type: 'string', default: '20000' },
      seed: { type: 'string', default: '1' },
      'batch-size': { type: 'string' },
      out: { type: 'string' },
      repeat: { type: 'string', default: '2' },
      'heap-mb': { type: 'string', default: '2048' },
      'pagecache-mb': { type: 'string', default: '1024' },
      port: { type: 'string', default: '7701' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    process.exit(0);
  }
  const int = (name: string, raw: string | undefined, min: number): number => {
    const value = Number(raw);
    if (!Number.isSafeInteger(value) || value < min) throw new BenchError(`--${name} must be an integer ≥ ${min}, got ${String(raw)}`);
    return value;
  };
  const port = int('port', values.port, 1);
  if (port === 7687 || port === 7688) throw new BenchError(`--port ${port} is the server's or the tests' port; use another (default 7701)`);
  return {
    papers: int('papers', values.papers, 1),
    seed: int('seed', values.seed, 0),
    batchSize: values['batch-size'] === undefined ? undefined : int('batch-size', values['batch-size'], 1),
    out: values.out,
    repeat: int('repeat', values.repeat, 1),
    heapMb: int('heap-mb', values['heap-mb'], 64),
    pageCacheMb: int('pagecache-mb', values['pagecache-mb'], 8),
    port,
  };
}

// ---------------------------------------------------------------------------------------------
// One run: fresh Neo4j, schema, the measured child process, stats, stop.

/** Neo4j's version as the server reports it (dbms.components), read during the first run. */
let serverVersion: string | undefined;
let current: { neo?: EmbeddedNeo4j; child?: ReturnType<typeof spawn>; dataDir?: string } = {};

async function measure(mode: RunRequest['mode'], options: Options, corpus: Corpus, rows: RowsFile): Promise<Measurement> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'bench-seed-'));
  current = { dataDir };
  let database: Database | undefined;
  try {
    say(`${mode}: starting an empty Neo4j (port ${options.port}, heap ${options.heapMb} MB, page cache ${options.pageCacheMb} MB, ${dataDir})…`);
    const neo = await startEmbeddedNeo4j({
      boltPort: options.port,
      dataDir,
      heapMb: options.heapMb,
      pageCacheMb: options.pageCacheMb,
      onProgress: (line) => {
        if (line.startsWith('java:')) say(`  ${line}`);
      },
    });
    current.neo = neo;
    const driver = neo4j.driver(neo.boltUri, neo4j.auth.basic(neo.user, neo.password), { disableLosslessIntegers: true });
    database = { driver, name: undefined, embedded: undefined, close: () => driver.close() };
    const cypher = new Cypher(database);
    await ensureGraphSchema(cypher);
    serverVersion ??= (await cypher.read<{ version: string }>('CALL dbms.components() YIELD versions RETURN versions[0] AS version'))[0]?.version;

    const request: RunRequest = {
      mode,
      uri: neo.boltUri,
      corpusDir: corpus.dir,
      rowsFile: rows.file,
      batchSize: options.batchSize,
      floorBatchSize: options.batchSize ?? LOADER_DEFAULT_BATCH_SIZE,
    };
    say(`${mode}: writing ${corpus.files} pages…`);
    const neoCpuBefore = await cpuSecondsOf(neo.pid);
    const machineBefore = await machineBusySeconds();
    const childStarted = performance.now();
    const loadSamples = [os.loadavg()[0]!];
    const loadSampler = setInterval(() => loadSamples.push(os.loadavg()[0]!), 5000);
    const result = await runChild(request).finally(() => clearInterval(loadSampler));
    const childSeconds = (performance.now() - childStarted) / 1000;
    loadSamples.push(os.loadavg()[0]!);
    const loadAverage = loadSamples.reduce((sum, x) => sum + x, 0) / loadSamples.length;
    const machineAfter = await machineBusySeconds();
    const neoCpuAfter = await cpuSecondsOf(neo.pid);
    const neo4jCpuSeconds = neoCpuBefore === undefined || neoCpuAfter === undefined ? undefined : neoCpuAfter - neoCpuBefore;
    const othersCpuSeconds =
      machineBefore === undefined || machineAfter === undefined || neo4jCpuSeconds === undefined
        ? undefined
        : Math.max(0, machineAfter - machineBefore - neo4jCpuSeconds - result.processCpuSeconds);
    if (result.mode !== mode) throw new BenchError(`${mode}: the run reported mode ${result.mode}`);

    const stats = await readGraphStats(cypher);
    const neo4jPeakRssKb = await peakRssKb(neo.pid);
    say(
      `${mode}: ${result.written} pages written in ${result.seconds.toFixed(1)} s ` +
        `(${(result.written / result.seconds).toFixed(0)}/s, load average ${loadAverage.toFixed(1)}), peak RSS ${(result.maxRssKb / 1024).toFixed(0)} MB ` +
        `(V8 heap ≤ ${result.memory.heapUsedMb} MB used / ${result.memory.heapTotalMb} MB, external ≤ ${result.memory.externalMb} MB; ` +
        `RSS over the run: ${result.memory.rssCurveMb.join(' ')} MB)`,
    );
    return {
      ...result,
      stats,
      relationships: stats.authorships + stats.relatedEdges,
      neo4jPeakRssKb,
      neo4jCpuSeconds,
      othersCpuSeconds,
      childSeconds,
      loadAverage,
    };
  } finally {
    await database?.close().catch(() => {});
    await current.neo?.stop();
    await rm(dataDir, { recursive: true, force: true });
    current = {};
  }
}

function runChild(request: RunRequest): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    // The same node and tsx loader flags this process runs with.
    const child = spawn(process.execPath, [...process.execArgv, RUN_SCRIPT, JSON.stringify(request)], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'inherit'],
      // The embedded Neo4j's password, in the environment (not on the command line, which `ps` shows).
      env: { ...process.env, NEO4J_PASSWORD: current.neo?.password ?? '' },
    });
    current.child = child;
    let result: RunResult | undefined;
    const lines: string[] = [];
    createInterface({ input: child.stdout! }).on('line', (line) => {
      if (line.startsWith(RESULT_PREFIX)) result = JSON.parse(line.slice(RESULT_PREFIX.length)) as RunResult;
      else lines.push(line);
    });
    child.once('error', reject);
    child.once('close', (code, signal) => {
      current.child = undefined;
      if (code === 0 && result) resolve(result);
      else {
        const tail = lines.slice(-5).join('\n');
        reject(new BenchError(`the ${request.mode} run exited with ${signal ?? `code ${String(code)}`}${tail ? `:\n${tail}` : ''}`));
      }
    });
  });
}

/** utime + stime of a live process (Linux), in seconds. */
async function cpuSecondsOf(pid: number): Promise<number | undefined> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    // Fields after the parenthesised command name: state is field 3, utime 14, stime 15 (clock ticks, 100/s).
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return undefined;
  }
}

/** CPU seconds the whole machine has been busy (all cores, all processes) since boot, from /proc/stat. */
async function machineBusySeconds(): Promise<number | undefined> {
  try {
    const line = (await readFile('/proc/stat', 'utf8')).split('\n')[0]!;
    const [user, nice, system, , , irq, softirq, steal] = line.trim().split(/\s+/).slice(1).map(Number);
    return ((user ?? 0) + (nice ?? 0) + (system ?? 0) + (irq ?? 0) + (softirq ?? 0) + (steal ?? 0)) / 100;
  } catch {
    return undefined;
  }
}

/** VmHWM of a live process (Linux): Neo4j's own peak RSS, for the record. */
async function peakRssKb(pid: number): Promise<number | undefined> {
  try {
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    const match = /^VmHWM:\s+(\d+)\s+kB/m.exec(status);
    return match ? Number(match[1]) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The code measured: the commit, and for the files that decide a load (the loader, the parser, the
 * keys, the write query, the schema) whether the working tree changes them, with a hash of the changes.
 */
function codeVersion(): { commit: string; dirty: string[]; diffHash: string | null } {
  const files = [
    'src/load/pages.ts',
    'src/load/page-parser.ts',
    'src/domain/keys.ts',
    'src/domain/latex.ts',
    'src/db/queries/load-pages.ts',
    'src/db/migrations.ts',
  ];
  try {
    const git = (...args: string[]) => execFileSync('git', args, { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    const commit = git('rev-parse', '--short', 'HEAD').trim();
    const dirty = git('status', '--porcelain', '--', ...files)
      .split('\n')
      .filter(Boolean)
      .map((line) => line.slice(3));
    const diff = dirty.length > 0 ? git('diff', 'HEAD', '--', ...files) : '';
    return { commit, dirty, diffHash: diff ? createHash('sha256').update(diff).digest('hex').slice(0, 12) : null };
  } catch {
    return { commit: 'unknown', dirty: [], diffHash: null };
  }
}

/** Reads both inputs once, untimed: each run then reads from a warm OS file cache. */
async function warmFileCache(corpus: Corpus, rows: RowsFile): Promise<void> {
  const started = performance.now();
  let bytes = 0;
  for await (const file of listPageFiles([corpus.dir])) bytes += readFileSync(file).length;
  for await (const chunk of createReadStream(rows.file, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) bytes += chunk.length;
  say(`read both inputs once to warm the file cache (${(bytes / 1048576).toFixed(0)} MiB, ${((performance.now() - started) / 1000).toFixed(1)} s)`);
}

// ---------------------------------------------------------------------------------------------
// Report

const median = (xs: number[]): number => {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

function sameStats(a: GraphStats, b: GraphStats): boolean {
  return (Object.keys(a) as (keyof GraphStats)[]).every((key) => a[key] === b[key]);
}

async function main(): Promise<number> {
  let options: Options;
  try {
    options = parseOptions(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n${USAGE}\n`);
    return 2;
  }

  const corpusDir = options.out ?? path.join(CACHE_DIR, `pages-${options.papers}-seed${options.seed}`);
  const corpus = await ensureCorpus(corpusDir, options.papers, options.seed, options.out === undefined);
  const rows = await ensureRows(corpus, CACHE_DIR);
  if (rows.rows !== corpus.files) throw new BenchError(`the floor has ${rows.rows} rows for ${corpus.files} pages`);

  await warmFileCache(corpus, rows);

  const runs: Measurement[] = [];
  // floor, loader, loader, floor, floor, …: a load on the machine that rises or falls steadily
  // during the bench then weighs on both alike.
  for (let r = 0; r < options.repeat; r++) {
    const order = r % 2 === 0 ? (['floor', 'loader'] as const) : (['loader', 'floor'] as const);
    for (const mode of order) runs.push(await measure(mode, options, corpus, rows));
  }

  // Every page of both runs must be written, and both must end with the very same graph.
  const problems: string[] = [];
  for (const run of runs) {
    if (run.failed > 0) problems.push(`${run.mode}: ${run.failed} page(s) failed to load, e.g. ${run.failures[0] ?? '?'}`);
    if (run.pages !== corpus.files || run.written !== corpus.files) {
      problems.push(`${run.mode}: ${run.written} of ${run.pages} pages written, the corpus has ${corpus.files}`);
    }
    if (run.writes !== runs[0]!.writes || run.largestBatch !== runs[0]!.largestBatch) {
      problems.push(
        `${run.mode}: ${run.writes} write(s) of at most ${run.largestBatch} pages, the floor ${runs[0]!.writes} of at most ${runs[0]!.largestBatch}`,
      );
    }
    if (!sameStats(run.stats, runs[0]!.stats)) {
      problems.push(`${run.mode}: graph ${JSON.stringify(run.stats)} differs from the floor's ${JSON.stringify(runs[0]!.stats)}`);
    }
  }

  const floors = runs.filter((run) => run.mode === 'floor');
  const loaders = runs.filter((run) => run.mode === 'loader');
  const pagesPerSecond = (run: Measurement) => run.written / run.seconds;
  const ratio = median(loaders.map(pagesPerSecond)) / median(floors.map(pagesPerSecond));
  const loaderPeakMb = Math.max(...loaders.map((run) => run.maxRssKb)) / 1024;
  const ratioOk = ratio >= GOAL_RATIO;
  const rssOk = loaderPeakMb < GOAL_RSS_MB;
  const batchSize = options.batchSize ?? LOADER_DEFAULT_BATCH_SIZE;

  const cpus = os.cpus();
  const machine = {
    cpu: cpus[0]?.model ?? 'unknown',
    cores: cpus.length,
    totalMemMb: Math.round(os.totalmem() / 1048576),
    os: `${os.type()} ${os.release()} ${os.arch()}`,
  };
  const versions = { node: process.version, neo4j: serverVersion ?? 'unknown' };
  const code = codeVersion();

  const out: string[] = [];
  out.push(
    `seed bench: ${corpus.files} pages (seed ${corpus.seed}, ${(corpus.bytes / 1048576).toFixed(0)} MiB), batch ${batchSize}, ` +
      `Neo4j ${versions.neo4j} heap ${options.heapMb} MB / page cache ${options.pageCacheMb} MB, ` +
      `node ${versions.node}, ${machine.cores} × ${machine.cpu}, ${(machine.totalMemMb / 1024).toFixed(0)} GB`,
  );
  out.push(`code: ${code.commit}${code.dirty.length > 0 ? ` + uncommitted changes to ${code.dirty.join(', ')} (diff ${code.diffHash})` : ''}`);
  out.push(
    `graph: ${Object.entries(runs[0]!.stats)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}`,
  );
  out.push('');
  out.push(
    table(
      [
        'run',
        'pages',
        'seconds',
        'pages/s',
        'relationships/s',
        'peak RSS MB',
        'node CPU s',
        'Neo4j CPU s',
        'Neo4j busy',
        'others (cores)',
        'load avg',
        'Neo4j RSS MB',
      ],
      runs.map((run) => [
        run.mode,
        String(run.written),
        run.seconds.toFixed(1),
        pagesPerSecond(run).toFixed(0),
        (run.relationships / run.seconds).toFixed(0),
        (run.maxRssKb / 1024).toFixed(0),
        run.cpuSeconds.toFixed(1),
        run.neo4jCpuSeconds === undefined ? '-' : run.neo4jCpuSeconds.toFixed(1),
        `${((100 * run.dbBusySeconds) / run.seconds).toFixed(0)}%`,
        run.othersCpuSeconds === undefined ? '-' : (run.othersCpuSeconds / run.childSeconds).toFixed(2),
        run.loadAverage.toFixed(1),
        run.neo4jPeakRssKb === undefined ? '-' : (run.neo4jPeakRssKb / 1024).toFixed(0),
      ]),
    ),
  );
  out.push(
    'seconds: the writing only; peak RSS: the writing process (ru_maxrss); node CPU: its CPU in the writing; ' +
      'Neo4j busy: share of the time a query was in flight; others: cores the rest of the machine used meanwhile; ' +
      'load avg: mean 1-minute load average during the run',
  );
  out.push('');
  out.push(
    `loader/floor (pages/s${options.repeat > 1 ? `, medians of ${options.repeat}` : ''}): ${ratio.toFixed(2)}×   goal ≥ ${GOAL_RATIO}: ${ratioOk ? 'met' : 'MISSED'}`,
  );
  out.push(`loader peak RSS: ${loaderPeakMb.toFixed(0)} MB   goal < ${GOAL_RSS_MB} MB: ${rssOk ? 'met' : 'MISSED'}`);
  out.push(problems.length === 0 ? 'check: every page written by both runs, same graph (stats) after both' : `check FAILED:\n  ${problems.join('\n  ')}`);
  process.stdout.write(`${out.join('\n')}\n`);

  const date = new Date();
  const report = {
    bench: 'seed',
    date: date.toISOString(),
    machine,
    versions,
    code,
    options: { ...options, batchSize },
    corpus: { dir: path.relative(ROOT, corpus.dir) || corpus.dir, pages: corpus.files, bytes: corpus.bytes, seed: corpus.seed },
    graph: runs[0]!.stats,
    runs: runs.map((run) => ({
      run: run.mode,
      pages: run.written,
      seconds: Number(run.seconds.toFixed(3)),
      pagesPerSecond: Number(pagesPerSecond(run).toFixed(1)),
      relationships: run.relationships,
      relationshipsPerSecond: Number((run.relationships / run.seconds).toFixed(1)),
      peakRssMb: Number((run.maxRssKb / 1024).toFixed(1)),
      cpuSeconds: Number(run.cpuSeconds.toFixed(2)),
      neo4jCpuSeconds: run.neo4jCpuSeconds === undefined ? null : Number(run.neo4jCpuSeconds.toFixed(2)),
      neo4jBusySeconds: Number(run.dbBusySeconds.toFixed(2)),
      othersCpuSeconds: run.othersCpuSeconds === undefined ? null : Number(run.othersCpuSeconds.toFixed(1)),
      othersCores: run.othersCpuSeconds === undefined ? null : Number((run.othersCpuSeconds / run.childSeconds).toFixed(2)),
      loadAverage: Number(run.loadAverage.toFixed(2)),
      writes: run.writes,
      largestBatch: run.largestBatch,
      neo4jPeakRssMb: run.neo4jPeakRssKb === undefined ? null : Number((run.neo4jPeakRssKb / 1024).toFixed(1)),
      memory: run.memory,
      failed: run.failed,
      stats: run.stats,
    })),
    ratio: Number(ratio.toFixed(3)),
    goals: { ratio: { min: GOAL_RATIO, met: ratioOk }, peakRssMb: { max: GOAL_RSS_MB, value: Number(loaderPeakMb.toFixed(1)), met: rssOk } },
    problems,
  };
  await mkdir(RESULTS_DIR, { recursive: true });
  const file = path.join(RESULTS_DIR, `seed-${corpus.files}-${date.toISOString().replace(/[:.]/g, '-')}.json`);
  await writeFile(file, `${JSON.stringify(report, null, 2)}\n`);
  say(`result written to ${path.relative(process.cwd(), file)}`);

  if (problems.length > 0) return 1;
  return ratioOk && rssOk ? 0 : 3;
}

async function cleanUp(): Promise<void> {
  const { neo, child, dataDir } = current;
  child?.kill('SIGTERM');
  await neo?.stop().catch(() => {});
  if (dataDir) await rm(dataDir, { recursive: true, force: true }).catch(() => {});
}

runBenchmark(main, cleanUp);
