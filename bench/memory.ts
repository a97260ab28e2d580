/**
 * Memory over repeated load: is the server's growth a leak, caches filling to their caps, or the
 * allocator keeping pages? Starts the server (`src/index.ts`, one process, with --expose-gc and
 * bench/memory-probe.ts preloaded), then runs rounds of autocannon load over the API benchmark's mix
 * (bench/api/operations.ts, every operation's inputs interleaved, --inputs distinct inputs each), and
 * after each round asks the server to collect garbage and report its memory. Prints one JSON line per
 * round on stdout and a table on stderr. A heap that stays flat round over round while RSS creeps is
 * not a leak; a heap that grows by about the same amount every round is.
 *
 *   npx tsx bench/memory.ts [--rounds 8] [--duration 30] [--concurrency 16] [--inputs 1000] [--port 7731] [--semi-space-mb 64] [--unique] [--snapshots DIR]
 *
 * Neo4j is the server's usual: NEO4J_URI, or the embedded one at NEO4J_BOLT_PORT and NEO4J_DATA_DIR,
 * holding a seeded graph (seed/generate.ts, seed/cli.ts).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { loadConfig } from '../src/config.ts';
import { openDatabase } from '../src/db/driver.ts';
import { Cypher } from '../src/db/run.ts';
import { requestBody } from './api/check.ts';
import { driveServer } from './api/drive.ts';
import { pickInputs } from './api/inputs.ts';
import { buildOperations, type Operation } from './api/operations.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const USAGE = `usage: npx tsx bench/memory.ts [--rounds R] [--duration S] [--concurrency C] [--inputs N] [--port P] [--semi-space-mb MB] [--unique] [--snapshots DIR]
  --rounds R        rounds of load (default 8)
  --duration S      seconds of load per round (default 30)
  --concurrency C   requests in flight (default 16)
  --inputs N        distinct inputs per operation, e.g. papers and authors (default 1000; the API bench uses 64)
  --port P          the server's HTTP port (default 7731)
  --semi-space-mb MB  the server's --max-semi-space-size (default 64, as \`npm start\` runs it; 0: V8's default)
  --unique          never repeat a request: search words and page filters get a request counter, so a
                    cache keyed by variable values would grow round over round instead of filling up
  --snapshots DIR   write a heap snapshot of the server into DIR after the start and after every round
Neo4j: NEO4J_URI, or the embedded one at NEO4J_BOLT_PORT / NEO4J_DATA_DIR (as the server reads them), seeded.`;

interface Probed {
  before: NodeJS.MemoryUsage;
  memory: NodeJS.MemoryUsage;
  spaces: Record<string, number>;
}

function options() {
  const { values } = parseArgs({
    options: {
      rounds: { type: 'string', default: '8' },
      duration: { type: 'string', default: '30' },
      concurrency: { type: 'string', default: '16' },
      inputs: { type: 'string', default: '1000' },
      port: { type: 'string', default: '7731' },
      'semi-space-mb': { type: 'string', default: '64' },
      unique: { type: 'boolean', default: false },
      snapshots: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return undefined;
  const number = (name: keyof typeof values, min: number) => {
    const value = Number(values[name]);
    if (!Number.isInteger(value) || value < min) throw new Error(`--${name} must be an integer ≥ ${min}`);
    return value;
  };
  return {
    rounds: number('rounds', 1),
    duration: number('duration', 1),
    concurrency: number('concurrency', 1),
    inputs: number('inputs', 1),
    port: number('port', 1),
    semiSpaceMb: number('semi-space-mb', 0),
    unique: values.unique ?? false,
    snapshots: values.snapshots ? path.resolve(values.snapshots) : undefined,
  };
}

/** The server with the probe preloaded; resolves with its URL once it reports ready. */
function startServer(port: number, semiSpaceMb: number): Promise<{ child: ChildProcess; url: string }> {
  const semiSpace = semiSpaceMb > 0 ? [`--max-semi-space-size=${semiSpaceMb}`] : [];
  const child = spawn(
    process.execPath,
    [...semiSpace, '--expose-gc', ...process.execArgv, '--import', path.join(ROOT, 'bench', 'memory-probe.ts'), path.join(ROOT, 'src', 'index.ts')],
    {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      env: { ...process.env, NODE_ENV: 'production', PORT: String(port), HOST: '127.0.0.1', SEED_ON_START: 'false', LOG_LEVEL: 'warn', WORKERS: '1' },
    },
  );
  createInterface({ input: child.stderr! }).on('line', (line) => process.stderr.write(`server: ${line}\n`));
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the server exited with ${String(code)} before it was ready`)));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const match = /^papergraph ready at (\S+\/graphql)$/.exec(line);
      if (match) resolve({ child, url: match[1]! });
    });
  });
}

/** The variables made unique to request `n`: a search word with `n` after it, a page filter's date `n` ms earlier. */
function unique(variables: Record<string, any>, n: number): Record<string, unknown> {
  if (typeof variables.query === 'string') return { ...variables, query: `${variables.query} ${n}` };
  if (variables.filter?.publishedBefore) {
    return { ...variables, filter: { ...variables.filter, publishedBefore: new Date(Date.parse(variables.filter.publishedBefore) - n).toISOString() } };
  }
  return variables;
}

let nextId = 0;
function ask<T>(child: ChildProcess, message: Record<string, unknown>): Promise<T> {
  const id = ++nextId;
  return new Promise((resolve, reject) => {
    const onMessage = (reply: { id?: number; error?: string }) => {
      if (reply?.id !== id) return;
      child.off('message', onMessage);
      if (reply.error) reject(new Error(reply.error));
      else resolve(reply as T);
    };
    child.on('message', onMessage);
    child.once('exit', (code) => reject(new Error(`the server exited (${String(code)})`)));
    child.send({ ...message, id });
  });
}

/** Linux: the resident set by kind (anonymous memory, mapped files), from /proc; empty elsewhere. */
async function residentByKind(pid: number): Promise<Record<string, number>> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return status ? { rssAnonMb: Math.round(kb('RssAnon') / 102.4) / 10, rssFileMb: Math.round(kb('RssFile') / 102.4) / 10 } : {};
}

const mb = (bytes: number) => Math.round((bytes / 2 ** 20) * 10) / 10;

async function main(): Promise<number> {
  let opts: ReturnType<typeof options>;
  try {
    opts = options();
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n${USAGE}\n`);
    return 2;
  }
  if (!opts) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (opts.snapshots) await mkdir(opts.snapshots, { recursive: true });

  const config = loadConfig();
  process.stderr.write('memory: starting the server…\n');
  const { child, url } = await startServer(opts.port, opts.semiSpaceMb);
  const target =
    config.neo4j.kind === 'external'
      ? config.neo4j
      : { kind: 'external' as const, uri: `bolt://127.0.0.1:${config.neo4j.boltPort}`, user: 'neo4j', password: 'neo4j', database: undefined };
  const rows: Record<string, number>[] = [];
  let database: Awaited<ReturnType<typeof openDatabase>> | undefined;
  try {
    database = await openDatabase(target, { maxRetryTimeMs: 3_000 });
    const inputs = await pickInputs(new Cypher(database), opts.inputs);
    const { operations } = buildOperations(inputs);
    // Every operation's inputs interleaved: a round runs the whole mix whatever its length.
    const mix: { op: Operation; variables: Record<string, unknown> }[] = [];
    const longest = Math.max(...operations.map((op) => op.cases.length));
    for (let i = 0; i < longest; i++) for (const op of operations) if (op.cases[i]) mix.push({ op, variables: op.cases[i]!.variables });
    const bodies = opts.unique
      ? (n: number) => requestBody(mix[n % mix.length]!.op, unique(mix[n % mix.length]!.variables, n))
      : mix.map(({ op, variables }) => requestBody(op, variables));
    process.stderr.write(
      `memory: ${operations.map((op) => op.name).join(', ')}: ${opts.unique ? 'every request distinct' : `${mix.length} distinct requests`}\n`,
    );

    let requests = 0;
    let failures = 0;
    for (let round = 0; round <= opts.rounds; round++) {
      let seconds = 0;
      if (round > 0) {
        const sample = await driveServer(url, bodies, opts.concurrency, opts.duration);
        requests += sample.requests;
        failures += sample.failures;
        seconds = sample.seconds;
        if (sample.firstFailure) process.stderr.write(`memory: round ${round}: ${sample.failures} failures, e.g. ${sample.firstFailure}\n`);
      }
      const probed = await ask<Probed>(child, { probe: 'measure' });
      const row = {
        round,
        requests,
        failures,
        reqPerSec: seconds > 0 ? Math.round((rows.length > 0 ? requests - rows.at(-1)!.requests! : requests) / seconds) : 0,
        rssBeforeGcMb: mb(probed.before.rss),
        heapUsedMb: mb(probed.memory.heapUsed),
        heapTotalMb: mb(probed.memory.heapTotal),
        externalMb: mb(probed.memory.external),
        rssMb: mb(probed.memory.rss),
        oldSpaceMb: mb(probed.spaces.old_space ?? 0),
        codeSpaceMb: mb(probed.spaces.code_space ?? 0),
        ...(await residentByKind(child.pid!)),
      };
      rows.push(row);
      const spacesMb = Object.fromEntries(Object.entries(probed.spaces).map(([name, bytes]) => [name, mb(bytes)]));
      process.stdout.write(`${JSON.stringify({ ...row, arrayBuffersMb: mb(probed.memory.arrayBuffers), spacesMb })}\n`);
      if (opts.snapshots) await ask(child, { probe: 'snapshot', path: path.join(opts.snapshots, `round-${String(round).padStart(2, '0')}.heapsnapshot`) });
    }
  } finally {
    await database?.close();
    child.kill('SIGTERM');
    await new Promise((resolve) => (child.exitCode !== null ? resolve(null) : child.once('exit', resolve)));
  }
  const columns = Object.keys(rows[0] ?? {});
  process.stderr.write(`\n${columns.join('\t')}\n${rows.map((row) => columns.map((column) => row[column]).join('\t')).join('\n')}\n`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`memory: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
