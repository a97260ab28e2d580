import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/driver.ts';
import { readGraphStats } from '../../src/db/queries/stats.ts';
import { Cypher } from '../../src/db/run.ts';
import { importOpenAlex } from '../../src/load/openalex.ts';
import { defaultPagesDir, seedPages } from '../../src/load/pages.ts';
import { connectTestDatabase, resetGraph } from '../helpers/database.ts';
import { graphFingerprint } from '../helpers/graph.ts';
import { expectOk, graphql } from '../helpers/graphql.ts';
import { encodeGlobalId } from '../../src/graphql/lib/global-id.ts';
import { workUid } from '../../src/domain/openalex.ts';
import { createPapergraphYoga, type PapergraphYoga } from '../../src/yoga.ts';

/**
 * The research graph around the works: venues, institutions and topics as nodes, identified by their
 * OpenAlex ids. The fixture (test/fixtures/openalex/works.jsonl) gives, in both layouts:
 * - venues S1 (arXiv: W101, W102, W104, and W108 through the older layout's host_venue V1), S2, S3 (W105,
 *   and W109 as V3), S4, S5, S7, and S8 known only by its id (W110); W112 has none;
 * - institutions I20582 (Google Brain), I1290206253 (Microsoft Research) and two named "National
 *   University": I101 (SG) and I102 (KR). Grace Hopper (A21) is at I101 for W101 (2017), W104 (2023)
 *   and W108 (2016, older layout), at I102 for W102 (2018);
 * - topics T10181, T10028 on current works; concepts C41008148, C108583219 on the older ones.
 */
const fixtures = path.join(import.meta.dirname, '..', 'fixtures', 'openalex');
const worksFile = path.join(fixtures, 'works.jsonl');

let database: Database;
let cypher: Cypher;
let scratch: string;
let yoga: PapergraphYoga;
let notFolding: PapergraphYoga;
const quiet = { onFailure: () => {} };

beforeAll(async () => {
  database = await connectTestDatabase();
  cypher = new Cypher(database);
  yoga = createPapergraphYoga({ database, debugExtensions: true });
  notFolding = createPapergraphYoga({ database, debugExtensions: true, foldRelations: false });
  scratch = await mkdtemp(path.join(os.tmpdir(), 'papergraph-entities-test-'));
});
afterAll(async () => {
  await database?.close();
  await rm(scratch, { recursive: true, force: true });
});

async function fixtureLines(): Promise<Map<string, string>> {
  const lines = (await readFile(worksFile, 'utf8')).trimEnd().split('\n');
  return new Map(lines.map((line) => [String(JSON.parse(line).id).split('/').pop()!, line]));
}

/** The fixture with some works changed, as a file of its own; the other lines are kept byte for byte. */
async function changedFixture(name: string, change: (works: Map<string, Record<string, any>>) => void): Promise<string> {
  const lines = await fixtureLines();
  const works = new Map([...lines].map(([id, line]) => [id, JSON.parse(line) as Record<string, any>]));
  change(works);
  const file = path.join(scratch, name);
  const text = [...works].map(([id, work]) => (JSON.stringify(work) === JSON.stringify(JSON.parse(lines.get(id)!)) ? lines.get(id) : JSON.stringify(work)));
  await writeFile(file, `${text.join('\n')}\n`);
  return file;
}

const rows = <T = Record<string, unknown>>(query: string, params: Record<string, unknown> = {}) => cypher.read<T>(query, params);

async function linkCounts() {
  const [row] = await rows<Record<string, number>>(
    `CALL () { MATCH ()-[r:PUBLISHED_IN]->() RETURN count(r) AS publishedIn }
     CALL () { MATCH ()-[r:AFFILIATED_WITH]->() RETURN count(r) AS affiliations }
     CALL () { MATCH ()-[r:HAS_TOPIC]->() RETURN count(r) AS topicLinks }
     RETURN publishedIn, affiliations, topicLinks`,
  );
  return row;
}

const entityIds = async (label: 'Venue' | 'Institution' | 'Topic') =>
  (await rows<{ id: string }>(`MATCH (n:${label}) RETURN n.openalexId AS id ORDER BY id`)).map((row) => row.id);

describe('venues, institutions and topics from OpenAlex works', () => {
  let firstImport: string[];

  beforeAll(async () => {
    await resetGraph(database);
  });

  it('makes them nodes identified by OpenAlex id, from both layouts, and counts them in stats', async () => {
    const summary = await importOpenAlex(database, [worksFile], quiet);
    expect(summary).toMatchObject({ written: 12, failedCount: 0 });
    firstImport = await graphFingerprint(database);
    expect(await readGraphStats(cypher)).toMatchObject({ papers: 15, venues: 7, institutions: 4, topics: 4 });
    expect(await entityIds('Venue')).toEqual(['S1', 'S2', 'S3', 'S4', 'S5', 'S7', 'S8']);
    expect(await entityIds('Institution')).toEqual(['I101', 'I102', 'I1290206253', 'I20582']);
    // C41008148 is also on W101, a current work with topics: there it is not read.
    expect(await entityIds('Topic')).toEqual(['C108583219', 'C41008148', 'T10028', 'T10181']);
    expect(await linkCounts()).toEqual({ publishedIn: 11, affiliations: 8, topicLinks: 12 });

    // The older layout's V1 and V3 are the sources S1 and S3: one venue each, whichever layout named it.
    const venues = await rows(
      `MATCH (v:Venue) WHERE v.openalexId IN ['S1', 'S3', 'S7', 'S8']
       RETURN v.openalexId AS id, v.name AS name, v.type AS type, v.issnL AS issnL,
              COLLECT { MATCH (p:Paper)-[:PUBLISHED_IN]->(v) RETURN p.openalexId ORDER BY p.openalexId } AS papers
       ORDER BY id`,
    );
    expect(venues).toEqual([
      { id: 'S1', name: 'arXiv (Cornell University)', type: 'repository', issnL: null, papers: ['W101', 'W102', 'W104', 'W108'] },
      { id: 'S3', name: 'ICLR', type: 'journal', issnL: null, papers: ['W105', 'W109'] },
      { id: 'S7', name: 'NeurIPS', type: 'conference', issnL: '1049-5258', papers: ['W111'] },
      // A stub venue: known by its id only, it has no name until a work gives one.
      { id: 'S8', name: null, type: null, issnL: null, papers: ['W110'] },
    ]);
  });

  it('keeps two institutions of one name apart, and answers "authors of institution X in year Y" in one hop', async () => {
    const homonyms = await rows(
      "MATCH (i:Institution {name: 'National University'}) RETURN i.openalexId AS id, i.country AS country, i.ror AS ror ORDER BY id",
    );
    expect(homonyms).toEqual([
      { id: 'I101', country: 'SG', ror: '01tgyzw49' },
      { id: 'I102', country: 'KR', ror: null },
    ]);
    const hopper = await rows(
      `MATCH (:Author {openalexId: 'A21'})-[r:AFFILIATED_WITH]->(i:Institution)
       RETURN r.year AS year, r.work AS work, i.openalexId AS institution ORDER BY year`,
    );
    expect(hopper).toEqual([
      { year: 2016, work: 'W108', institution: 'I101' },
      { year: 2017, work: 'W101', institution: 'I101' },
      { year: 2018, work: 'W102', institution: 'I102' },
      { year: 2023, work: 'W104', institution: 'I101' },
    ]);
    const googleIn2017 = await rows(
      `MATCH (:Institution {openalexId: 'I20582'})<-[r:AFFILIATED_WITH {year: 2017}]-(a:Author)
       RETURN DISTINCT a.openalexId AS author ORDER BY author`,
    );
    expect(googleIn2017).toEqual([{ author: 'A1' }, { author: 'A2' }]);
    const [orcid] = await rows("MATCH (a:Author {openalexId: 'A21'}) RETURN a.orcid AS orcid");
    expect(orcid).toEqual({ orcid: '0000-0002-1825-0097' });
  });

  it('gives topics their hierarchy and scores, and concepts their level', async () => {
    const topics = await rows(
      `MATCH (t:Topic) RETURN t.openalexId AS id, t.name AS name, t.subfield AS subfield, t.field AS field, t.domain AS domain, t.level AS level,
              COLLECT { MATCH (p:Paper)-[r:HAS_TOPIC]->(t) RETURN [p.openalexId, r.score] ORDER BY p.openalexId } AS papers
       ORDER BY id`,
    );
    expect(topics).toEqual([
      {
        id: 'C108583219',
        name: 'Deep learning',
        subfield: null,
        field: null,
        domain: null,
        level: 2,
        papers: [
          ['W108', 0.77],
          ['W109', 0.52],
        ],
      },
      {
        id: 'C41008148',
        name: 'Computer science',
        subfield: null,
        field: null,
        domain: null,
        level: 0,
        papers: [
          ['W108', 0.81],
          ['W109', 0.79],
        ],
      },
      {
        id: 'T10028',
        name: 'Topic Modeling',
        subfield: 'Artificial Intelligence',
        field: 'Computer Science',
        domain: 'Physical Sciences',
        level: null,
        papers: [
          ['W101', 0.9712],
          ['W103', 0.9],
          ['W104', 0.98],
        ],
      },
      {
        id: 'T10181',
        name: 'Natural Language Processing Techniques',
        subfield: 'Artificial Intelligence',
        field: 'Computer Science',
        domain: 'Physical Sciences',
        level: null,
        papers: [
          ['W101', 0.9991],
          ['W102', 0.9987],
          ['W103', 0.995],
          ['W105', 0.97],
          ['W111', 0.96],
        ],
      },
    ]);
  });

  it('changes nothing when the same file is imported again', async () => {
    const summary = await importOpenAlex(database, [worksFile], quiet);
    expect(summary).toMatchObject({ written: 0, unchanged: 12 });
    expect(await graphFingerprint(database)).toEqual(firstImport);
  });

  it("replaces a changed work's venue, affiliations and topics, and removes what nothing points at any more", async () => {
    const changed = await changedFixture('changed.jsonl', (works) => {
      // W104 moves from Topic Modeling to a new topic, and Grace Hopper from I101 to I102 on it.
      const w104 = works.get('W104')!;
      w104.topics = [{ id: 'https://openalex.org/T10036', display_name: 'Advanced Neural Network Applications', score: 0.93 }];
      w104.authorships.at(-1).institutions = [{ id: 'https://openalex.org/I102', display_name: 'National University', country_code: 'KR' }];
      // W102 drops its affiliations (I102 stays: W104 now holds it) and W110 its stub venue.
      for (const authorship of works.get('W102')!.authorships) authorship.institutions = [];
      works.get('W110')!.primary_location = null;
      // W108 (older layout) names its venue anew: the name is the smallest any work gives.
      works.get('W108')!.host_venue.display_name = 'ArXiv';
    });
    const summary = await importOpenAlex(database, [changed], quiet);
    expect(summary).toMatchObject({ written: 4, unchanged: 8, failedCount: 0 });
    expect(await entityIds('Venue')).toEqual(['S1', 'S2', 'S3', 'S4', 'S5', 'S7']);
    expect(await entityIds('Topic')).toEqual(['C108583219', 'C41008148', 'T10028', 'T10036', 'T10181']);
    expect(await linkCounts()).toEqual({ publishedIn: 10, affiliations: 6, topicLinks: 12 });
    const [s1] = await rows("MATCH (v:Venue {openalexId: 'S1'}) RETURN v.name AS name");
    expect(s1).toEqual({ name: 'ArXiv' });
    expect(
      await rows(
        `MATCH (:Author {openalexId: 'A21'})-[r:AFFILIATED_WITH]->(i:Institution)
         RETURN r.work AS work, i.openalexId AS institution ORDER BY work`,
      ),
    ).toEqual([
      { work: 'W101', institution: 'I101' },
      { work: 'W104', institution: 'I102' },
      { work: 'W108', institution: 'I101' },
    ]);

    // W104 drops its only topic: T10036 is no one's topic any more and goes; W104's authorship is back at
    // I101, so I102, which only W104 held, goes too.
    const again = await changedFixture('again.jsonl', (works) => {
      const w104 = works.get('W104')!;
      w104.topics = [];
      for (const authorship of works.get('W102')!.authorships) authorship.institutions = [];
      works.get('W110')!.primary_location = null;
      works.get('W108')!.host_venue.display_name = 'ArXiv';
    });
    await importOpenAlex(database, [again], quiet);
    expect(await entityIds('Topic')).toEqual(['C108583219', 'C41008148', 'T10028', 'T10181']);
    expect(await entityIds('Institution')).toEqual(['I101', 'I1290206253', 'I20582']);

    // The original file again: the same graph as its first import, but the venue name the smallest seen.
    await importOpenAlex(database, [worksFile], quiet);
    const restored = await graphFingerprint(database);
    expect(restored.filter((line) => !line.includes('"ArXiv"'))).toEqual(
      firstImport.filter((line) => !line.includes('"arXiv (Cornell University)","openalexId":"S1"')),
    );
  });

  it("drops a work's affiliations when a summary page takes its authorships over", async () => {
    await resetGraph(database);
    await importOpenAlex(database, [worksFile], quiet);
    // The default pages include 2309.08351, the arXiv id of W104: its page's authors replace the work's.
    await seedPages(database, [defaultPagesDir]);
    expect(await rows("MATCH ()-[r:AFFILIATED_WITH {work: 'W104'}]->() RETURN count(r) AS count")).toEqual([{ count: 0 }]);
    expect(await linkCounts()).toMatchObject({ affiliations: 7 });
    // Nobody is left affiliated without a paper.
    expect(await rows('MATCH (a:Author) WHERE NOT EXISTS { (a)-[:AUTHORED]->() } RETURN count(a) AS count')).toEqual([{ count: 0 }]);
  });

  it('gives the same graph whether the works or the pages come first, with no entity that nothing points at', async () => {
    // W104, whose page is among the default pages, with an institution no other work has.
    const works = await changedFixture('own-institution.jsonl', (works) => {
      works.get('W104')!.authorships.at(-1).institutions = [{ id: 'https://openalex.org/I999', display_name: 'Only W104', country_code: 'JP' }];
    });
    await resetGraph(database);
    await importOpenAlex(database, [works], quiet);
    await seedPages(database, [defaultPagesDir]);
    const worksFirst = await graphFingerprint(database);
    await resetGraph(database);
    // W104 now joins the paper of its page: the page's authors stand, so no affiliation holds I999.
    await seedPages(database, [defaultPagesDir]);
    await importOpenAlex(database, [works], quiet);
    expect(await graphFingerprint(database)).toEqual(worksFirst);
    expect(await rows('MATCH (e:Venue|Institution|Topic) WHERE NOT EXISTS { (e)--() } RETURN count(e) AS count')).toEqual([{ count: 0 }]);
  });
});

const ok = (query: string, variables: Record<string, unknown> = {}) => expectOk(yoga, query, variables);
const paperId = (openalexId: string) => encodeGlobalId('Paper', workUid(openalexId));
const openalexIds = (connection: { edges: { node: { openalexId: string } }[] }) => connection.edges.map((edge) => edge.node.openalexId);

describe('venues, institutions and topics in the API', () => {
  beforeAll(async () => {
    await resetGraph(database);
    await importOpenAlex(database, [worksFile], quiet);
  });

  it("shows a paper's venue as an object, its topics with scores, and its authors' ORCIDs and institutions by year", async () => {
    const { data } = await ok(
      `query ($w101: ID!, $w108: ID!, $w112: ID!) {
        w101: paper(id: $w101) {
          venueName venue { openalexId name type issnL isStub }
          topics { score topic { openalexId name scheme subfield field domain level } }
          authors { name orcid institutions { years paperCount institution { openalexId name country ror } } }
        }
        w108: paper(id: $w108) { venue { id openalexId } topics { score topic { openalexId scheme level } } }
        w112: paper(id: $w112) { venueName venue { id } topics { score } }
      }`,
      { w101: paperId('W101'), w108: paperId('W108'), w112: paperId('W112') },
    );
    expect(data.w101.venueName).toBe('arXiv (Cornell University)');
    expect(data.w101.venue).toEqual({ openalexId: 'S1', name: 'arXiv (Cornell University)', type: 'repository', issnL: null, isStub: false });
    expect(data.w101.topics).toEqual([
      {
        score: 0.9991,
        topic: {
          openalexId: 'T10181',
          name: 'Natural Language Processing Techniques',
          scheme: 'TOPIC',
          subfield: 'Artificial Intelligence',
          field: 'Computer Science',
          domain: 'Physical Sciences',
          level: null,
        },
      },
      {
        score: 0.9712,
        topic: {
          openalexId: 'T10028',
          name: 'Topic Modeling',
          scheme: 'TOPIC',
          subfield: 'Artificial Intelligence',
          field: 'Computer Science',
          domain: 'Physical Sciences',
          level: null,
        },
      },
    ]);
    const hopper = data.w101.authors[2];
    expect(hopper).toMatchObject({ name: 'Grace Hopper', orcid: '0000-0002-1825-0097' });
    // Most recent first; the homonymous institutions are two.
    expect(hopper.institutions).toEqual([
      { years: [2016, 2017, 2023], paperCount: 3, institution: { openalexId: 'I101', name: 'National University', country: 'SG', ror: '01tgyzw49' } },
      { years: [2018], paperCount: 1, institution: { openalexId: 'I102', name: 'National University', country: 'KR', ror: null } },
    ]);
    expect(data.w101.authors[0]).toMatchObject({ orcid: null, institutions: [{ years: [2017], paperCount: 1, institution: { openalexId: 'I20582' } }] });
    // The older layout's paper: the same venue node; its concepts as topics.
    expect(data.w108.venue).toEqual({ id: encodeGlobalId('Venue', 'S1'), openalexId: 'S1' });
    expect(data.w108.topics).toEqual([
      { score: 0.81, topic: { openalexId: 'C41008148', scheme: 'CONCEPT', level: 0 } },
      { score: 0.77, topic: { openalexId: 'C108583219', scheme: 'CONCEPT', level: 2 } },
    ]);
    expect(data.w112).toEqual({ venueName: null, venue: null, topics: [] });

    const { data: byYear } = await ok('{ author(openalexId: "A21") { institutions(year: 2018) { institution { openalexId } } } }');
    expect(byYear.author.institutions).toEqual([{ institution: { openalexId: 'I102' } }]);
  });

  it('looks venues, institutions and topics up by ID or OpenAlex id in any usual spelling, and as Relay nodes', async () => {
    const { data } = await ok(`{
      older: venue(openalexId: "V1") { openalexId name }
      url: venue(openalexId: "https://openalex.org/S1") { id }
      stub: venue(openalexId: "s8") { name isStub paperCount }
      institution(openalexId: "https://openalex.org/I102") { id name country }
      topic(openalexId: "T10181") { id name }
      concept: topic(openalexId: "https://openalex.org/C108583219") { name level }
      unknown: venue(openalexId: "S999") { id }
      notAnId: institution(openalexId: "S1") { id }
    }`);
    expect(data.older).toEqual({ openalexId: 'S1', name: 'arXiv (Cornell University)' });
    expect(data.url.id).toBe(encodeGlobalId('Venue', 'S1'));
    // A stub venue shows its id until a work names it.
    expect(data.stub).toEqual({ name: 'S8', isStub: true, paperCount: 1 });
    expect(data.institution).toEqual({ id: encodeGlobalId('Institution', 'I102'), name: 'National University', country: 'KR' });
    expect(data.concept).toEqual({ name: 'Deep learning', level: 2 });
    expect(data.unknown).toBeNull();
    expect(data.notAnId).toBeNull();
    const { data: nodes } = await ok(
      'query ($ids: [ID!]!) { nodes(ids: $ids) { __typename id ... on Topic { openalexId } ... on Institution { openalexId } } }',
      {
        ids: [data.topic.id, data.institution.id],
      },
    );
    expect(nodes.nodes.map((node: any) => [node.__typename, node.openalexId])).toEqual([
      ['Topic', 'T10181'],
      ['Institution', 'I102'],
    ]);
    const { data: byId } = await ok('query ($id: ID!) { topic(id: $id) { openalexId } }', { id: data.topic.id });
    expect(byId.topic.openalexId).toBe('T10181');

    const both = await graphql(yoga, '{ venue(id: "x", openalexId: "S1") { id } }');
    expect(both.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const wrongType = await graphql(yoga, 'query ($id: ID!) { venue(id: $id) { id } }', { id: data.topic.id });
    expect(wrongType.errors?.[0]?.extensions?.code).toBe('INVALID_ID');
  });

  it('searches names, keeping homonyms apart, and orders by name or number of papers', async () => {
    const { data } = await ok(`{
      venues(search: "ARXIV") { totalCount edges { node { openalexId } } }
      institutions(search: "national university") { totalCount edges { node { openalexId name country } } }
      topics(first: 2, orderBy: { field: PAPER_COUNT, direction: DESC }) { edges { node { openalexId paperCount } } pageInfo { hasNextPage endCursor } }
      allVenues: venues(first: 3) { totalCount edges { node { name } } }
    }`);
    expect(data.venues).toEqual({ totalCount: 1, edges: [{ node: { openalexId: 'S1' } }] });
    expect(data.institutions).toEqual({
      totalCount: 2,
      edges: [
        { node: { openalexId: 'I101', name: 'National University', country: 'SG' } },
        { node: { openalexId: 'I102', name: 'National University', country: 'KR' } },
      ],
    });
    expect(data.topics.edges.map((edge: any) => edge.node)).toEqual([
      { openalexId: 'T10181', paperCount: 5 },
      { openalexId: 'T10028', paperCount: 3 },
    ]);
    expect(data.allVenues).toEqual({
      totalCount: 7,
      edges: [{ node: { name: 'Another Journal' } }, { node: { name: 'ICLR' } }, { node: { name: 'Journal of Surveys' } }],
    });
    const { data: next } = await ok(
      'query ($after: String) { topics(first: 5, after: $after, orderBy: { field: PAPER_COUNT, direction: DESC }) { edges { node { openalexId paperCount } } } }',
      {
        after: data.topics.pageInfo.endCursor,
      },
    );
    // Ties go by id, in the same direction.
    expect(next.topics.edges.map((edge: any) => edge.node)).toEqual([
      { openalexId: 'C41008148', paperCount: 2 },
      { openalexId: 'C108583219', paperCount: 2 },
    ]);
  });

  it("lists an entity's papers filtered and ordered like papers, with counts", async () => {
    const { data } = await ok(`{
      venue(openalexId: "S1") {
        paperCount citationCount authorCount
        all: papers(orderBy: { field: PUBLISHED_AT, direction: ASC }) { totalCount edges { node { openalexId } } }
        early: papers(filter: { yearFrom: 2017, yearTo: 2018 }, orderBy: { field: CITATION_COUNT, direction: DESC }) { totalCount edges { node { openalexId citationCount } } }
        preprints: papers(filter: { type: "preprint" }) { edges { node { openalexId workType } } }
      }
      institution(openalexId: "I101") { paperCount papers(orderBy: { field: TITLE, direction: ASC }) { totalCount edges { node { openalexId } } } }
      topic(openalexId: "T10181") { paperCount citationCount authorCount papers(first: 2) { totalCount edges { node { openalexId } } pageInfo { hasNextPage } } }
    }`);
    expect(data.venue).toMatchObject({ paperCount: 4, citationCount: 8 + 6 + 3 + 2, authorCount: 8 });
    expect(data.venue.all.totalCount).toBe(4);
    expect(openalexIds(data.venue.all)).toEqual(['W108', 'W101', 'W102', 'W104']);
    expect(data.venue.early).toEqual({
      totalCount: 2,
      edges: [{ node: { openalexId: 'W101', citationCount: 8 } }, { node: { openalexId: 'W102', citationCount: 6 } }],
    });
    expect(data.venue.preprints.edges).toEqual([{ node: { openalexId: 'W104', workType: 'preprint' } }]);
    // Attention Is All You Need, Deep Residual Learning…, Headless Language Models…
    expect(data.institution).toEqual({
      paperCount: 3,
      papers: { totalCount: 3, edges: [{ node: { openalexId: 'W101' } }, { node: { openalexId: 'W108' } }, { node: { openalexId: 'W104' } }] },
    });
    expect(data.topic).toMatchObject({ paperCount: 5, citationCount: 20, authorCount: 9 });
    expect(data.topic.papers).toEqual({
      totalCount: 5,
      edges: [{ node: { openalexId: 'W105' } }, { node: { openalexId: 'W111' } }],
      pageInfo: { hasNextPage: true },
    });
  });

  it('filters papers by venue, institution, topic, year range, type and stubs', async () => {
    const id = (type: string, openalexId: string) => encodeGlobalId(type, openalexId);
    const { data } = await ok(
      `query ($s1: ID!, $i101: ID!, $t10028: ID!, $t10181: ID!, $google: ID!) {
        byVenue: papers(filter: { venue: $s1, type: "article" }, orderBy: { field: TITLE, direction: ASC }) { totalCount edges { node { openalexId } } }
        byInstitution: papers(filter: { institution: $i101, yearFrom: 2017 }) { totalCount edges { node { openalexId } } }
        byTopic: papers(filter: { topic: $t10028 }) { totalCount edges { node { openalexId } } }
        topicAndLab: papers(filter: { topic: $t10181, institution: $google }) { totalCount edges { node { openalexId } } }
        reviews: papers(filter: { yearFrom: 2023, yearTo: 2023, type: "review" }) { totalCount edges { node { openalexId } } }
        stubs: papers(filter: { isStub: true }) { totalCount }
        notStubs: papers(filter: { isStub: false }) { totalCount }
      }`,
      {
        s1: id('Venue', 'S1'),
        i101: id('Institution', 'I101'),
        t10028: id('Topic', 'T10028'),
        t10181: id('Topic', 'T10181'),
        google: id('Institution', 'I20582'),
      },
    );
    expect(data.byVenue).toEqual({
      totalCount: 3,
      edges: [{ node: { openalexId: 'W101' } }, { node: { openalexId: 'W102' } }, { node: { openalexId: 'W108' } }],
    });
    expect(data.byInstitution).toEqual({ totalCount: 2, edges: [{ node: { openalexId: 'W104' } }, { node: { openalexId: 'W101' } }] });
    expect(data.byTopic).toEqual({
      totalCount: 3,
      edges: [{ node: { openalexId: 'W104' } }, { node: { openalexId: 'W103' } }, { node: { openalexId: 'W101' } }],
    });
    expect(data.topicAndLab).toEqual({ totalCount: 2, edges: [{ node: { openalexId: 'W102' } }, { node: { openalexId: 'W101' } }] });
    expect(data.reviews.totalCount).toBe(2);
    expect(openalexIds(data.reviews).sort()).toEqual(['W106', 'W107']);
    expect(data.stubs.totalCount).toBe(3);
    expect(data.notStubs.totalCount).toBe(12);
    const wrong = await graphql(yoga, 'query ($id: ID!) { papers(filter: { venue: $id }) { totalCount } }', { id: id('Topic', 'T10181') });
    expect(wrong.errors?.[0]?.extensions?.code).toBe('INVALID_ID');
  });

  it('ranks an entity\'s authors by papers or citations there, in a year range: "who was at institution X in year Y"', async () => {
    const { data } = await ok(`{
      google: institution(openalexId: "I20582") { contributors { totalCount edges { paperCount citationCount node { openalexId } } } }
      in2017: institution(openalexId: "I101") { contributors(yearFrom: 2017, yearTo: 2017) { totalCount edges { node { openalexId } } } }
      topic(openalexId: "T10181") { contributors(first: 2, orderBy: CITATION_COUNT) { totalCount edges { paperCount citationCount node { name } } } }
    }`);
    expect(data.google.contributors.totalCount).toBe(3);
    expect(data.google.contributors.edges.map((edge: any) => [edge.node.openalexId, edge.paperCount, edge.citationCount]).sort()).toEqual([
      ['A1', 1, 8],
      ['A2', 1, 8],
      ['A3', 1, 6],
    ]);
    expect(data.in2017.contributors).toEqual({ totalCount: 1, edges: [{ node: { openalexId: 'A21' } }] });
    expect(data.topic.contributors.totalCount).toBe(9);
    expect(data.topic.contributors.edges[0]).toEqual({ paperCount: 3, citationCount: 8 + 6 + 4, node: { name: 'Grace Hopper' } });
    expect(data.topic.contributors.edges[1]).toMatchObject({ paperCount: 1, citationCount: 8 });
  });

  it("plots a topic's papers and the citations they received, year by year", async () => {
    // T10181: W101 (2017), W102 (2018), W103 (2019), W111 (2022), W105 (2024); their citers' years, worked out by hand from referenced_works.
    const { data } = await ok(`{
      topic(openalexId: "T10181") { trend { year papers citations } recent: trend(yearFrom: 2020, yearTo: 2023) { year papers citations } }
    }`);
    expect(data.topic.trend).toEqual([
      { year: 2016, papers: 0, citations: 2 },
      { year: 2017, papers: 1, citations: 0 },
      { year: 2018, papers: 1, citations: 2 },
      { year: 2019, papers: 1, citations: 2 },
      { year: 2020, papers: 0, citations: 2 },
      { year: 2022, papers: 1, citations: 1 },
      { year: 2023, papers: 0, citations: 9 },
      { year: 2024, papers: 1, citations: 2 },
    ]);
    expect(data.topic.recent).toEqual([
      { year: 2020, papers: 0, citations: 2 },
      { year: 2022, papers: 1, citations: 1 },
      { year: 2023, papers: 0, citations: 9 },
    ]);
  });

  it('loads every entity field of a list in one round-trip per field path, whatever its length', async () => {
    const query = (first: number) => `{
      venues(first: ${first}) { edges { node {
        paperCount citationCount authorCount
        papers(first: 2) { totalCount edges { node { title venue { name } topics { score topic { name } } } } }
        contributors(first: 2) { edges { node { name orcid institutions { institution { name } } } } }
        trend { year }
      } } }
    }`;
    const big = await ok(query(10));
    const small = await ok(query(1));
    expect(big.data.venues.edges).toHaveLength(7);
    // venues, counts, papers (their venue and topics folded in), authors (their ORCIDs and institutions folded in), trend.
    expect(big.extensions.cypherRoundTrips).toBe(5);
    expect(small.extensions.cypherRoundTrips).toBe(5);
  });

  it("folds a paper's venue and topics, and its authors' ORCIDs and institutions, into the query of the papers above them", async () => {
    const query = `query ($venue: ID!, $w101: ID!) {
      papers(first: 5, filter: { venue: $venue }, orderBy: { field: TITLE, direction: ASC }) { edges { node {
        title venueName venue { openalexId name isStub } topics { score topic { openalexId name } }
        authors { name orcid institutions { years paperCount institution { openalexId name } } y2018: institutions(year: 2018) { years } }
      } } }
      paper(id: $w101) { venue { name } topics { score } authors { orcid institutions { years } } }
    }`;
    const variables = { venue: encodeGlobalId('Venue', 'S1'), w101: paperId('W101') };
    const folded = await ok(query, variables);
    const unfolded = await expectOk(notFolding, query, variables);
    expect(folded.data).toEqual(unfolded.data);
    expect(folded.data.papers.edges.map((edge: any) => edge.node.venue.openalexId)).toEqual(['S1', 'S1', 'S1', 'S1']);
    const hopper = folded.data.papers.edges.flatMap((edge: any) => edge.node.authors).find((author: any) => author.name === 'Grace Hopper');
    expect(hopper.orcid).toBe('0000-0002-1825-0097');
    expect(hopper.y2018).toEqual([{ years: [2018] }]);
    // The page of papers, and the paper looked up: each one query with all its relations.
    expect(folded.extensions.cypherRoundTrips).toBe(2);
    // Unfolded: the page, its venues, topics, authors, their ORCIDs, institutions, the aliased ones; the lookup and the same four.
    expect(unfolded.extensions.cypherRoundTrips).toBeGreaterThan(8);
  });
});
