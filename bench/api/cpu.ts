/**
 * CPU time of the processes in play, read from /proc (Linux; elsewhere unknown): on a shared, noisy
 * machine the CPU a request costs is steadier than its throughput, and says where the time goes.
 */
import { readFileSync } from 'node:fs';

const TICKS_PER_SECOND = 100;

/** User + system CPU seconds of a live process, or NaN. */
export function cpuSecondsOf(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // utime and stime are the 12th and 13th fields after the `(command)` field.
    const [utime, stime] = stat.slice(stat.lastIndexOf(')') + 2).split(' ').slice(11, 13).map(Number);
    return (utime! + stime!) / TICKS_PER_SECOND;
  } catch {
    return NaN;
  }
}

/** Adds up the CPU the named processes spend inside `measure` calls (`self`: this process). */
export class CpuAccount {
  private readonly totals: Record<string, number>;

  constructor(private readonly pids: Record<string, number>) {
    this.totals = Object.fromEntries(Object.keys(pids).map((name) => [name, 0]));
  }

  private read(): Record<string, number> {
    return Object.fromEntries(Object.entries(this.pids).map(([name, pid]) => [name, pid === process.pid ? selfSeconds() : cpuSecondsOf(pid)]));
  }

  async measure<T>(work: () => Promise<T>): Promise<T> {
    const before = this.read();
    const result = await work();
    const after = this.read();
    for (const name of Object.keys(this.totals)) this.totals[name]! += after[name]! - before[name]!;
    return result;
  }

  /** CPU ms per request of each process over everything measured. */
  perRequest(requests: number): Record<string, number> {
    return Object.fromEntries(Object.entries(this.totals).map(([name, seconds]) => [name, Number(((seconds * 1000) / Math.max(1, requests)).toFixed(3))]));
  }
}

function selfSeconds(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1e6;
}
