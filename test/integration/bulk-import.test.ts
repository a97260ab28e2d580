/**
 * The bulk path (`import:openalex --bulk`: CSV files, Neo4j's offline importer, then the schema) and
 * the transactional path give the same graph from the same files, and the API answers the same on
 * both. The bulk path loads a Neo4j of its own (a temp data dir); the transactional one the shared
 * test Neo4j.
 */
import { mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Neo4jTarget } from '../../src/config.ts';
import { openDatabase, type Database } from '../../src/db/driver.ts';
import { dumpGraph, type GraphDump } from '../../src/db/queries/graph-dump.ts';
import { Cypher } from '../../src/db/run.ts';
import { workUid } from '../../src/domain/openalex.ts';
import { encodeGlobalId } from '../../src/graphql/lib/global-id.ts';
import { bulkImportOpenAlex, BulkImportRefused, type BulkImportResult } from '../../src/load/bulk-import.ts';
import { importOpenAlex, type ImportSummary } from '../../src/load/openalex.ts';
import { freePort } from '../../src/neo4j/embedded.ts';
import { createPapergraphYoga } from '../../src/yoga.ts';
import { connectTestDatabase, resetGraph } from '../helpers/database.ts';
import { graphql } from '../helpers/graphql.ts';

const fixtures = path.join(import.meta.dirname, '..', 'fixtures', 'openalex');
let inputs: string[];

/**
 * Works for what the bulk path decides by itself: a work read twice (the first line wins), an arXiv id
 * two works carry (the first keeps it), a title two works share (neither holds the key), an author
 * named two ways with an ORCID met second (smallest name, first ORCID), values with a line break,
 * quotes, commas and an empty string, and a cited work no line holds (a stub); a venue known first by
 * its id alone, then named two ways (smallest name, first type), an institution whose country comes
 * second, and a topic scored 1 (a float either way).
 */
const author = (id: string, name: string, orcid: string | null, institutions: string[] = []) => ({
  author_position: 'first',
  author: { id: `https://openalex.org/${id}`, display_name: name, orcid },
  institutions: institutions.map((display_name) => ({ display_name })),
});
const edgeCases = [
  { id: 'W301', display_name: 'First Reading', authorships: [author('A301', 'Zed Author', null, ['Inst, "One"; Two'])], referenced_works: ['W302'] },
  {
    id: 'W302',
    display_name: 'Shared arXiv One',
    ids: { arxiv: 'https://arxiv.org/abs/2101.00001' },
    authorships: [author('A301', 'Amy Author', 'https://orcid.org/0000-0001-2345-6789')],
  },
  {
    id: 'W303',
    display_name: 'Shared arXiv Two',
    ids: { arxiv: 'https://arxiv.org/abs/2101.00001v2' },
    authorships: [author('A301', 'Bob Author', 'https://orcid.org/0000-0009-8765-4321')],
  },
  { id: 'W304', display_name: 'Same Title', referenced_works: ['W999', 'W301'] },
  { id: 'W305', display_name: 'Same  title!', related_works: ['W999', 'W304'] },
  { id: 'W306', display_name: 'Odd "values", here', primary_location: { source: { display_name: 'Proc. "Quoted", Vol 1\nSecond line' } }, type: '' },
  { id: 'W301', display_name: 'Second Reading', authorships: [author('A302', 'Other', null)] },
  // A work of works.jsonl again, in another file: read by another reader, it is still the later line.
  { id: 'W101', display_name: 'A Later Reading', referenced_works: ['W998'] },
  {
    id: 'W307',
    display_name: 'Venue By Id',
    publication_year: 2020,
    primary_location: { source: { id: 'https://openalex.org/S300' } },
    authorships: [{ ...author('A303', 'Cy Author', null), institutions: [{ id: 'https://openalex.org/I300', display_name: 'Lab, "X"' }] }],
    topics: [{ id: 'https://openalex.org/T300', display_name: 'Topic, "Quoted"', score: 1 }],
  },
  {
    id: 'W308',
    display_name: 'Venue Named Beta',
    primary_location: { source: { id: 'https://openalex.org/S300', display_name: 'Beta Venue', type: 'journal' } },
    authorships: [{ ...author('A303', 'Cy Author', null), institutions: [{ id: 'https://openalex.org/I300', display_name: 'Lab, "X"', country_code: 'fr' }] }],
  },
  {
    id: 'W309',
    display_name: 'Venue Named Alpha',
    publication_year: 2021,
    primary_location: { source: { id: 'https://openalex.org/S300', display_name: 'Alpha Venue', type: 'conference' } },
    topics: [{ id: 'https://openalex.org/T300', display_name: 'A Topic', score: 0.25 }],
  },
];

/** A fixed set of operations over what both loads write: lists, counts, citations, authors, search, paths. */
const workId = (openalexId: string) => encodeGlobalId('Paper', workUid(openalexId));
const operations: { query: string; variables?: Record<string, unknown> }[] = [
  { query: '{ stats { papers authors authorships relatedEdges citations venues institutions topics } }' },
  {
    query:
      '{ papers(first: 100, orderBy: { field: CITATION_COUNT, direction: DESC }) { totalCount edges { node { id openalexId title citationCount kind isStub } } } }',
  },
  {
    query: `query ($id: ID!) { paper(id: $id) { id openalexId doi arxivId title abstract publishedAt publicationYear workType venueName openalexCitedByCount kind
              venue { id openalexId name type issnL isStub } topics { score topic { id openalexId name subfield field domain level } }
              authors { id name openalexId orcid institutions { years paperCount institution { id name country type ror } } } references(first: 50) { totalCount edges { node { openalexId } } } citedBy(first: 50) { totalCount edges { node { openalexId } } }
              related(first: 20) { totalCount edges { source node { openalexId } } } coCitations(first: 10) { overlap paper { openalexId } } } }`,
    variables: { id: workId('W101') },
  },
  { query: '{ paper(openalexId: "W901") { id title kind isStub citationCount } }' },
  { query: '{ paper(doi: "10.48550/arxiv.1810.04805") { openalexId arxivId } }' },
  {
    query:
      '{ authors(first: 100) { totalCount edges { node { id name openalexId citationCount hIndex papers(first: 20) { totalCount edges { node { openalexId } } } } } } }',
  },
  { query: '{ author(openalexId: "A21") { name papers(first: 10) { edges { node { openalexId } } } } }' },
  { query: '{ search(query: "attention", first: 20) { score matchedFields paper { openalexId } } }' },
  {
    query: `{ venues(first: 50) { totalCount edges { node { openalexId name type isStub paperCount papers(first: 10) { edges { node { openalexId } } } } } }
              institutions(first: 50, search: "university") { edges { node { openalexId name country contributors(first: 10) { edges { paperCount node { openalexId } } } } } }
              topics(first: 50) { edges { node { openalexId name level trend { year papers citations } } } } }`,
  },
  {
    query: `query ($from: ID!, $to: ID!) { shortestPath(from: $from, to: $to, via: [CITES], direction: OUTGOING) { length nodes { id kind label distance } edges { type source target } } }`,
    variables: { from: workId('W112'), to: workId('W101') },
  },
];

let scratch: string;
let transactional: { summary: ImportSummary; dump: GraphDump; answers: unknown[] };
let bulk: { result: BulkImportResult; dump: GraphDump; answers: unknown[] };
let target: Extract<Neo4jTarget, { kind: 'embedded' }>;

async function answers(database: Database): Promise<unknown[]> {
  const yoga = createPapergraphYoga({ database });
  const out: unknown[] = [];
  for (const { query, variables } of operations) out.push(await graphql(yoga, query, variables ?? {}));
  return out;
}

const messages = (failures: { message: string }[]) => failures.map((failure) => failure.message).sort();

beforeAll(async () => {
  scratch = await mkdtemp(path.join(os.tmpdir(), 'papergraph-bulk-test-'));
  const edgeCasesFile = path.join(scratch, 'edge-cases.jsonl');
  await writeFile(edgeCasesFile, `${edgeCases.map((work) => JSON.stringify(work)).join('\n')}\n`);
  inputs = [path.join(fixtures, 'works.jsonl'), path.join(fixtures, 'bad-lines.jsonl'), edgeCasesFile];
  const database = await connectTestDatabase();
  try {
    await resetGraph(database);
    const summary = await importOpenAlex(database, inputs, { onFailure: () => {} });
    transactional = { summary, dump: await dumpGraph(new Cypher(database)), answers: await answers(database) };
  } finally {
    await database.close();
  }

  target = { kind: 'embedded', boltPort: await freePort(), dataDir: path.join(scratch, 'neo4j'), heapMb: 512, pageCacheMb: 64, database: undefined };
  // One reader a file, each in a thread of its own, whatever the machine's CPUs.
  const result = await bulkImportOpenAlex(target, inputs, { tempDir: path.join(scratch, 'tmp'), onFailure: () => {}, readers: 3 });
  const database2 = await openDatabase(target);
  try {
    bulk = { result, dump: await dumpGraph(new Cypher(database2)), answers: await answers(database2) };
  } finally {
    await database2.close();
  }
  // Three Neo4j starts (the transactional load's is shared): slow on a busy machine.
}, 900_000);

afterAll(async () => {
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

describe('import:openalex --bulk into an empty embedded database', () => {
  it('gives the same graph as the transactional importer: every node and relationship with its properties and their types', () => {
    expect(bulk.dump.nodes.length).toBeGreaterThan(30);
    expect(bulk.dump.nodes).toEqual(transactional.dump.nodes);
    expect(bulk.dump.relationships).toEqual(transactional.dump.relationships);
    expect(bulk.dump.digest).toBe(transactional.dump.digest);
  });

  it('decides repeated works, shared arXiv ids and titles, author names and ORCIDs as the transactional importer does', () => {
    const node = (id: string) => bulk.dump.nodes.find((line) => line.includes(`openalexId: STRING NOT NULL = "${id}"`)) ?? '';
    expect(node('W301')).toContain('"First Reading"');
    expect(node('W101')).toContain('"Attention Is All You Need"');
    expect(node('W998')).toBe('');
    expect(node('W302')).toContain('arxivId: STRING NOT NULL = "2101.00001"');
    expect(node('W303')).not.toContain('arxivId:');
    expect(node('W304')).not.toMatch(/ titleKey:/);
    expect(node('W301')).toMatch(/ titleKey: STRING NOT NULL = "firstreading"/);
    expect(node('A301')).toContain('name: STRING NOT NULL = "Amy Author"');
    expect(node('A301')).toContain('orcid: STRING NOT NULL = "0000-0001-2345-6789"');
    expect(node('A302')).toBe('');
    expect(node('W306')).toContain('venue: STRING NOT NULL = "Proc. \\"Quoted\\", Vol 1\\nSecond line"');
    expect(node('W306')).toContain('workType: STRING NOT NULL = ""');
    expect(node('W999')).toContain('title: STRING NOT NULL = "W999"');
    expect(node('S300')).toContain('name: STRING NOT NULL = "Alpha Venue"');
    expect(node('S300')).toContain('type: STRING NOT NULL = "journal"');
    expect(node('I300')).toContain('country: STRING NOT NULL = "FR"');
    expect(node('T300')).toContain('name: STRING NOT NULL = "A Topic"');
    const relationship = (text: string) => bulk.dump.relationships.filter((line) => line.includes(text));
    expect(relationship('-[HAS_TOPIC {score: FLOAT NOT NULL = 1}]-> T300')).toHaveLength(1);
    expect(relationship('-[PUBLISHED_IN {}]-> S300')).toHaveLength(3);
    expect(relationship('-[AFFILIATED_WITH {work: STRING NOT NULL = "W307", year: INTEGER NOT NULL = 2020}]-> I300')).toHaveLength(1);
  });

  it('gets the same answers from the API to a fixed set of operations', () => {
    for (const answer of bulk.answers) expect(answer).not.toHaveProperty('errors');
    expect(bulk.answers).toEqual(transactional.answers);
  });

  it('reports the same bad lines as `file:line: message`, and counts the same works', () => {
    expect(bulk.result.outcome).toBe('imported');
    expect(bulk.result.csv.works).toBe(transactional.summary.written);
    expect(bulk.result.csv.failedCount).toBe(transactional.summary.failedCount);
    expect(messages(bulk.result.csv.failed)).toEqual(messages(transactional.summary.failed));
    expect(bulk.result.csv.failed[0]!.message).toMatch(/bad-lines\.jsonl:\d+: /);
  });

  it('creates the schema and leaves no temporary files', { timeout: 300_000 }, async () => {
    const database = await openDatabase(target);
    try {
      const names = (await new Cypher(database).read<{ name: string }>('SHOW INDEXES YIELD name RETURN name')).map((row) => row.name);
      expect(names).toEqual(
        expect.arrayContaining([
          'paper_uid',
          'paper_openalex_id',
          'author_openalex_id',
          'paper_title_en',
          'author_name_text',
          'venue_openalex_id',
          'institution_openalex_id',
          'topic_openalex_id',
          'venue_name_text',
          'institution_name_text',
          'topic_name_text',
        ]),
      );
    } finally {
      await database.close();
    }
    expect(await readdir(path.join(scratch, 'tmp'))).toEqual([]);
    expect(bulk.result.csv.peakTempBytes).toBeGreaterThan(0);
  });

  it('refuses a database that is not empty, and says what to do instead', { timeout: 300_000 }, async () => {
    const error = await bulkImportOpenAlex(target, inputs, { tempDir: path.join(scratch, 'tmp') }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BulkImportRefused);
    expect((error as Error).message).toMatch(/is not empty \(\d+ nodes\): --bulk only loads an empty database\. Load into it without --bulk/);
    expect(await readdir(path.join(scratch, 'tmp'))).toEqual([]);
  });
});

describe('import:openalex --bulk with NEO4J_URI', () => {
  it('writes the CSV files and gives the neo4j-admin command to run where the store lives', async () => {
    const external: Neo4jTarget = { kind: 'external', uri: 'bolt://127.0.0.1:1', user: 'neo4j', password: '', database: 'papers' };
    const result = await bulkImportOpenAlex(external, inputs, { tempDir: path.join(scratch, 'external'), onFailure: () => {} });
    expect(result.outcome).toBe('command');
    const csvDir = result.csvDir!;
    expect((await stat(path.join(csvDir, 'papers.csv'))).isFile()).toBe(true);
    expect(result.command).toMatch(/^neo4j-admin database import full --id-type=string /);
    expect(result.command).toContain(`--nodes=Paper=${path.join(csvDir, 'papers.csv')}`);
    expect(result.command).toContain(`--relationships=CITES=${path.join(csvDir, 'cites.csv')}`);
    expect(result.command).not.toContain('--overwrite-destination');
    expect(result.command).toMatch(/ papers$/);
    // Only the CSV directory stays.
    expect(await readdir(path.dirname(csvDir))).toEqual(['csv']);
  });
});
