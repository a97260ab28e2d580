import { int } from 'neo4j-driver';
import type { Cypher } from './run.ts';

/**
 * The full-text indexes: English fields with the standard analyzer, Japanese ones with `cjk` (which
 * indexes overlapping character pairs, so a word inside an unsegmented Japanese sentence is found).
 */
export const fullTextIndexes = [
  { name: 'paper_title_en', label: 'Paper', property: 'title', analyzer: 'standard', field: 'TITLE', language: 'EN' },
  { name: 'paper_abstract_en', label: 'Paper', property: 'abstract', analyzer: 'standard', field: 'ABSTRACT', language: 'EN' },
  { name: 'paper_title_ja', label: 'Paper', property: 'titleJa', analyzer: 'cjk', field: 'TITLE_JA', language: 'JA' },
  { name: 'paper_summary_ja', label: 'Paper', property: 'summaryJa', analyzer: 'cjk', field: 'SUMMARY_JA', language: 'JA' },
  { name: 'paper_abstract_ja', label: 'Paper', property: 'abstractJa', analyzer: 'cjk', field: 'ABSTRACT_JA', language: 'JA' },
  { name: 'author_name_text', label: 'Author', property: 'name', analyzer: 'standard-folding', field: 'AUTHOR_NAME', language: 'EN' },
  { name: 'venue_name_text', label: 'Venue', property: 'name', analyzer: 'standard-folding', field: 'VENUE_NAME', language: 'EN' },
  { name: 'institution_name_text', label: 'Institution', property: 'name', analyzer: 'standard-folding', field: 'INSTITUTION_NAME', language: 'EN' },
  { name: 'topic_name_text', label: 'Topic', property: 'name', analyzer: 'standard-folding', field: 'TOPIC_NAME', language: 'EN' },
] as const;

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
  // OpenAlex works and authors are identified by their OpenAlex ids (seed/openalex/); DOIs and work
  // title keys are lookup keys only (two works may share one), and importRun marks what a run has read.
  'CREATE CONSTRAINT paper_openalex_id IF NOT EXISTS FOR (p:Paper) REQUIRE p.openalexId IS UNIQUE',
  'CREATE CONSTRAINT author_openalex_id IF NOT EXISTS FOR (a:Author) REQUIRE a.openalexId IS UNIQUE',
  // Venues, institutions and topics (src/load/openalex-work.ts) are their OpenAlex ids, never their names.
  'CREATE CONSTRAINT venue_openalex_id IF NOT EXISTS FOR (v:Venue) REQUIRE v.openalexId IS UNIQUE',
  'CREATE CONSTRAINT institution_openalex_id IF NOT EXISTS FOR (i:Institution) REQUIRE i.openalexId IS UNIQUE',
  'CREATE CONSTRAINT topic_openalex_id IF NOT EXISTS FOR (t:Topic) REQUIRE t.openalexId IS UNIQUE',
  // papers(filter: { year… }) and the per-year trends read the work's year.
  'CREATE INDEX paper_publication_year IF NOT EXISTS FOR (p:Paper) ON (p.publicationYear)',
  'CREATE INDEX paper_doi IF NOT EXISTS FOR (p:Paper) ON (p.doi)',
  'CREATE INDEX paper_work_title_key IF NOT EXISTS FOR (p:Paper) ON (p.workTitleKey)',
  'CREATE INDEX paper_import_run IF NOT EXISTS FOR (p:Paper) ON (p.importRun)',
  'CREATE INDEX paper_published_at IF NOT EXISTS FOR (p:Paper) ON (p.publishedAt)',
  'CREATE INDEX paper_score IF NOT EXISTS FOR (p:Paper) ON (p.score)',
  'CREATE INDEX paper_title IF NOT EXISTS FOR (p:Paper) ON (p.title)',
  'CREATE INDEX author_name IF NOT EXISTS FOR (a:Author) ON (a.name)',
  // One full-text index per field, so a search can tell which field matched.
  ...fullTextIndexes.map(
    ({ name, label, property, analyzer }) =>
      `CREATE FULLTEXT INDEX ${name} IF NOT EXISTS FOR (n:${label}) ON EACH [n.${property}] OPTIONS { indexConfig: { \`fulltext.analyzer\`: '${analyzer}' } }`,
  ),
];

export async function ensureGraphSchema(cypher: Cypher, options: { awaitSeconds?: number } = {}): Promise<void> {
  for (const statement of graphSchemaStatements) await cypher.write(statement);
  // A new full-text index is populated in the background; wait so the first search sees every paper.
  await cypher.write('CALL db.awaitIndexes($seconds)', { seconds: int(options.awaitSeconds ?? 300) });
}
