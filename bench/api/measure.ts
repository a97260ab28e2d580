/**
 * One operation measured on both sides: warm-up of each, then `rounds` alternating rounds (server,
 * floor, server, floor…) sharing the duration, so that a burst of load from elsewhere on a shared
 * machine falls on both sides rather than on one.
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
  const bodies = op.cases.map((item) => requestBody(op, item.variables));
  const calls = op.cases.map((item) => item.floor);
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
  for (let round = 0; round < side.rounds; round++) {
    serverSamples.push(await serverCpu.measure(() => serverLoad(seconds)));
    floorSamples.push(await floorCpu.measure(() => floorLoad(seconds)));
  }
  const server = mergeSamples(serverSamples);
  const floor = mergeSamples(floorSamples);
  return { server: summarize(server, serverCpu.perRequest(server.requests)), floor: summarize(floor, floorCpu.perRequest(floor.requests)) };
}
