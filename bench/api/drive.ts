/**
 * The two load generators, alike in everything but the path a request takes:
 *  - server: autocannon, `concurrency` keep-alive connections POSTing GraphQL to the server child,
 *    each request taking the next of a rotating list of prepared bodies;
 *  - floor: `concurrency` async loops in this process, each running the next of the same rotating
 *    inputs as hand-written Cypher, one round-trip each, through the server's own runner
 *    (src/db/run.ts, so the same driver calls and conversions) on the same kind of Driver: no HTTP,
 *    no GraphQL.
 * Both stop at a deadline and at a request cap, whichever comes first, and time every request
 * with the same clock (ms, fractional), so their percentiles compare.
 */
import { performance } from 'node:perf_hooks';
import autocannon from 'autocannon';
import type { Cypher } from '../../src/db/run.ts';

/** No loop runs more requests than this, whatever the duration. */
const MAX_REQUESTS = 2_000_000;

export interface Sample {
  requests: number;
  seconds: number;
  /** Responses that were not a GraphQL success: transport errors, timeouts, non-2xx, `errors` in the body. */
  failures: number;
  firstFailure: string | undefined;
  latencies: Float64Array;
}

export interface Measured {
  requests: number;
  /** CPU ms per request of each process involved (server, neo4j, the load generator or floor loop). */
  cpuMsPerRequest: Record<string, number>;
  seconds: number;
  throughput: number;
  p50: number;
  p99: number;
  mean: number;
  failures: number;
  firstFailure: string | undefined;
}

/** Several measured rounds of one side as one sample. */
export function mergeSamples(samples: Sample[]): Sample {
  const latencies = new Float64Array(samples.reduce((sum, sample) => sum + sample.latencies.length, 0));
  let offset = 0;
  for (const sample of samples) {
    latencies.set(sample.latencies, offset);
    offset += sample.latencies.length;
  }
  return {
    requests: samples.reduce((sum, sample) => sum + sample.requests, 0),
    seconds: samples.reduce((sum, sample) => sum + sample.seconds, 0),
    failures: samples.reduce((sum, sample) => sum + sample.failures, 0),
    firstFailure: samples.find((sample) => sample.firstFailure !== undefined)?.firstFailure,
    latencies,
  };
}

export function summarize(sample: Sample, cpuMsPerRequest: Record<string, number>): Measured {
  const sorted = Float64Array.from(sample.latencies).sort();
  const at = (q: number) => (sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!);
  let sum = 0;
  for (const value of sorted) sum += value;
  return {
    requests: sample.requests,
    cpuMsPerRequest,
    seconds: sample.seconds,
    throughput: sample.requests / sample.seconds,
    p50: at(0.5),
    p99: at(0.99),
    mean: sorted.length === 0 ? NaN : sum / sorted.length,
    failures: sample.failures,
    firstFailure: sample.firstFailure,
  };
}

class Recorder {
  private values = new Float64Array(4096);
  count = 0;
  failures = 0;
  firstFailure: string | undefined;

  record(ms: number): void {
    if (this.count === this.values.length) {
      const grown = new Float64Array(this.values.length * 2);
      grown.set(this.values);
      this.values = grown;
    }
    this.values[this.count++] = ms;
  }

  fail(why: string): void {
    this.failures += 1;
    this.firstFailure ??= why.slice(0, 300);
  }

  sample(seconds: number): Sample {
    return { requests: this.count, seconds, failures: this.failures, firstFailure: this.firstFailure, latencies: this.values.subarray(0, this.count) };
  }
}

/** GraphQL over HTTP with autocannon: `bodies` are JSON request bodies, taken in turn (or made, the n-th by `bodies(n)`). */
export async function driveServer(url: string, bodies: readonly string[] | ((n: number) => string), concurrency: number, seconds: number): Promise<Sample> {
  const bodyOf = typeof bodies === 'function' ? bodies : (n: number) => bodies[n % bodies.length]!;
  const recorder = new Recorder();
  let graphqlErrors = 0;
  let next = 0;
  const instance = autocannon({
    url,
    connections: concurrency,
    pipelining: 1,
    duration: seconds,
    timeout: 30,
    maxOverallRequests: MAX_REQUESTS,
    requests: [
      {
        method: 'POST',
        path: new URL(url).pathname,
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        setupRequest: (request) => ({ ...request, body: bodyOf(next++) }),
        onResponse: (status, body) => {
          // A GraphQL error still comes with 200: timed, but not a served request.
          if (status === 200 && body.includes('"errors"')) {
            graphqlErrors += 1;
            recorder.fail(`GraphQL errors: ${body}`);
          }
        },
      },
    ],
  });
  instance.on('response', (_client: unknown, status: number, _bytes: number, ms: number) => {
    if (status === 200) recorder.record(ms);
    else recorder.fail(`HTTP ${status}`);
  });
  instance.on('reqError', (error: Error) => recorder.fail(`request error: ${error.message}`));
  // autocannon stops itself at the duration; this is only a backstop.
  const backstop = setTimeout(() => instance.stop(), (seconds + 60) * 1000);
  const started = performance.now();
  try {
    const result = await instance;
    for (let i = 0; i < result.timeouts; i++) recorder.fail('timeout');
    const sample = recorder.sample(result.duration > 0 ? result.duration : (performance.now() - started) / 1000);
    return { ...sample, requests: sample.requests - graphqlErrors };
  } finally {
    clearTimeout(backstop);
  }
}

export interface FloorCall {
  query: string;
  params: Record<string, unknown>;
}

/** The floor: the same rotation of inputs as hand-written Cypher, `concurrency` loops over one runner. */
export async function driveFloor(cypher: Cypher, calls: readonly FloorCall[], concurrency: number, seconds: number): Promise<Sample> {
  const recorder = new Recorder();
  let next = 0;
  const started = performance.now();
  const deadline = started + seconds * 1000;
  const loop = async () => {
    while (performance.now() < deadline && next < MAX_REQUESTS) {
      const call = calls[next++ % calls.length]!;
      const t0 = performance.now();
      try {
        await cypher.read(call.query, call.params);
        recorder.record(performance.now() - t0);
      } catch (error) {
        recorder.fail(error instanceof Error ? error.message : String(error));
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, loop));
  return recorder.sample((performance.now() - started) / 1000);
}
