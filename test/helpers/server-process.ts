import { spawn, type ChildProcess } from 'node:child_process';
import { projectRoot } from '../../src/config.ts';

/** `node src/index.ts` as a child, its stdout+stderr collected; detached: a process group of its own. */
export function startServerProcess(env: Record<string, string>, options: { detached?: boolean } = {}) {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'src/index.ts'], {
    cwd: projectRoot,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: options.detached ?? false,
  });
  let output = '';
  child.stdout?.on('data', (chunk) => (output += chunk));
  child.stderr?.on('data', (chunk) => (output += chunk));
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => output, exit };
}

export async function waitFor(predicate: () => boolean | Promise<boolean>, timeoutMs: number, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The embedded Neo4j pids the server logged, in order (the first, then one per restart). */
export function embeddedPids(output: string): number[] {
  return [...output.matchAll(/"embeddedNeo4jPid":(\d+)/g)].map((match) => Number(match[1]));
}

export async function postGraphql(
  port: number,
  query: string,
): Promise<{ status: number; body: { data?: unknown; errors?: { message: string; extensions?: { code?: string } }[] } }> {
  const response = await fetch(`http://127.0.0.1:${port}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', connection: 'close' },
    body: JSON.stringify({ query }),
  });
  return { status: response.status, body: (await response.json()) as never };
}
