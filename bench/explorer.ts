/**
 * Explorer benchmark: how long the page's main thread is blocked while a map of 500+ nodes grows.
 *
 *   npm run bench:explorer -- [--works 3000] [--nodes 500] [--expansions 6] [--seed 1] [--profile DIR]
 *                             [--trace DIR] [--baseline REV] [--raster main|gpu-process]
 *
 * 1. An embedded Neo4j in a temp directory, loaded with W synthetic OpenAlex works
 *    (seed/openalex/generate.ts: about ten citations each, a few works cited very often).
 * 2. The server in this process (yoga over node:http, a free port) and Debian's Chromium, headless,
 *    driven by playwright-core.
 * 3. The most cited paper is opened, then the drawn papers with most links are expanded until the map
 *    holds --nodes nodes.
 * 4. For each of --expansions more papers on that map, the same expansion twice, side by side: with the
 *    explorer's incremental placement (new nodes in rings next to their parent, nothing else moves) and
 *    with a full fcose layout of the whole map, each time undone afterwards so both start from the
 *    same map. The expansion's view is fetched once beforehand, so both sides draw from the cache.
 *    With --baseline REV the second side is instead the explorer as it was at that git revision (its
 *    files from git archive, its own server over the same Neo4j, in a second tab grown the same way),
 *    also placing incrementally: a change's effect, measured in the same minutes as the code before it.
 *    --raster says where Chromium rasterizes the canvas: `main` (--disable-gpu, the default: on the
 *    page's main thread, in software) or `gpu-process` (SwiftShader in Chromium's GPU process, as a
 *    browser with a GPU does it: off the main thread).
 *    Measured in the page: the longest task the Long Tasks API reports (only tasks over 50 ms are
 *    reported; none means every task was shorter) from the click until two frames after the page is
 *    idle (the links of the new nodes, fetched after the expansion, included), and the synchronous
 *    time of the expansion itself (performance.now around it). Measured by Chrome's trace: the CPU
 *    (thread) time of the main thread's longest task, which a loaded machine does not inflate as it
 *    does the wall time (a task that waits for a core is long on the wall, not in CPU).
 *
 * Prints a table, the longest task of each side over all expansions (wall and CPU) and the load
 * average at the start and the end; JSON in bench-results/.
 * Exit codes: 0 the incremental side stayed under 100 ms, 3 it did not, 1 a run failed, 2 bad arguments.
 */
import { createServer, type Server } from 'node:http';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import neo4j from 'neo4j-driver';
import { chromium, type BrowserContext, type CDPSession, type Page } from 'playwright-core';
import type { Database } from '../src/db/driver.ts';
import { ensureGraphSchema } from '../src/db/migrations.ts';
import { Cypher } from '../src/db/run.ts';
import { encodeGlobalId } from '../src/graphql/lib/global-id.ts';
import { freePort, startEmbeddedNeo4j, type EmbeddedNeo4j } from '../src/neo4j/embedded.ts';
import { createPapergraphYoga } from '../src/yoga.ts';
import { generateWorks } from '../seed/openalex/generate.ts';
import { importOpenAlex } from '../src/load/openalex.ts';
import { runBenchmark } from './main.ts';
import { checkOutBaseline, type BaselineTree } from './api/baseline.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const RESULTS_DIR = path.join(ROOT, 'bench-results');
const GOAL_MS = 100;
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const say = (line: string) => process.stderr.write(`bench: ${line}\n`);

interface TraceEvent {
  name: string;
  ph: string;
  pid: number;
  tid: number;
  dur?: number;
  tdur?: number;
  args?: { name?: string };
}

/**
 * The thread time of the longest task on the measured page's main thread in a trace, ms (0 when the
 * trace has none). With two tabs (--baseline) there are two renderer main threads: the measured one is
 * the one that worked most during the measurement (the other tab is in the background).
 */
function longestTaskCpu(events: TraceEvent[]): number {
  const mains = new Set(
    events.filter((event) => event.name === 'thread_name' && event.args?.name === 'CrRendererMain').map((event) => `${event.pid}:${event.tid}`),
  );
  // When the trace lost its metadata: the threads that ran the page's script.
  if (mains.size === 0) {
    for (const event of events) if (event.name === 'FunctionCall' || event.name === 'FireAnimationFrame') mains.add(`${event.pid}:${event.tid}`);
  }
  const byThread = new Map<string, number[]>();
  for (const event of events) {
    const thread = `${event.pid}:${event.tid}`;
    if (event.ph !== 'X' || event.name !== 'RunTask' || !mains.has(thread)) continue;
    byThread.set(thread, [...(byThread.get(thread) ?? []), (event.tdur ?? 0) / 1000]);
  }
  const sum = (values: number[]) => values.reduce((total, value) => total + value, 0);
  const busiest = [...byThread.values()].sort((a, b) => sum(b) - sum(a))[0] ?? [];
  return Math.max(0, ...busiest);
}

interface Side {
  /** Longest task reported by the Long Tasks API, ms; 0 when none passed 50 ms. */
  longestTask: number;
  /**
   * CPU time of the page's main thread in its longest task (Chrome's trace, thread time), ms: what the
   * task costs without the waits for a core that a loaded machine adds to the wall time above.
   */
  longestTaskCpu: number;
  /** Tasks over 50 ms. */
  longTasks: number;
  /** The expansion's own time (fetch excluded: the view is cached), ms. */
  expandMs: number;
  /** Its parts, from the explorer's performance measures: graph, panel, map-changed (ms). */
  parts: Record<string, number>;
}

interface Row {
  paper: string;
  nodesBefore: number;
  added: number;
  /** This code, incremental placement. */
  incremental: Side;
  /** This code with a full fcose layout, or (--baseline) the baseline revision, incremental. */
  full: Side;
}

let tmp: string | undefined;
let neo: EmbeddedNeo4j | undefined;
let database: Database | undefined;
let server: Server | undefined;
let context: BrowserContext | undefined;
let baselineServer: Server | undefined;
let baselineTree: BaselineTree | undefined;

async function cleanUp(): Promise<void> {
  await context?.close().catch(() => {});
  for (const open of [server, baselineServer]) {
    if (!open) continue;
    open.closeAllConnections();
    await new Promise<void>((resolve) => open.close(() => resolve()));
  }
  await baselineTree?.remove().catch(() => {});
  await database?.close().catch(() => {});
  await neo?.stop().catch(() => {});
  if (tmp) await rm(tmp, { recursive: true, force: true });
}

async function main(): Promise<number> {
  let values: { works: string; nodes: string; expansions: string; seed: string; profile?: string; trace?: string; baseline?: string; raster: string };
  try {
    ({ values } = parseArgs({
      options: {
        works: { type: 'string', default: '3000' },
        nodes: { type: 'string', default: '500' },
        expansions: { type: 'string', default: '6' },
        seed: { type: 'string', default: '1' },
        profile: { type: 'string' },
        trace: { type: 'string' },
        baseline: { type: 'string' },
        raster: { type: 'string', default: 'main' },
      },
    }));
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    return 2;
  }
  const works = Number(values.works);
  const targetNodes = Number(values.nodes);
  const expansions = Number(values.expansions);
  const seed = Number(values.seed);
  if (![works, targetNodes, expansions, seed].every((value) => Number.isInteger(value) && value > 0)) {
    process.stderr.write('--works, --nodes, --expansions and --seed take positive integers\n');
    return 2;
  }
  if (values.raster !== 'main' && values.raster !== 'gpu-process') {
    process.stderr.write('--raster takes main or gpu-process\n');
    return 2;
  }
  const rasterArgs = values.raster === 'main' ? ['--disable-gpu'] : ['--use-angle=swiftshader', '--enable-unsafe-swiftshader'];
  if (values.baseline) {
    baselineTree = await checkOutBaseline(ROOT, values.baseline);
    say(`baseline: commit ${baselineTree.commit.slice(0, 10)} in ${baselineTree.root}`);
  }

  const loadBefore = os.loadavg()[0]!;
  tmp = await mkdtemp(path.join(os.tmpdir(), 'papergraph-explorer-bench-'));
  say(`starting Neo4j in ${tmp}…`);
  neo = await startEmbeddedNeo4j({ boltPort: await freePort(), dataDir: path.join(tmp, 'neo4j') });
  const driver = neo4j.driver(neo.boltUri, neo4j.auth.basic(neo.user, neo.password), { disableLosslessIntegers: true });
  database = { driver, name: undefined, embedded: undefined, close: () => driver.close() };
  const cypher = new Cypher(database);
  await ensureGraphSchema(cypher);
  say(`generating and importing ${works} works…`);
  for await (const _part of generateWorks({ works, seed, out: path.join(tmp, 'works') })) {
    // written
  }
  await importOpenAlex(database, [path.join(tmp, 'works')], { onFailure: () => {} });

  const yoga = createPapergraphYoga({ database });
  server = createServer(yoga.requestListener);
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  let baselineBase: string | undefined;
  if (baselineTree) {
    // The baseline's whole server (its explorer bundle included), over the same database.
    const { createPapergraphYoga: createBaselineYoga } = (await import(pathToFileURL(path.join(baselineTree.root, 'src', 'yoga.ts')).href)) as {
      createPapergraphYoga: typeof createPapergraphYoga;
    };
    baselineServer = createServer(createBaselineYoga({ database }).requestListener);
    await new Promise<void>((resolve) => baselineServer!.listen(0, '127.0.0.1', resolve));
    baselineBase = `http://127.0.0.1:${(baselineServer.address() as AddressInfo).port}`;
  }

  const [start] = await cypher.read<{ uid: string }>(
    'MATCH (p:Paper) WHERE p.openalexHash IS NOT NULL RETURN p.uid AS uid ORDER BY COUNT { (p)<-[:CITES]-() } DESC, p.uid LIMIT 1',
  );
  if (!start) throw new Error('no paper was imported');

  context = await chromium.launchPersistentContext(path.join(tmp, 'chromium'), {
    executablePath: chromiumPath,
    headless: true,
    args: ['--no-sandbox', ...rasterArgs, '--no-first-run', '--disable-background-networking'],
    viewport: { width: 1280, height: 800 },
  });
  const errors: string[] = [];
  const startHash = `#paper=${encodeURIComponent(encodeGlobalId('Paper', start.uid))}`;
  /** A tab on `origin`'s explorer, its map grown to the target size the same way on every side. */
  const openMap = async (origin: string) => {
    const page = await context!.newPage();
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(`${origin}/${startHash}`);
    await page.waitForFunction(() => window.__papergraph !== undefined && window.__papergraph.cy.nodes().length > 1);
    await idle(page);
    say(`growing the map of ${origin} to ${targetNodes} nodes…`);
    while ((await nodeCount(page)) < targetNodes) {
      const [next] = await candidates(page);
      if (!next) throw new Error(`the map stopped growing at ${await nodeCount(page)} nodes`);
      await page.evaluate((id) => window.__papergraph!.expand({ id, kind: 'PAPER', label: '' }), next);
      await idle(page);
    }
    await page.evaluate(() => {
      const state = window as unknown as { __longTasks: number[] };
      state.__longTasks = [];
      new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) state.__longTasks.push(entry.duration);
      }).observe({ type: 'longtask', buffered: false });
    });
    return page;
  };
  const idle = (page: Page) => page.waitForFunction(() => document.body.dataset.busy === 'false' && window.__papergraph !== undefined);

  // Papers drawn but not expanded yet, most links first.
  const candidates = (page: Page) =>
    page.evaluate(() =>
      window
        .__papergraph!.cy.nodes('[kind = "PAPER"][!stub]')
        .toArray()
        .filter((node) => !node.hasClass('expanded'))
        .sort((a, b) => b.connectedEdges().length - a.connectedEdges().length)
        .map((node) => node.id()),
    );
  const nodeCount = (page: Page) => page.evaluate(() => window.__papergraph!.cy.nodes().length);

  const page = await openMap(base);
  const baselinePage = baselineBase ? await openMap(baselineBase) : undefined;
  say(`the map holds ${await nodeCount(page)} nodes; measuring ${expansions} expansions each way…`);

  const measure = async (target: Page, id: string, mode: 'incremental' | 'full') => {
    // A tab in the background draws no frames.
    await target.bringToFront();
    return target.evaluate(
      async ({ id, mode }) => {
        const state = window as unknown as { __longTasks: number[] };
        const app = window.__papergraph!;
        app.view.layoutMode = mode;
        // (No named functions in here: tsx would wrap them in a helper the page does not have.)
        await new Promise((resolve) => requestAnimationFrame(resolve));
        state.__longTasks = [];
        performance.clearMeasures();
        const before = app.cy.nodes().length;
        const started = performance.now();
        await app.expand({ id, kind: 'PAPER', label: '' });
        const expandMs = performance.now() - started;
        await new Promise((resolve) => requestAnimationFrame(resolve));
        await new Promise((resolve) => requestAnimationFrame(resolve));
        await new Promise((resolve) => setTimeout(resolve, 100));
        // The links of the new nodes to the rest of the map arrive after the expansion: they are part of it.
        while (document.body.dataset.busy !== 'false') await new Promise((resolve) => setTimeout(resolve, 20));
        await new Promise((resolve) => requestAnimationFrame(resolve));
        await new Promise((resolve) => requestAnimationFrame(resolve));
        await new Promise((resolve) => setTimeout(resolve, 100));
        const added = app.cy.nodes().length - before;
        const tasks = [...state.__longTasks];
        const parts: Record<string, number> = {};
        for (const entry of performance.getEntriesByType('measure')) parts[entry.name.replace('explorer:', '')] = Math.round(entry.duration);
        app.view.undo();
        app.view.layoutMode = 'incremental';
        await new Promise((resolve) => requestAnimationFrame(resolve));
        return { added, nodesBefore: before, side: { longestTask: Math.max(0, ...tasks), longestTaskCpu: 0, longTasks: tasks.length, expandMs, parts } };
      },
      { id, mode },
    );
  };

  // With --profile, a CPU profile of the page over each incremental expansion (bench/profile-summary.ts reads them).
  const profileDir = values.profile ? path.resolve(values.profile) : undefined;
  const cdp = profileDir ? await context.newCDPSession(page) : undefined;
  if (profileDir && cdp) {
    await mkdir(profileDir, { recursive: true });
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
  }
  const profiled = async <T>(name: string, task: () => Promise<T>): Promise<T> => {
    if (!cdp || !profileDir) return task();
    await cdp.send('Profiler.start');
    const result = await task();
    const { profile } = await cdp.send('Profiler.stop');
    await writeFile(path.join(profileDir, `${name}.cpuprofile`), JSON.stringify(profile));
    return result;
  };

  // Chrome's trace of each measured expansion: the main thread's longest task, in thread (CPU) time.
  const tracers = new Map<Page, CDPSession>();
  // With --trace, each measured expansion's trace events (what its longest task was made of).
  const traceDir = values.trace ? path.resolve(values.trace) : undefined;
  let traces = 0;
  let traceEvents: TraceEvent[] = [];
  for (const target of [page, baselinePage]) {
    if (!target) continue;
    const tracer = await context.newCDPSession(target);
    tracer.on('Tracing.dataCollected', ({ value }) => traceEvents.push(...(value as unknown as TraceEvent[])));
    tracers.set(target, tracer);
  }
  const traced = async (target: Page, task: () => Promise<{ added: number; nodesBefore: number; side: Side }>) => {
    const tracer = tracers.get(target)!;
    traceEvents = [];
    await tracer.send('Tracing.start', { categories: 'devtools.timeline,disabled-by-default-devtools.timeline', transferMode: 'ReportEvents' });
    const result = await task();
    const complete = new Promise((resolve) => tracer.once('Tracing.tracingComplete', resolve));
    await tracer.send('Tracing.end');
    await complete;
    result.side.longestTaskCpu = longestTaskCpu(traceEvents);
    if (traceDir) {
      await mkdir(traceDir, { recursive: true });
      await writeFile(path.join(traceDir, `trace-${++traces}.json`), JSON.stringify(traceEvents));
    }
    return result;
  };

  // Fetched once, undone: both sides then draw from the explorer's cache.
  const prefetch = async (target: Page, id: string) => {
    await target.evaluate(async (id) => {
      await window.__papergraph!.expand({ id, kind: 'PAPER', label: '' });
      window.__papergraph!.view.undo();
    }, id);
    await idle(target);
  };

  const rows: Row[] = [];
  for (const [index, id] of (await candidates(page)).slice(0, expansions).entries()) {
    await prefetch(page, id);
    if (baselinePage) await prefetch(baselinePage, id);
    const incremental = await profiled(`incremental-${index + 1}`, () => traced(page, () => measure(page, id, 'incremental')));
    const other = baselinePage
      ? await traced(baselinePage, () => measure(baselinePage, id, 'incremental'))
      : await traced(page, () => measure(page, id, 'full'));
    rows.push({ paper: id, nodesBefore: incremental.nodesBefore, added: incremental.added, incremental: incremental.side, full: other.side });
  }
  if (errors.length > 0) throw new Error(`errors in the page: ${errors.join('; ')}`);

  const fmt = (side: Side) =>
    `${side.longestTask === 0 ? '<50' : side.longestTask.toFixed(0)} ms, CPU ${side.longestTaskCpu === 0 ? '(no trace)' : `${side.longestTaskCpu.toFixed(0)} ms`} (${side.longTasks} long; expand ${side.expandMs.toFixed(0)} ms: ${Object.entries(
      side.parts,
    )
      .map(([name, ms]) => `${name} ${ms}`)
      .join(', ')})`;
  const loadAfter = os.loadavg()[0]!;
  const otherName = baselineTree ? `baseline ${baselineTree.commit.slice(0, 10)}` : 'full fcose layout';
  console.log(`raster: ${values.raster === 'main' ? 'on the main thread (--disable-gpu)' : 'in the GPU process (SwiftShader)'}`);
  console.log(`nodes before | added | incremental: longest task, its CPU time | ${otherName}: longest task, its CPU time | ratio (wall, CPU)`);
  for (const row of rows) {
    const ratio = (full: number, incremental: number) => (incremental > 0 && full > 0 ? (full / incremental).toFixed(1) : '—');
    console.log(
      `${row.nodesBefore} | ${row.added} | ${fmt(row.incremental)} | ${fmt(row.full)} | ${ratio(row.full.longestTask, row.incremental.longestTask)}, ${ratio(row.full.longestTaskCpu, row.incremental.longestTaskCpu)}`,
    );
  }
  const worst = (side: 'incremental' | 'full', key: 'longestTask' | 'longestTaskCpu') => Math.max(...rows.map((row) => Math.max(row[side][key], 0)));
  const worstIncremental = worst('incremental', 'longestTask');
  const worstFull = worst('full', 'longestTask');
  const worstIncrementalCpu = worst('incremental', 'longestTaskCpu');
  const worstFullCpu = worst('full', 'longestTaskCpu');
  console.log(
    `longest main-thread task while expanding a ${rows[0]?.nodesBefore ?? 0}-node map: incremental ${worstIncremental === 0 ? 'under 50' : worstIncremental.toFixed(0)} ms (CPU ${worstIncrementalCpu.toFixed(0)} ms), ${otherName} ${worstFull === 0 ? 'under 50' : worstFull.toFixed(0)} ms (CPU ${worstFullCpu.toFixed(0)} ms); goal: under ${GOAL_MS} ms`,
  );
  console.log(`load average (1 min) ${loadBefore.toFixed(1)} at the start, ${loadAfter.toFixed(1)} at the end, on ${os.availableParallelism()} cores`);
  await mkdir(RESULTS_DIR, { recursive: true });
  const file = path.join(RESULTS_DIR, `explorer-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  await writeFile(
    file,
    `${JSON.stringify(
      {
        works,
        targetNodes,
        raster: values.raster,
        baseline: baselineTree?.commit ?? null,
        rows,
        worstIncremental,
        worstFull,
        worstIncrementalCpu,
        worstFullCpu,
        loadBefore,
        loadAfter,
        goalMs: GOAL_MS,
      },
      null,
      2,
    )}\n`,
  );
  say(`results in ${path.relative(ROOT, file)}`);
  await cleanUp();
  return worstIncremental < GOAL_MS ? 0 : 3;
}

runBenchmark(main, cleanUp);
