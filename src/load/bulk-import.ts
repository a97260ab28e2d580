/**
 * The initial load of an empty database with Neo4j's offline bulk importer: works to CSV
 * (openalex-bulk.ts), `neo4j-admin database import full` on the embedded Neo4j's store, then the
 * schema (constraints, indexes, full-text indexes) once Neo4j runs on the new store. With an external
 * Neo4j the importer must run where its store lives: the CSV files are kept and the command printed.
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Neo4jTarget } from '../config.ts';
import { openDatabase } from '../db/driver.ts';
import { ensureGraphSchema } from '../db/migrations.ts';
import { countNodes } from '../db/queries/load-openalex.ts';
import { Cypher } from '../db/run.ts';
import { neo4jAdminCommand, runNeo4jAdmin } from '../neo4j/admin.ts';
import { runningNeo4j } from '../neo4j/running.ts';
import { importArguments } from './bulk-csv.ts';
import { directoryBytes, writeOpenAlexCsv, type BulkCsvOptions, type BulkCsvSummary } from './openalex-bulk.ts';

/** The database is not empty, or in use: the bulk importer would destroy what it holds. */
export class BulkImportRefused extends Error {
  override name = 'BulkImportRefused';
}

export interface BulkImportOptions extends BulkCsvOptions {
  /** Where the temporary directory goes (default: the system's temp dir). */
  tempDir?: string;
  /** The importer's --max-off-heap-memory (default 2G). */
  maxOffHeapMemory?: string;
  /** Seconds to wait for the indexes to be populated (default 3600). */
  indexWaitSeconds?: number;
}

export interface BulkImportResult {
  csv: BulkCsvSummary;
  /** 'imported' into the embedded Neo4j, or 'command' to run on the external Neo4j's machine. */
  outcome: 'imported' | 'command';
  /** For 'command': the CSV directory (kept) and the command to run there. */
  csvDir?: string;
  command?: string;
  /** Bytes of the embedded store after the import and the indexes. */
  storeBytes?: number;
  phases: { phase: string; seconds: number }[];
  durationMs: number;
}

/** The embedded store of a data directory (see src/neo4j/EmbeddedNeo4j.java). */
const storeDir = (dataDir: string) => path.join(dataDir, 'data', 'databases', 'neo4j');

/** Refuses a data directory whose Neo4j is running or whose database holds anything. */
async function assertEmptyEmbedded(target: Extract<Neo4jTarget, { kind: 'embedded' }>, say: (line: string) => void): Promise<void> {
  const running = await runningNeo4j(target.dataDir);
  if (running) {
    throw new BulkImportRefused(
      `a Neo4j is running on ${target.dataDir} (pid ${running.pid}): the bulk importer writes the store offline into an empty database. ` +
        'Stop the server first, or load into the running database without --bulk.',
    );
  }
  if (!existsSync(storeDir(target.dataDir))) return;
  say(`checking that the database in ${target.dataDir} is empty…`);
  const database = await openDatabase(target, { onProgress: say });
  let nodes: number;
  try {
    nodes = await countNodes(new Cypher(database));
  } finally {
    await database.close();
  }
  if (nodes > 0) {
    throw new BulkImportRefused(
      `the database in ${target.dataDir} is not empty (${nodes} nodes): --bulk only loads an empty database. ` +
        'Load into it without --bulk (the transactional importer adds and updates works), or set NEO4J_DATA_DIR to a new directory.',
    );
  }
}

export async function bulkImportOpenAlex(target: Neo4jTarget, paths: string[], options: BulkImportOptions = {}): Promise<BulkImportResult> {
  const started = Date.now();
  const say = (line: string) => {
    if (options.progress) process.stderr.write(`bulk: ${line}\n`);
  };
  if (target.kind === 'embedded') await assertEmptyEmbedded(target, say);

  const parent = path.resolve(options.tempDir ?? os.tmpdir());
  await mkdir(parent, { recursive: true });
  const temp = await mkdtemp(path.join(parent, 'papergraph-bulk-'));
  const csvDir = path.join(temp, 'csv');
  let keep = false;
  try {
    const csv = await writeOpenAlexCsv(paths, csvDir, path.join(temp, 'scratch'), options);
    const phases = [...csv.phases];
    const args = importArguments(csv.tables, {
      database: target.database,
      overwrite: target.kind === 'embedded',
      maxOffHeapMemory: options.maxOffHeapMemory ?? '2G',
      reportFile: path.join(temp, 'import.report'),
    });

    if (target.kind === 'external') {
      keep = true;
      const command = neo4jAdminCommand(args);
      return { csv, outcome: 'command', csvDir, command, phases, durationMs: Date.now() - started };
    }

    let phaseStarted = Date.now();
    say(`importing with neo4j-admin database import full into ${target.dataDir}…`);
    await mkdir(target.dataDir, { recursive: true, mode: 0o700 });
    try {
      await runNeo4jAdmin(args, {
        home: target.dataDir,
        // The importer's own stage lines (nodes, relationships, linking, counts), not its dotted bars.
        onLine: (line) => {
          if (/^\(\d\/\d\)|COMPLETED|IMPORT (DONE|FAILED)|^Imported:|nodes$|relationships$|properties$|Peak memory/.test(line.trim())) say(`  ${line.trim()}`);
        },
      });
    } catch (error) {
      // A failed import leaves store files Neo4j cannot start on; the database was empty, so they go.
      await rm(storeDir(target.dataDir), { recursive: true, force: true });
      await rm(path.join(target.dataDir, 'data', 'transactions', 'neo4j'), { recursive: true, force: true });
      throw error;
    }
    phases.push({ phase: 'importing', seconds: (Date.now() - phaseStarted) / 1000 });
    say(`importing: done in ${phases.at(-1)!.seconds.toFixed(1)} s`);

    phaseStarted = Date.now();
    say('indexing: starting Neo4j on the new store, creating constraints, indexes and full-text indexes…');
    const database = await openDatabase(target, { onProgress: say });
    try {
      await ensureGraphSchema(new Cypher(database), { awaitSeconds: options.indexWaitSeconds ?? 3600, constraintsLast: true });
    } finally {
      await database.close();
    }
    phases.push({ phase: 'indexing', seconds: (Date.now() - phaseStarted) / 1000 });
    say(`indexing: done in ${phases.at(-1)!.seconds.toFixed(1)} s`);
    const storeBytes = await directoryBytes(storeDir(target.dataDir));
    return { csv, outcome: 'imported', storeBytes, phases, durationMs: Date.now() - started };
  } finally {
    if (keep) await rm(path.join(temp, 'scratch'), { recursive: true, force: true });
    else await rm(temp, { recursive: true, force: true });
  }
}
