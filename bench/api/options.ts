/** Command line of `npm run bench` (bench/api.ts). */
import { parseArgs } from 'node:util';

export const GROWTH_SIZES = [2_000, 20_000, 100_000] as const;

export interface Options {
  /** Corpus sizes to run, in order: one size, or the three of --growth. */
  sizes: number[];
  seed: number;
  /** OpenAlex works imported on top of the pages (0: none); undefined: half the pages of each size. */
  works: number | undefined;
  /** Seconds each side of each operation is measured. */
  duration: number;
  /** Seconds of warm-up before each measurement. */
  warmup: number;
  /** Seconds all operations run, both sides, before the first measurement, for Neo4j's JIT to settle. */
  settle: number;
  /** The duration is split into this many alternating server/floor rounds. */
  rounds: number;
  concurrency: number;
  /** Only these operations (names), or all. */
  only: string[] | undefined;
  boltPort: number;
  httpPort: number;
  heapMb: number;
  pageCacheMb: number;
  /** The server's WORKERS: HTTP worker processes. */
  workers: number;
  /** Also measure the HTTP floor: the floor's Cypher behind plain node:http (bench/api/http-floor.ts). */
  httpFloor: boolean;
  /** Also measure the server as it was at this git revision (bench/api/baseline.ts). */
  baseline: string | undefined;
  /** Write a V8 CPU profile of the server process into this folder (node --cpu-prof). */
  profileDir: string | undefined;
}

export class UsageError extends Error {}

export const USAGE = `usage: npm run bench -- [--pages N | --growth] [--works W] [--duration S] [--warmup S] [--settle S] [--rounds R] [--concurrency C]
                      [--seed S] [--only op,op] [--bolt-port P] [--http-port P] [--heap-mb MB] [--pagecache-mb MB] [--workers N] [--http-floor] [--baseline REV] [--profile DIR]
  --pages N          corpus size in pages (default 20000)
  --growth           run the mix at ${GROWTH_SIZES.join(', ')} pages and show how latency grows
  --works W          OpenAlex works (with citations) imported on top of the pages: those of pages 0 … W-1
                     (default half the pages; 0: none, and the citations operation is skipped)
  --duration S       seconds measured per operation, server and floor each (default 10)
  --warmup S         seconds of warm-up of each side of each operation (default 5)
  --settle S         seconds every operation runs on both sides, before the first measurement, so that
                     Neo4j's JIT has settled (default 60; at each size)
  --rounds R         split the duration into R rounds, server and floor in mirrored order (default 2)
  --concurrency C    requests in flight, server and floor alike (default 16)
  --seed S           generator seed (default 1)
  --only a,b         only these operations (paper, papers, coauthors, author-papers, related-related, neighbourhood, search-en, search-ja, path, citations)
  --bolt-port P      Bolt port of the bench's Neo4j, 7732-7735 (default 7732)
  --http-port P      HTTP port of the bench's server, 4600-4610 (default 4600)
  --heap-mb MB       Neo4j heap (default 1024)
  --pagecache-mb MB  Neo4j page cache (default 1536)
  --workers N        the server's WORKERS, HTTP worker processes (default 2: the machine's cores are shared
                     with Neo4j and the load generator, yet two workers served 13–24% more than one)
  --http-floor       measure a third side: the floor's Cypher behind plain node:http with as many workers
                     as the server, to tell what HTTP and JSON cost from what GraphQL costs
  --baseline REV     measure the server as it was at git revision REV (a commit, a tag, main~3) too, in the
                     same rounds (HTTP port P+1, this checkout's node_modules), to see a change's effect
                     side by side
  --profile DIR      write a CPU profile of the server process to DIR (node --cpu-prof; summarise it with
                     npx tsx bench/profile-summary.ts DIR/*.cpuprofile)`;

export function parseOptions(argv: string[]): Options | 'help' {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      options: {
        pages: { type: 'string' },
        growth: { type: 'boolean', default: false },
        works: { type: 'string' },
        duration: { type: 'string', default: '10' },
        warmup: { type: 'string', default: '5' },
        settle: { type: 'string', default: '60' },
        rounds: { type: 'string', default: '2' },
        concurrency: { type: 'string', default: '16' },
        seed: { type: 'string', default: '1' },
        only: { type: 'string' },
        'bolt-port': { type: 'string', default: '7732' },
        'http-port': { type: 'string', default: '4600' },
        'heap-mb': { type: 'string', default: '1024' },
        'pagecache-mb': { type: 'string', default: '1536' },
        profile: { type: 'string' },
        workers: { type: 'string', default: '2' },
        'http-floor': { type: 'boolean', default: false },
        baseline: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }));
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  if (values.help) return 'help';
  const int = (name: string, raw: string | undefined, min: number, max: number): number => {
    const value = Number(raw);
    if (!Number.isSafeInteger(value) || value < min || value > max) {
      throw new UsageError(`--${name} must be an integer from ${min} to ${max}, got ${String(raw)}`);
    }
    return value;
  };
  if (values.growth && values.pages !== undefined) throw new UsageError('give --pages or --growth, not both');
  const sizes = values.growth ? [...GROWTH_SIZES] : [int('pages', values.pages ?? '20000', 10, 1_000_000)];
  return {
    sizes,
    seed: int('seed', values.seed, 0, 2 ** 31),
    works: values.works === undefined ? undefined : int('works', values.works, 0, Math.min(...sizes)),
    duration: int('duration', values.duration, 1, 120),
    warmup: int('warmup', values.warmup, 0, 60),
    settle: int('settle', values.settle, 0, 600),
    rounds: int('rounds', values.rounds, 1, 10),
    concurrency: int('concurrency', values.concurrency, 1, 256),
    only: values.only
      ?.split(',')
      .map((name) => name.trim())
      .filter(Boolean),
    boltPort: int('bolt-port', values['bolt-port'], 7732, 7735),
    httpPort: int('http-port', values['http-port'], 4600, 4610),
    heapMb: int('heap-mb', values['heap-mb'], 256, 8192),
    pageCacheMb: int('pagecache-mb', values['pagecache-mb'], 64, 8192),
    profileDir: values.profile,
    workers: int('workers', values.workers, 1, 16),
    httpFloor: values['http-floor'] ?? false,
    baseline: values.baseline,
  };
}
