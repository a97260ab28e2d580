import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { encodeGlobalId } from '../../src/graphql/lib/global-id.ts';
import { defaultPagesDir, seedPages } from '../../src/load/pages.ts';
import { importOpenAlex } from '../../src/load/openalex.ts';
import { workUid } from '../../src/domain/openalex.ts';
import { resetGraph } from '../helpers/database.ts';
import { graphFingerprint } from '../helpers/graph.ts';
import { expectOk, graphql } from '../helpers/graphql.ts';
import { scratchGraph } from '../helpers/scratch-graph.ts';

const fixtures = path.join(import.meta.dirname, '..', 'fixtures', 'openalex');
const worksFile = path.join(fixtures, 'works.jsonl');
const badLinesFile = path.join(fixtures, 'bad-lines.jsonl');

/**
 * The fixture: 12 works (W101–W112) with 36 citations among them and to three works not in the file
 * (W901–W903, which become stubs), 6 OpenAlex related-works links, 18 authors and 24 authorships.
 * In-graph citation counts, worked out by hand from referenced_works:
 */
const expectedCitationCounts: Record<string, number> = {
  W101: 8,
  W102: 6,
  W103: 4,
  W104: 3,
  W105: 1,
  W106: 0,
  W107: 0,
  W108: 2,
  W109: 1,
  W110: 1,
  W111: 1,
  W112: 0,
  W901: 4,
  W902: 3,
  W903: 2,
};

const graph = scratchGraph('openalex', { debugExtensions: true });

const ok = <T = Record<string, any>>(query: string, variables?: Record<string, unknown>) => expectOk<T>(graph.yoga, query, variables);

/** The GraphQL ID of a paper known only from OpenAlex (its uid derives from the work id). */
const workId = (openalexId: string) => encodeGlobalId('Paper', workUid(openalexId));

const quiet = { onFailure: () => {} };

async function counts() {
  const [row] = await graph.cypher.read<Record<string, number>>(
    `CALL () { MATCH (p:Paper) RETURN count(p) AS papers }
     CALL () { MATCH (p:Paper) WHERE p.openalexId IS NOT NULL AND p.openalexHash IS NULL RETURN count(p) AS stubs }
     CALL () { MATCH (a:Author) RETURN count(a) AS authors }
     CALL () { MATCH ()-[r:AUTHORED]->() RETURN count(r) AS authorships }
     CALL () { MATCH ()-[r:CITES]->() RETURN count(r) AS citations }
     CALL () { MATCH ()-[r:RELATED_TO]->() WHERE r.score IS NULL RETURN count(r) AS openalexRelated }
     CALL () { MATCH (p:Paper) WHERE p.importRun IS NOT NULL RETURN count(p) AS marks }
     RETURN papers, stubs, authors, authorships, citations, openalexRelated, marks`,
  );
  if (!row) throw new Error('the counts query returned no row');
  return row;
}

describe('importing the OpenAlex fixture', () => {
  beforeAll(async () => {
    await resetGraph(graph.database);
  });

  it('writes every work, a stub for each cited work not in the file, authors by OpenAlex id', async () => {
    const summary = await importOpenAlex(graph.database, [worksFile], quiet);
    expect(summary).toMatchObject({ files: 1, lines: 12, written: 12, unchanged: 0, citations: 36, failedCount: 0, failed: [] });
    expect(await counts()).toEqual({ papers: 15, stubs: 3, authors: 18, authorships: 24, citations: 36, openalexRelated: 6, marks: 0 });

    const { data } = await ok(
      `query ($w101: ID!, $w102: ID!, $w108: ID!, $w901: ID!) {
        w101: paper(id: $w101) { openalexId doi arxivId title abstract publishedAt publicationYear workType venueName openalexCitedByCount hasPage
                                 authors { name openalexId } }
        w102: paper(id: $w102) { doi arxivId }
        w108: paper(id: $w108) { arxivId venueName }
        w901: paper(id: $w901) { openalexId title citationCount references { totalCount } }
      }`,
      { w101: workId('W101'), w102: workId('W102'), w108: workId('W108'), w901: workId('W901') },
    );
    expect(data.w101).toEqual({
      openalexId: 'W101',
      doi: null,
      arxivId: '1706.03762',
      title: 'Attention Is All You Need',
      abstract:
        'The dominant sequence transduction models are based on complex recurrent or convolutional neural networks. We propose the Transformer, based solely on attention mechanisms.',
      publishedAt: '2017-06-12T00:00:00.000Z',
      publicationYear: 2017,
      workType: 'article',
      venueName: 'arXiv (Cornell University)',
      openalexCitedByCount: 104000,
      hasPage: false,
      authors: [
        { name: 'Ashish Vaswani', openalexId: 'A1' },
        { name: 'Noam Shazeer', openalexId: 'A2' },
        { name: 'Grace Hopper', openalexId: 'A21' },
      ],
    });
    // The arXiv id from an arXiv DOI; from the older layout's host_venue.
    expect(data.w102).toEqual({ doi: '10.48550/arxiv.1810.04805', arxivId: '1810.04805' });
    expect(data.w108).toEqual({ arxivId: '1512.03385', venueName: 'arXiv (Cornell University)' });
    expect(data.w901).toEqual({ openalexId: 'W901', title: 'W901', citationCount: 4, references: { totalCount: 0 } });
  });

  it('changes nothing when the same file is imported again', async () => {
    const before = await graphFingerprint(graph.database);
    const summary = await importOpenAlex(graph.database, [worksFile], quiet);
    expect(summary).toMatchObject({ written: 0, unchanged: 12, citations: 0, failedCount: 0 });
    expect(await graphFingerprint(graph.database)).toEqual(before);
  });

  it('counts citations within the graph exactly, and orders papers by them', async () => {
    const { data } = await ok(`{
      papers(first: 100) { totalCount edges { node { openalexId citationCount openalexCitedByCount } } }
      top: papers(first: 3, orderBy: { field: CITATION_COUNT, direction: DESC }) { edges { node { openalexId citationCount } } }
    }`);
    expect(data.papers.totalCount).toBe(15);
    expect(Object.fromEntries(data.papers.edges.map((edge: any) => [edge.node.openalexId, edge.node.citationCount]))).toEqual(expectedCitationCounts);
    expect(data.top.edges.map((edge: any) => edge.node)).toEqual([
      { openalexId: 'W101', citationCount: 8 },
      { openalexId: 'W102', citationCount: 6 },
      expect.objectContaining({ citationCount: 4 }),
    ]);
  });

  it("lists a paper's references and citers, with counts, in any order and by pages", async () => {
    const { data } = await ok(
      `query ($w104: ID!, $w101: ID!) {
        w104: paper(id: $w104) { references(orderBy: { field: TITLE, direction: ASC }) { totalCount edges { node { openalexId title } } } }
        w101: paper(id: $w101) {
          citedBy(first: 3, orderBy: { field: PUBLISHED_AT, direction: ASC }) { totalCount edges { node { openalexId } } pageInfo { hasNextPage endCursor } }
          references { edges { node { openalexId citationCount } } }
        }
      }`,
      { w104: workId('W104'), w101: workId('W101') },
    );
    expect(data.w104.references.totalCount).toBe(4);
    expect(data.w104.references.edges.map((edge: any) => edge.node)).toEqual([
      { openalexId: 'W101', title: 'Attention Is All You Need' },
      { openalexId: 'W102', title: 'BERT: Pre-training of Deep Bidirectional Transformers for Language Understanding' },
      { openalexId: 'W103', title: 'Language Models are Unsupervised Multitask Learners' },
      { openalexId: 'W901', title: 'W901' },
    ]);
    // Most cited first by default.
    expect(data.w101.references.edges.map((edge: any) => edge.node)).toEqual([
      { openalexId: 'W901', citationCount: 4 },
      { openalexId: 'W902', citationCount: 3 },
    ]);
    expect(data.w101.citedBy.totalCount).toBe(8);
    expect(data.w101.citedBy.edges.map((edge: any) => edge.node.openalexId)).toEqual(['W108', 'W109', 'W102']);
    const { data: next } = await ok(
      'query ($id: ID!, $after: String) { paper(id: $id) { citedBy(first: 10, after: $after, orderBy: { field: PUBLISHED_AT, direction: ASC }) { edges { node { openalexId } } pageInfo { hasNextPage } } } }',
      { id: workId('W101'), after: data.w101.citedBy.pageInfo.endCursor },
    );
    expect(next.paper.citedBy.edges.map((edge: any) => edge.node.openalexId)).toEqual(['W103', 'W110', 'W106', 'W104', 'W105']);
    expect(next.paper.citedBy.pageInfo.hasNextPage).toBe(false);
  });

  it('ranks co-citation and bibliographic coupling by overlap, then title', async () => {
    const { data } = await ok(
      `query ($w101: ID!, $w106: ID!) {
        w101: paper(id: $w101) { coCitations(first: 5, kinds: null) { overlap paper { openalexId } } }
        w106: paper(id: $w106) { bibliographicCoupling(first: 4) { overlap paper { openalexId title } } }
      }`,
      { w101: workId('W101'), w106: workId('W106') },
    );
    // Papers citing W101 cite W102 too five times, W103 and W901 three times, W108 and W902 twice.
    expect(data.w101.coCitations.map((entry: any) => [entry.paper.openalexId, entry.overlap])).toEqual([
      ['W102', 5],
      ['W103', 3],
      ['W901', 3],
      ['W108', 2],
      ['W902', 2],
    ]);
    // W106 cites W101, W102, W103: W104 cites all three, four others two of them (by title).
    expect(data.w106.bibliographicCoupling.map((entry: any) => [entry.paper.openalexId, entry.overlap])).toEqual([
      ['W104', 3],
      ['W107', 2],
      ['W108', 2],
      ['W105', 2],
    ]);
    // W107 has W106's title but is another work: it is there, as itself.
    expect(data.w106.bibliographicCoupling[1].paper.title).toBe('A Survey of Large Language Models');
  });

  it('lists the prior and derivative works of a set of papers: what most of it cites, what cites most of it', async () => {
    const { data } = await ok(
      `query ($fusion: [ID!]!, $roots: [ID!]!) {
        prior: priorWorks(ids: $fusion) { linkedCount paper { openalexId } }
        priorWithStubs: priorWorks(ids: $fusion, kinds: null) { linkedCount paper { openalexId isStub } }
        derivative: derivativeWorks(ids: $roots, first: 6) { linkedCount paper { openalexId citationCount } }
      }`,
      { fusion: [workId('W104'), workId('W105')], roots: [workId('W101'), workId('W102'), workId('W101')] },
    );
    // W104 cites W101, W102, W103 and the stub W901; W105 cites W101, W103 and W104 (in the set, so not listed).
    // Ties go to the paper cited more in the graph: W101 (8) before W103 (4).
    expect(data.prior.map((entry: any) => [entry.paper.openalexId, entry.linkedCount])).toEqual([
      ['W101', 2],
      ['W103', 2],
      ['W102', 1],
    ]);
    expect(data.priorWithStubs.map((entry: any) => [entry.paper.openalexId, entry.linkedCount, entry.paper.isStub])).toEqual([
      ['W101', 2, false],
      ['W103', 2, false],
      ['W102', 1, false],
      ['W901', 1, true],
    ]);
    // W103, W104, W106, W108 and W110 cite both W101 and W102; W105, W107 and W109 one of them.
    expect(data.derivative.map((entry: any) => [entry.paper.openalexId, entry.linkedCount, entry.paper.citationCount])).toEqual([
      ['W103', 2, 4],
      ['W104', 2, 3],
      ['W108', 2, 2],
      ['W110', 2, 1],
      ['W106', 2, 0],
      ['W109', 1, 1],
    ]);

    const tooMany = await graphql(graph.yoga, 'query ($ids: [ID!]!) { priorWorks(ids: $ids) { linkedCount } }', {
      ids: Array.from({ length: 501 }, (_, index) => workId(`W${index + 1}`)),
    });
    expect(tooMany.errors?.map((error) => error.extensions?.code)).toEqual(['BAD_USER_INPUT']);
    const badId = await graphql(graph.yoga, '{ derivativeWorks(ids: ["nope"]) { linkedCount } }');
    expect(badId.errors?.map((error) => error.extensions?.code)).toEqual(['INVALID_ID']);
    const empty = await ok('{ priorWorks(ids: []) { linkedCount } }');
    expect(empty.data.priorWorks).toEqual([]);
  });

  it('lists the links among a set of papers and authors, or only those touching some of them, each once', async () => {
    const authorIds = Object.fromEntries(
      (
        await graph.cypher.read<{ openalexId: string; uid: string }>(
          "MATCH (a:Author) WHERE a.openalexId IN ['A9', 'A21'] RETURN a.openalexId AS openalexId, a.uid AS uid",
        )
      ).map((row) => [row.openalexId, encodeGlobalId('Author', row.uid)]),
    );
    const names = new Map<string, string>([
      ...['W101', 'W104', 'W105', 'W108'].map((id) => [workId(id), id] as [string, string]),
      ...Object.entries(authorIds).map(([name, id]) => [id, name] as [string, string]),
    ]);
    const links = (list: { type: string; source: string; target: string }[]) =>
      list.map((edge) => `${names.get(edge.source)} ${edge.type} ${names.get(edge.target)}`);
    const set = [workId('W101'), workId('W104'), workId('W105'), workId('W108'), authorIds.A9, authorIds.A21];
    const { data } = await ok(
      `query ($set: [ID!]!, $touching: [ID!]!) {
        all: linksAmong(ids: $set) { type source target weight }
        touching: linksAmong(ids: $set, touching: $touching) { type source target }
        cites: linksAmong(ids: $set, touching: $touching, via: [CITES]) { type source target }
      }`,
      { set, touching: [workId('W105'), authorIds.A21] },
    );
    // Among W101, W104, W105, W108, A9 and A21: W104, W105 and W108 cite W101, W105 cites W104, W104 lists
    // W105 as related, A21 wrote W101, W104 and W108, A9 wrote W105. Each once, in a stable order.
    expect(links(data.all).sort()).toEqual(
      [
        'A21 AUTHORED W101',
        'A21 AUTHORED W104',
        'A21 AUTHORED W108',
        'A9 AUTHORED W105',
        'W104 CITES W101',
        'W105 CITES W101',
        'W108 CITES W101',
        'W105 CITES W104',
        'W104 RELATED_TO W105',
      ].sort(),
    );
    expect(new Set(links(data.all)).size).toBe(data.all.length);
    expect(data.all.every((edge: { weight: number }) => edge.weight === 1)).toBe(true);
    // Touching W105 or A21: not W104's and W108's citations of W101.
    expect(links(data.touching).sort()).toEqual(
      ['A21 AUTHORED W101', 'A21 AUTHORED W104', 'A21 AUTHORED W108', 'A9 AUTHORED W105', 'W105 CITES W101', 'W105 CITES W104', 'W104 RELATED_TO W105'].sort(),
    );
    expect(links(data.cites).sort()).toEqual(['W105 CITES W101', 'W105 CITES W104']);
    // The same order every time.
    const again = await ok('query ($set: [ID!]!) { linksAmong(ids: $set) { type source target } }', { set });
    expect(again.data.linksAmong).toEqual(data.all.map(({ weight: _weight, ...edge }: Record<string, unknown>) => edge));

    const tooMany = await graphql(graph.yoga, 'query ($ids: [ID!]!, $touching: [ID!]!) { linksAmong(ids: $ids, touching: $touching) { type } }', {
      ids: Array.from({ length: 990 }, (_, index) => workId(`W${index + 1}`)),
      touching: Array.from({ length: 11 }, (_, index) => workId(`W${5000 + index}`)),
    });
    expect(tooMany.errors?.map((error) => [error.extensions?.code, error.extensions?.maxIds])).toEqual([['TOO_MANY_IDS', 1000]]);
    const badId = await graphql(graph.yoga, '{ linksAmong(ids: ["nope"]) { type } }');
    expect(badId.errors?.map((error) => error.extensions?.code)).toEqual(['INVALID_ID']);
    const noTypes = await graphql(graph.yoga, 'query ($set: [ID!]!) { linksAmong(ids: $set, via: []) { type } }', { set });
    expect(noTypes.errors?.map((error) => error.extensions?.code)).toEqual(['BAD_USER_INPUT']);
    expect((await ok('{ linksAmong(ids: []) { type } }')).data.linksAmong).toEqual([]);
    expect((await ok('query ($set: [ID!]!) { linksAmong(ids: $set, touching: []) { type } }', { set })).data.linksAmong).toEqual([]);
  });

  it('gives authors their citation count and h-index; one name with two OpenAlex ids is two authors', async () => {
    const { data } = await ok(`{
      hopper: authors(filter: { nameContains: "Grace Hopper" }) { edges { node { openalexId citationCount hIndex papers { totalCount } } } }
      vaswani: authors(filter: { nameContains: "Vaswani" }) { edges { node { citationCount hIndex } } }
      zhang: authors(filter: { nameContains: "Wei Zhang" }) { totalCount edges { node { openalexId citationCount hIndex papers(orderBy: { field: TITLE, direction: ASC }) { edges { node { openalexId } } } } } }
    }`);
    // Grace Hopper wrote W101 (8), W102 (6), W103 (4), W104 (3) and W108 (2): h = 3, 23 citations.
    expect(data.hopper.edges).toEqual([{ node: { openalexId: 'A21', citationCount: 23, hIndex: 3, papers: { totalCount: 5 } } }]);
    expect(data.vaswani.edges).toEqual([{ node: { citationCount: 8, hIndex: 1 } }]);
    expect(data.zhang.totalCount).toBe(2);
    const zhangs = data.zhang.edges.map((edge: any) => edge.node).sort((a: any, b: any) => a.openalexId.localeCompare(b.openalexId));
    expect(zhangs).toEqual([
      { openalexId: 'A10', citationCount: 1, hIndex: 1, papers: { edges: [{ node: { openalexId: 'W106' } }, { node: { openalexId: 'W109' } }] } },
      { openalexId: 'A11', citationCount: 1, hIndex: 1, papers: { edges: [{ node: { openalexId: 'W107' } }, { node: { openalexId: 'W110' } }] } },
    ]);
  });

  it('lists OpenAlex related works in the related connections, agreeing with relatedCount, folded or not', async () => {
    const fields = `relatedCount
      related { totalCount edges { source score rank node { openalexId } } }
      relatedBy { totalCount edges { source score node { openalexId } } }
      fromPages: related(source: SUMMARY_PAGE) { totalCount }
      fromOpenalex: related(source: OPENALEX) { totalCount }
      scored: related(minScore: 0) { totalCount }`;
    const folded = await ok(`query ($id: ID!) { paper(id: $id) { ${fields} } }`, { id: workId('W101') });
    const byNode = await ok(`query ($id: ID!) { node(id: $id) { ... on Paper { ${fields} } } }`, { id: workId('W101') });
    expect(folded.data.paper).toEqual(byNode.data.node);
    // W101 lists W102 and W103 as related works; W102 lists W101.
    expect(folded.data.paper).toEqual({
      relatedCount: 3,
      related: {
        totalCount: 2,
        edges: [
          { source: 'OPENALEX', score: null, rank: null, node: { openalexId: 'W102' } },
          { source: 'OPENALEX', score: null, rank: null, node: { openalexId: 'W103' } },
        ].sort((a, b) => (workUid(a.node.openalexId) < workUid(b.node.openalexId) ? -1 : 1)),
      },
      relatedBy: { totalCount: 1, edges: [{ source: 'OPENALEX', score: null, node: { openalexId: 'W102' } }] },
      fromPages: { totalCount: 0 },
      fromOpenalex: { totalCount: 2 },
      scored: { totalCount: 0 },
    });
    // A field never disagrees with its own count, for every paper.
    const { data } = await ok('{ papers(first: 100) { edges { node { openalexId relatedCount related { totalCount } relatedBy { totalCount } } } } }');
    for (const { node } of data.papers.edges) expect(node.relatedCount, node.openalexId).toBe(node.related.totalCount + node.relatedBy.totalCount);
  });

  it('finds OpenAlex authors by name, refuses to pick one of several homonyms, and looks them up by OpenAlex id', async () => {
    const { data } = await ok(`{
      vaswani: author(name: "Ashish Vaswani") { name openalexId }
      hopper: author(name: "grace  HOPPER") { openalexId }
      nobody: author(name: "Nobody At All") { id }
      byId: author(openalexId: "A10") { name openalexId papers { totalCount } }
      byUrl: author(openalexId: "https://openalex.org/A11") { openalexId }
      unknownId: author(openalexId: "A999999") { id }
      notAnId: author(openalexId: "W101") { id }
      zhangs: authors(filter: { name: "wei  zhang" }) { totalCount edges { node { id openalexId } } }
      withCoauthors: author(name: "Ashish Vaswani") { openalexId coauthors(first: 5) { author { name } } }
    }`);
    expect(data.vaswani).toEqual({ name: 'Ashish Vaswani', openalexId: 'A1' });
    expect(data.hopper).toEqual({ openalexId: 'A21' });
    expect(data.nobody).toBeNull();
    expect(data.byId).toEqual({ name: 'Wei Zhang', openalexId: 'A10', papers: { totalCount: 2 } });
    expect(data.byUrl).toEqual({ openalexId: 'A11' });
    expect(data.unknownId).toBeNull();
    expect(data.notAnId).toBeNull();
    expect(data.zhangs.totalCount).toBe(2);
    expect(data.zhangs.edges.map((edge: any) => edge.node.openalexId).sort()).toEqual(['A10', 'A11']);
    expect(data.withCoauthors.openalexId).toBe('A1');
    expect(data.withCoauthors.coauthors.map((coauthor: any) => coauthor.author.name).sort()).toEqual(['Grace Hopper', 'Noam Shazeer']);

    // Two Wei Zhangs (A10, A11): neither is picked; the error names both, by ID and OpenAlex id. Also
    // when the lookup is folded with co-authors.
    const candidates = [...data.zhangs.edges.map((edge: any) => edge.node)].sort((a: any, b: any) => a.openalexId.localeCompare(b.openalexId));
    for (const selection of ['id', 'id coauthors(first: 3) { author { name } }']) {
      const ambiguous = await graphql(graph.yoga, `{ author(name: "Wei Zhang") { ${selection} } }`);
      expect(ambiguous.data).toEqual({ author: null });
      expect(ambiguous.errors).toHaveLength(1);
      const error = ambiguous.errors![0]!;
      expect(error.extensions?.code).toBe('AMBIGUOUS_NAME');
      expect(error.message).toMatch(/2 authors are named "Wei Zhang".*openalexId/);
      const named = (error.extensions!.candidates as any[]).map(({ id, openalexId }) => ({ id, openalexId }));
      expect(named.sort((a, b) => a.openalexId.localeCompare(b.openalexId))).toEqual(candidates);
    }
    const twoKeys = await graphql(graph.yoga, '{ author(name: "Wei Zhang", openalexId: "A10") { id } }');
    expect(twoKeys.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('keeps two works with the same title apart', async () => {
    const { data } = await ok(
      '{ papers(filter: { titleContains: "A Survey of Large Language Models" }) { totalCount edges { node { openalexId authors { openalexId } } } } }',
    );
    expect(data.papers.totalCount).toBe(2);
    expect(data.papers.edges.map((edge: any) => edge.node.openalexId).sort()).toEqual(['W106', 'W107']);
    // Neither holds the shared title key, so no page would join either of them by title.
    const rows = await graph.cypher.read("MATCH (p:Paper) WHERE p.workTitleKey = 'asurveyoflargelanguagemodels' RETURN p.titleKey AS titleKey");
    expect(rows).toEqual([{ titleKey: null }, { titleKey: null }]);
  });

  it('looks a paper up by DOI or OpenAlex id, in any of their usual spellings, and counts citations in stats', async () => {
    const { data } = await ok(`{
      byDoiUrl: paper(doi: "https://doi.org/10.48550/arXiv.1810.04805") { id openalexId doi authors { name } }
      byBareDoi: paper(doi: "10.48550/ARXIV.1810.04805") { id }
      byOpenalexUrl: paper(openalexId: "https://openalex.org/W102") { id title }
      byOpenalexId: paper(openalexId: "W102") { id }
      unknownDoi: paper(doi: "10.1234/none") { id }
      notAnId: paper(openalexId: "A102") { id }
      stats { citations }
    }`);
    expect(data.byDoiUrl).toEqual({
      id: workId('W102'),
      openalexId: 'W102',
      doi: '10.48550/arxiv.1810.04805',
      authors: [{ name: 'Jacob Devlin' }, { name: 'Grace Hopper' }],
    });
    expect([data.byBareDoi.id, data.byOpenalexUrl.id, data.byOpenalexId.id]).toEqual([workId('W102'), workId('W102'), workId('W102')]);
    expect(data.byOpenalexUrl.title).toMatch(/^BERT/);
    expect(data.unknownDoi).toBeNull();
    expect(data.notAnId).toBeNull();
    expect(data.stats.citations).toBe(36);
    const twoKeys = await graphql(graph.yoga, '{ paper(doi: "10.48550/arxiv.1810.04805", openalexId: "W102") { id } }');
    expect(twoKeys.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('fetches a looked-up paper with its references in one round-trip, as node() does in more', async () => {
    const fields = `title references(first: 3) { totalCount edges { cursor node { id title citationCount } } pageInfo { hasNextPage } }
      byTitle: references(first: 2, orderBy: { field: TITLE, direction: ASC }) { edges { node { title } } }`;
    const folded = await ok(`query ($id: ID!) { paper(id: $id) { ${fields} } }`, { id: workId('W112') });
    const byNode = await ok(`query ($id: ID!) { node(id: $id) { ... on Paper { ${fields} } } }`, { id: workId('W112') });
    expect(folded.data.paper).toEqual(byNode.data.node);
    expect(folded.data.paper.references.totalCount).toBeGreaterThan(0);
    // The paper with both references selections and their papers' citationCount; node() loads the paper first.
    expect(folded.extensions.cypherRoundTrips).toBe(1);
    expect(byNode.extensions.cypherRoundTrips).toBeGreaterThan(1);
  });

  it('draws citations in a neighbourhood when asked to follow CITES', async () => {
    const { data } = await ok(
      `query ($id: ID!) {
        paper(id: $id) {
          plain: neighborhood(depth: 1) { edges { type } }
          cites: neighborhood(depth: 1, via: [CITES]) { nodes { id distance } edges { type source target } }
        }
      }`,
      { id: workId('W112') },
    );
    expect(data.paper.plain.edges.map((edge: any) => edge.type)).not.toContain('CITES');
    const { data: refs } = await ok(
      'query ($id: ID!) { node(id: $id) { ... on Paper { references(first: 50) { edges { node { id } } } citedBy(first: 50) { edges { node { id } } } } } }',
      { id: workId('W112') },
    );
    const linked = [...refs.node.references.edges, ...refs.node.citedBy.edges].map((edge: any) => edge.node.id).sort();
    expect(linked.length).toBeGreaterThan(0);
    expect(
      data.paper.cites.nodes
        .filter((node: any) => node.distance === 1)
        .map((node: any) => node.id)
        .sort(),
    ).toEqual(linked);
    expect(new Set(data.paper.cites.edges.map((edge: any) => edge.type))).toEqual(new Set(['CITES']));
    const empty = await graphql(graph.yoga, `{ paper(id: "${workId('W112')}") { neighborhood(via: []) { nodes { id } } } }`);
    expect(empty.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('finds shortest paths over citations', async () => {
    const { data } = await ok(
      `query ($from: ID!, $to: ID!) {
        one: shortestPath(from: $from, to: $to, via: [CITES]) { length edges { type } nodes { id } }
        all: allShortestPaths(from: $from, to: $to, via: [CITES]) { length }
        none: shortestPath(from: $from, to: $to, via: [AUTHORED]) { length }
      }`,
      { from: workId('W112'), to: workId('W108') },
    );
    expect(data.one.length).toBe(3);
    expect(data.one.edges).toEqual([{ type: 'CITES' }, { type: 'CITES' }, { type: 'CITES' }]);
    expect(data.one.nodes[0].id).toBe(workId('W112'));
    expect(data.one.nodes[3].id).toBe(workId('W108'));
    // Through W111–W110, or W104 and then W101, W102 or W901.
    expect(data.all).toEqual([{ length: 3 }, { length: 3 }, { length: 3 }, { length: 3 }]);
    expect(data.none).toBeNull();
  });

  it('follows citation chains in one direction when asked: from the citing paper to the cited one, or back', async () => {
    const { data } = await ok(
      `query ($from: ID!, $to: ID!) {
        buildsOn: shortestPath(from: $from, to: $to, via: [CITES], direction: OUTGOING) { length nodes { id } edges { source target } }
        allBuildsOn: allShortestPaths(from: $from, to: $to, via: [CITES], direction: OUTGOING) { length nodes { id } }
        reversed: shortestPath(from: $to, to: $from, via: [CITES], direction: INCOMING) { length nodes { id } }
        wrongWay: shortestPath(from: $to, to: $from, via: [CITES], direction: OUTGOING) { length }
        againstCitations: allShortestPaths(from: $from, to: $to, via: [CITES], direction: INCOMING) { length }
        anyWay: allShortestPaths(from: $from, to: $to, via: [CITES], direction: ANY) { length }
      }`,
      { from: workId('W112'), to: workId('W108') },
    );
    // W112 cites W111, which cites W110, which cites W108: the only directed chain (the undirected
    // paths through W104 meet W101, which W108 cites, against the arrows).
    const chain = ['W112', 'W111', 'W110', 'W108'].map(workId);
    expect(data.buildsOn.length).toBe(3);
    expect(data.buildsOn.nodes.map((node: any) => node.id)).toEqual(chain);
    expect(data.buildsOn.edges).toEqual(chain.slice(0, 3).map((source, i) => ({ source, target: chain[i + 1] })));
    expect(data.allBuildsOn).toEqual([{ length: 3, nodes: chain.map((id) => ({ id })) }]);
    expect(data.reversed.nodes.map((node: any) => node.id)).toEqual([...chain].reverse());
    expect(data.wrongWay).toBeNull();
    expect(data.againstCitations).toEqual([]);
    expect(data.anyWay).toHaveLength(4);
  });

  it('loads every citation field of a page of papers in one round-trip per field path that does not fold, whatever the page size', async () => {
    const query = (first: number) => `{
      papers(first: ${first}) { edges { node {
        citationCount
        references(first: 3) { totalCount edges { node { citationCount } } }
        citedBy { totalCount }
        coCitations { overlap }
        bibliographicCoupling { overlap }
        authors { citationCount hIndex }
      } } }
    }`;
    const big = await ok(query(50));
    const small = await ok(query(2));
    expect(big.data.papers.edges).toHaveLength(15);
    // papers with their authors, citationCount, references (and their citationCount) and citedBy folded
    // in; then coCitations, bibliographicCoupling, and the authors' citation stats (both fields share it).
    expect(big.extensions.cypherRoundTrips).toBe(4);
    expect(small.extensions.cypherRoundTrips).toBe(4);
  });

  it('tells stubs apart (kind, isStub), filters by kind everywhere, and leaves stubs out of rankings by default', async () => {
    // One more work: it cites the stub W901 (now cited five times, more than any work but W101 and W102)
    // and lists W101 and W904 (not loaded: a stub) as related; it shares Grace Hopper with W101.
    const extra = path.join(graph.scratch, 'w113.jsonl');
    const w113 = {
      id: 'https://openalex.org/W113',
      display_name: 'Rankings Without Stubs',
      publication_date: '2024-01-02',
      authorships: [{ author_position: 'first', author: { id: 'https://openalex.org/A21', display_name: 'Grace Hopper', orcid: null } }],
      referenced_works: ['https://openalex.org/W901'],
      related_works: ['https://openalex.org/W101', 'https://openalex.org/W904'],
    };
    await writeFile(extra, `${JSON.stringify(w113)}\n`);
    expect(await importOpenAlex(graph.database, [extra], quiet)).toMatchObject({ written: 1, failedCount: 0 });
    const noStubs = '[PAGE, WORK, RELATED_ENTRY]';
    const { data } = await ok(
      `query ($w101: ID!, $w104: ID!, $w113: ID!) {
        top: papers(first: 3, orderBy: { field: CITATION_COUNT, direction: DESC }) { edges { node { openalexId kind isStub title citationCount } } }
        topWorks: papers(first: 3, orderBy: { field: CITATION_COUNT, direction: DESC }, filter: { kinds: ${noStubs} }) { totalCount edges { node { openalexId kind } } }
        stubs: papers(first: 10, filter: { kinds: [REFERENCE_STUB] }) { totalCount edges { node { openalexId title isStub kind } } }
        w101: paper(id: $w101) {
          kind isStub
          references { totalCount }
          workReferences: references(kinds: [WORK]) { totalCount }
          citedBy(kinds: [REFERENCE_STUB]) { totalCount }
          coCitations(first: 20) { paper { isStub } }
          allCoCitations: coCitations(first: 20, kinds: null) { paper { openalexId isStub } }
          recommendations(first: 20) { paper { openalexId isStub } }
          allRecommendations: recommendations(first: 20, kinds: null) { paper { openalexId isStub } }
        }
        w104: paper(id: $w104) { stubReferences: references(kinds: [REFERENCE_STUB]) { totalCount edges { node { openalexId isStub } } } }
        w113: paper(id: $w113) {
          kind
          neighborhood(depth: 1, via: [RELATED_TO, CITES]) { nodes { paper { openalexId kind } } }
          withoutStubs: neighborhood(depth: 1, via: [RELATED_TO, CITES], kinds: ${noStubs}) { nodes { paper { openalexId } } }
          bibliographicCoupling(first: 20, kinds: [REFERENCE_STUB]) { paper { openalexId } }
        }
      }`,
      { w101: workId('W101'), w104: workId('W104'), w113: workId('W113') },
    );
    // Ranked by citations, the stub W901 (title: its id) comes third, shown for what it is.
    expect(data.top.edges.map((edge: any) => edge.node)).toEqual([
      { openalexId: 'W101', kind: 'WORK', isStub: false, title: 'Attention Is All You Need', citationCount: 8 },
      { openalexId: 'W102', kind: 'WORK', isStub: false, title: expect.stringMatching(/^BERT/), citationCount: 6 },
      { openalexId: 'W901', kind: 'REFERENCE_STUB', isStub: true, title: 'W901', citationCount: 5 },
    ]);
    expect(data.topWorks.totalCount).toBe(13);
    expect(data.topWorks.edges.map((edge: any) => edge.node)).toEqual([
      { openalexId: 'W101', kind: 'WORK' },
      { openalexId: 'W102', kind: 'WORK' },
      { openalexId: 'W103', kind: 'WORK' },
    ]);
    expect(data.stubs.totalCount).toBe(4);
    expect(data.stubs.edges.map((edge: any) => edge.node.openalexId).sort()).toEqual(['W901', 'W902', 'W903', 'W904']);
    for (const { node } of data.stubs.edges) expect(node).toMatchObject({ title: node.openalexId, isStub: true, kind: 'REFERENCE_STUB' });

    expect(data.w101).toMatchObject({
      kind: 'WORK',
      isStub: false,
      references: { totalCount: 2 },
      workReferences: { totalCount: 0 },
      citedBy: { totalCount: 0 },
    });
    // Rankings leave stubs out unless asked for every kind.
    expect(data.w101.coCitations.length).toBeGreaterThan(0);
    expect(data.w101.coCitations.some((entry: any) => entry.paper.isStub)).toBe(false);
    expect(data.w101.allCoCitations.filter((entry: any) => entry.paper.isStub).map((entry: any) => entry.paper.openalexId)).toEqual(['W901', 'W902', 'W903']);
    expect(data.w101.recommendations.length).toBeGreaterThan(0);
    expect(data.w101.recommendations.some((entry: any) => entry.paper.isStub)).toBe(false);
    // W904 is related to W113, which is related to W101.
    expect(data.w101.allRecommendations.filter((entry: any) => entry.paper.isStub).map((entry: any) => entry.paper.openalexId)).toEqual(['W904']);
    expect(data.w104.stubReferences).toEqual({ totalCount: 1, edges: [{ node: { openalexId: 'W901', isStub: true } }] });

    expect(data.w113.kind).toBe('WORK');
    expect(data.w113.neighborhood.nodes.map((node: any) => node.paper.openalexId).sort()).toEqual(['W101', 'W113', 'W901', 'W904']);
    expect(data.w113.neighborhood.nodes.find((node: any) => node.paper.openalexId === 'W904').paper.kind).toBe('REFERENCE_STUB');
    expect(data.w113.withoutStubs.nodes.map((node: any) => node.paper.openalexId).sort()).toEqual(['W101', 'W113']);
    expect(data.w113.bibliographicCoupling).toEqual([]);

    // The folded references of a looked-up paper filter as the loader's do.
    const fields = 'references(kinds: [REFERENCE_STUB]) { totalCount edges { node { openalexId } } }';
    const folded = await ok(`query ($id: ID!) { paper(id: $id) { ${fields} } }`, { id: workId('W104') });
    const byNode = await ok(`query ($id: ID!) { node(id: $id) { ... on Paper { ${fields} } } }`, { id: workId('W104') });
    expect(folded.data.paper).toEqual(byNode.data.node);
    expect(folded.data.paper.references.totalCount).toBe(1);
  });
});

describe('OpenAlex works and summary pages', () => {
  beforeEach(async () => {
    await resetGraph(graph.database);
  });

  it('makes a page and a work for the same arXiv paper one node, whichever comes first', async () => {
    await seedPages(graph.database, [defaultPagesDir]);
    await importOpenAlex(graph.database, [worksFile], quiet);
    const pagesFirst = await graphFingerprint(graph.database);
    await resetGraph(graph.database);
    await importOpenAlex(graph.database, [worksFile], quiet);
    await seedPages(graph.database, [defaultPagesDir]);
    expect(await graphFingerprint(graph.database)).toEqual(pagesFirst);

    const { data } = await ok(`{
      headless: paper(arxivId: "2309.08351") {
        openalexId title hasPage doi citationCount authors { name openalexId }
        references { totalCount } citedBy(orderBy: { field: TITLE, direction: ASC }) { edges { node { openalexId } } }
        related { totalCount }
        pageRelated: related(source: SUMMARY_PAGE) { totalCount }
        openalexRelated: related(source: OPENALEX) { edges { source score node { openalexId } } }
      }
      fusion: papers(filter: { titleContains: "Knowledge Fusion of Large Language Models" }) {
        edges { node { openalexId hasPage summaryJa citationCount relatedBy { edges { source node { arxivId } } } } }
      }
      all: papers { totalCount }
    }`);
    // The page wins for what both describe (title, authors); the work adds its citations.
    expect(data.headless).toEqual({
      openalexId: 'W104',
      title: 'Headless Language Models: Learning without Predicting with Contrastive Weight Tying',
      hasPage: true,
      doi: null,
      citationCount: 3,
      authors: [
        { name: 'Nathan Godey', openalexId: null },
        { name: 'Éric de la Clergerie', openalexId: null },
        { name: 'Benoît Sagot', openalexId: null },
      ],
      references: { totalCount: 4 },
      citedBy: { edges: [{ node: { openalexId: 'W111' } }, { node: { openalexId: 'W112' } }, { node: { openalexId: 'W105' } }] },
      related: { totalCount: 10 },
      pageRelated: { totalCount: 9 },
      openalexRelated: { edges: [{ source: 'OPENALEX', score: null, node: { openalexId: 'W105' } }] },
    });
    // A related entry of the AntLM page, joined by title (no other work has it): one node, listed by
    // AntLM's page and by the Headless work's related_works.
    expect(data.fusion.edges).toHaveLength(1);
    expect(data.fusion.edges[0].node).toMatchObject({
      openalexId: 'W105',
      hasPage: false,
      citationCount: 1,
      relatedBy: {
        edges: [
          { source: 'SUMMARY_PAGE', node: { arxivId: '2412.03275' } },
          { source: 'OPENALEX', node: { arxivId: '2309.08351' } },
        ],
      },
    });
    expect(data.fusion.edges[0].node.summaryJa).toMatch(/^本稿では/);
    // 46 papers from the pages, 12 works and 3 stubs, less the two that joined.
    expect(data.all.totalCount).toBe(46 + 12 + 3 - 2);
  });

  it('fills a cited stub in when its work arrives, and a stub whose work has a page joins the page', async () => {
    await seedPages(graph.database, [defaultPagesDir]);
    const lines = (await readFile(worksFile, 'utf8')).trimEnd().split('\n');
    const onlyW112 = path.join(graph.scratch, 'w112.jsonl');
    await writeFile(onlyW112, `${lines.find((line) => line.includes('"https://openalex.org/W112"'))}\n`);
    await importOpenAlex(graph.database, [onlyW112], quiet);
    // W112 cites W111 and W104 (Headless): both stubs for now, apart from the Headless page.
    expect((await counts()).stubs).toBe(2);
    await importOpenAlex(graph.database, [worksFile], quiet);
    expect(await counts()).toMatchObject({ stubs: 3, citations: 36 });
    const { data } = await ok(
      '{ paper(arxivId: "2309.08351") { openalexId citedBy(orderBy: { field: TITLE, direction: ASC }) { totalCount edges { node { openalexId title } } } } }',
    );
    expect(data.paper.openalexId).toBe('W104');
    expect(data.paper.citedBy.edges.map((edge: any) => edge.node.openalexId)).toEqual(['W111', 'W112', 'W105']);
    expect(data.paper.citedBy.edges[0].node.title).toBe('Chain-of-Thought Prompting Elicits Reasoning in Large Language Models');
  });

  it('joins no work by a title that two works share', async () => {
    const dir = await mkdtemp(path.join(graph.scratch, 'survey-'));
    const emo = await readFile(path.join(defaultPagesDir, '004_0f6f359123178173.txt'), 'utf8');
    await writeFile(
      path.join(dir, 'survey.txt'),
      emo
        .replace('- Title: EMO: Earth Mover Distance Optimization for Auto-Regressive Language\nModeling', '- Title: A Survey of Large Language Models')
        .replace('論文の概要: EMO: Earth Mover Distance Optimization for Auto-Regressive Language\nModeling', '論文の概要: A Survey of Large Language Models')
        .replace('http://arxiv.org/abs/2310.04691v2', 'http://arxiv.org/abs/2303.18223v1'),
    );
    await importOpenAlex(graph.database, [worksFile], quiet);
    await seedPages(graph.database, [dir]);
    const rows = await graph.cypher.read<{ openalexId: string | null; page: boolean }>(
      "MATCH (p:Paper) WHERE p.title = 'A Survey of Large Language Models' RETURN p.openalexId AS openalexId, p.sourceHash IS NOT NULL AS page ORDER BY openalexId",
    );
    expect(rows).toEqual([
      { openalexId: 'W106', page: false },
      { openalexId: 'W107', page: false },
      { openalexId: null, page: true },
    ]);
  });

  it("replaces a changed work's references and removes stubs nothing cites any more", async () => {
    await importOpenAlex(graph.database, [worksFile], quiet);
    const lines = (await readFile(worksFile, 'utf8')).trimEnd().split('\n');
    const changed = lines.map((line) => {
      const work = JSON.parse(line) as { id: string; referenced_works: string[] };
      // W102 and W111 no longer cite W903, its only citers; W102 cites W110 instead. The other lines stay as they are.
      if (work.id.endsWith('/W102')) work.referenced_works = ['https://openalex.org/W101', 'https://openalex.org/W110'];
      else if (work.id.endsWith('/W111')) work.referenced_works = work.referenced_works.filter((id) => !id.endsWith('/W903'));
      else return line;
      return JSON.stringify(work);
    });
    const file = path.join(graph.scratch, 'changed.jsonl');
    await writeFile(file, `${changed.join('\n')}\n`);
    const summary = await importOpenAlex(graph.database, [file], quiet);
    expect(summary).toMatchObject({ written: 2, unchanged: 10 });
    expect(await counts()).toMatchObject({ papers: 14, stubs: 2, citations: 36 - 3 + 2 - 1 });
    const { data } = await ok('query ($id: ID!) { paper(id: $id) { citationCount } }', { id: workId('W110') });
    expect(data.paper.citationCount).toBe(2);
  });
});

describe('bad input', () => {
  beforeEach(async () => {
    await resetGraph(graph.database);
  });

  it('reports each bad line as file:line and loads the rest', async () => {
    const reported: string[] = [];
    const summary = await importOpenAlex(graph.database, [badLinesFile], { onFailure: (failure) => reported.push(failure.message) });
    expect(summary).toMatchObject({ lines: 11, written: 2, failedCount: 9 });
    expect(summary.failed.map((failure) => failure.message)).toEqual(reported);
    const byLine = new Map(reported.map((message) => [Number(/:(\d+): /.exec(message)?.[1]), message]));
    expect([...byLine.keys()].sort((a, b) => a - b)).toEqual([2, 3, 4, 5, 6, 7, 9, 10, 11]);
    for (const message of reported) expect(message.startsWith(`${badLinesFile}:`)).toBe(true);
    expect(byLine.get(2)).toMatch(/not valid JSON/);
    expect(byLine.get(3)).toMatch(/W203: cited_by_count must be a non-negative integer, got string "12"/);
    expect(byLine.get(4)).toMatch(/the work has no id/);
    expect(byLine.get(5)).toMatch(/not valid UTF-8/);
    expect(byLine.get(6)).toMatch(/blank line/);
    expect(byLine.get(7)).toMatch(/the same work was read before, at .*bad-lines\.jsonl:1;/);
    expect(byLine.get(9)).toMatch(/referenced_works must be a list/);
    expect(byLine.get(10)).toMatch(/not an OpenAlex work id/);
    expect(byLine.get(11)).toMatch(/must be a JSON object/);

    const rows = await graph.cypher.read('MATCH (p:Paper) WHERE p.openalexHash IS NOT NULL RETURN p.openalexId AS id, p.title AS title ORDER BY id');
    // The duplicate (line 7, another title) did not replace line 1.
    expect(rows).toEqual([
      { id: 'W201', title: 'A Good Work' },
      { id: 'W204', title: 'Another Good Work' },
    ]);
    // Run again: the first W201 is unchanged, its duplicate is reported again.
    const again = await importOpenAlex(graph.database, [badLinesFile], quiet);
    expect(again).toMatchObject({ written: 0, unchanged: 2, failedCount: 9 });
    expect((await counts()).marks).toBe(0);
  });

  it('reads gzip files and directories, and a work with thousands of authors on a megabyte line', async () => {
    const dir = await mkdtemp(path.join(graph.scratch, 'snapshot-'));
    await writeFile(path.join(dir, 'part_000.gz'), gzipSync(await readFile(worksFile)));
    // A snapshot's manifest is not a works file.
    await writeFile(path.join(dir, 'manifest'), '{"entries": []}\n');
    const authorships = Array.from({ length: 5000 }, (_, i) => ({
      author_position: i === 0 ? 'first' : 'middle',
      author: { id: `https://openalex.org/A${900000 + i}`, display_name: `Collaborator Number ${i}`, orcid: null },
      institutions: [{ id: 'https://openalex.org/I1', display_name: 'A Very Large Collaboration Laboratory With A Long Name' }],
      raw_affiliation_strings: ['A Very Large Collaboration Laboratory With A Long Name, Somewhere, Earth'],
    }));
    const huge = {
      id: 'https://openalex.org/W999',
      display_name: 'Observation of a Large Collaboration',
      publication_date: '2012-07-04',
      authorships,
      referenced_works: ['https://openalex.org/W101', 'https://openalex.org/W102'],
      abstract_inverted_index: Object.fromEntries(Array.from({ length: 20000 }, (_, i) => [`word${i}`, [i]])),
    };
    const line = JSON.stringify(huge);
    expect(line.length).toBeGreaterThan(1_000_000);
    await writeFile(path.join(dir, 'part_001.jsonl'), `${line}\n`);

    const summary = await importOpenAlex(graph.database, [dir], quiet);
    expect(summary).toMatchObject({ files: 2, lines: 13, written: 13, failedCount: 0 });
    const [row] = await graph.cypher.read<{ authors: number; words: number }>(
      "MATCH (p:Paper {openalexId: 'W999'}) RETURN COUNT { (p)<-[:AUTHORED]-() } AS authors, size(split(p.abstract, ' ')) AS words",
    );
    expect(row).toEqual({ authors: 5000, words: 20000 });
    expect((await counts()).citations).toBe(38);
  });
});
