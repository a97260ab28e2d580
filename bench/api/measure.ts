/**
 * One operation measured on both sides: warm-up of each, then `rounds` rounds sharing the duration,
 * in mirrored order (server, floor, floor, server, …), so that neither a burst of load from elsewhere
 * on a shared machine nor a drift (Neo4j's JIT still warming, caches filling) favours one side.
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
export async function settleNeo4j(ops: readonly Operation[], url: string, floorCypher: Cypher, concurrency: number, seconds: number): Promise<void> {
  if (ops.length === 0 || seconds <= 0) return;
  const slice = Math.max(1, Math.min(3, seconds / (2 * ops.length)));
  const deadline = Date.now() + seconds * 1000;
  while (Date.now() < deadline) {
    for (const op of ops) {
      const { bodies, calls } = inputsOf(op);
      await driveServer(url, bodies, concurrency, slice);
      await driveFloor(floorCypher, calls, concurrency, slice);
      if (Date.now() >= deadline) return;
    }
  }
}

export interface Pids {
  server: number;
  neo4j: number;
}

export async function measureOperation(
  op: Operation,
  url: string,
  floorCypher: Cypher,
  pids: Pids,
  side: Side,
): Promise<{ server: Measured; floor: Measured }> {
  const { bodies, calls } = inputsOf(op);
  const serverLoad = (seconds: number) => driveServer(url, bodies, side.concurrency, seconds);
  const floorLoad = (seconds: number) => driveFloor(floorCypher, calls, side.concurrency, seconds);
  if (side.warmup > 0) {
    await serverLoad(side.warmup);
    await floorLoad(side.warmup);
  }
  const serverCpu = new CpuAccount({ server: pids.server, neo4j: pids.neo4j, client: process.pid });
  const floorCpu = new CpuAccount({ neo4j: pids.neo4j, client: process.pid });
  const serverSamples: Sample[] = [];
  const floorSamples: Sample[] = [];
  const seconds = side.duration / side.rounds;
  const measureServer = async () => serverSamples.push(await serverCpu.measure(() => serverLoad(seconds)));
  const measureFloor = async () => floorSamples.push(await floorCpu.measure(() => floorLoad(seconds)));
  for (let round = 0; round < side.rounds; round++) {
    const [first, second] = round % 2 === 0 ? [measureServer, measureFloor] : [measureFloor, measureServer];
    await first();
    await second();
  }
  const server = mergeSamples(serverSamples);
  const floor = mergeSamples(floorSamples);
  return { server: summarize(server, serverCpu.perRequest(server.requests)), floor: summarize(floor, floorCpu.perRequest(floor.requests)) };
}
