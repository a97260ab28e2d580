/** What bench/seed.ts hands to each measured run (bench/seed/run.ts) and what it gets back. */
export interface RunRequest {
  mode: 'floor' | 'loader';
  uri: string;
  corpusDir: string;
  rowsFile: string;
  /** undefined: the loader's own default (and the floor uses the same number, passed explicitly). */
  batchSize: number | undefined;
  floorBatchSize: number;
}

export interface RunResult {
  mode: 'floor' | 'loader';
  pages: number;
  written: number;
  unchanged: number;
  failed: number;
  failures: string[];
  seconds: number;
  /** CPU seconds (user + system) this process spent in the timed phase. */
  cpuSeconds: number;
  /** CPU seconds of the whole process, start-up included (to tell other processes' load apart). */
  processCpuSeconds: number;
  /** Seconds spent waiting on queries: Neo4j had work from this process for that long. */
  dbBusySeconds: number;
  /** Write queries with a `pages` batch, and the largest batch: both modes must write the same batches. */
  writes: number;
  largestBatch: number;
  maxRssKb: number;
  /** Peaks sampled every second (MB), and the RSS over the run in about ten points. */
  memory: { heapUsedMb: number; heapTotalMb: number; externalMb: number; rssCurveMb: number[] };
}

export const RESULT_PREFIX = 'BENCH_RESULT ';
