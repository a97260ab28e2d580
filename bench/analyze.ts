/**
 * Graph analytics benchmark: `npm run analyze` end to end (read the graph out of Neo4j, PageRank,
 * Louvain, similar papers, write back) on the generated OpenAlex corpus.
 *
 *   npm run bench:analyze -- [--works 20000] [--seed 1] [--heap-mb 2048] [--pagecache-mb 1024]
 *
 * 1. The corpus: N works from seed/openalex/generate.ts (about ten citations each), cached in
 *    .cache/bench/analyze-works-N-seedS.
 * 2. An embedded Neo4j (a free port) on a store loaded by the importer once and kept in
 *    .cache/bench/analyze-store-N-seedS (the import is not timed, and at 200,000 works it takes far
 *    longer than the analysis; an interrupted load resumes, the importer skipping what it wrote).
 *    Delete that directory to load afresh.
 * 3. The analysis as users run it, `seed/analyze-cli.ts` in a Node process of its own: its wall time,
 *    and the peak heap and peak RSS its summary line reports. The run's own memory estimate (the
 *    figure the cap is checked against) is printed beside the peak RSS, so the model in
 *    src/analytics/analyze.ts can be checked against a measurement.
 * 4. A summary on stdout, the result as JSON in bench-results/.
 *
 * Exit codes: 0 goals met (under two minutes and 2 GB RSS), 1 a run failed, 2 bad arguments, 3 a goal missed.
 */
import { spawn } from 'node:child_process';
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { projectRoot } from '../src/config.ts';
import { openDatabase } from '../src/db/driver.ts';
import { ensureGraphSchema } from '../src/db/migrations.ts';
import { readGraphStats } from '../src/db/queries/stats.ts';
import { Cypher } from '../src/db/run.ts';
import { freePort, startEmbeddedNeo4j, type EmbeddedNeo4j } from '../src/neo4j/embedded.ts';
import { generateWorks } from '../seed/openalex/generate.ts';
import { importOpenAlex } from '../src/load/openalex.ts';
import { runBenchmark } from './main.ts';

const GOAL_SECONDS = 120;
const GOAL_RSS_MB = 2048;
const say = (line: string) => process.stderr.write(`bench: ${line}\n`);

const { values } = parseArgs({
  options: {
    works: { type: 'string', default: '20000' },
    seed: { type: 'string', default: '1' },
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

let neo4j: EmbeddedNeo4j | undefined;

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

function analyzeChild(uri: string, password: string): Promise<{ code: number | null; stderr: string; seconds: number }> {
  const started = performance.now();
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(projectRoot, 'seed', 'analyze-cli.ts')], {
    cwd: projectRoot,
    env: { ...process.env, NEO4J_URI: uri, NEO4J_USER: 'neo4j', NEO4J_PASSWORD: password },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
    process.stderr.write(chunk);
  });
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, stderr, seconds: (performance.now() - started) / 1000 })));
}

async function main(): Promise<number> {
  try {
    return await measure();
  } finally {
    await cleanUp();
  }
}

async function measure(): Promise<number> {
  const corpus = await ensureCorpus();
  const storeDir = path.join(projectRoot, '.cache', 'bench', `analyze-store-${works}-seed${seed}`);
  const loaded = path.join(storeDir, '.loaded');
  const isLoaded = (await readdir(storeDir).catch(() => [] as string[])).includes('.loaded');
  await mkdir(storeDir, { recursive: true });

  const boltPort = await freePort();
  neo4j = await startEmbeddedNeo4j({
    dataDir: storeDir,
    boltPort,
    heapMb: numberOf('heap-mb', values['heap-mb']),
    pageCacheMb: numberOf('pagecache-mb', values['pagecache-mb']),
    onProgress: (line) => say(line),
  });
  const { boltUri: uri, password } = neo4j;
  const database = await openDatabase({ kind: 'external', uri, user: 'neo4j', password, database: undefined });
  let graph: Awaited<ReturnType<typeof readGraphStats>>;
  try {
    if (!isLoaded) {
      await ensureGraphSchema(new Cypher(database));
      say(`importing ${works} works into ${storeDir} (not timed)`);
      const summary = await importOpenAlex(database, [corpus], { progress: true, onFailure: (failure) => say(failure.message) });
      if (summary.failedCount > 0) return 1;
      await writeFile(loaded, '');
    }
    graph = await readGraphStats(new Cypher(database));
  } finally {
    await database.close();
  }
  say(`analysing ${graph.papers} papers, ${graph.citations} citations, ${graph.relatedEdges} related links, ${graph.authorships} authorships`);
  const run = await analyzeChild(uri, password);
  if (run.code !== 0) return 1;
  const estimate = /about (\d+) MB of/.exec(run.stderr)?.[1];
  const peak = /in ([\d.]+)s \(CPU ([\d.]+)s\), peak heap (\d+) MB, peak RSS (\d+) MB/.exec(run.stderr);
  const result = {
    works,
    seed,
    ...graph,
    seconds: Number(run.seconds.toFixed(1)),
    estimateMb: Number(estimate),
    analysisSeconds: Number(peak?.[1]),
    cpuSeconds: Number(peak?.[2]),
    peakHeapMb: Number(peak?.[3]),
    peakRssMb: Number(peak?.[4]),
    loadAverage: os.loadavg().map((load) => Number(load.toFixed(1))),
    goals: { seconds: GOAL_SECONDS, rssMb: GOAL_RSS_MB },
  };
  process.stdout.write(
    `analyze, ${works} works (${graph.papers} papers, ${graph.citations} citations): ${result.seconds} s end to end (process start included), ` +
      `analysis ${result.analysisSeconds} s, CPU ${result.cpuSeconds} s, load average ${result.loadAverage.join(' ')}, ` +
      `peak heap ${result.peakHeapMb} MB, peak RSS ${result.peakRssMb} MB, estimated ${result.estimateMb} MB\n`,
  );
  await mkdir(path.join(projectRoot, 'bench-results'), { recursive: true });
  await writeFile(
    path.join(projectRoot, 'bench-results', `analyze-${works}-${new Date().toISOString().replace(/[:.]/g, '-')}.json`),
    `${JSON.stringify(result, null, 2)}\n`,
  );
  return result.seconds <= GOAL_SECONDS && result.peakRssMb <= GOAL_RSS_MB ? 0 : 3;
}

async function cleanUp(): Promise<void> {
  await neo4j?.stop();
  neo4j = undefined;
}

runBenchmark(main, cleanUp);
