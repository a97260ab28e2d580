import { afterAll, beforeAll } from 'vitest';
import type { Database } from '../../src/db/driver.ts';
import { createPapergraphYoga, type PapergraphYoga } from '../../src/yoga.ts';
import { connectSeededDatabase } from './database.ts';

/** For one test file: the default pages in a fresh graph and the server's handler on it, closed after the file. */
export function seededYoga(): { readonly database: Database; readonly yoga: PapergraphYoga } {
  const state: { database?: Database; yoga?: PapergraphYoga } = {};
  beforeAll(async () => {
    state.database = await connectSeededDatabase();
    state.yoga = createPapergraphYoga({ database: state.database });
  });
  afterAll(async () => {
    await state.database?.close();
  });
  return {
    get database() {
      return state.database!;
    },
    get yoga() {
      return state.yoga!;
    },
  };
}
