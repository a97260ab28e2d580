import { promises as fsp } from 'node:fs';
import path from 'node:path';

/**
 * `<dataDir>/running.json`: the Bolt URI and Java pid of the Neo4j running on a data directory, written
 * once it is ready and removed when it exits. A loader run while the server runs uses that Neo4j
 * instead of failing on the store's lock or paying a start of its own.
 */
const RUNNING_FILE = 'running.json';

export interface RunningNeo4j {
  boltUri: string;
  pid: number;
}

export async function recordRunning(dataDir: string, running: RunningNeo4j): Promise<void> {
  const file = path.join(dataDir, RUNNING_FILE);
  const tmp = `${file}.${process.pid}.tmp`;
  await fsp.writeFile(tmp, `${JSON.stringify(running)}\n`, { mode: 0o600 });
  await fsp.rename(tmp, file);
}

/** Removes the record if it still names this pid (a restarted Neo4j may have written its own since). */
export async function forgetRunning(dataDir: string, pid: number): Promise<void> {
  const recorded = await readRecord(dataDir);
  if (recorded?.pid === pid) await fsp.rm(path.join(dataDir, RUNNING_FILE), { force: true });
}

/** The Neo4j running on this data directory, if its record names a live process. */
export async function runningNeo4j(dataDir: string): Promise<RunningNeo4j | undefined> {
  const recorded = await readRecord(dataDir);
  return recorded && isAlive(recorded.pid) ? recorded : undefined;
}

async function readRecord(dataDir: string): Promise<RunningNeo4j | undefined> {
  try {
    const value = JSON.parse(await fsp.readFile(path.join(dataDir, RUNNING_FILE), 'utf8')) as Partial<RunningNeo4j>;
    return typeof value.boltUri === 'string' && Number.isInteger(value.pid) ? (value as RunningNeo4j) : undefined;
  } catch {
    return undefined;
  }
}

/** Whether a process of that pid exists (EPERM: it does, owned by another user). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
