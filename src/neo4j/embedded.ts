/**
 * A real Neo4j 5.26 LTS Community server, embedded in a small Java launcher
 * (src/neo4j/EmbeddedNeo4j.java) and run as a child process of Node, for development and tests
 * on machines without Docker.
 *
 *   const neo = await startEmbeddedNeo4j({ boltPort: 7687, dataDir: '.data/neo4j' });
 *   // ... neo4j-driver against neo.boltUri with neo4j.auth.basic(neo.user, neo.password) ...
 *   await neo.stop();
 *
 * Auth is on: the password of the user neo4j is generated at first start and kept in
 * <dataDir>/neo4j-password (mode 0600); readEmbeddedPassword(dataDir) reads it for other tools.
 *
 * First run (~40 s): Maven resolves the jars listed in src/neo4j/pom.xml into <root>/.cache/m2
 * (~150 MB), javac compiles the launcher, a one-off training run builds a class-data-sharing archive
 * of the ~16 000 classes Neo4j loads, and all of it (classpath @argfile, launcher jar, APOC plugin
 * jars, archive) is cached in <root>/.cache/neo4j/<hash of pom.xml + EmbeddedNeo4j.java>/. Later
 * runs go straight to `java` without starting Maven at all (~5 s to READY).
 *
 * Nothing global is registered on `process`: the caller decides when to stop. Java runs in a process
 * group of its own, so a signal to the whole group (Ctrl-C, systemd's stop) reaches only Node, which
 * stops Neo4j after its own drain. If the Node process dies anyway, the launcher sees EOF on its stdin
 * and shuts Neo4j down by itself.
 */
import { forgetRunning, isAlive, recordRunning } from './running.ts';
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as fsp from 'node:fs/promises';
import * as net from 'node:net';
import * as path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

export interface EmbeddedNeo4jOptions {
  /** Bolt port, bound on 127.0.0.1 only. */
  boltPort: number;
  /** Neo4j home for this instance: the store goes to <dataDir>/data, logs to <dataDir>/logs. */
  dataDir: string;
  /** Java heap cap (-Xmx), MB. Default 512. */
  heapMb?: number;
  /** Page cache cap (server.memory.pagecache.size), MB. Default 256. */
  pageCacheMb?: number;
  /** Repository root holding .cache/ (m2 repository + launcher cache). Default: this repo. */
  projectRoot?: string;
  /** Human-readable progress lines (Maven downloads on the first run, Neo4j start-up). */
  onProgress?: (line: string) => void;
  /** db.transaction.timeout in ms; 0 or undefined = Neo4j's default (no timeout). */
  transactionTimeoutMs?: number;
  /** How long to wait for the READY line once java is spawned. Default 120 000 ms. */
  startTimeoutMs?: number;
  /**
   * Use (and on first use, build with a one-off ~20 s training run) a class-data-sharing archive of
   * the Neo4j classes: warm starts get ~2-3 s faster. Default true.
   */
  classDataSharing?: boolean;
}

export interface EmbeddedNeo4j {
  /** bolt://127.0.0.1:<port> */
  readonly boltUri: string;
  /** Credentials for the driver: the user neo4j and the password from <dataDir>/neo4j-password. */
  readonly user: string;
  readonly password: string;
  /** SIGTERM, wait for a clean exit (SIGKILL after 15 s). Idempotent. */
  stop(): Promise<void>;
  /** Resolves with the java exit code (null if killed by a signal) once the process is gone. */
  readonly exited: Promise<number | null>;
  readonly pid: number;
}

export class EmbeddedNeo4jError extends Error {
  override name = 'EmbeddedNeo4jError';
}

const HOST = '127.0.0.1';
const USER = 'neo4j';
/** In the data dir, beside Neo4j's own data/ and logs/. */
export const PASSWORD_FILE = 'neo4j-password';
const MAIN_CLASS = 'EmbeddedNeo4j';
const DEPENDENCY_PLUGIN = 'org.apache.maven.plugins:maven-dependency-plugin:3.8.1';
const STOP_GRACE_MS = 15_000;
const MODULE_DIR = path.dirname(fileURLToPath(import.meta.url));
const POM_PATH = path.join(MODULE_DIR, 'pom.xml');
const JAVA_SOURCE_PATH = path.join(MODULE_DIR, 'EmbeddedNeo4j.java');

/** JVM flags, after Neo4j's own defaults in conf/neo4j.conf (server.jvm.additional). */
const BASE_JVM_FLAGS = [
  '-XX:+UseG1GC',
  '-XX:-OmitStackTraceInFastThrow',
  '-XX:+ExitOnOutOfMemoryError',
  '-XX:+DisableExplicitGC',
  '-Djdk.nio.maxCachedBufferSize=1024',
  '-Dio.netty.tryReflectionSetAccessible=true',
  '-Dlog4j2.disable.jmx=true',
  '-Dfile.encoding=UTF-8',
  '--add-opens=java.base/java.nio=ALL-UNNAMED',
  '--add-opens=java.base/java.io=ALL-UNNAMED',
  '--add-opens=java.base/sun.nio.ch=ALL-UNNAMED',
  // JVM warnings (e.g. a stale class-data-sharing archive) go to stderr, never to the stdout protocol.
  '-Xlog:disable',
  '-Xlog:all=warning:stderr',
];

export async function startEmbeddedNeo4j(options: EmbeddedNeo4jOptions): Promise<EmbeddedNeo4j> {
  const port = options.boltPort;
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new EmbeddedNeo4jError(`invalid Bolt port ${String(port)} (expected an integer 1-65535)`);
  }
  const heapMb = positiveInt(options.heapMb ?? 512, 'heapMb');
  const pageCacheMb = positiveInt(options.pageCacheMb ?? 256, 'pageCacheMb');
  const txTimeoutMs = Math.max(0, Math.floor(options.transactionTimeoutMs ?? 0));
  const startTimeoutMs = options.startTimeoutMs ?? 120_000;
  const progress = options.onProgress ?? (() => {});
  const root = path.resolve(options.projectRoot ?? defaultProjectRoot());
  const dataDir = path.resolve(options.dataDir);

  await assertPortFree(port);
  const java = findJava();
  try {
    // Owner-only when we create it: the store and the password file are in there.
    await fsp.mkdir(dataDir, { recursive: true, mode: 0o700 });
    await fsp.access(dataDir, fs.constants.W_OK);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why =
      code === 'EEXIST' || code === 'ENOTDIR'
        ? 'it (or a parent) exists but is not a directory'
        : code === 'EACCES' || code === 'EPERM' || code === 'EROFS'
          ? 'no permission to create or write it'
          : errorText(e);
    throw new EmbeddedNeo4jError(`data dir ${dataDir} is not usable: ${why}`);
  }

  const password = await ensurePasswordFile(dataDir, progress);
  const launcher = await ensureLauncher(root, java, options.classDataSharing ?? true, progress);

  const args = [
    `-Xms${heapMb}m`,
    `-Xmx${heapMb}m`,
    ...BASE_JVM_FLAGS,
    ...(launcher.cdsArchive ? [`-XX:SharedArchiveFile=${launcher.cdsArchive}`] : []),
    `@${launcher.classpathArgFile}`,
    MAIN_CLASS,
    '--home',
    dataDir,
    '--port',
    String(port),
    '--plugins',
    launcher.pluginsDir,
    '--pagecache-mb',
    String(pageCacheMb),
    '--password-file',
    path.join(dataDir, PASSWORD_FILE),
    ...(txTimeoutMs > 0 ? ['--tx-timeout-ms', String(txTimeoutMs)] : []),
  ];
  progress(`starting Neo4j ${launcher.neo4jVersion} (bolt ${HOST}:${port}, data ${dataDir}, heap ${heapMb} MB, page cache ${pageCacheMb} MB)…`);
  const neo = await spawnAndAwaitReady(java.java, args, { port, dataDir, startTimeoutMs, progress, password });
  await recordRunning(dataDir, { boltUri: neo.boltUri, pid: neo.pid });
  void neo.exited.then(() => forgetRunning(dataDir, neo.pid));
  return neo;
}

/** The JDK and the Maven-resolved classpath the embedded Neo4j runs with, for Neo4j's own tools (admin.ts). */
export async function neo4jClasspath(options: { projectRoot?: string; onProgress?: (line: string) => void } = {}): Promise<{
  java: string;
  classpathArgFile: string;
  neo4jVersion: string;
}> {
  const java = findJava();
  const root = path.resolve(options.projectRoot ?? defaultProjectRoot());
  const { launcher } = await ensureClasspath(root, java, options.onProgress ?? (() => {}));
  return { java: java.java, classpathArgFile: launcher.classpathArgFile, neo4jVersion: launcher.neo4jVersion };
}

// ---------------------------------------------------------------------------------------------
// Password

/**
 * The password of the embedded Neo4j's user neo4j, from <dataDir>/neo4j-password; generated (and set
 * by the launcher) at the first start of that data dir. For tools that connect to an embedded Neo4j
 * another process started. Throws EmbeddedNeo4jError when the file is missing or not the owner's alone.
 */
export async function readEmbeddedPassword(dataDir: string): Promise<string> {
  const file = path.join(path.resolve(dataDir), PASSWORD_FILE);
  const problem = await passwordFileProblem(file);
  if (problem === 'missing') throw new EmbeddedNeo4jError(`no Neo4j password file ${file} (start the embedded Neo4j on this data dir once first)`);
  if (problem) throw new EmbeddedNeo4jError(`refusing the Neo4j password file ${file}: ${problem}`);
  return (await fsp.readFile(file, 'utf8')).trim();
}

/** 'missing', a reason the file must not be trusted, or undefined when it is fine. */
async function passwordFileProblem(file: string): Promise<string | undefined> {
  let stat: fs.Stats;
  try {
    stat = await fsp.lstat(file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return 'missing';
    throw new EmbeddedNeo4jError(`cannot read the Neo4j password file ${file}: ${errorText(e)}`);
  }
  if (!stat.isFile()) return 'it is not a regular file';
  if (process.getuid && stat.uid !== process.getuid()) return `it belongs to uid ${stat.uid}, not to this user (${process.getuid()})`;
  if ((stat.mode & 0o077) !== 0) return `its mode is ${(stat.mode & 0o777).toString(8)}, readable by others (must be 600)`;
  return undefined;
}

/**
 * Returns the data dir's password, creating the file (0600) on first use. A file others could read is
 * no secret any more: it is replaced by a new password (the launcher sets it), not merely chmod-ed.
 * A file of another user, or not a regular file, is refused.
 */
async function ensurePasswordFile(dataDir: string, progress: (line: string) => void): Promise<string> {
  const file = path.join(dataDir, PASSWORD_FILE);
  const problem = await passwordFileProblem(file);
  if (problem === undefined) {
    const existing = (await fsp.readFile(file, 'utf8')).trim();
    if (existing.length >= 8) return existing;
  } else if (problem !== 'missing' && !problem.startsWith('its mode')) {
    throw new EmbeddedNeo4jError(`refusing the Neo4j password file ${file}: ${problem}`);
  } else if (problem !== 'missing') {
    progress(`the Neo4j password file ${file} was readable by others (${problem}); replacing it with a new password`);
  }
  const password = randomBytes(24).toString('base64url');
  const tmp = `${file}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    await fsp.writeFile(tmp, `${password}\n`, { mode: 0o600, flag: 'wx' });
    await fsp.rename(tmp, file);
  } catch (e) {
    await fsp.rm(tmp, { force: true }).catch(() => {});
    throw new EmbeddedNeo4jError(`cannot write the Neo4j password file ${file}: ${errorText(e)}`);
  }
  return password;
}

// ---------------------------------------------------------------------------------------------
// Process handling

interface SpawnContext {
  port: number;
  dataDir: string;
  startTimeoutMs: number;
  progress: (line: string) => void;
  password: string;
}

function spawnAndAwaitReady(javaBin: string, args: string[], ctx: SpawnContext): Promise<EmbeddedNeo4j> {
  let child: ChildProcess;
  try {
    // detached: a process group (and session) of its own. A signal to Node's group (Ctrl-C, systemd's
    // KillMode=control-group SIGTERM) must not stop Neo4j while Node still drains requests; the
    // launcher still stops when Node is gone, on EOF of its stdin pipe.
    child = spawn(javaBin, args, { cwd: ctx.dataDir, stdio: ['pipe', 'pipe', 'pipe'], windowsHide: true, detached: true });
  } catch (e) {
    return Promise.reject(new EmbeddedNeo4jError(`could not start java (${javaBin}): ${errorText(e)}`));
  }

  let errorLine: string | undefined;
  let spawnError: Error | undefined;
  const otherStderr: string[] = [];

  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code) => resolve(code));
    child.once('error', (e) => {
      spawnError = e;
      // 'exit' may never come when the spawn itself failed.
      if (child.pid === undefined) resolve(null);
    });
  });
  // The launcher never expects input; an EPIPE on a dead child must not crash the parent.
  child.stdin?.on('error', () => {});

  const stderr = createInterface({ input: child.stderr! });
  let stderrClosed = false;
  stderr.once('close', () => {
    stderrClosed = true;
  });
  stderr.on('line', (line) => {
    if (line.startsWith('ERROR ')) {
      errorLine ??= line.slice('ERROR '.length);
    } else if (line.startsWith('INFO ')) {
      ctx.progress(line.slice('INFO '.length));
    } else if (line.trim() !== '') {
      // JVM warnings and the like: rare, and worth seeing.
      ctx.progress(`java: ${line}`);
      otherStderr.push(line);
      if (otherStderr.length > 20) otherStderr.shift();
    }
  });

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) {
        await exited;
        return;
      }
      child.kill('SIGTERM');
      let timer: NodeJS.Timeout | undefined;
      const killed = new Promise<'timeout'>((resolve) => {
        timer = setTimeout(() => resolve('timeout'), STOP_GRACE_MS);
      });
      const result = await Promise.race([exited, killed]);
      clearTimeout(timer);
      if (result === 'timeout') {
        child.kill('SIGKILL');
        await exited;
      }
    })();
    return stopping;
  };

  return new Promise<EmbeddedNeo4j>((resolve, reject) => {
    let settled = false;
    const stdout = createInterface({ input: child.stdout! });
    const expected = `READY bolt://${HOST}:${ctx.port}`;
    const timer = setTimeout(() => {
      if (settled) return;
      settled = true;
      const why = `Neo4j did not report READY within ${ctx.startTimeoutMs / 1000} s; stopped it (see ${path.join(ctx.dataDir, 'logs', 'debug.log')})`;
      void stop().finally(() => reject(new EmbeddedNeo4jError(why)));
    }, ctx.startTimeoutMs);

    stdout.on('line', (line) => {
      if (settled || line.trim() !== expected) return;
      settled = true;
      clearTimeout(timer);
      resolve({
        boltUri: `bolt://${HOST}:${ctx.port}`,
        user: USER,
        password: ctx.password,
        stop,
        exited,
        pid: child.pid!,
      });
    });

    void exited.then(async (code) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      // Let the stderr reader drain so that the ERROR line is not lost.
      if (!stderrClosed) {
        await new Promise<void>((r) => {
          const t = setTimeout(r, 2000);
          stderr.once('close', () => {
            clearTimeout(t);
            r();
          });
        });
      }
      let message: string;
      if (errorLine !== undefined) {
        message = errorLine;
      } else if (spawnError !== undefined) {
        message = `could not start java (${javaBin}): ${spawnError.message}`;
      } else {
        const tail = otherStderr.slice(-3).join(' | ');
        message =
          `java exited with ${code === null ? `signal ${child.signalCode ?? '?'}` : `code ${code}`} before Bolt was ready` +
          (tail ? `: ${tail}` : '') +
          ` (see ${path.join(ctx.dataDir, 'logs')})`;
      }
      reject(new EmbeddedNeo4jError(message));
    });
  });
}

// ---------------------------------------------------------------------------------------------
// Pre-flight checks

interface JavaTools {
  java: string;
  javac: string | undefined;
  jdkBin: string | undefined;
}

function findJava(): JavaTools {
  const javaHome = process.env.JAVA_HOME;
  let java: string | undefined;
  if (javaHome) {
    const candidate = path.join(javaHome, 'bin', exe('java'));
    if (isExecutable(candidate)) java = candidate;
  }
  java ??= findOnPath('java');
  if (!java) {
    throw new EmbeddedNeo4jError(
      'java not found on PATH (nor in $JAVA_HOME/bin) — the embedded Neo4j needs a JDK 17 or 21 (e.g. apt-get install openjdk-17-jdk-headless)',
    );
  }
  let jdkBin: string | undefined;
  try {
    jdkBin = path.dirname(fs.realpathSync(java));
  } catch {
    jdkBin = undefined;
  }
  let javac = jdkBin && isExecutable(path.join(jdkBin, exe('javac'))) ? path.join(jdkBin, exe('javac')) : undefined;
  javac ??= findOnPath('javac');
  return { java, javac, jdkBin };
}

async function assertPortFree(port: number): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const server = net.createServer();
    server.once('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'EADDRINUSE') {
        reject(new EmbeddedNeo4jError(`port ${port} is already in use — is another papergraph/Neo4j running? set NEO4J_BOLT_PORT or NEO4J_URI`));
      } else {
        reject(new EmbeddedNeo4jError(`cannot use port ${port} on ${HOST}: ${errorText(e)}`));
      }
    });
    server.listen({ port, host: HOST, exclusive: true }, () => server.close(() => resolve()));
  });
}

// ---------------------------------------------------------------------------------------------
// Launcher cache: classpath + compiled launcher + APOC plugin jars

interface Launcher {
  classpathArgFile: string;
  pluginsDir: string;
  neo4jVersion: string;
  /** A class-data-sharing archive made by this very JDK, if there is one. */
  cdsArchive?: string;
}

interface Manifest {
  key: string;
  neo4jVersion: string;
  apocVersion: string;
  classpath: string[];
  createdAt: string;
}

async function ensureLauncher(root: string, java: JavaTools, useCds: boolean, progress: (line: string) => void): Promise<Launcher> {
  const launcher = await ensureClasspath(root, java, progress);
  if (!useCds || !launcher.classpathIsJarsOnly) return launcher.launcher;
  const cds = cdsPaths(launcher.keyDir, java);
  if (fs.existsSync(cds.archive)) return { ...launcher.launcher, cdsArchive: cds.archive };
  if (fs.existsSync(cds.failedMarker)) return launcher.launcher;
  const release = await acquireLock(`${launcher.keyDir}.lock`, progress);
  try {
    if (!fs.existsSync(cds.archive) && !fs.existsSync(cds.failedMarker)) {
      await trainCdsArchive(java, launcher.launcher, cds, progress);
    }
  } finally {
    await release();
  }
  return fs.existsSync(cds.archive) ? { ...launcher.launcher, cdsArchive: cds.archive } : launcher.launcher;
}

interface CdsPaths {
  archive: string;
  failedMarker: string;
  log: string;
}

/** The archive only fits the JDK that wrote it: name it after that JDK's real path. */
function cdsPaths(keyDir: string, java: JavaTools): CdsPaths {
  let identity = java.java;
  try {
    identity = fs.realpathSync(java.java);
  } catch {
    // keep the PATH name
  }
  const jdk = createHash('sha256').update(identity).digest('hex').slice(0, 8);
  return {
    archive: path.join(keyDir, `cds-${jdk}.jsa`),
    failedMarker: path.join(keyDir, `cds-${jdk}.failed`),
    log: path.join(keyDir, `cds-${jdk}.log`),
  };
}

/**
 * One-off training run: start Neo4j on a throw-away store with -XX:ArchiveClassesAtExit, run the
 * start-up checks, shut down; the JVM writes the archive at exit. A failure only costs speed.
 */
async function trainCdsArchive(java: JavaTools, launcher: Launcher, cds: CdsPaths, progress: (line: string) => void): Promise<void> {
  progress('building a class-data-sharing archive for faster starts (one-off, ~20 s)…');
  const started = Date.now();
  const home = `${cds.archive}.home-${process.pid}`;
  const tmpArchive = `${cds.archive}.tmp-${process.pid}`;
  try {
    const port = await freePort();
    await fsp.mkdir(home, { recursive: true });
    const result = await run(
      java.java,
      [
        '-Xms512m',
        '-Xmx512m',
        ...BASE_JVM_FLAGS,
        `-XX:ArchiveClassesAtExit=${tmpArchive}`,
        `@${launcher.classpathArgFile}`,
        MAIN_CLASS,
        '--home',
        home,
        '--port',
        String(port),
        '--plugins',
        launcher.pluginsDir,
        '--pagecache-mb',
        '64',
        '--no-stdin-watch',
        '--train',
      ],
      undefined,
      180_000,
    );
    await fsp.writeFile(cds.log, result.output).catch(() => {});
    if (result.code === 0 && fs.existsSync(tmpArchive)) {
      await fsp.rename(tmpArchive, cds.archive);
      progress(`  … archive ready in ${((Date.now() - started) / 1000).toFixed(0)} s`);
    } else {
      await fsp.writeFile(cds.failedMarker, result.output).catch(() => {});
      progress(`  … could not build the archive (exit ${String(result.code)}; see ${cds.log}); continuing without it`);
    }
  } catch (e) {
    await fsp.writeFile(cds.failedMarker, errorText(e)).catch(() => {});
    progress(`  … could not build the archive (${errorText(e)}); continuing without it`);
  } finally {
    await fsp.rm(home, { recursive: true, force: true }).catch(() => {});
    await fsp.rm(tmpArchive, { force: true }).catch(() => {});
  }
}

/** A port nobody listens on right now on 127.0.0.1 (the kernel's pick). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen({ port: 0, host: HOST, exclusive: true }, () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => (port > 0 ? resolve(port) : reject(new Error('no free port'))));
    });
  });
}

interface ClasspathResult {
  launcher: Launcher;
  keyDir: string;
  /** CDS cannot archive classes loaded from directories on the classpath. */
  classpathIsJarsOnly: boolean;
}

async function ensureClasspath(root: string, java: JavaTools, progress: (line: string) => void): Promise<ClasspathResult> {
  let pom: string;
  let source: string;
  try {
    [pom, source] = await Promise.all([fsp.readFile(POM_PATH, 'utf8'), fsp.readFile(JAVA_SOURCE_PATH, 'utf8')]);
  } catch (e) {
    throw new EmbeddedNeo4jError(`cannot read the embedded Neo4j sources in ${MODULE_DIR}: ${errorText(e)}`);
  }
  const key = createHash('sha256').update(pom).update('\0').update(source).digest('hex').slice(0, 16);
  const cacheBase = path.join(root, '.cache', 'neo4j');
  const keyDir = path.join(cacheBase, key);

  const warm = await readValidManifest(keyDir, key);
  if (warm) return launcherFor(keyDir, warm);

  await fsp.mkdir(cacheBase, { recursive: true });
  const release = await acquireLock(path.join(cacheBase, `${key}.lock`), progress);
  try {
    const again = await readValidManifest(keyDir, key); // another process may have built it meanwhile
    if (again) return launcherFor(keyDir, again);
    await fsp.rm(keyDir, { recursive: true, force: true });
    const manifest = await buildLauncher(root, cacheBase, keyDir, key, pom, java, progress);
    await pruneOtherKeys(cacheBase, key);
    return launcherFor(keyDir, manifest);
  } finally {
    await release();
  }
}

/** Launcher dirs of older pom.xml / EmbeddedNeo4j.java versions (each up to ~110 MB with CDS). */
async function pruneOtherKeys(cacheBase: string, key: string): Promise<void> {
  const names = await fsp.readdir(cacheBase).catch(() => [] as string[]);
  for (const name of names) {
    if (name === key || !/^[0-9a-f]{16}$/.test(name)) continue;
    if (names.includes(`${name}.lock`)) continue; // someone is using or building it right now
    await fsp.rm(path.join(cacheBase, name), { recursive: true, force: true }).catch(() => {});
  }
}

function launcherFor(keyDir: string, manifest: Manifest): ClasspathResult {
  return {
    launcher: {
      classpathArgFile: path.join(keyDir, 'classpath.argfile'),
      pluginsDir: path.join(keyDir, 'plugins'),
      neo4jVersion: manifest.neo4jVersion,
    },
    keyDir,
    classpathIsJarsOnly: manifest.classpath.every((e) => e.endsWith('.jar')),
  };
}

async function readValidManifest(keyDir: string, key: string): Promise<Manifest | undefined> {
  let manifest: Manifest;
  try {
    manifest = JSON.parse(await fsp.readFile(path.join(keyDir, 'manifest.json'), 'utf8')) as Manifest;
  } catch {
    return undefined;
  }
  if (manifest.key !== key || !Array.isArray(manifest.classpath) || manifest.classpath.length === 0) return undefined;
  // Cheap (a few ms): every jar must still be there, e.g. after someone wiped .cache/m2.
  for (const entry of manifest.classpath) {
    if (!fs.existsSync(entry)) return undefined;
  }
  if (!fs.existsSync(path.join(keyDir, 'classpath.argfile'))) return undefined;
  return manifest;
}

async function buildLauncher(
  root: string,
  cacheBase: string,
  keyDir: string,
  key: string,
  pom: string,
  java: JavaTools,
  progress: (line: string) => void,
): Promise<Manifest> {
  const neo4jVersion = /<neo4j\.version>([^<]+)<\/neo4j\.version>/.exec(pom)?.[1] ?? '5.26';
  const apocVersion = /<apoc\.version>([^<]+)<\/apoc\.version>/.exec(pom)?.[1] ?? '5.26';
  const m2 = path.join(root, '.cache', 'm2');
  const tmp = path.join(cacheBase, `${key}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`);
  await fsp.mkdir(tmp, { recursive: true });
  try {
    // 1. Resolve the jars with Maven into the project's own repository.
    const mvn = findOnPath('mvn');
    if (!mvn) {
      throw new EmbeddedNeo4jError('mvn not found on PATH — Maven is needed once to download the Neo4j jars (e.g. apt-get install maven)');
    }
    if (!java.javac) {
      throw new EmbeddedNeo4jError('javac not found — a full JDK 17 or 21 (not just a JRE) is needed to compile src/neo4j/EmbeddedNeo4j.java');
    }
    const rawClasspath = path.join(tmp, 'classpath.raw');
    const relM2 = path.relative(root, m2) || m2;
    const haveRepo = fs.existsSync(path.join(m2, 'org', 'neo4j', 'neo4j', neo4jVersion));
    if (haveRepo) {
      progress(`resolving Neo4j ${neo4jVersion} jars from ${relM2} (offline)…`);
    }
    let resolved = haveRepo && (await runMaven(mvn, m2, rawClasspath, cacheBase, true, () => {})).ok;
    if (!resolved) {
      progress(`resolving Neo4j ${neo4jVersion} + APOC ${apocVersion} jars with Maven into ${relM2} (first run only, ~150 MB)…`);
      const result = await runMaven(mvn, m2, rawClasspath, cacheBase, false, progress);
      if (!result.ok) throw new EmbeddedNeo4jError(result.error);
      resolved = true;
    }
    const entries = (await fsp.readFile(rawClasspath, 'utf8'))
      .trim()
      .split(path.delimiter)
      .filter((e) => e.length > 0);
    if (!entries.some((e) => /neo4j-kernel-/.test(path.basename(e)))) {
      throw new EmbeddedNeo4jError(`Maven produced an unexpected classpath (no neo4j-kernel jar) in ${rawClasspath}`);
    }

    // 2. APOC goes to the plugins dir (procedures are only loaded from server.directories.plugins),
    //    and ALSO stays on the classpath, exactly like `neo4j console` does with plugins/*: APOC's
    //    global components (apoc.ApocConfig, ...) are kernel extensions found by ServiceLoader on
    //    the application classpath. The plugin class loader delegates parent-first, so each class is
    //    loaded once, from the copy below.
    const pluginsDir = path.join(tmp, 'plugins');
    await fsp.mkdir(pluginsDir);
    const classpath: string[] = [];
    for (const entry of entries) {
      if (/[\\/]org[\\/]neo4j[\\/]procedure[\\/]apoc-[^\\/]+[\\/]/.test(entry)) {
        const target = path.join(pluginsDir, path.basename(entry));
        await fsp.copyFile(entry, target);
        classpath.push(path.join(keyDir, 'plugins', path.basename(entry)));
      } else {
        classpath.push(entry);
      }
    }
    if (!classpath.some((e) => path.basename(e).startsWith('apoc-core-'))) {
      throw new EmbeddedNeo4jError('Maven did not resolve apoc-core (check src/neo4j/pom.xml)');
    }

    // 3. Compile the launcher once (a few seconds; single-file source mode would pay this on every start).
    progress('compiling src/neo4j/EmbeddedNeo4j.java…');
    const classesDir = path.join(tmp, 'classes');
    await fsp.mkdir(classesDir);
    const compileClasspath = entries.join(path.delimiter);
    const javac = await run(java.javac, ['-nowarn', '-encoding', 'UTF-8', '-d', classesDir, '-cp', compileClasspath, JAVA_SOURCE_PATH]);
    if (javac.code !== 0) {
      const first = javac.output.split('\n').find((l) => /error:/.test(l)) ?? javac.output.trim().split('\n')[0] ?? '';
      throw new EmbeddedNeo4jError(`javac failed on EmbeddedNeo4j.java: ${first.trim()}`);
    }
    // Package the launcher as a jar when the JDK's `jar` tool is there (class-data sharing only
    // archives classes that come from jars); the classes directory works too, just without CDS.
    const jarTool = java.jdkBin && isExecutable(path.join(java.jdkBin, exe('jar'))) ? path.join(java.jdkBin, exe('jar')) : findOnPath('jar');
    let launcherEntry = path.join(keyDir, 'classes');
    if (jarTool) {
      const jarred = await run(jarTool, ['--create', '--file', path.join(tmp, 'launcher.jar'), '-C', classesDir, '.']);
      if (jarred.code === 0) {
        launcherEntry = path.join(keyDir, 'launcher.jar');
        await fsp.rm(classesDir, { recursive: true, force: true });
      }
    }
    const runtimeClasspath = [launcherEntry, ...classpath];

    // 4. An @argfile keeps the ~220-entry classpath off the command line.
    await fsp.writeFile(path.join(tmp, 'classpath.argfile'), `-cp\n${argfileQuote(runtimeClasspath.join(path.delimiter))}\n`);
    const manifest: Manifest = {
      key,
      neo4jVersion,
      apocVersion,
      classpath: runtimeClasspath,
      createdAt: new Date().toISOString(),
    };
    await fsp.writeFile(path.join(tmp, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
    await fsp.rename(tmp, keyDir);
    return manifest;
  } catch (e) {
    await fsp.rm(tmp, { recursive: true, force: true });
    if (e instanceof EmbeddedNeo4jError) throw e;
    throw new EmbeddedNeo4jError(`preparing the embedded Neo4j failed: ${errorText(e)}`);
  }
}

interface MavenResult {
  ok: boolean;
  error: string;
}

async function runMaven(
  mvn: string,
  m2: string,
  outputFile: string,
  cacheBase: string,
  offline: boolean,
  progress: (line: string) => void,
): Promise<MavenResult> {
  const args = [
    '-B',
    '-Dstyle.color=never',
    ...(offline ? ['-o'] : []),
    `-Dmaven.repo.local=${m2}`,
    '-f',
    POM_PATH,
    `${DEPENDENCY_PLUGIN}:build-classpath`,
    `-Dmdep.outputFile=${outputFile}`,
  ];
  const logFile = path.join(cacheBase, `maven-${offline ? 'offline' : 'online'}.log`);
  let files = 0;
  let bytes = 0;
  let lastReport = Date.now();
  const errors: string[] = [];
  const result = await run(mvn, args, (line) => {
    const clean = stripAnsi(line);
    const downloaded = /^(?:\[INFO\] )?Downloaded from [^:]+: \S+ \(([\d.,]+) (B|kB|KB|MB|GB)/.exec(clean);
    if (downloaded) {
      files += 1;
      bytes += parseSize(downloaded[1]!, downloaded[2]!);
      const now = Date.now();
      if (now - lastReport >= 2000) {
        lastReport = now;
        progress(`  … ${files} files downloaded (${(bytes / 1e6).toFixed(1)} MB)`);
      }
    } else if (clean.startsWith('[ERROR]')) {
      const text = clean.slice('[ERROR]'.length).trim();
      if (text && !/^(->|Re-run Maven|To see the full stack|For more information|\[Help)/.test(text)) errors.push(text);
    }
  });
  await fsp.writeFile(logFile, result.output).catch(() => {});
  if (result.code === 0 && fs.existsSync(outputFile)) {
    if (files > 0) progress(`  … done: ${files} files (${(bytes / 1e6).toFixed(1)} MB)`);
    return { ok: true, error: '' };
  }
  const first = errors[0] ?? `mvn exited with code ${String(result.code)}`;
  return {
    ok: false,
    error: `resolving the Neo4j jars with Maven failed: ${truncate(first, 400)} (full log: ${logFile})`,
  };
}

/** Runs a command, collecting stdout+stderr; never rejects. Killed after timeoutMs if given. */
function run(cmd: string, args: string[], onLine?: (line: string) => void, timeoutMs?: number): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    let output = '';
    let child: ChildProcess;
    try {
      child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], windowsHide: true });
    } catch (e) {
      resolve({ code: null, output: errorText(e) });
      return;
    }
    if (timeoutMs !== undefined) {
      const timer = setTimeout(() => {
        output += `[killed after ${timeoutMs} ms]\n`;
        child.kill('SIGKILL');
      }, timeoutMs);
      child.once('close', () => clearTimeout(timer));
    }
    for (const stream of [child.stdout!, child.stderr!]) {
      const rl = createInterface({ input: stream });
      rl.on('line', (line) => {
        output += `${line}\n`;
        onLine?.(line);
      });
    }
    child.once('error', (e) => resolve({ code: null, output: `${output}${e.message}\n` }));
    child.once('close', (code) => resolve({ code, output }));
  });
}

/** A crude cross-process lock (mkdir is atomic); stale locks of dead processes are broken. */
async function acquireLock(lockDir: string, progress: (line: string) => void): Promise<() => Promise<void>> {
  const deadline = Date.now() + 15 * 60_000;
  let told = false;
  for (;;) {
    try {
      await fsp.mkdir(lockDir);
      await fsp.writeFile(path.join(lockDir, 'pid'), String(process.pid));
      return () => fsp.rm(lockDir, { recursive: true, force: true });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    const owner = Number((await fsp.readFile(path.join(lockDir, 'pid'), 'utf8').catch(() => '')) || NaN);
    const ageMs = Date.now() - ((await fsp.stat(lockDir).catch(() => undefined))?.mtimeMs ?? Date.now());
    if ((Number.isInteger(owner) && !isAlive(owner)) || (!Number.isInteger(owner) && ageMs > 30_000)) {
      await fsp.rm(lockDir, { recursive: true, force: true });
      continue;
    }
    if (Date.now() > deadline) {
      throw new EmbeddedNeo4jError(`timed out waiting for another process to prepare the Neo4j jars (lock ${lockDir})`);
    }
    if (!told) {
      progress('another process is preparing the Neo4j jars; waiting…');
      told = true;
    }
    await new Promise((r) => setTimeout(r, 500));
  }
}

// ---------------------------------------------------------------------------------------------
// Small helpers

function defaultProjectRoot(): string {
  return path.resolve(MODULE_DIR, '..', '..');
}

function positiveInt(value: number, name: string): number {
  if (!Number.isInteger(value) || value <= 0) {
    throw new EmbeddedNeo4jError(`${name} must be a positive integer (MB), got ${String(value)}`);
  }
  return value;
}

function exe(name: string): string {
  return process.platform === 'win32' ? `${name}.exe` : name;
}

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

function findOnPath(name: string): string | undefined {
  const names = process.platform === 'win32' ? [`${name}.exe`, `${name}.cmd`, `${name}.bat`] : [name];
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    for (const n of names) {
      const candidate = path.join(dir, n);
      if (isExecutable(candidate)) return candidate;
    }
  }
  return undefined;
}

/** Quoting for java @argfiles: double quotes, with backslashes and quotes escaped. */
function argfileQuote(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

function stripAnsi(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/\u001b\[[0-9;]*[A-Za-z]/g, '');
}

function parseSize(num: string, unit: string): number {
  const n = Number(num.replace(/,/g, ''));
  const factor = unit === 'GB' ? 1e9 : unit === 'MB' ? 1e6 : unit === 'B' ? 1 : 1e3;
  return Number.isFinite(n) ? n * factor : 0;
}

function truncate(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, max - 1)}…`;
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** Exported for unit tests. */
export const __internal = { argfileQuote, stripAnsi, parseSize, findOnPath };
