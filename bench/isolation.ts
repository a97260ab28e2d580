/**
 * Isolation benchmark: how fast `/health` and a cheap query answer while the heaviest requests the
 * operation limits allow are running, against the same probes on the idle server, in one run.
 *
 *   npm run bench:isolation -- [--pages 3000] [--heavy 4] [--duration 15]
 *
 * 1. The store of bench/api.ts for --pages generated pages and half as many OpenAlex works (cached in
 *    .cache/bench/), on a copy in /tmp; the server (`src/index.ts`) on a free port.
 * 2. The heaviest request: as many aliases as the cost limit lets through of a depth-3, 500-node
 *    neighbourhood over authorship, related links and citations, each on one of the most cited papers.
 * 3. Rounds in mirrored order (idle, loaded, loaded, idle): in each, a probe every 50 ms sends
 *    `GET /health` and `{ paper(id) { title } }`; in loaded rounds, --heavy clients send the heavy
 *    request back to back.
 * 4. A table of the probes' latency (p50 / p99 / max) idle and loaded, and what the heavy requests got;
 *    JSON in bench-results/.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { startServer, type ServerChild } from './api/server.ts';
import { ensureStore, startStoreCopy, stopEverything, type RunningStore } from './api/store.ts';
import { ensureCorpus, ensureWorks } from './corpus.ts';
import { runBenchmark } from './main.ts';
import { operationLimits } from '../src/graphql/armor.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CACHE_DIR = path.join(ROOT, '.cache', 'bench');
const RESULTS_DIR = path.join(ROOT, 'bench-results');
const USAGE = 'usage: npm run bench:isolation -- [--pages N (3000)] [--heavy CLIENTS (4)] [--duration SECONDS per round (15)] [--seed S (1)]';
const say = (line: string) => process.stderr.write(`bench: ${line}\n`);

let server: ServerChild | undefined;
let store: RunningStore | undefined;

interface Probe {
  name: string;
  send: () => Promise<Response>;
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: { pages: { type: 'string' }, heavy: { type: 'string' }, duration: { type: 'string' }, seed: { type: 'string' }, help: { type: 'boolean' } },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const pages = Number(values.pages ?? 3_000);
  const heavyClients = Number(values.heavy ?? 4);
  const seconds = Number(values.duration ?? 15);
  const seed = Number(values.seed ?? 1);
  if (![pages, heavyClients, seconds, seed].every((n) => Number.isInteger(n) && n > 0)) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }

  const settings = { boltPort: await freePort(), heapMb: 1024, pageCacheMb: 512 };
  const corpus = await ensureCorpus(path.join(CACHE_DIR, `pages-${pages}-seed${seed}`), pages, seed, true);
  const works = await ensureWorks(path.join(CACHE_DIR, `works-${Math.floor(pages / 2)}-of-${pages}-seed${seed}`), pages, Math.floor(pages / 2), seed);
  store = await startStoreCopy(await ensureStore(corpus, works, CACHE_DIR, settings), settings);
  say('starting the server…');
  server = await startServer(store.neo.boltUri, await freePort(), { password: store.neo.password });
  const graphqlUrl = server.url;
  const base = graphqlUrl.replace(/\/graphql$/, '');
  const post = (query: string, variables: Record<string, unknown> = {}) =>
    fetch(graphqlUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) });

  const cited = (await (await post('{ papers(first: 10, orderBy: { field: CITATION_COUNT }) { edges { node { id } } } }')).json()) as {
    data: { papers: { edges: { node: { id: string } }[] } };
  };
  const hubs = cited.data.papers.edges.map((edge) => edge.node.id);
  const heavy = await heaviestAllowed(post, hubs);
  say(`heavy request: ${heavy.aliases} aliases, estimated cost ${heavy.cost} of ${operationLimits.maxCost}, answer ${heavy.bytes} bytes`);

  const probes: Probe[] = [
    { name: 'GET /health', send: () => fetch(`${base}/health`) },
    { name: '{ paper(id) { title } }', send: () => post('query ($id: ID!) { paper(id: $id) { title } }', { id: hubs[0] }) },
  ];
  const rounds: ('idle' | 'loaded')[] = ['idle', 'loaded', 'loaded', 'idle'];
  const latencies = new Map<string, number[]>();
  const heavyOutcomes: Record<string, number> = {};
  const heavyMs: number[] = [];
  for (const [index, kind] of rounds.entries()) {
    say(`round ${index + 1}/${rounds.length}: ${kind}, ${seconds} s`);
    const stopAt = Date.now() + seconds * 1_000;
    const load =
      kind === 'loaded'
        ? Array.from({ length: heavyClients }, async () => {
            while (Date.now() < stopAt) {
              const started = performance.now();
              const response = await post(heavy.query);
              const body = (await response.json()) as { errors?: { extensions?: { code?: string } }[] };
              heavyMs.push(performance.now() - started);
              const outcome = `${response.status} ${body.errors?.[0]?.extensions?.code ?? 'ok'}`;
              heavyOutcomes[outcome] = (heavyOutcomes[outcome] ?? 0) + 1;
            }
          })
        : [];
    while (Date.now() < stopAt) {
      await Promise.all(
        probes.map(async (probe) => {
          const started = performance.now();
          const response = await probe.send();
          await response.arrayBuffer();
          if (!response.ok) throw new Error(`${probe.name} answered ${response.status}`);
          const key = `${probe.name}|${kind}`;
          latencies.set(key, [...(latencies.get(key) ?? []), performance.now() - started]);
        }),
      );
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await Promise.all(load);
  }

  const rows = probes.map((probe) => {
    const idle = summary(latencies.get(`${probe.name}|idle`) ?? []);
    const loaded = summary(latencies.get(`${probe.name}|loaded`) ?? []);
    return { probe: probe.name, idle, loaded, p50Ratio: loaded.p50 / idle.p50, p99Ratio: loaded.p99 / idle.p99 };
  });
  const heavySummary = summary(heavyMs);
  const ms = (value: number) => value.toFixed(1).padStart(7);
  const out = [
    `isolation: ${pages} pages, ${heavyClients} heavy clients, ${seconds} s rounds (idle, loaded, loaded, idle), ${os.cpus().length} cores, load average ${os
      .loadavg()
      .map((n) => n.toFixed(1))
      .join(' ')}`,
    `heavy request: ${heavy.aliases} × neighborhood(depth: 3, limit: 500, via: all), estimated cost ${heavy.cost} (limit ${operationLimits.maxCost}), ${heavy.bytes} bytes`,
    `heavy requests: ${heavyMs.length} done, p50 ${heavySummary.p50.toFixed(0)} ms, max ${heavySummary.max.toFixed(0)} ms; answers ${JSON.stringify(heavyOutcomes)}`,
    '',
    'probe                      n idle   p50     p99     max | n loaded   p50     p99     max | loaded/idle p50   p99',
    ...rows.map(
      (row) =>
        `${row.probe.padEnd(24)} ${String(row.idle.n).padStart(6)} ${ms(row.idle.p50)} ${ms(row.idle.p99)} ${ms(row.idle.max)} | ${String(row.loaded.n).padStart(8)} ${ms(row.loaded.p50)} ${ms(row.loaded.p99)} ${ms(row.loaded.max)} | ${row.p50Ratio.toFixed(2).padStart(15)}× ${row.p99Ratio.toFixed(2).padStart(5)}×`,
    ),
    '(milliseconds, measured from this process over HTTP on loopback)',
  ];
  process.stdout.write(`${out.join('\n')}\n`);
  await mkdir(RESULTS_DIR, { recursive: true });
  const file = path.join(RESULTS_DIR, `isolation-${pages}-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  const record = {
    bench: 'isolation',
    date: new Date().toISOString(),
    pages,
    heavyClients,
    seconds,
    loadAverage: os.loadavg(),
    heavy: { ...heavy, query: undefined, outcomes: heavyOutcomes, latency: heavySummary },
    probes: rows,
  };
  await writeFile(file, `${JSON.stringify(record, null, 2)}\n`);
  say(`result written to ${path.relative(process.cwd(), file)}`);
  return 0;
}

/** The most aliases of the heaviest neighbourhood the cost limit lets through, checked against the server. */
async function heaviestAllowed(
  post: (query: string) => Promise<Response>,
  hubs: string[],
): Promise<{ query: string; aliases: number; cost: number; bytes: number }> {
  for (let aliases = operationLimits.maxAliases; aliases >= 1; aliases -= 1) {
    const fields = Array.from(
      { length: aliases },
      (_, i) =>
        `a${i}: node(id: "${hubs[i % hubs.length]}") { ... on Paper { neighborhood(depth: 3, limit: 500, via: [AUTHORED, RELATED_TO, CITES]) { nodes { id kind label distance } edges { type source target weight } } } }`,
    );
    const query = `{ ${fields.join(' ')} }`;
    const response = await post(query);
    const text = await response.text();
    const body = JSON.parse(text) as { errors?: { extensions?: { code?: string } }[]; extensions?: { cost?: number } };
    if (body.errors?.[0]?.extensions?.code === 'QUERY_TOO_COMPLEX') continue;
    if (body.errors) throw new Error(`the heavy request failed: ${text.slice(0, 500)}`);
    return { query, aliases, cost: body.extensions?.cost ?? Number.NaN, bytes: text.length };
  }
  throw new Error('not even one heavy neighbourhood is allowed');
}

function summary(values: number[]): { n: number; p50: number; p99: number; max: number } {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
  return { n: sorted.length, p50: at(0.5), p99: at(0.99), max: sorted.at(-1) ?? Number.NaN };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

async function cleanUp(): Promise<void> {
  await server?.stop().catch(() => {});
  await store?.close().catch(() => {});
  await stopEverything();
}

runBenchmark(async () => {
  try {
    return await main();
  } finally {
    await cleanUp();
  }
}, cleanUp);
