/**
 * One operation measured on both sides (and the HTTP floor and the baseline server, when asked): warm-up of each, then
 * `rounds` rounds sharing the duration, in mirrored order (server, floor, floor, server, …), so that
 * neither a burst of load from elsewhere on a shared machine nor a drift (Neo4j's JIT still warming,
 * caches filling) favours one side.
 */
import type { Cypher } from '../../src/db/run.ts';
import { requestBody } from './check.ts';
import { CpuAccount } from './cpu.ts';
import { driveFloor, driveServer, mergeSamples, summarize, type Measured, type Sample } from './drive.ts';
import type { Operation } from './operations.ts';

export interface Side {
  concurrency: number;
  /** Seconds per side, over all rounds. */
  duration: number;
  warmup: number;
  rounds: number;
}

/** An operation's inputs as each side sends them: HTTP bodies for the server, Cypher calls for the floor. */
function inputsOf(op: Operation) {
  return { bodies: op.cases.map((item) => requestBody(op, item.variables)), calls: op.cases.map((item) => item.floor) };
}

/**
 * Neo4j's JIT takes tens of seconds of load to reach speed (on the 2-core machine of the README, a
 * paper lookup went from 170 to 1,850 req/s over the first 40 s), far longer than an operation's own
 * warm-up: before anything is measured, every operation runs on both sides in turn for `seconds`.
 */
export async function settleNeo4j(
  ops: readonly Operation[],
  urls: readonly string[],
  floorCypher: Cypher,
  concurrency: number,
  seconds: number,
): Promise<void> {
  if (ops.length === 0 || seconds <= 0) return;
  const slice = Math.max(1, Math.min(3, seconds / (2 * ops.length)));
  const deadline = Date.now() + seconds * 1000;
  while (Date.now() < deadline) {
    for (const op of ops) {
      const { bodies, calls } = inputsOf(op);
      for (const url of urls) await driveServer(url, bodies, concurrency, slice);
      await driveFloor(floorCypher, calls, concurrency, slice);
      if (Date.now() >= deadline) return;
    }
  }
}

export interface Pids {
  server: number;
  neo4j: number;
}

/** A process the bench drives over HTTP besides the server: its URL and process id. */
export interface HttpSide {
  url: string;
  pid: number;
}

/** The sides measured when asked: the HTTP floor (its base URL) and the baseline server (bench/api/baseline.ts). */
export interface ExtraSides {
  httpFloor?: HttpSide;
  baseline?: HttpSide;
}

export async function measureOperation(
  op: Operation,
  url: string,
  floorCypher: Cypher,
  pids: Pids,
  side: Side,
  extra: ExtraSides = {},
): Promise<{ server: Measured; floor: Measured; httpFloor?: Measured; baseline?: Measured }> {
  const { bodies, calls } = inputsOf(op);
  const contenders = [
    {
      load: (seconds: number) => driveServer(url, bodies, side.concurrency, seconds),
      cpu: new CpuAccount({ server: pids.server, neo4j: pids.neo4j, client: process.pid }),
    },
    { load: (seconds: number) => driveFloor(floorCypher, calls, side.concurrency, seconds), cpu: new CpuAccount({ neo4j: pids.neo4j, client: process.pid }) },
  ];
  const { httpFloor, baseline } = extra;
  if (httpFloor) {
    const caseBodies = calls.map((_call, index) => JSON.stringify({ case: index }));
    contenders.push({
      load: (seconds: number) => driveServer(`${httpFloor.url}/${op.name}`, caseBodies, side.concurrency, seconds),
      cpu: new CpuAccount({ server: httpFloor.pid, neo4j: pids.neo4j, client: process.pid }),
    });
  }
  if (baseline) {
    contenders.push({
      load: (seconds: number) => driveServer(baseline.url, bodies, side.concurrency, seconds),
      cpu: new CpuAccount({ server: baseline.pid, neo4j: pids.neo4j, client: process.pid }),
    });
  }
  if (side.warmup > 0) for (const { load } of contenders) await load(side.warmup);
  const samples: Sample[][] = contenders.map(() => []);
  const seconds = side.duration / side.rounds;
  for (let round = 0; round < side.rounds; round++) {
    const order = contenders.map((_contender, index) => index);
    if (round % 2 === 1) order.reverse();
    for (const index of order) samples[index]!.push(await contenders[index]!.cpu.measure(() => contenders[index]!.load(seconds)));
  }
  const [server, floor, ...others] = contenders.map(({ cpu }, index) => {
    const merged = mergeSamples(samples[index]!);
    return summarize(merged, cpu.perRequest(merged.requests));
  });
  const httpFloorRun = httpFloor ? others.shift() : undefined;
  const baselineRun = baseline ? others.shift() : undefined;
  return { server: server!, floor: floor!, ...(httpFloorRun ? { httpFloor: httpFloorRun } : {}), ...(baselineRun ? { baseline: baselineRun } : {}) };
}
