/**
 * One measured run of bench/seed.ts, in a process of its own so that its peak RSS is the writer's
 * alone (Neo4j runs in the parent's child, not here). The parent has started an empty Neo4j and
 * created the schema; this process times only the writing and prints one result line:
 *
 *   BENCH_RESULT {"mode":"loader","pages":…,"written":…,"failed":…,"seconds":…,"maxRssKb":…}
 *
 * Modes:
 *   floor   the prepared PageRow objects, streamed from JSON Lines (JSON.parse only), batched,
 *           one writePages call (the loader's UNWIND query) per batch, one batch in flight while
 *           the next is read, as the loader does;
 *   loader  seedPages(database, [corpusDir], { batchSize }), exactly as `npm run seed` calls it.
 */
import { performance } from 'node:perf_hooks';
import { openDatabase, type Database } from '../../src/db/driver.ts';
import { writePages, type PageRow } from '../../src/db/queries/load-pages.ts';
import { Cypher } from '../../src/db/run.ts';
import { seedPages } from '../../src/load/pages.ts';
import { RESULT_PREFIX, type RunRequest, type RunResult } from './protocol.ts';
import { readRows } from './rows.ts';

/** What a mode reports; the rest of RunResult is measured around it. */
type Outcome = Pick<RunResult, 'mode' | 'pages' | 'written' | 'unchanged' | 'failed' | 'failures'>;

async function floor(database: Database, request: RunRequest): Promise<Outcome> {
  const cypher = new Cypher(database);
  const result = { mode: 'floor' as const, pages: 0, written: 0, unchanged: 0, failed: 0, failures: [] as string[] };
  let inFlight: Promise<void> = Promise.resolve();
  const flush = async (batch: PageRow[]) => {
    await inFlight;
    inFlight = writePages(cypher, batch).then((written) => {
      result.written += written;
      result.unchanged += batch.length - written;
    });
    // Surfaces at the next `await inFlight`; no unhandled rejection meanwhile.
    inFlight.catch(() => {});
  };
  let batch: PageRow[] = [];
  for await (const row of readRows(request.rowsFile)) {
    result.pages += 1;
    batch.push(row);
    if (batch.length >= request.floorBatchSize) {
      await flush(batch);
      batch = [];
    }
  }
  if (batch.length > 0) await flush(batch);
  await inFlight;
  return result;
}

async function loader(database: Database, request: RunRequest): Promise<Outcome> {
  const summary = await seedPages(database, [request.corpusDir], request.batchSize === undefined ? {} : { batchSize: request.batchSize });
  return {
    mode: 'loader',
    pages: summary.files,
    written: summary.written,
    unchanged: summary.unchanged,
    failed: summary.failed.length,
    failures: summary.failed.slice(0, 5).map((failure) => failure.message),
  };
}

async function main(): Promise<void> {
  const request = JSON.parse(process.argv[2] ?? '') as RunRequest;
  const database = await openDatabase({ kind: 'external', uri: request.uri, user: 'neo4j', password: process.env.NEO4J_PASSWORD ?? '', database: undefined });
  // Time spent inside queries (both modes keep at most one in flight): the rest of the wall time, Neo4j
  // waited for this process. The driver object is the one the loader's Cypher runner calls.
  let dbBusyMs = 0;
  // And the batches written, so the parent can check that both modes wrote the same number of pages
  // per transaction (the loader's own default batch size against the floor's copy of it).
  let writes = 0;
  let largestBatch = 0;
  const executeQuery = database.driver.executeQuery.bind(database.driver);
  database.driver.executeQuery = (async (...args: Parameters<typeof executeQuery>) => {
    const pages = (args[1] as { pages?: unknown } | undefined)?.pages;
    if (Array.isArray(pages)) {
      writes += 1;
      largestBatch = Math.max(largestBatch, pages.length);
    }
    const started = performance.now();
    try {
      return await executeQuery(...args);
    } finally {
      dbBusyMs += performance.now() - started;
    }
  }) as typeof executeQuery;
  let outcome: Outcome;
  let seconds: number;
  let cpuSeconds: number;
  // Where the memory is, sampled every second: the V8 heap, and Buffers/ArrayBuffers outside it.
  const memory = { heapUsedMb: 0, heapTotalMb: 0, externalMb: 0, rssMb: 0, samples: [] as number[] };
  const sample = () => {
    const usage = process.memoryUsage();
    const mb = (bytes: number) => Math.round(bytes / 1048576);
    memory.heapUsedMb = Math.max(memory.heapUsedMb, mb(usage.heapUsed));
    memory.heapTotalMb = Math.max(memory.heapTotalMb, mb(usage.heapTotal));
    memory.externalMb = Math.max(memory.externalMb, mb(usage.external));
    memory.rssMb = Math.max(memory.rssMb, mb(usage.rss));
    memory.samples.push(mb(usage.rss));
  };
  const sampler = setInterval(sample, 1000);
  try {
    const cpuBefore = process.cpuUsage();
    const started = performance.now();
    outcome = request.mode === 'floor' ? await floor(database, request) : await loader(database, request);
    seconds = (performance.now() - started) / 1000;
    const cpu = process.cpuUsage(cpuBefore);
    cpuSeconds = (cpu.user + cpu.system) / 1e6;
  } finally {
    clearInterval(sampler);
    sample();
    await database.close();
  }
  // RSS over the run in ten points, to tell a plateau from a climb.
  const step = Math.max(1, Math.ceil(memory.samples.length / 10));
  const rssCurveMb = memory.samples.filter((_, index) => index % step === 0 || index === memory.samples.length - 1);
  // ru_maxrss of this process (KiB on Linux): the high-water mark of the whole run, start-up included.
  const result: RunResult = {
    ...outcome,
    seconds,
    cpuSeconds,
    dbBusySeconds: dbBusyMs / 1000,
    writes,
    largestBatch,
    processCpuSeconds: (({ user, system }) => (user + system) / 1e6)(process.cpuUsage()),
    maxRssKb: process.resourceUsage().maxRSS,
    memory: { heapUsedMb: memory.heapUsedMb, heapTotalMb: memory.heapTotalMb, externalMb: memory.externalMb, rssCurveMb },
  };
  process.stdout.write(`${RESULT_PREFIX}${JSON.stringify(result)}\n`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`bench run failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
