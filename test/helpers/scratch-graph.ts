import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import type { Database } from '../../src/db/driver.ts';
import { Cypher } from '../../src/db/run.ts';
import { createPapergraphYoga, type PapergraphYoga, type YogaOptions } from '../../src/yoga.ts';
import { connectTestDatabase } from './database.ts';

export interface ScratchGraph {
  readonly database: Database;
  readonly cypher: Cypher;
  readonly yoga: PapergraphYoga;
  /** A temporary directory of the file's own, for the files its tests write. */
  readonly scratch: string;
}

/**
 * For one test file that loads its own data: the test database (as the file leaves it; reset it with
 * resetGraph), Cypher and the server's handler on it, and a scratch directory, closed and removed after
 * the file. seededYoga() is the same for files that read the default pages.
 */
export function scratchGraph(name: string, options: Omit<YogaOptions, 'database'> = {}): ScratchGraph {
  const state: Partial<{ -readonly [K in keyof ScratchGraph]: ScratchGraph[K] }> = {};
  beforeAll(async () => {
    state.database = await connectTestDatabase();
    state.cypher = new Cypher(state.database);
    state.yoga = createPapergraphYoga({ database: state.database, ...options });
    state.scratch = await mkdtemp(path.join(os.tmpdir(), `papergraph-${name}-test-`));
  });
  afterAll(async () => {
    await state.database?.close();
    if (state.scratch) await rm(state.scratch, { recursive: true, force: true });
  });
  return {
    get database() {
      return state.database!;
    },
    get cypher() {
      return state.cypher!;
    },
    get yoga() {
      return state.yoga!;
    },
    get scratch() {
      return state.scratch!;
    },
  };
}
