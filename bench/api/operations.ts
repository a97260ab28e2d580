/**
 * The fixed mix: each operation as the GraphQL a client sends, and as its floor, the hand-written
 * Cypher that gets the same answer in one round-trip through neo4j-driver. `server` and `floor`
 * turn either answer into one canonical value, so the bench can check (on a few inputs, before
 * timing) that both sides really answer the same question.
 */
import { isObjectType } from 'graphql';
import { fullTextIndexes } from '../../src/db/migrations.ts';
import { luceneQueryOf } from '../../src/db/queries/search.ts';
import { encodeGlobalId } from '../../src/graphql/lib/global-id.ts';
import { schema } from '../../src/graphql/schema.ts';
import type { FloorCall } from './drive.ts';
import type { Inputs } from './inputs.ts';

/** Which goals apply: point lookups and pages have a p99 bound, graph traversals a looser one. */
export type OperationKind = 'point' | 'page' | 'graph' | 'search';

export interface Case {
  variables: Record<string, unknown>;
  floor: FloorCall;
}

export interface Operation {
  name: string;
  description: string;
  kind: OperationKind;
  document: string;
  cases: Case[];
  /** The canonical answer from the GraphQL response's `data`. */
  server(data: any): unknown;
  /** The canonical answer from the floor's rows (as src/db/run.ts gives them: plain objects; instants as epoch milliseconds). */
  floor(rows: Record<string, any>[]): unknown;
}

type Row = Record<string, any>;

const paperId = (uid: string) => encodeGlobalId('Paper', uid);
const authorId = (uid: string) => encodeGlobalId('Author', uid);
const byKey = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
/**
 * Floors return instants as epoch milliseconds, as the server's queries do (src/db/queries/papers.ts
 * paperProjection): the cheapest way through neo4j-driver. Writing them as ISO text, under a
 * microsecond each, happens here, outside the timed loop.
 */
const iso = (millis: number | null) => (millis == null ? null : new Date(millis).toISOString());

/** The authors of paper `p`, in order: the same sub-query wherever a floor lists authors. */
const authorsOf = (p: string) => `COLLECT { MATCH (a:Author)-[r:AUTHORED]->(${p}) WITH a, r ORDER BY r.position RETURN a { .uid, .name } }`;
const authorList = (authors: Row[]) => authors.map((a) => ({ id: authorId(a.uid), name: a.name }));

function paperOperation(inputs: Inputs): Operation {
  return {
    name: 'paper',
    description: 'a paper by id, its authors and first 10 related papers',
    kind: 'point',
    document: `query Paper($id: ID!) {
  paper(id: $id) {
    id arxivId title titleJa publishedAt score
    authors { id name }
    related(first: 10) { totalCount edges { rank score node { id title publishedAt } } }
  }
}`,
    cases: inputs.papers.map(({ uid }) => ({
      variables: { id: paperId(uid) },
      floor: {
        query: `MATCH (p:Paper {uid: $uid})
RETURN p.uid AS uid, p.arxivId AS arxivId, p.title AS title, p.titleJa AS titleJa, p.publishedAt.epochMillis AS publishedAt, p.score AS score,
  ${authorsOf('p')} AS authors,
  COUNT { (p)-[:RELATED_TO]->(:Paper) } AS relatedTotal,
  COLLECT { MATCH (p)-[r:RELATED_TO]->(q:Paper) WITH q, r ORDER BY CASE WHEN r.score IS NULL THEN 1 ELSE 0 END, coalesce(r.rank, 0), q.uid LIMIT 10
            RETURN { rank: r.rank, score: r.score, uid: q.uid, title: q.title, publishedAt: q.publishedAt.epochMillis } } AS related`,
        params: { uid },
      },
    })),
    server: (data) => data.paper,
    floor: ([row]) =>
      row && {
        id: paperId(row.uid),
        arxivId: row.arxivId,
        title: row.title,
        titleJa: row.titleJa,
        publishedAt: iso(row.publishedAt),
        score: row.score,
        authors: authorList(row.authors),
        related: {
          totalCount: row.relatedTotal,
          edges: row.related.map((edge: Row) => ({
            rank: edge.rank,
            score: edge.score,
            node: { id: paperId(edge.uid), title: edge.title, publishedAt: iso(edge.publishedAt) },
          })),
        },
      },
  };
}

function papersOperation(inputs: Inputs): Operation {
  return {
    name: 'papers',
    description: '20 papers with a score ≥ s published before d, newest first, with authors',
    kind: 'page',
    document: `query Papers($filter: PaperFilter!) {
  papers(filter: $filter, orderBy: { field: PUBLISHED_AT, direction: DESC }, first: 20) {
    pageInfo { hasNextPage endCursor }
    edges { node { id title publishedAt score authors { id name } } }
  }
}`,
    cases: inputs.pageFilters.map((filter) => ({
      variables: { filter },
      floor: {
        query: `MATCH (p:Paper)
WHERE p.publishedAt < datetime($publishedBefore) AND p.score >= $minScore
WITH p ORDER BY p.publishedAt DESC, p.uid DESC LIMIT 21
WITH collect(p) AS page
UNWIND page[..20] AS p
RETURN p.uid AS uid, p.title AS title, p.publishedAt.epochMillis AS publishedAt, p.score AS score, ${authorsOf('p')} AS authors, size(page) > 20 AS hasNextPage`,
        params: filter,
      },
    })),
    server: (data) => ({
      hasNextPage: data.papers.pageInfo.hasNextPage,
      nodes: data.papers.edges.map((edge: Row) => edge.node),
    }),
    floor: (rows) => ({
      hasNextPage: rows[0]?.hasNextPage ?? false,
      nodes: rows.map((row) => ({
        id: paperId(row.uid),
        title: row.title,
        publishedAt: iso(row.publishedAt),
        score: row.score,
        authors: authorList(row.authors),
      })),
    }),
  };
}

function coauthorsOperation(inputs: Inputs): Operation {
  return {
    name: 'coauthors',
    description: "an author's 10 main co-authors with their shared papers",
    kind: 'point',
    document: `query Coauthors($id: ID!) {
  author(id: $id) {
    id name
    coauthors(first: 10) { sharedPaperCount author { id name } sharedPapers { id title publishedAt } }
  }
}`,
    cases: inputs.authors.map((uid) => ({
      variables: { id: authorId(uid) },
      floor: {
        query: `MATCH (a:Author {uid: $uid})
RETURN a.uid AS uid, a.name AS name, COLLECT {
  MATCH (a)-[:AUTHORED]->(p:Paper)<-[:AUTHORED]-(co:Author)
  WHERE co <> a
  WITH co, p ORDER BY coalesce(p.publishedAt, datetime('0001-01-01T00:00:00Z')) DESC, p.uid
  WITH co, collect(p { .uid, .title, publishedAt: p.publishedAt.epochMillis }) AS shared
  ORDER BY size(shared) DESC, co.name, co.uid
  LIMIT 10
  RETURN { uid: co.uid, name: co.name, shared: shared }
} AS coauthors`,
        params: { uid },
      },
    })),
    server: (data) => data.author,
    floor: ([row]) =>
      row && {
        id: authorId(row.uid),
        name: row.name,
        coauthors: row.coauthors.map((co: Row) => ({
          sharedPaperCount: co.shared.length,
          author: { id: authorId(co.uid), name: co.name },
          sharedPapers: co.shared.map((p: Row) => ({ id: paperId(p.uid), title: p.title, publishedAt: iso(p.publishedAt) })),
        })),
      },
  };
}

/** An author's 10 newest papers, each with its authors: a relation under a relation. */
function authorPapersOperation(inputs: Inputs): Operation {
  return {
    name: 'author-papers',
    description: "an author's 10 newest papers, each with its authors",
    kind: 'point',
    document: `query AuthorPapers($id: ID!) {
  author(id: $id) {
    id name
    papers(first: 10) { totalCount edges { node { id title publishedAt authors { id name } } } }
  }
}`,
    cases: inputs.authors.map((uid) => ({
      variables: { id: authorId(uid) },
      floor: {
        query: `MATCH (author:Author {uid: $uid})
RETURN author.uid AS uid, author.name AS name, COUNT { (author)-[:AUTHORED]->(:Paper) } AS total, COLLECT {
  MATCH (author)-[:AUTHORED]->(p:Paper)
  WITH p ORDER BY coalesce(p.publishedAt.epochMillis, -100000000000000) DESC, p.uid DESC LIMIT 10
  RETURN { uid: p.uid, title: p.title, publishedAt: p.publishedAt.epochMillis, authors: ${authorsOf('p')} }
} AS papers`,
        params: { uid },
      },
    })),
    server: (data) => data.author,
    floor: ([row]) =>
      row && {
        id: authorId(row.uid),
        name: row.name,
        papers: {
          totalCount: row.total,
          edges: row.papers.map((p: Row) => ({
            node: { id: paperId(p.uid), title: p.title, publishedAt: iso(p.publishedAt), authors: authorList(p.authors) },
          })),
        },
      },
  };
}

/** The related papers of a paper and theirs, with scores: two hops of one relation. */
function relatedTwiceOperation(inputs: Inputs): Operation {
  /** The 5 first scored related papers of `parent`, bound as `q` with the link `r`, and `inner` of each. */
  const related = (parent: string, q: string, r: string, inner: string) => `COLLECT {
  MATCH (${parent})-[${r}:RELATED_TO WHERE ${r}.score IS NOT NULL]->(${q}:Paper) WITH ${q}, ${r} ORDER BY coalesce(${r}.rank, 0), ${q}.uid LIMIT 5
  RETURN { score: ${r}.score, uid: ${q}.uid, title: ${q}.title${inner} }
}`;
  const edges = (rows: Row[], inner: (row: Row) => object) =>
    rows.map((row) => ({ score: row.score, node: { id: paperId(row.uid), title: row.title, ...inner(row) } }));
  return {
    name: 'related-related',
    description: "a paper's 5 related papers and their 5 related papers, with scores",
    kind: 'point',
    document: `query RelatedRelated($id: ID!) {
  paper(id: $id) {
    id
    related(first: 5) { edges { score node { id title related(first: 5) { edges { score node { id title } } } } } }
  }
}`,
    cases: inputs.papers.map(({ uid }) => ({
      variables: { id: paperId(uid) },
      floor: {
        query: `MATCH (p:Paper {uid: $uid})
RETURN p.uid AS uid, ${related('p', 'q', 'r', `, related: ${related('q', 'q2', 'r2', '')}`)} AS related`,
        params: { uid },
      },
    })),
    server: (data) => data.paper,
    floor: ([row]) =>
      row && {
        id: paperId(row.uid),
        related: { edges: edges(row.related, (q) => ({ related: { edges: edges(q.related, () => ({})) } })) },
      },
  };
}

/** Nodes and edges in a fixed order, so that two equal subgraphs compare equal. */
function canonicalGraph(nodes: Row[], edges: Row[]) {
  return {
    nodes: [...nodes].sort((a, b) => byKey(a.id, b.id)),
    edges: edges.map((e) => `${e.type} ${e.source} ${e.target} ${e.weight}`).sort(),
  };
}

function neighbourhoodOperation(inputs: Inputs): Operation {
  return {
    name: 'neighbourhood',
    description: "a paper's 2-hop neighbourhood (at most 100 nodes) with every edge among them",
    kind: 'graph',
    document: `query Neighbourhood($id: ID!) {
  paper(id: $id) {
    id
    neighborhood(depth: 2, limit: 100) { nodes { id kind label distance } edges { type source target weight } }
  }
}`,
    cases: inputs.papers.map(({ uid }) => ({
      variables: { id: paperId(uid) },
      floor: {
        query: `MATCH (start:Paper {uid: $uid})
CALL (start) {
  OPTIONAL MATCH (start)-[r:AUTHORED|RELATED_TO]-(n)
  WHERE r.score IS NULL OR r.score >= 0
  RETURN collect(DISTINCT n)[..100] AS level1
}
CALL (start, level1) {
  UNWIND level1 AS x
  MATCH (x)-[r:AUTHORED|RELATED_TO]-(n)
  WHERE (r.score IS NULL OR r.score >= 0) AND n <> start AND NOT n IN level1
  WITH DISTINCT n LIMIT 100
  RETURN collect(n) AS level2
}
WITH ([start] + level1 + level2)[..100] AS members, size(level1) AS level1Size
CALL (members) {
  UNWIND members AS b
  WITH b WHERE b:Paper
  MATCH (a)-[r:AUTHORED|RELATED_TO]->(b)
  WHERE a IN members AND (r.score IS NULL OR r.score >= 0)
  RETURN collect({ type: type(r), source: a.uid, target: b.uid, weight: coalesce(r.score, 1.0) }) AS edges
}
RETURN [m IN members | { uid: m.uid, paper: m:Paper, label: coalesce(m.title, m.name) }] AS nodes, level1Size, edges`,
        params: { uid },
      },
    })),
    server: (data) => canonicalGraph(data.paper.neighborhood.nodes, data.paper.neighborhood.edges),
    floor: ([row]) =>
      canonicalGraph(
        row!.nodes.map((node: Row, index: number) => ({
          id: node.paper ? paperId(node.uid) : authorId(node.uid),
          kind: node.paper ? 'PAPER' : 'AUTHOR',
          label: node.label,
          distance: index === 0 ? 0 : index <= row!.level1Size ? 1 : 2,
        })),
        row!.edges.map((edge: Row) => ({
          type: edge.type,
          source: edge.type === 'AUTHORED' ? authorId(edge.source) : paperId(edge.source),
          target: paperId(edge.target),
          weight: edge.weight,
        })),
      ),
  };
}

/** The server's field weights (src/db/queries/search.ts); the answer check keeps this honest. */
const fieldWeights: Record<string, number> = { TITLE: 1, TITLE_JA: 1, SUMMARY_JA: 0.8, ABSTRACT: 0.6, ABSTRACT_JA: 0.6 };

function searchFloorQuery(language: 'EN' | 'JA'): string {
  const parts = fullTextIndexes
    .filter((index) => index.label === 'Paper' && index.language === language)
    .map(
      (index) => `  CALL db.index.fulltext.queryNodes('${index.name}', $query, { limit: 20 }) YIELD node, score
  WITH collect({ node: node, score: score }) AS hits, max(score) AS best
  UNWIND hits AS hit
  RETURN hit.node AS p, '${index.field}' AS field, ${fieldWeights[index.field]} * hit.score / best AS weighted`,
    );
  return `CALL () {
${parts.join('\n  UNION ALL\n')}
}
WITH p, field, weighted ORDER BY weighted DESC
WITH p, collect(field) AS fields, max(weighted) AS relevance
ORDER BY relevance DESC, size(fields) DESC, p.uid
LIMIT 10
RETURN p.uid AS uid, p.title AS title, p.titleJa AS titleJa, p.publishedAt.epochMillis AS publishedAt, relevance, fields`;
}

function searchOperation(name: string, language: 'EN' | 'JA', words: string[]): Operation {
  const rounded = (score: number) => Math.round(score * 1e9) / 1e9;
  const hit = (score: number, fields: string[], paper: Row) => ({ score: rounded(score), matchedFields: [...fields].sort(), paper });
  const query = searchFloorQuery(language);
  return {
    name,
    description: `full-text search in ${language === 'EN' ? 'English' : 'Japanese'}, top 10`,
    kind: 'search',
    document: `query Search($query: String!, $language: SearchLanguage!) {
  search(query: $query, language: $language, first: 10) { score matchedFields paper { id title titleJa publishedAt } }
}`,
    cases: words.map((word) => ({
      variables: { query: word, language },
      floor: { query, params: { query: luceneQueryOf(word) } },
    })),
    server: (data) => data.search.map((h: Row) => hit(h.score, h.matchedFields, h.paper)),
    floor: (rows) =>
      rows.map((row) => hit(row.relevance, row.fields, { id: paperId(row.uid), title: row.title, titleJa: row.titleJa, publishedAt: iso(row.publishedAt) })),
  };
}

function pathOperation(inputs: Inputs): Operation {
  // Several shortest paths may exist; both sides must find one of the same length between the same ends.
  const ends = (length: number, nodes: { id: string }[]) => ({ length, from: nodes[0]?.id, to: nodes.at(-1)?.id, nodes: nodes.length });
  return {
    name: 'path',
    description: 'a shortest path between two papers (≤ 6 hops, authorship and related links)',
    kind: 'graph',
    document: `query Path($from: ID!, $to: ID!) {
  shortestPath(from: $from, to: $to, maxDepth: 6, via: [AUTHORED, RELATED_TO]) { length nodes { id kind label } edges { type source target } }
}`,
    cases: inputs.pairs.map(([from, to]) => ({
      variables: { from: paperId(from), to: paperId(to) },
      floor: {
        query: `MATCH (a:Paper {uid: $from}), (b:Paper {uid: $to})
MATCH path = shortestPath((a)-[:AUTHORED|RELATED_TO*..6]-(b))
RETURN length(path) AS length,
  [n IN nodes(path) | { uid: n.uid, paper: n:Paper, label: coalesce(n.title, n.name) }] AS nodes,
  [r IN relationships(path) | { type: type(r), source: startNode(r).uid, target: endNode(r).uid }] AS edges`,
        params: { from, to },
      },
    })),
    server: (data) => data.shortestPath && ends(data.shortestPath.length, data.shortestPath.nodes),
    floor: ([row]) =>
      row
        ? ends(
            row.length,
            row.nodes.map((node: Row) => ({ id: node.paper ? paperId(node.uid) : authorId(node.uid) })),
          )
        : null,
  };
}

/** A paper's references (the papers it cites, most cited first), when the graph holds citations. */
function citationsOperation(inputs: Inputs): Operation | string {
  const paperType = schema.getType('Paper');
  if (!isObjectType(paperType) || !paperType.getFields().references) return 'the schema has no Paper.references';
  if (inputs.citing.length === 0) return 'the store holds no citations (it was built with --works 0)';
  return {
    name: 'citations',
    description: "a paper's 10 most cited references",
    kind: 'point',
    document: `query Citations($id: ID!) {
  paper(id: $id) { id references(first: 10) { totalCount edges { node { id title } } } }
}`,
    cases: inputs.citing.map((uid) => ({
      variables: { id: paperId(uid) },
      floor: {
        query: `MATCH (p:Paper {uid: $uid})
RETURN p.uid AS uid, COUNT { (p)-[:CITES]->(:Paper) } AS total, COLLECT {
  MATCH (p)-[:CITES]->(q:Paper)
  WITH q, COUNT { (q)<-[:CITES]-() } AS cited ORDER BY cited DESC, q.uid DESC LIMIT 10
  RETURN q { .uid, .title }
} AS references`,
        params: { uid },
      },
    })),
    server: (data) => data.paper,
    floor: ([row]) =>
      row && {
        id: paperId(row.uid),
        references: { totalCount: row.total, edges: row.references.map((q: Row) => ({ node: { id: paperId(q.uid), title: q.title } })) },
      },
  };
}

/** The mix, in the order it runs, and why an operation is left out. */
export function buildOperations(inputs: Inputs): { operations: Operation[]; skipped: Record<string, string> } {
  const operations = [
    paperOperation(inputs),
    papersOperation(inputs),
    coauthorsOperation(inputs),
    authorPapersOperation(inputs),
    relatedTwiceOperation(inputs),
    neighbourhoodOperation(inputs),
    searchOperation('search-en', 'EN', inputs.wordsEn),
    searchOperation('search-ja', 'JA', inputs.wordsJa),
    pathOperation(inputs),
  ];
  const skipped: Record<string, string> = {};
  const citations = citationsOperation(inputs);
  if (typeof citations === 'string') skipped.citations = citations;
  else operations.push(citations);
  return { operations, skipped };
}

export const operationNames = [
  'paper',
  'papers',
  'coauthors',
  'author-papers',
  'related-related',
  'neighbourhood',
  'search-en',
  'search-ja',
  'path',
  'citations',
];
