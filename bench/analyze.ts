/**
 * Graph analytics benchmark: `npm run analyze` end to end (read the graph out of Neo4j, PageRank,
 * similar papers, Louvain, write back) on the generated OpenAlex corpus.
 *
 *   npm run bench:analyze -- [--works 20000] [--seed 1] [--baseline REV] [--rerun] [--profile DIR] [--queries] [--heap-mb 2048] [--pagecache-mb 1024]
 *
 * --queries adds, per side and run, each query's calls, round-trip seconds and Neo4j's CPU seconds (bench/analyze-query-cpu.ts).
 *
 * --load-only stops once the store is loaded. --profile DIR writes a CPU profile of each analysis there (summarise with npm run bench:profile-summary).
 *
 * 1. The corpus: N works from seed/openalex/generate.ts (about ten citations each), cached in
 *    .cache/bench/analyze-works-N-seedS.
 * 2. A store loaded once by the bulk importer (`import:openalex --bulk`, the same graph as the
 *    transactional importer) and kept in .cache/bench/analyze-store-N-seedS; not timed. Delete that
 *    directory to load afresh.
 * 3. Each side (this checkout, and with --baseline REV that revision's files run with this checkout's
 *    node_modules) analyses its own copy of that store, as a first analysis, in a Node process of its
 *    own (`seed/analyze-cli.ts`): wall time, per-phase times taken from its progress lines, CPU
 *    seconds, peak heap and peak RSS from its summary line, and its memory estimate (the figure the
 *    cap is checked against). With --rerun each side then analyses its copy again (a re-run over the
 *    previous results, as after a load).
 * 4. A summary on stdout, the result as JSON in bench-results/.
 *
 * The phases: read (counts and the graph read out), influence (PageRank), similarity (similar papers;
 * before the similar-paper writes were pipelined, their writes too), communities (Louvain, labels),
 * write (what is written after the communities).
 *
 * Exit codes: 0 goals met (under two minutes and 2 GB RSS), 1 a run failed, 2 bad arguments, 3 a goal missed.
 */
import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { projectRoot } from '../src/config.ts';
import { openDatabase } from '../src/db/driver.ts';
import { analyticsResultsAfter } from '../src/db/queries/analytics.ts';
import { readGraphStats } from '../src/db/queries/stats.ts';
import { Cypher } from '../src/db/run.ts';
import { bulkImportOpenAlex } from '../src/load/bulk-import.ts';
import { freePort, readEmbeddedPassword, startEmbeddedNeo4j, type EmbeddedNeo4j } from '../src/neo4j/embedded.ts';
import { generateWorks } from '../seed/openalex/generate.ts';
import { checkOutBaseline, type BaselineTree } from './api/baseline.ts';
import { runBenchmark } from './main.ts';

const GOAL_SECONDS = 120;
const GOAL_RSS_MB = 2048;
const say = (line: string) => process.stderr.write(`bench: ${line}\n`);

const { values } = parseArgs({
  options: {
    works: { type: 'string', default: '20000' },
    seed: { type: 'string', default: '1' },
    baseline: { type: 'string' },
    rerun: { type: 'boolean', default: false },
    profile: { type: 'string' },
    queries: { type: 'boolean', default: false },
    'load-only': { type: 'boolean', default: false },
    'heap-mb': { type: 'string', default: '2048' },
    'pagecache-mb': { type: 'string', default: '1024' },
  },
});
const numberOf = (name: string, raw: string) => {
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < 1) {
    process.stderr.write(`--${name} must be a positive integer, got ${raw}\n`);
    process.exit(2);
  }
  return value;
};
const works = numberOf('works', values.works);
const seed = numberOf('seed', values.seed);
const heapMb = numberOf('heap-mb', values['heap-mb']);
const pageCacheMb = numberOf('pagecache-mb', values['pagecache-mb']);

let neo4j: EmbeddedNeo4j | undefined;
let baseline: BaselineTree | undefined;
const scratch: string[] = [];

async function ensureCorpus(): Promise<string> {
  const dir = path.join(projectRoot, '.cache', 'bench', `analyze-works-${works}-seed${seed}`);
  const done = path.join(dir, '.complete');
  if ((await readdir(dir).catch(() => [] as string[])).includes('.complete')) return dir;
  say(`generating ${works} works in ${dir}`);
  await rm(dir, { recursive: true, force: true });
  for await (const _ of generateWorks({ works, out: dir, seed })) {
    // written part by part
  }
  await writeFile(done, '');
  return dir;
}

/** The loaded store, made by the bulk importer once (into a new directory, renamed when complete). */
async function ensureStore(corpus: string): Promise<string> {
  const storeDir = path.join(projectRoot, '.cache', 'bench', `analyze-store-${works}-seed${seed}`);
  if ((await readdir(storeDir).catch(() => [] as string[])).includes('.loaded')) return storeDir;
  const loading = `${storeDir}.loading`;
  await rm(loading, { recursive: true, force: true });
  say(`loading ${works} works into ${storeDir} with the bulk importer (not timed)`);
  const target = { kind: 'embedded' as const, boltPort: await freePort(), dataDir: loading, heapMb, pageCacheMb, database: undefined };
  const result = await bulkImportOpenAlex(target, [corpus], { progress: true });
  if (result.csv.failedCount > 0) throw new Error(`the bulk import skipped ${result.csv.failedCount} lines`);
  await writeFile(path.join(loading, '.loaded'), '');
  await rm(storeDir, { recursive: true, force: true });
  execFileSync('mv', [loading, storeDir]);
  return storeDir;
}

interface RunResult {
  /** A digest of every paper's stored results after the run (with --baseline, to check both sides agree). */
  digest?: string;
  seconds: number;
  analysisSeconds: number;
  cpuSeconds: number;
  /** CPU seconds Neo4j's process spent during the run (from /proc; null elsewhere). */
  neo4jCpuSeconds: number | null;
  peakHeapMb: number;
  peakRssMb: number;
  estimateMb: number;
  phases: Record<string, number>;
  loadAverage: number[];
  /** With --queries: per query, its calls, round-trip seconds and Neo4j's CPU seconds. */
  queries?: { query: string; calls: number; seconds: number; neo4jCpu: number }[];
}

/** The end of each phase, as the progress lines (`analyze: [12.3s] …`) of this and earlier revisions mark it. */
const phaseEnds: [string, RegExp][] = [
  ['read', /^read the links of/],
  ['influence', /^influence \(PageRank/],
  ['similarity', /^similar papers of/],
  ['communities', /communities \(modularity/],
];

function phasesOf(stderr: string, total: number): Record<string, number> {
  const ends = new Map<string, number>();
  for (const [, at, message] of stderr.matchAll(/^analyze: \[([\d.]+)s\] (.*)$/gm)) {
    for (const [phase, marker] of phaseEnds) if (marker.test(message!)) ends.set(phase, Number(at));
  }
  const phases: Record<string, number> = {};
  let previous = 0;
  for (const [phase] of phaseEnds) {
    const end = ends.get(phase) ?? previous;
    phases[phase] = Number((end - previous).toFixed(1));
    previous = end;
  }
  phases.write = Number((total - previous).toFixed(1));
  return phases;
}

/** User + system CPU seconds of a process so far, from /proc (Linux); null where there is none. */
async function cpuSecondsOf(pid: number): Promise<number | null> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => null);
  if (!stat) return null;
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // utime and stime, fields 14 and 15 of stat(5), in clock ticks (100 a second on Linux).
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

async function analyzeChild(root: string, uri: string, password: string, neo4jPid: number): Promise<RunResult | null> {
  const started = performance.now();
  const neo4jCpuBefore = await cpuSecondsOf(neo4jPid);
  const profile = values.profile ? ['--cpu-prof', '--cpu-prof-dir', path.resolve(values.profile)] : [];
  const queries = values.queries ? ['--import', path.join(projectRoot, 'bench', 'analyze-query-cpu.ts')] : [];
  const queryEnv = values.queries ? { ANALYZE_QUERY_CPU_PID: String(neo4jPid), ANALYZE_QUERY_CPU_RUN: path.join(root, 'src', 'db', 'run.ts') } : {};
  const child = spawn(process.execPath, [...profile, '--import', 'tsx', ...queries, path.join(root, 'seed', 'analyze-cli.ts')], {
    cwd: root,
    env: { ...process.env, ...queryEnv, NEO4J_URI: uri, NEO4J_USER: 'neo4j', NEO4J_PASSWORD: password, ANALYZE_MAX_MEMORY_MB: '100000' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
    process.stderr.write(chunk);
  });
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  const neo4jCpuAfter = await cpuSecondsOf(neo4jPid);
  if (code !== 0) return null;
  const estimate = /about (\d+) MB of/.exec(stderr)?.[1];
  const peak = /in ([\d.]+)s \(CPU ([\d.]+)s\), peak heap (\d+) MB, peak RSS (\d+) MB/.exec(stderr);
  const analysisSeconds = Number(peak?.[1]);
  return {
    seconds: Number(((performance.now() - started) / 1000).toFixed(1)),
    analysisSeconds,
    cpuSeconds: Number(peak?.[2]),
    neo4jCpuSeconds: neo4jCpuBefore === null || neo4jCpuAfter === null ? null : Number((neo4jCpuAfter - neo4jCpuBefore).toFixed(1)),
    peakHeapMb: Number(peak?.[3]),
    peakRssMb: Number(peak?.[4]),
    estimateMb: Number(estimate),
    phases: phasesOf(stderr, analysisSeconds),
    queries: values.queries ? JSON.parse(/^analyze-query-cpu: (.*)$/m.exec(stderr)?.[1] ?? '[]') : undefined,
    loadAverage: os.loadavg().map((load) => Number(load.toFixed(1))),
  };
}

async function resultsDigest(uri: string, password: string): Promise<string> {
  const database = await openDatabase({ kind: 'external', uri, user: 'neo4j', password, database: undefined });
  const hash = createHash('sha256');
  try {
    const cypher = new Cypher(database);
    for (let after: string | null = null; ; ) {
      const rows = await analyticsResultsAfter(cypher, after, 5_000);
      for (const row of rows) hash.update(`${row.uid}\t${JSON.stringify(row.result)}\n`);
      if (rows.length < 5_000) break;
      after = rows.at(-1)!.uid;
    }
  } finally {
    await database.close();
  }
  return hash.digest('hex').slice(0, 16);
}

/** Copies the loaded store and runs a side's analysis on the copy (and again with --rerun). */
async function measureSide(name: string, root: string, storeDir: string): Promise<RunResult[] | null> {
  const copy = await mkdtemp(path.join(os.tmpdir(), 'analyze-bench-'));
  scratch.push(copy);
  execFileSync('cp', ['-a', `${storeDir}/.`, copy]);
  neo4j = await startEmbeddedNeo4j({ dataDir: copy, boltPort: await freePort(), heapMb, pageCacheMb, onProgress: (line) => say(line) });
  const password = await readEmbeddedPassword(copy);
  const runs: RunResult[] = [];
  try {
    for (const pass of values.rerun ? ['first', 'rerun'] : ['first']) {
      say(`${name}: ${pass} analysis`);
      const run = await analyzeChild(root, neo4j.boltUri, password, neo4j.pid);
      if (!run) return null;
      if (baseline) run.digest = await resultsDigest(neo4j.boltUri, password);
      runs.push(run);
    }
  } finally {
    await neo4j.stop();
    neo4j = undefined;
    await rm(copy, { recursive: true, force: true });
  }
  return runs;
}

async function main(): Promise<number> {
  try {
    return await measure();
  } finally {
    await cleanUp();
  }
}

async function measure(): Promise<number> {
  if (values.baseline) baseline = await checkOutBaseline(projectRoot, values.baseline);
  const corpus = await ensureCorpus();
  const storeDir = await ensureStore(corpus);
  if (values['load-only']) return 0;

  neo4j = await startEmbeddedNeo4j({ dataDir: storeDir, boltPort: await freePort(), heapMb, pageCacheMb, onProgress: (line) => say(line) });
  const database = await openDatabase({ kind: 'external', uri: neo4j.boltUri, user: 'neo4j', password: neo4j.password, database: undefined });
  const graph = await readGraphStats(new Cypher(database)).finally(() => database.close());
  await neo4j.stop();
  neo4j = undefined;
  say(`analysing ${graph.papers} papers, ${graph.citations} citations, ${graph.relatedEdges} related links, ${graph.authorships} authorships`);

  const sides: { name: string; root: string }[] = [
    ...(baseline ? [{ name: `baseline ${baseline.commit.slice(0, 10)}`, root: baseline.root }] : []),
    { name: 'this checkout', root: projectRoot },
  ];
  const results: Record<string, RunResult[]> = {};
  for (const side of sides) {
    const runs = await measureSide(side.name, side.root, storeDir);
    if (!runs) return 1;
    results[side.name] = runs;
  }

  process.stdout.write(`analyze, ${works} works (${graph.papers} papers, ${graph.citations} citations, ${graph.authorships} authorships):\n`);
  const header = [
    'side',
    'run',
    'end to end s',
    'analysis s',
    ...Object.keys(results['this checkout']![0]!.phases).map((p) => `${p} s`),
    'CPU s',
    'Neo4j CPU s',
    'peak heap MB',
    'peak RSS MB',
    'estimate MB',
    'load average',
  ];
  process.stdout.write(`| ${header.join(' | ')} |\n|${header.map(() => ' --- |').join('')}\n`);
  for (const [name, runs] of Object.entries(results)) {
    runs.forEach((run, index) => {
      const cells = [
        name,
        index === 0 ? 'first' : 'rerun',
        run.seconds,
        run.analysisSeconds,
        ...Object.values(run.phases),
        run.cpuSeconds,
        run.neo4jCpuSeconds,
        run.peakHeapMb,
        run.peakRssMb,
        run.estimateMb,
        run.loadAverage.join(' '),
      ];
      process.stdout.write(`| ${cells.join(' | ')} |\n`);
    });
  }
  if (values.queries) {
    process.stdout.write('\nper query (with --queries): calls, round-trip s, Neo4j CPU s\n');
    for (const [name, runs] of Object.entries(results)) {
      runs.forEach((run, index) => {
        for (const q of run.queries ?? [])
          process.stdout.write(`${name} ${index === 0 ? 'first' : 'rerun'}\t${q.calls}\t${q.seconds}\t${q.neo4jCpu}\t${q.query}\n`);
      });
    }
  }
  const current = results['this checkout']![0]!;
  if (baseline) {
    const before = results[sides[0]!.name]![0]!;
    process.stdout.write(
      `this checkout / baseline: analysis ${(current.analysisSeconds / before.analysisSeconds).toFixed(2)}×, CPU ${(current.cpuSeconds / before.cpuSeconds).toFixed(2)}×, peak RSS ${(current.peakRssMb / before.peakRssMb).toFixed(2)}×; ` +
        `stored results ${current.digest === before.digest ? 'identical' : 'DIFFERENT'} (${before.digest} / ${current.digest})\n`,
    );
  }
  await mkdir(path.join(projectRoot, 'bench-results'), { recursive: true });
  await writeFile(
    path.join(projectRoot, 'bench-results', `analyze-${works}-${new Date().toISOString().replace(/[:.]/g, '-')}.json`),
    `${JSON.stringify({ works, seed, ...graph, baseline: baseline?.commit, results, goals: { seconds: GOAL_SECONDS, rssMb: GOAL_RSS_MB } }, null, 2)}\n`,
  );
  return current.seconds <= GOAL_SECONDS && current.peakRssMb <= GOAL_RSS_MB ? 0 : 3;
}

async function cleanUp(): Promise<void> {
  await neo4j?.stop();
  neo4j = undefined;
  await baseline?.remove();
  baseline = undefined;
  for (const dir of scratch.splice(0)) await rm(dir, { recursive: true, force: true });
}

runBenchmark(main, cleanUp);
