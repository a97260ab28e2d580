/**
 * CPU time of the processes in play, read from /proc (Linux; elsewhere unknown): on a shared, noisy
 * machine the CPU a request costs is steadier than its throughput, and says where the time goes.
 */
import { readdirSync, readFileSync } from 'node:fs';

const TICKS_PER_SECOND = 100;

/** The fields of /proc/PID/stat after the `(command)` one: state, ppid, … (so utime is [11]), or null. */
function statFields(pid: number | string): string[] | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return null;
  }
}

/** utime + stime of stat fields, in seconds. */
const cpuSecondsIn = (fields: string[]) => (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;

/** User + system CPU seconds of a live process, or NaN. */
export function cpuSecondsOf(pid: number): number {
  const fields = statFields(pid);
  return fields ? cpuSecondsIn(fields) : NaN;
}

/** CPU seconds of a process and its live children (the server's workers with WORKERS > 1). */
export function cpuSecondsOfTree(pid: number): number {
  let total = cpuSecondsOf(pid);
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const fields = statFields(entry);
    if (fields && Number(fields[1]) === pid) total += cpuSecondsIn(fields);
  }
  return total;
}

/** Adds up the CPU the named processes spend inside `measure` calls (`self`: this process). */
export class CpuAccount {
  private readonly totals: Record<string, number>;

  constructor(private readonly pids: Record<string, number>) {
    this.totals = Object.fromEntries(Object.keys(pids).map((name) => [name, 0]));
  }

  private read(): Record<string, number> {
    return Object.fromEntries(Object.entries(this.pids).map(([name, pid]) => [name, pid === process.pid ? selfSeconds() : cpuSecondsOfTree(pid)]));
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
