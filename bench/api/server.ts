/**
 * The processes the bench drives over HTTP, each a child with an event loop of its own, apart from the
 * load generator's:
 * - the server under test: `src/index.ts`, the same entry `npm start` runs, pointed at the bench's
 *   Neo4j, seeding nothing, logging warnings only, with `extensions.cypherRoundTrips` in every response;
 * - with --http-floor, the HTTP floor (bench/api/http-floor.ts): the floor's Cypher behind plain node:http;
 * - with --baseline, the server of another revision, from its own folder (bench/api/baseline.ts);
 * - with --library, the Neo4j GraphQL Library behind graphql-yoga (bench/api/library-server.ts).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const START_TIMEOUT_MS = 90_000;
const STOP_TIMEOUT_MS = 15_000;

export interface ServerChild {
  url: string;
  pid: number;
  stop(): Promise<void>;
}

export function startServer(
  boltUri: string,
  httpPort: number,
  options: { profileDir?: string; workers?: number; root?: string; name?: string; password?: string } = {},
): Promise<ServerChild> {
  const profiling = options.profileDir ? ['--cpu-prof', '--cpu-prof-dir', path.resolve(options.profileDir)] : [];
  const root = options.root ?? ROOT;
  return startChild({
    name: options.name ?? 'server',
    cwd: root,
    args: [...profiling, path.join(root, 'src', 'index.ts')],
    env: {
      NEO4J_URI: boltUri,
      NEO4J_USER: 'neo4j',
      NEO4J_PASSWORD: options.password ?? '',
      HOST: '127.0.0.1',
      PORT: String(httpPort),
      SEED_ON_START: 'false',
      LOG_LEVEL: 'warn',
      PAPERGRAPH_DEBUG: 'true',
      WORKERS: String(options.workers ?? 1),
    },
    ready: /^papergraph ready at (\S+\/graphql)$/,
  });
}

/** The HTTP floor, answering the floor calls in `callsFile` on an ephemeral port with `workers` processes. */
export function startHttpFloor(boltUri: string, callsFile: string, workers: number, password = ''): Promise<ServerChild> {
  return startChild({
    name: 'http floor',
    cwd: ROOT,
    args: [path.join(ROOT, 'bench', 'api', 'http-floor.ts'), boltUri, callsFile, String(workers)],
    env: { NEO4J_PASSWORD: password },
    ready: /^http floor ready at (\S+)$/,
  });
}

/** The Neo4j GraphQL Library over the same Neo4j, on an ephemeral port with `workers` processes. */
export function startLibrary(boltUri: string, workers: number, password = ''): Promise<ServerChild> {
  return startChild({
    name: 'library',
    cwd: ROOT,
    args: [path.join(ROOT, 'bench', 'api', 'library-server.ts'), boltUri, String(workers)],
    env: { NEO4J_PASSWORD: password },
    ready: /^library ready at (\S+)$/,
  });
}

/** Spawns node (with this process's loader, tsx) and resolves once a stdout line matches `ready`. */
function startChild(spec: { name: string; cwd: string; args: string[]; env: Record<string, string>; ready: RegExp }): Promise<ServerChild> {
  // The young-generation size `npm start` gives the server (package.json), so the bench measures it as run.
  const child: ChildProcess = spawn(process.execPath, ['--max-semi-space-size=64', ...process.execArgv, ...spec.args], {
    cwd: spec.cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NODE_ENV: 'production', ...spec.env },
  });
  const stderrTail: string[] = [];
  createInterface({ input: child.stderr! }).on('line', (line) => {
    stderrTail.push(line);
    if (stderrTail.length > 20) stderrTail.shift();
    process.stderr.write(`${spec.name}: ${line}\n`);
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<'late'>((resolve) => {
        timer = setTimeout(() => resolve('late'), STOP_TIMEOUT_MS);
      });
      if ((await Promise.race([exited, late])) === 'late') {
        child.kill('SIGKILL');
        await exited;
      }
      clearTimeout(timer);
    })());

  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void stop().finally(() => reject(new Error(`the ${spec.name} did not report ready within ${START_TIMEOUT_MS / 1000} s`)));
    }, START_TIMEOUT_MS);
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const match = spec.ready.exec(line);
      if (!match) return;
      clearTimeout(timer);
      resolve({ url: match[1]!, pid: child.pid!, stop });
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`the ${spec.name} exited with ${String(code)} before it was ready:\n${stderrTail.slice(-5).join('\n')}`));
    });
  });
}
