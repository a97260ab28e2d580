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
const quiet = { onFailure: () => {} };

beforeAll(async () => {
  database = await connectTestDatabase();
  cypher = new Cypher(database);
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
      { id: 'C108583219', name: 'Deep learning', subfield: null, field: null, domain: null, level: 2, papers: [['W108', 0.77], ['W109', 0.52]] },
      { id: 'C41008148', name: 'Computer science', subfield: null, field: null, domain: null, level: 0, papers: [['W108', 0.81], ['W109', 0.79]] },
      {
        id: 'T10028', name: 'Topic Modeling', subfield: 'Artificial Intelligence', field: 'Computer Science', domain: 'Physical Sciences', level: null,
        papers: [['W101', 0.9712], ['W103', 0.9], ['W104', 0.98]],
      },
      {
        id: 'T10181', name: 'Natural Language Processing Techniques', subfield: 'Artificial Intelligence', field: 'Computer Science', domain: 'Physical Sciences', level: null,
        papers: [['W101', 0.9991], ['W102', 0.9987], ['W103', 0.995], ['W105', 0.97], ['W111', 0.96]],
      },
    ]);
  });

  it('changes nothing when the same file is imported again', async () => {
    const summary = await importOpenAlex(database, [worksFile], quiet);
    expect(summary).toMatchObject({ written: 0, unchanged: 12 });
    expect(await graphFingerprint(database)).toEqual(firstImport);
  });

  it('replaces a changed work\'s venue, affiliations and topics, and removes what nothing points at any more', async () => {
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
    expect(restored.filter((line) => !line.includes('"ArXiv"'))).toEqual(firstImport.filter((line) => !line.includes('"arXiv (Cornell University)","openalexId":"S1"')));
  });

  it('drops a work\'s affiliations when a summary page takes its authorships over', async () => {
    await resetGraph(database);
    await importOpenAlex(database, [worksFile], quiet);
    // The default pages include 2309.08351, the arXiv id of W104: its page's authors replace the work's.
    await seedPages(database, [defaultPagesDir]);
    expect(await rows("MATCH ()-[r:AFFILIATED_WITH {work: 'W104'}]->() RETURN count(r) AS count")).toEqual([{ count: 0 }]);
    expect(await linkCounts()).toMatchObject({ affiliations: 7 });
    // Nobody is left affiliated without a paper.
    expect(await rows('MATCH (a:Author) WHERE NOT EXISTS { (a)-[:AUTHORED]->() } RETURN count(a) AS count')).toEqual([{ count: 0 }]);
  });
});
