import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Database } from '../../src/db/driver.ts';
import { Cypher } from '../../src/db/run.ts';
import { createPapergraphYoga, type PapergraphYoga } from '../../src/yoga.ts';
import { connectSeededDatabase } from '../helpers/database.ts';
import { graphql } from '../helpers/graphql.ts';

let database: Database;
let folding: PapergraphYoga;
let notFolding: PapergraphYoga;

beforeAll(async () => {
  database = await connectSeededDatabase();
  folding = createPapergraphYoga({ database, debugExtensions: true });
  notFolding = createPapergraphYoga({ database, debugExtensions: true, foldRelations: false });
});
afterAll(async () => {
  await database?.close();
});
afterEach(() => {
  vi.restoreAllMocks();
});

async function ok(yoga: PapergraphYoga, query: string, variables: Record<string, unknown> = {}) {
  const response = await graphql<any>(yoga, query, variables);
  expect(response.errors).toBeUndefined();
  return response as unknown as { data: any; extensions: { cypherRoundTrips: number } };
}

/** The operations, and the deepest one the documentation shows. */
const operations: { name: string; query: string; variables: Record<string, unknown>; unfoldedRoundTrips: number }[] = [
  {
    name: 'a paper by arXiv id with authors and related list',
    query: `query ($a: String!) { paper(arxivId: $a) {
      id title publishedAt authors { id name }
      related(first: 10) { totalCount edges { rank score node { id title publishedAt } } }
    } }`,
    variables: { a: '2410.12391' },
    unfoldedRoundTrips: 3,
  },
  {
    name: 'the 20 newest papers with authors',
    query: '{ papers(first: 20) { pageInfo { hasNextPage endCursor } edges { node { id title publishedAt score authors { id name } } } } }',
    variables: {},
    unfoldedRoundTrips: 2,
  },
  {
    name: "an author by name, their papers, each paper's authors",
    query: `query ($n: String!) { author(name: $n) {
      id name papers(first: 10) { totalCount edges { cursor node { id title authors { id name } } } }
    } }`,
    variables: { n: 'Nathan Godey' },
    unfoldedRoundTrips: 3,
  },
  {
    name: 'a paper, its related papers, their related papers, with scores',
    query: `query ($a: String!) { paper(arxivId: $a) {
      id related(first: 5) { edges { score node { id title related(first: 5) { totalCount edges { score rank node { id title } } } } } }
    } }`,
    variables: { a: '2410.12391' },
    unfoldedRoundTrips: 3,
  },
  {
    name: 'papers, their authors, their papers, their related papers',
    query: `{ papers(first: 10) { edges { node { title authors { name
      papers(first: 5) { edges { node { title related(first: 5) { edges { node { title } } } } } } } } } } }`,
    variables: {},
    unfoldedRoundTrips: 4,
  },
  {
    name: "a paper with its venue and topics, its authors' ORCIDs and institutions",
    query: `query ($a: String!) { paper(arxivId: $a) {
      title venueName venue { name type } topics { score topic { name } }
      authors { name orcid institutions(year: 2024) { years institution { name } } }
    } }`,
    variables: { a: '2410.12391' },
    unfoldedRoundTrips: 6,
  },
];

describe('compiled selections', () => {
  for (const operation of operations) {
    it(`answers "${operation.name}" in one round-trip, as loading each relation alone answers it`, async () => {
      const folded = await ok(folding, operation.query, operation.variables);
      const unfolded = await ok(notFolding, operation.query, operation.variables);
      expect(folded.extensions.cypherRoundTrips).toBe(1);
      expect(unfolded.extensions.cypherRoundTrips).toBe(operation.unfoldedRoundTrips);
      expect(folded.data).toEqual(unfolded.data);
      expect(JSON.stringify(folded.data)).toMatch(/"name":|"score":/);
    });
  }

  it('gives aliases of one relation their own arguments and selections, through fragments, @skip and @include', async () => {
    const query = `query ($yes: Boolean!, $no: Boolean!, $n: Int!) {
      paper(arxivId: "2410.12391") {
        ...Lists
        c0: related(first: $n) { edges { rank node { title } } }
        n1: related(first: 1) @skip(if: $no) { edges { rank node { kind authors { name } } } }
        v2: related(first: 1) @include(if: $no) { edges { rank } }
        authors @include(if: $yes) { name papers(first: 1) { totalCount } }
      }
    }
    fragment Lists on Paper { ... on Paper { related(first: 3, minScore: 0.5) { totalCount edges { score } } } }`;
    const variables = { yes: true, no: false, n: 2 };
    const folded = await ok(folding, query, variables);
    const unfolded = await ok(notFolding, query, variables);
    expect(folded.extensions.cypherRoundTrips).toBe(1);
    expect(folded.data).toEqual(unfolded.data);
    expect(folded.data.paper.c0.edges.map((edge: any) => edge.rank)).toEqual([1, 2]);
    expect(folded.data.paper.n1.edges[0].node.kind).toBeTruthy();
    expect(folded.data.paper.authors[0].papers.totalCount).toBeGreaterThan(0);
    expect('v2' in folded.data.paper).toBe(false);
    expect(folded.data.paper.related.edges.every((edge: any) => edge.score >= 0.5)).toBe(true);
  });

  it('never costs more round-trips than loading each relation alone: aliased lookups with shared counts stay batched', async () => {
    const query = `{
      a: paper(arxivId: "2410.12391") { title relatedCount citationCount }
      b: paper(arxivId: "2412.03275") { title relatedCount citationCount }
      c: paper(arxivId: "2309.08351") { title relatedCount citationCount }
    }`;
    const folded = await ok(folding, query);
    const unfolded = await ok(notFolding, query);
    expect(folded.data).toEqual(unfolded.data);
    expect(folded.data.a.relatedCount).toBe(11);
    // The three lookups in one round-trip, then each count for all three papers.
    expect(folded.extensions.cypherRoundTrips).toBe(3);
    expect(unfolded.extensions.cypherRoundTrips).toBe(3);
  });

  it('builds the Cypher text from fixed fragments only: aliases and argument values never reach it', async () => {
    const seen: { text: string; params: Record<string, unknown> }[] = [];
    const read = Cypher.prototype.read;
    vi.spyOn(Cypher.prototype, 'read').mockImplementation(function (this: Cypher, text: string, params: Record<string, any> = {}) {
      seen.push({ text, params });
      return read.call(this, text, params) as never;
    });
    const hostile = "x' }) DETACH DELETE n0 // $lookup {";
    const response = await graphql<any>(
      folding,
      `query ($hostile: String!, $score: Float!) {
      DETACH_DELETE: papers(first: 3, filter: { titleContains: $hostile }) { edges { node { title } } }
      dropEverything: paper(arxivId: "2410.12391") {
        sortValue: related(first: 2, minScore: $score) { edges { node { c0: title lookup: authors { n1: name } } } }
        n0: references(first: 1, kinds: [PAGE]) { totalCount }
        authors { v1: papers(first: 1, orderBy: { field: TITLE, direction: ASC }) { edges { node { title } } } }
      }
      named: author(name: $hostile) { papers { totalCount } }
    }`,
      { hostile, score: 0.25 },
    );
    expect(response.errors).toBeUndefined();
    expect(response.data!.DETACH_DELETE.edges).toEqual([]);
    expect(response.data!.dropEverything.sortValue.edges.length).toBeGreaterThan(0);
    expect(response.data!.named).toBeNull();
    expect(seen.length).toBeGreaterThanOrEqual(3);
    for (const { text } of seen) {
      expect(text).not.toContain('DETACH');
      expect(text).not.toContain('dropEverything');
      expect(text).not.toContain('0.25');
      expect(text).not.toContain('2410.12391');
    }
    const values = JSON.stringify(seen.map((query) => query.params));
    expect(values).toContain(JSON.stringify(hostile).slice(1, -1));
    expect(values).toContain('0.25');
    expect(values).toContain('2410.12391');
  });
});
