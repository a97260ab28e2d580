/**
 * Does a batch of the seed write cost more as the graph grows? Loads the bench corpus' rows (see
 * bench/corpus.ts) into a fresh embedded Neo4j, batch by batch with the loader's write query, and
 * every Nth batch runs it with PROFILE instead, printing its db hits, rows and time, and the operators
 * with the most db hits. With --compare FILE, the query in FILE is first profiled on the very same
 * batch and store in a transaction that is rolled back, so the two can be compared side by side.
 *
 *   npx tsx bench/seed/profile.ts [--papers 100000] [--seed 1] [--batch-size 500] [--every 20]
 *                                 [--limit N] [--compare FILE] [--port 7701]
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import neo4j, { type Driver, type ProfiledPlan } from 'neo4j-driver';
import { ensureGraphSchema } from '../../src/db/migrations.ts';
import { writePagesQuery, type PageRow } from '../../src/db/queries/load-pages.ts';
import { Cypher } from '../../src/db/run.ts';
import { startEmbeddedNeo4j } from '../../src/neo4j/embedded.ts';
import { ensureCorpus, ensureRows } from '../corpus.ts';
import { readRows } from './rows.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const CACHE_DIR = path.join(ROOT, '.cache', 'bench');

const { values } = parseArgs({
  options: {
    papers: { type: 'string', default: '100000' },
    seed: { type: 'string', default: '1' },
    'batch-size': { type: 'string', default: '500' },
    every: { type: 'string', default: '20' },
    limit: { type: 'string' },
    compare: { type: 'string' },
    port: { type: 'string', default: '7701' },
  },
});
const papers = Number(values.papers);
const batchSize = Number(values['batch-size']);
const every = Number(values.every);
const limit = values.limit === undefined ? Infinity : Number(values.limit);
const compare = values.compare === undefined ? undefined : await readFile(values.compare, 'utf8');

interface Totals {
  dbHits: number;
  operators: Map<string, number>;
}

function totals(plan: ProfiledPlan, into: Totals = { dbHits: 0, operators: new Map() }, depth = 0): Totals {
  into.dbHits += plan.dbHits;
  const details = String((plan.arguments as Record<string, unknown>).Details ?? '').slice(0, 90);
  const key = `${plan.operatorType} ${details}`;
  into.operators.set(key, (into.operators.get(key) ?? 0) + plan.dbHits);
  for (const child of plan.children) totals(child, into, depth + 1);
  return into;
}

async function profiled(driver: Driver, query: string, pages: PageRow[], commit: boolean): Promise<{ ms: number; totals: Totals; written: number }> {
  const session = driver.session();
  const tx = session.beginTransaction();
  try {
    const started = performance.now();
    const result = await tx.run(`PROFILE ${query}`, { pages });
    const ms = performance.now() - started;
    const written = Number(result.records[0]?.get('written') ?? 0);
    if (commit) await tx.commit();
    else await tx.rollback();
    return { ms, totals: totals(result.summary.profile as ProfiledPlan), written };
  } finally {
    await session.close();
  }
}

const top = (t: Totals, n: number) =>
  [...t.operators.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([key, hits]) => `      ${String(hits).padStart(9)}  ${key}`)
    .join('\n');

const corpus = await ensureCorpus(path.join(CACHE_DIR, `pages-${papers}-seed${values.seed}`), papers, Number(values.seed), true);
const rows = await ensureRows(corpus, CACHE_DIR);
const dataDir = await mkdtemp(path.join(os.tmpdir(), 'bench-seed-profile-'));
const neo = await startEmbeddedNeo4j({ boltPort: Number(values.port), dataDir, heapMb: 2048, pageCacheMb: 1024 });
const driver = neo4j.driver(neo.boltUri, neo4j.auth.basic(neo.user, neo.password), { disableLosslessIntegers: true });
try {
  const cypher = new Cypher({ driver, name: undefined, embedded: undefined, close: () => driver.close() });
  await ensureGraphSchema(cypher);
  let batch: PageRow[] = [];
  let index = 0;
  let loaded = 0;
  const write = async () => {
    if (index % every === 0) {
      const line = [`batch ${index} (pages ${loaded + 1}-${loaded + batch.length})`];
      if (compare !== undefined) {
        const other = await profiled(driver, compare, batch, false);
        line.push(`compare: ${other.totals.dbHits} db hits, ${other.ms.toFixed(0)} ms, ${other.written} written`);
        if (index % (every * 5) === 0) line.push(top(other.totals, 8));
      }
      const own = await profiled(driver, writePagesQuery, batch, true);
      line.push(`current: ${own.totals.dbHits} db hits, ${own.ms.toFixed(0)} ms, ${own.written} written`);
      if (index % (every * 5) === 0) line.push(top(own.totals, 8));
      process.stdout.write(`${line.join('\n  ')}\n`);
    } else {
      await cypher.write(writePagesQuery, { pages: batch });
    }
    loaded += batch.length;
    index += 1;
    batch = [];
  };
  for await (const row of readRows(rows.file)) {
    batch.push(row);
    if (batch.length >= batchSize) await write();
    if (loaded >= limit) break;
  }
  if (batch.length > 0 && loaded < limit) await write();
} finally {
  await driver.close();
  await neo.stop();
  await rm(dataDir, { recursive: true, force: true });
}
