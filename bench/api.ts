/**
 * API benchmark: the GraphQL server against its floor, the same answers got by hand-written Cypher
 * through neo4j-driver with no HTTP and no GraphQL, in the same run, at the same concurrency.
 *
 *   npm run bench -- [--pages 20000 | --growth] [--works W] [--duration 10] [--warmup 5] [--concurrency 16] [--only a,b]
 *
 * For each corpus size:
 * 1. The corpus: N pages from seed/generate.ts, cached in .cache/bench/pages-N-seedS (bench/corpus.ts).
 * 2. The works: the first W OpenAlex works of seed/openalex/generate.ts for the same N and seed, which
 *    describe pages 0 … W-1 and cite each other (W = N/2 unless --works), cached in
 *    .cache/bench/works-W-of-N-seedS (bench/corpus.ts ensureWorks).
 * 3. The store: that corpus loaded once by seedPages into an embedded Neo4j, the works imported on top
 *    by importOpenAlex (joining their pages, adding CITES), cached, cleanly shut down, in
 *    .cache/bench/api-store-N-worksW-seedS; every run starts Neo4j on a copy in /tmp/apibench-run-*.
 * 4. The server: `src/index.ts` as a child process on loopback, pointed at that Neo4j.
 * 5. Every operation's answers checked equal on both sides on a few inputs, then all operations run on
 *    both sides for --settle seconds (Neo4j's JIT needs tens of seconds of load to reach speed).
 * 6. Per operation (bench/api/operations.ts): warm-up of each side, then rounds of the server
 *    (autocannon) and the floor in mirrored order, each side rotating over the same 64 inputs.
 * 7. A table on stdout (and with --growth, how latency grows with the corpus), JSON in bench-results/.
 * With --http-floor and --baseline REV, more sides in the same rounds: the floor's Cypher behind plain
 * node:http, and the server as it was at revision REV.
 *
 * Exit codes: 0 goals met, 1 a run failed or an answer differed, 2 bad arguments, 3 a goal was missed.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { openDatabase, type Database } from '../src/db/driver.ts';
import { Cypher } from '../src/db/run.ts';
import { ensureCorpus, ensureWorks } from './corpus.ts';
import { checkOperation } from './api/check.ts';
import { pickInputs, INPUTS } from './api/inputs.ts';
import { measureOperation, settleNeo4j } from './api/measure.ts';
import { buildOperations, operationNames } from './api/operations.ts';
import { parseOptions, UsageError, USAGE, type Options } from './api/options.ts';
import { budgetTable, GOALS, growthGoals, growthTable, judge, sizeTable, type OperationResult, type SizeResult } from './api/report.ts';
import { checkOutBaseline, type BaselineTree } from './api/baseline.ts';
import { startHttpFloor, startServer, type ServerChild } from './api/server.ts';
import { ensureStore, startStoreCopy, stopEverything, type Neo4jSettings } from './api/store.ts';
import { runBenchmark } from './main.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CACHE_DIR = path.join(ROOT, '.cache', 'bench');
const RESULTS_DIR = path.join(ROOT, 'bench-results');

const say = (line: string) => process.stderr.write(`bench: ${line}\n`);
let server: ServerChild | undefined;
let httpFloor: ServerChild | undefined;
let baselineServer: ServerChild | undefined;
let baselineTree: BaselineTree | undefined;
let neo4jVersion = 'unknown';

async function runSize(pages: number, options: Options): Promise<SizeResult> {
  const settings: Neo4jSettings = { boltPort: options.boltPort, heapMb: options.heapMb, pageCacheMb: options.pageCacheMb };
  const corpus = await ensureCorpus(path.join(CACHE_DIR, `pages-${pages}-seed${options.seed}`), pages, options.seed, true);
  const worksCount = options.works ?? Math.floor(pages / 2);
  const works =
    worksCount > 0
      ? await ensureWorks(path.join(CACHE_DIR, `works-${worksCount}-of-${pages}-seed${options.seed}`), pages, worksCount, options.seed)
      : undefined;
  const store = await ensureStore(corpus, works, CACHE_DIR, settings);
  const running = await startStoreCopy(store, settings);
  let floorDatabase: Database | undefined;
  try {
    say(`starting the server (port ${options.httpPort}, ${options.workers} worker${options.workers === 1 ? '' : 's'})…`);
    server = await startServer(running.neo.boltUri, options.httpPort, {
      profileDir: options.profileDir,
      workers: options.workers,
      password: running.neo.password,
    });
    // The floor's driver: made as the server makes its own (pool, retries, integers). Its runner lasts the
    // whole run, so it has no time budget (a server's runner has one per request).
    floorDatabase = await openDatabase(
      { kind: 'external', uri: running.neo.boltUri, user: running.neo.user, password: running.neo.password, database: undefined },
      { maxRetryTimeMs: 3_000 },
    );
    const cypher = new Cypher(floorDatabase);
    const [component] = await cypher.read<{ version: string }>('CALL dbms.components() YIELD versions RETURN versions[0] AS version');
    neo4jVersion = component?.version ?? neo4jVersion;
    const inputs = await pickInputs(cypher);
    const { operations, skipped } = buildOperations(inputs);
    const chosen = options.only ? operations.filter((op) => options.only!.includes(op.name)) : operations;

    let callsDir: string | undefined;
    if (options.httpFloor) {
      callsDir = await mkdtemp(path.join(os.tmpdir(), 'apibench-calls-'));
      const callsFile = path.join(callsDir, 'calls.json');
      await writeFile(callsFile, JSON.stringify(Object.fromEntries(chosen.map((op) => [op.name, op.cases.map((item) => item.floor)]))));
      say(`starting the HTTP floor (${options.workers} worker${options.workers === 1 ? '' : 's'})…`);
      httpFloor = await startHttpFloor(running.neo.boltUri, callsFile, options.workers, running.neo.password);
    }
    if (baselineTree) {
      say(`starting the baseline server, commit ${baselineTree.commit.slice(0, 10)} (port ${options.httpPort + 1})…`);
      baselineServer = await startServer(running.neo.boltUri, options.httpPort + 1, {
        workers: options.workers,
        root: baselineTree.root,
        name: 'baseline server',
        password: running.neo.password,
      });
    }

    const checks = new Map<string, Awaited<ReturnType<typeof checkOperation>>>();
    for (const op of chosen) checks.set(op.name, await checkOperation(op, server.url, cypher));
    say(`${pages} pages: settling Neo4j (${options.settle} s of every operation, both sides)…`);
    await settleNeo4j(chosen, baselineServer ? [server.url, baselineServer.url] : [server.url], cypher, options.concurrency, options.settle);

    const results: OperationResult[] = [];
    for (const op of chosen) {
      const check = checks.get(op.name)!;
      say(`${pages} pages, ${op.name}: answers match on ${check.matched}/${check.compared} inputs; measuring…`);
      const {
        server: serverRun,
        floor: floorRun,
        httpFloor: httpFloorRun,
        baseline: baselineRun,
      } = await measureOperation(
        op,
        server.url,
        cypher,
        { server: server.pid, neo4j: running.neo.pid },
        { concurrency: options.concurrency, duration: options.duration, warmup: options.warmup, rounds: options.rounds },
        { httpFloor, baseline: baselineServer },
      );
      const { ratio, goals } = judge(op.kind, serverRun, floorRun, pages, options.concurrency);
      say(
        `${pages} pages, ${op.name}: server ${serverRun.throughput.toFixed(0)} req/s, p99 ${serverRun.p99.toFixed(1)} ms; ` +
          `floor ${floorRun.throughput.toFixed(0)} req/s, p99 ${floorRun.p99.toFixed(1)} ms; server/floor ${ratio.toFixed(2)}×` +
          (httpFloorRun
            ? `; HTTP floor ${httpFloorRun.throughput.toFixed(0)} req/s (${(httpFloorRun.throughput / floorRun.throughput).toFixed(2)}× the floor)`
            : '') +
          (baselineRun
            ? `; baseline ${baselineRun.throughput.toFixed(0)} req/s (server/baseline ${(serverRun.throughput / baselineRun.throughput).toFixed(2)}×, ` +
              `server process CPU ${serverRun.cpuMsPerRequest.server?.toFixed(3)} against ${baselineRun.cpuMsPerRequest.server?.toFixed(3)} ms/req)`
            : ''),
      );
      results.push({
        name: op.name,
        description: op.description,
        kind: op.kind,
        document: op.document,
        inputs: op.cases.length,
        check,
        server: serverRun,
        floor: floorRun,
        ...(httpFloorRun ? { httpFloor: httpFloorRun } : {}),
        ...(baselineRun ? { baseline: baselineRun } : {}),
        ratio,
        goals,
      });
    }
    if (callsDir) await rm(callsDir, { recursive: true, force: true });
    return { pages, works: store.marker.works ?? 0, graph: store.marker.stats, operations: results, skipped };
  } finally {
    await server?.stop();
    server = undefined;
    await httpFloor?.stop();
    httpFloor = undefined;
    await baselineServer?.stop();
    baselineServer = undefined;
    await floorDatabase?.close().catch(() => {});
    await running.close();
  }
}

function machine() {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model ?? 'unknown',
    cores: cpus.length,
    memoryGb: Math.round(os.totalmem() / 2 ** 30),
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    loadAverage: os.loadavg().map((value) => Number(value.toFixed(2))),
  };
}

async function main(): Promise<number> {
  let options: Options;
  try {
    const parsed = parseOptions(process.argv.slice(2));
    if (parsed === 'help') {
      process.stdout.write(`${USAGE}\n`);
      return 0;
    }
    options = parsed;
    const unknown = options.only?.filter((name) => !operationNames.includes(name)) ?? [];
    if (unknown.length > 0) throw new UsageError(`--only: unknown operation(s) ${unknown.join(', ')}`);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`${error.message}\n${USAGE}\n`);
    return 2;
  }

  const started = new Date();
  const loadBefore = machine().loadAverage;
  if (options.baseline) {
    try {
      baselineTree = await checkOutBaseline(ROOT, options.baseline);
    } catch (error) {
      process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
      return 2;
    }
  }
  const baselineCommit = baselineTree?.commit;
  const sizes: SizeResult[] = [];
  try {
    for (const pages of options.sizes) sizes.push(await runSize(pages, options));
  } finally {
    await baselineTree?.remove();
    baselineTree = undefined;
  }

  const problems: string[] = [];
  for (const size of sizes) {
    for (const op of size.operations) {
      const where = `${size.pages} pages, ${op.name}`;
      if (op.check.matched !== op.check.compared) {
        problems.push(
          `${where}: the floor's answer differs from the server's for ${JSON.stringify(op.check.mismatch?.variables)}:\n    server ${op.check.mismatch?.server}\n    floor  ${op.check.mismatch?.floor}`,
        );
      }
      if (op.server.failures > 0) problems.push(`${where}: ${op.server.failures} server request(s) failed, e.g. ${op.server.firstFailure}`);
      if (op.floor.failures > 0) problems.push(`${where}: ${op.floor.failures} floor request(s) failed, e.g. ${op.floor.firstFailure}`);
      if (op.baseline?.failures) problems.push(`${where}: ${op.baseline.failures} baseline request(s) failed, e.g. ${op.baseline.firstFailure}`);
    }
  }
  const growth = growthGoals(sizes);
  const missed = [
    ...sizes.flatMap((size) =>
      size.operations.flatMap((op) => op.goals.filter((goal) => !goal.met).map((goal) => `${size.pages} pages, ${op.name}: ${goal.goal}`)),
    ),
    ...growth
      .filter((row) => !row.met)
      .map((row) => `${row.operation}: p50 at ${row.to} pages is ${row.growth.toFixed(2)}× that at ${row.from} (goal ≤ ${GOALS.maxPointGrowth}×)`),
  ];

  const box = machine();
  const out: string[] = [];
  out.push(
    `API bench ${started.toISOString()}: concurrency ${options.concurrency}, ${options.settle} s settling, ${options.warmup} s warm-up + ${options.duration} s per operation per side, ` +
      `${INPUTS} rotating inputs; server WORKERS=${options.workers}; Neo4j ${neo4jVersion} (heap ${options.heapMb} MB, page cache ${options.pageCacheMb} MB), node ${process.version}; ` +
      `${box.cores} × ${box.cpu}, ${box.memoryGb} GB, load average before ${loadBefore.join(' ')}`,
  );
  for (const size of sizes) {
    out.push('');
    out.push(
      `${size.pages.toLocaleString('en-US')} pages + ${size.works.toLocaleString('en-US')} works: ${size.graph.papers} papers, ${size.graph.authors} authors, ` +
        `${size.graph.citations} citations, ${size.graph.relationships} relationships`,
    );
    out.push(sizeTable(size));
    if (options.httpFloor) {
      out.push('');
      out.push('what GraphQL may cost, where the cores are the limit (bench/api/report.ts cpuBudget):');
      out.push(budgetTable(size));
    }
  }
  if (sizes.length > 1) {
    out.push('');
    out.push('growth (server p50 / p99 ms at each size; p50 growth = largest / smallest):');
    out.push(growthTable(sizes));
    for (const row of growth)
      out.push(
        `  ${row.met ? 'ok' : 'MISSED'}: ${row.operation} p50 ×${row.growth.toFixed(2)} from ${row.from} to ${row.to} pages (goal ≤ ${GOALS.maxPointGrowth}×)`,
      );
  }
  out.push('');
  out.push(
    'req/s, p50, p99: the server over HTTP (autocannon), then the floor (hand-written Cypher, one round-trip, through src/db/run.ts: no HTTP, no GraphQL).',
    "cypher/req: the server's Neo4j round-trips per request (the floor's is 1). cpu ms/req: CPU per request of the server",
    'with its workers and Neo4j (server side), of Neo4j and the driver loop (floor side); the JSON has each process apart.',
    ...(options.httpFloor
      ? [
          "http floor/floor: the floor's Cypher behind plain node:http with the server's worker count (no GraphQL), over the floor.",
          'cores busy: throughput × CPU per request of the server (or HTTP floor), Neo4j and the load generator. When both sides keep',
          "the same cores busy, server/floor follows from CPU alone (the check column); graphql cpu: the server side's CPU per request",
          "above the HTTP floor's; budget: the most it may be for server/floor to reach the goal (≤ 0: plain HTTP alone misses it).",
        ]
      : []),
    ...(baselineCommit
      ? [
          `server/baseline: this server's throughput over that of the server at commit ${baselineCommit.slice(0, 10)} (${options.baseline}), in the same rounds.`,
        ]
      : []),
  );
  out.push(missed.length === 0 ? 'goals: all met' : `goals MISSED:\n  ${missed.join('\n  ')}`);
  if (problems.length > 0) out.push(`problems:\n  ${problems.join('\n  ')}`);
  process.stdout.write(`${out.join('\n')}\n`);

  const record = {
    bench: 'api',
    date: started.toISOString(),
    machine: { ...box, loadAverageBefore: loadBefore, loadAverageAfter: box.loadAverage },
    versions: { node: process.version, neo4j: neo4jVersion },
    options,
    ...(baselineCommit ? { baselineCommit } : {}),
    goals: GOALS,
    sizes,
    growth,
    missed,
    problems,
  };
  await mkdir(RESULTS_DIR, { recursive: true });
  const label = options.sizes.length > 1 ? 'growth' : String(options.sizes[0]);
  const file = path.join(RESULTS_DIR, `api-${label}-${started.toISOString().replace(/[:.]/g, '-')}.json`);
  await writeFile(file, `${JSON.stringify(record, null, 2)}\n`);
  say(`result written to ${path.relative(process.cwd(), file)}`);
  if (problems.length > 0) return 1;
  return missed.length === 0 ? 0 : 3;
}

async function cleanUp(): Promise<void> {
  await server?.stop().catch(() => {});
  await httpFloor?.stop().catch(() => {});
  await baselineServer?.stop().catch(() => {});
  await baselineTree?.remove().catch(() => {});
  await stopEverything();
}

runBenchmark(main, cleanUp);
