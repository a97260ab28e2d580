import { inject } from 'vitest';
import { openDatabase, type Database } from '../../src/db/driver.ts';
import { ensureGraphSchema } from '../../src/db/migrations.ts';
import { Cypher } from '../../src/db/run.ts';
import { defaultPagesDir, seedPages } from '../../src/load/pages.ts';

/** A driver to the run's shared Neo4j (started by global-setup.ts). */
export function connectTestDatabase(): Promise<Database> {
  return openDatabase({
    kind: 'external',
    uri: inject('neo4jUri'),
    user: inject('neo4jUser'),
    password: inject('neo4jPassword'),
    database: undefined,
  });
}

/** Test files run one at a time; each starts from an empty graph with the schema in place. */
export async function resetGraph(database: Database): Promise<void> {
  const cypher = new Cypher(database);
  await cypher.write('MATCH (n) DETACH DELETE n');
  await ensureGraphSchema(cypher);
}

/** A fresh graph holding the five default pages: what most API tests start from. */
export async function connectSeededDatabase(): Promise<Database> {
  const database = await connectTestDatabase();
  await resetGraph(database);
  await seedPages(database, [defaultPagesDir]);
  return database;
}
