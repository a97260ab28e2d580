import type { Cypher } from './run.ts';

/**
 * Constraints and indexes of the paper graph. Every statement is idempotent (IF NOT EXISTS), so this
 * runs at every start of the server, the seed script and the tests.
 */
export const graphSchemaStatements = [
  'CREATE CONSTRAINT paper_uid IF NOT EXISTS FOR (p:Paper) REQUIRE p.uid IS UNIQUE',
  'CREATE CONSTRAINT paper_title_key IF NOT EXISTS FOR (p:Paper) REQUIRE p.titleKey IS UNIQUE',
  'CREATE CONSTRAINT paper_arxiv_id IF NOT EXISTS FOR (p:Paper) REQUIRE p.arxivId IS UNIQUE',
  'CREATE CONSTRAINT author_uid IF NOT EXISTS FOR (a:Author) REQUIRE a.uid IS UNIQUE',
  'CREATE CONSTRAINT author_key IF NOT EXISTS FOR (a:Author) REQUIRE a.key IS UNIQUE',
  'CREATE INDEX paper_published_at IF NOT EXISTS FOR (p:Paper) ON (p.publishedAt)',
  'CREATE INDEX paper_score IF NOT EXISTS FOR (p:Paper) ON (p.score)',
  'CREATE INDEX paper_title IF NOT EXISTS FOR (p:Paper) ON (p.title)',
  'CREATE INDEX author_name IF NOT EXISTS FOR (a:Author) ON (a.name)',
  "CREATE FULLTEXT INDEX paper_text_en IF NOT EXISTS FOR (p:Paper) ON EACH [p.title, p.abstract] OPTIONS { indexConfig: { `fulltext.analyzer`: 'standard' } }",
  "CREATE FULLTEXT INDEX paper_text_ja IF NOT EXISTS FOR (p:Paper) ON EACH [p.titleJa, p.summaryJa, p.abstractJa] OPTIONS { indexConfig: { `fulltext.analyzer`: 'cjk' } }",
  "CREATE FULLTEXT INDEX author_name_text IF NOT EXISTS FOR (a:Author) ON EACH [a.name] OPTIONS { indexConfig: { `fulltext.analyzer`: 'standard-folding' } }",
];

export async function ensureGraphSchema(cypher: Cypher): Promise<void> {
  for (const statement of graphSchemaStatements) await cypher.write(statement);
  // A new full-text index is populated in the background; wait so the first search sees every paper.
  await cypher.write('CALL db.awaitIndexes(300)');
}
