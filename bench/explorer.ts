/**
 * Explorer benchmark: how long the page's main thread is blocked while a map of 500+ nodes grows.
 *
 *   npm run bench:explorer -- [--works 3000] [--nodes 500] [--expansions 6] [--seed 1]
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
 *    Measured in the page: the longest task the Long Tasks API reports (only tasks over 50 ms are
 *    reported; none means every task was shorter) from the click until two frames after the page is
 *    idle, and the synchronous time of the expansion itself (performance.now around it).
 *
 * Prints a table and the longest task of each side over all expansions; JSON in bench-results/.
 * Exit codes: 0 the incremental side stayed under 100 ms, 3 it did not, 1 a run failed, 2 bad arguments.
 */
import { createServer, type Server } from 'node:http';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import neo4j from 'neo4j-driver';
import { chromium, type BrowserContext } from 'playwright-core';
import type { Database } from '../src/db/driver.ts';
import { ensureGraphSchema } from '../src/db/migrations.ts';
import { Cypher } from '../src/db/run.ts';
import { encodeGlobalId } from '../src/graphql/lib/global-id.ts';
import { freePort, startEmbeddedNeo4j, type EmbeddedNeo4j } from '../src/neo4j/embedded.ts';
import { createPapergraphYoga } from '../src/yoga.ts';
import { generateWorks } from '../seed/openalex/generate.ts';
import { importOpenAlex } from '../src/load/openalex.ts';
import { runBenchmark } from './main.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const RESULTS_DIR = path.join(ROOT, 'bench-results');
const GOAL_MS = 100;
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const say = (line: string) => process.stderr.write(`bench: ${line}\n`);

interface Side {
  /** Longest task reported by the Long Tasks API, ms; 0 when none passed 50 ms. */
  longestTask: number;
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
  incremental: Side;
  full: Side;
}

let tmp: string | undefined;
let neo: EmbeddedNeo4j | undefined;
let database: Database | undefined;
let server: Server | undefined;
let context: BrowserContext | undefined;

async function cleanUp(): Promise<void> {
  await context?.close().catch(() => {});
  if (server) {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server!.close(() => resolve()));
  }
  await database?.close().catch(() => {});
  await neo?.stop().catch(() => {});
  if (tmp) await rm(tmp, { recursive: true, force: true });
}

async function main(): Promise<number> {
  let values: { works: string; nodes: string; expansions: string; seed: string };
  try {
    ({ values } = parseArgs({
      options: {
        works: { type: 'string', default: '3000' },
        nodes: { type: 'string', default: '500' },
        expansions: { type: 'string', default: '6' },
        seed: { type: 'string', default: '1' },
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

  const [start] = await cypher.read<{ uid: string }>(
    'MATCH (p:Paper) WHERE p.openalexHash IS NOT NULL RETURN p.uid AS uid ORDER BY COUNT { (p)<-[:CITES]-() } DESC, p.uid LIMIT 1',
  );
  if (!start) throw new Error('no paper was imported');

  context = await chromium.launchPersistentContext(path.join(tmp, 'chromium'), {
    executablePath: chromiumPath,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
    viewport: { width: 1280, height: 800 },
  });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(`${base}/#paper=${encodeURIComponent(encodeGlobalId('Paper', start.uid))}`);
  const idle = () => page.waitForFunction(() => document.body.dataset.busy === 'false' && window.__papergraph !== undefined);
  await page.waitForFunction(() => window.__papergraph !== undefined && window.__papergraph.cy.nodes().length > 1);
  await idle();

  // Papers drawn but not expanded yet, most links first.
  const candidates = () =>
    page.evaluate(() =>
      window
        .__papergraph!.cy.nodes('[kind = "PAPER"][!stub]')
        .toArray()
        .filter((node) => !node.hasClass('expanded'))
        .sort((a, b) => b.connectedEdges().length - a.connectedEdges().length)
        .map((node) => node.id()),
    );
  const nodeCount = () => page.evaluate(() => window.__papergraph!.cy.nodes().length);

  say(`growing the map to ${targetNodes} nodes…`);
  while ((await nodeCount()) < targetNodes) {
    const [next] = await candidates();
    if (!next) throw new Error(`the map stopped growing at ${await nodeCount()} nodes`);
    await page.evaluate((id) => window.__papergraph!.expand({ id, kind: 'PAPER', label: '' }), next);
    await idle();
  }
  say(`the map holds ${await nodeCount()} nodes; measuring ${expansions} expansions each way…`);

  await page.evaluate(() => {
    const state = window as unknown as { __longTasks: number[] };
    state.__longTasks = [];
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) state.__longTasks.push(entry.duration);
    }).observe({ type: 'longtask', buffered: false });
  });

  const measure = (id: string, mode: 'incremental' | 'full') =>
    page.evaluate(
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
        const added = app.cy.nodes().length - before;
        const tasks = [...state.__longTasks];
        const parts: Record<string, number> = {};
        for (const entry of performance.getEntriesByType('measure')) parts[entry.name.replace('explorer:', '')] = Math.round(entry.duration);
        app.view.undo();
        app.view.layoutMode = 'incremental';
        await new Promise((resolve) => requestAnimationFrame(resolve));
        return { added, nodesBefore: before, side: { longestTask: Math.max(0, ...tasks), longTasks: tasks.length, expandMs, parts } };
      },
      { id, mode },
    );

  const rows: Row[] = [];
  for (const id of (await candidates()).slice(0, expansions)) {
    // Fetched once, undone: both sides then draw from the explorer's cache.
    await page.evaluate(async (id) => {
      await window.__papergraph!.expand({ id, kind: 'PAPER', label: '' });
      window.__papergraph!.view.undo();
    }, id);
    await idle();
    const incremental = await measure(id, 'incremental');
    const full = await measure(id, 'full');
    rows.push({ paper: id, nodesBefore: incremental.nodesBefore, added: incremental.added, incremental: incremental.side, full: full.side });
  }
  if (errors.length > 0) throw new Error(`errors in the page: ${errors.join('; ')}`);

  const fmt = (side: Side) =>
    `${side.longestTask === 0 ? '<50' : side.longestTask.toFixed(0)} ms (${side.longTasks} long; expand ${side.expandMs.toFixed(0)} ms: ${Object.entries(
      side.parts,
    )
      .map(([name, ms]) => `${name} ${ms}`)
      .join(', ')})`;
  console.log('nodes before | added | incremental: longest task | full fcose: longest task | ratio');
  for (const row of rows) {
    const ratio = row.incremental.longestTask > 0 ? (row.full.longestTask / row.incremental.longestTask).toFixed(1) : '—';
    console.log(`${row.nodesBefore} | ${row.added} | ${fmt(row.incremental)} | ${fmt(row.full)} | ${ratio}`);
  }
  const worst = (side: 'incremental' | 'full') => Math.max(...rows.map((row) => Math.max(row[side].longestTask, 0)));
  const worstIncremental = worst('incremental');
  const worstFull = worst('full');
  console.log(
    `longest main-thread task while expanding a ${rows[0]?.nodesBefore ?? 0}-node map: incremental ${worstIncremental === 0 ? 'under 50' : worstIncremental.toFixed(0)} ms, full fcose layout ${worstFull.toFixed(0)} ms (goal: under ${GOAL_MS} ms)`,
  );
  await mkdir(RESULTS_DIR, { recursive: true });
  const file = path.join(RESULTS_DIR, `explorer-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  await writeFile(file, `${JSON.stringify({ works, targetNodes, rows, worstIncremental, worstFull, goalMs: GOAL_MS }, null, 2)}\n`);
  say(`results in ${path.relative(ROOT, file)}`);
  await cleanUp();
  return worstIncremental < GOAL_MS ? 0 : 3;
}

runBenchmark(main, cleanUp);
