import { int } from 'neo4j-driver';
import type { Cypher } from '../run.ts';
import { keysetFragments, keysetPageExpression, keysetParams, type KeysetRow, type PageQuery } from './keyset.ts';
import { paperOrderExpression, type PaperOrder, type PaperRecord } from './papers.ts';
import type { Fragment, NodeSelection } from './selection.ts';

export interface AuthorRecord {
  uid: string;
  name: string;
}

/**
 * What every author in a result carries. The merge key stays out: no field shows it, and a page of 20
 * papers lists about 80 authors, whose keys cost Neo4j and the driver about a fifth of that page's read.
 */
export const authorProjection = (variable: string, entries: readonly string[] = []) => `${variable} { ${['.uid', '.name', ...entries].join(', ')} }`;

export const authorOrderExpressions = {
  NAME: 'a.name',
  PAPER_COUNT: 'COUNT { (a)-[:AUTHORED]->() }',
} as const;
export type AuthorOrder = keyof typeof authorOrderExpressions;

export interface AuthorFilter {
  nameContains?: string | null;
  /** A name's merge key (src/domain/keys.ts authorKey): every author of that name, from pages or OpenAlex. */
  nameKey?: string | null;
  minPapers?: number | null;
}

/**
 * Whether the author bound to `a` bears the name whose merge key is `key`. A page's author is merged
 * on that key; an OpenAlex author is keyed by its OpenAlex id, and its name is stored trimmed with
 * spaces collapsed (src/load/openalex-work.ts), so its lower-cased name is the key.
 */
const namedBy = (key: string) => `(a.key = ${key} OR (a.openalexId IS NOT NULL AND toLower(a.name) = ${key}))`;

const authorFilterWhere = `
  ($filter.nameContains IS NULL OR toLower(a.name) CONTAINS toLower($filter.nameContains))
  AND ($filter.nameKey IS NULL OR ${namedBy('$filter.nameKey')})
  AND ($filter.minPapers IS NULL OR COUNT { (a)-[:AUTHORED]->() } >= $filter.minPapers)`;

function filterParams(filter: AuthorFilter): Record<string, unknown> {
  return { nameContains: filter.nameContains ?? null, nameKey: filter.nameKey ?? null, minPapers: filter.minPapers ?? null };
}

/** A name to look authors up by: its merge key, and a Lucene phrase of it for the full-text index (null when it has no words). */
export interface AuthorNameLookup {
  key: string;
  phrase: string | null;
}

export function authorNameLookup(key: string): AuthorNameLookup {
  return { key, phrase: /[\p{L}\p{N}]/u.test(key) ? `"${key.replace(/["\\]/g, '\\$&')}"` : null };
}

/**
 * A subquery over a bound AuthorNameLookup `lookup`: every author `a` of that name. A page's author by
 * its key (a unique index); OpenAlex authors through the full-text index of names, then compared exactly.
 */
export const authorsNamedSubquery = (lookup: string) => `
     CALL (${lookup}) {
       MATCH (a:Author {key: ${lookup}.key})
       RETURN a
       UNION
       WITH ${lookup} WHERE ${lookup}.phrase IS NOT NULL
       CALL db.index.fulltext.queryNodes('author_name_text', ${lookup}.phrase) YIELD node
       WITH node AS a WHERE ${namedBy(`${lookup}.key`)}
       RETURN a
     }`;

/** An author, with the OpenAlex id that tells homonyms apart. */
export type NamedAuthorRecord = AuthorRecord & { openalexId: string | null };

/** For each name (as an AuthorNameLookup), every author of that name, by uid: one round-trip for all names. */
export async function authorsByNames(cypher: Cypher, lookups: readonly AuthorNameLookup[]): Promise<NamedAuthorRecord[][]> {
  const rows = await cypher.read<{ key: string; authors: NamedAuthorRecord[] }>(
    `UNWIND $lookups AS lookup
     ${authorsNamedSubquery('lookup')}
     WITH lookup, a ORDER BY a.uid
     RETURN lookup.key AS key, collect(a { .uid, .name, .openalexId }) AS authors`,
    { lookups },
  );
  const byKey = new Map(rows.map((row) => [row.key, row.authors]));
  return lookups.map((lookup) => byKey.get(lookup.key) ?? []);
}

/** Authors by OpenAlex id (A5023888391), in the order asked, null for unknown ids: unique-index lookups. */
export async function authorsByOpenalexIds(cypher: Cypher, ids: readonly string[]): Promise<(AuthorRecord | null)[]> {
  const rows = await cypher.read<{ id: string; author: AuthorRecord }>(
    `UNWIND $ids AS id MATCH (a:Author {openalexId: id}) RETURN id, ${authorProjection('a')} AS author`,
    { ids },
  );
  const byId = new Map(rows.map((row) => [row.id, row.author]));
  return ids.map((id) => byId.get(id) ?? null);
}

export async function authorsByUids(cypher: Cypher, uids: readonly string[]): Promise<(AuthorRecord | null)[]> {
  const rows = await cypher.read<{ author: AuthorRecord }>(`UNWIND $uids AS uid MATCH (a:Author {uid: uid}) RETURN ${authorProjection('a')} AS author`, {
    uids,
  });
  const byUid = new Map(rows.map((row) => [row.author.uid, row.author]));
  return uids.map((uid) => byUid.get(uid) ?? null);
}

/** OpenAlex author ids by author uid, in the order asked: null for an author known only from summary pages. */
export async function openalexIdsOfAuthors(cypher: Cypher, uids: readonly string[]): Promise<(string | null)[]> {
  const rows = await cypher.read<{ uid: string; openalexId: string | null }>(
    'UNWIND $uids AS uid MATCH (a:Author {uid: uid}) RETURN uid, a.openalexId AS openalexId',
    { uids },
  );
  const byUid = new Map(rows.map((row) => [row.uid, row.openalexId]));
  return uids.map((uid) => byUid.get(uid) ?? null);
}

/** A bound paper's authors in author order. */
export const authorsOfPaperFragment: Fragment<{ node: NodeSelection }> = {
  expression: (paper, input, scope) => {
    const [a, r] = [scope.variable(), scope.variable()];
    return `COLLECT { MATCH (${a}:Author)-[${r}:AUTHORED]->(${paper}) WITH ${a}, ${r} ORDER BY ${r}.position RETURN ${scope.project(a, input.node)} }`;
  },
};

export async function pageOfAuthors(cypher: Cypher, filter: AuthorFilter, page: PageQuery<AuthorOrder>): Promise<KeysetRow<AuthorRecord>[]> {
  const { where, orderBy } = keysetFragments(page, 'a.uid');
  return cypher.read<KeysetRow<AuthorRecord>>(
    `MATCH (a:Author)
     WHERE ${authorFilterWhere}
     WITH a, ${authorOrderExpressions[page.order]} AS sortValue
     WHERE ${where}
     ORDER BY ${orderBy}
     LIMIT $limitPlusOne
     RETURN ${authorProjection('a')} AS node, sortValue`,
    { filter: filterParams(filter), ...keysetParams(page) },
  );
}

export async function countAuthorsMatching(cypher: Cypher, filter: AuthorFilter): Promise<number> {
  const [row] = await cypher.read<{ total: number }>(`MATCH (a:Author) WHERE ${authorFilterWhere} RETURN count(a) AS total`, { filter: filterParams(filter) });
  return row?.total ?? 0;
}

export interface PapersOfAuthorInput {
  page: PageQuery<PaperOrder>;
  /** What each paper's fields read. */
  node: NodeSelection;
  /** Whether to count them all (only when totalCount is selected). */
  total: boolean;
}

/** One keyset page of a bound author's papers, and how many they have when asked: `{ rows, total }`. */
export const papersOfAuthorFragment: Fragment<PapersOfAuthorInput> = {
  expression: (author, input, scope) => {
    const p = scope.variable();
    const rows = keysetPageExpression(scope, input.page, {
      match: `(${author})-[:AUTHORED]->(${p}:Paper)`,
      where: 'true',
      node: p,
      sortValue: paperOrderExpression(input.page.order, p),
      row: `node: ${scope.project(p, input.node)}`,
    });
    const total = input.total ? `, total: COUNT { (${author})-[:AUTHORED]->() }` : '';
    return `{ rows: ${rows}${total} }`;
  },
};

/** A co-author of an author, with the papers the two share. */
export interface CoauthorRecord {
  coauthor: AuthorRecord;
  sharedPapers: PaperRecord[];
}

export interface CoauthorsInput {
  limit: number;
  /** What the shared papers' fields read: their properties only (children of theirs load on their own). */
  shared: NodeSelection;
}

/**
 * A bound author's first `limit` co-authors, ranked by the number of papers they share (then name),
 * each with those papers, newest first.
 */
export const coauthorsFragment: Fragment<CoauthorsInput> = {
  // A CALL block, not an expression: its collect() inside a projection would be taken by Neo4j for an
  // aggregation of the enclosing RETURN, and counting each co-author's papers apart costs far more.
  block: (author, input, scope, out) => {
    const [shared, co, papers] = [scope.variable(), scope.variable(), scope.variable()];
    const limit = scope.param(int(input.limit));
    return `CALL (${author}) {
       MATCH (${author})-[:AUTHORED]->(${shared}:Paper)<-[:AUTHORED]-(${co}:Author)
       WHERE ${co} <> ${author}
       WITH ${co}, ${shared} ORDER BY coalesce(${shared}.publishedAt, datetime('0001-01-01T00:00:00Z')) DESC, ${shared}.uid
       WITH ${co}, collect(${scope.project(shared, { ...input.shared, children: [] })}) AS ${papers}
       ORDER BY size(${papers}) DESC, ${co}.name, ${co}.uid
       LIMIT ${limit}
       RETURN collect({ coauthor: ${authorProjection(co)}, sharedPapers: ${papers} }) AS ${out}
     }`;
  },
};

/** For each author, in the order asked, how many distinct co-authors they have (0 for unknown uids). */
export async function coauthorCountsOfAuthors(cypher: Cypher, authorUids: readonly string[]): Promise<number[]> {
  const rows = await cypher.read<{ authorUid: string; count: number }>(
    `UNWIND $authorUids AS authorUid
     MATCH (author:Author {uid: authorUid})
     RETURN authorUid, COUNT { MATCH (author)-[:AUTHORED]->(:Paper)<-[:AUTHORED]-(co:Author) WHERE co <> author RETURN DISTINCT co } AS count`,
    { authorUids },
  );
  const byUid = new Map(rows.map((row) => [row.authorUid, row.count]));
  return authorUids.map((uid) => byUid.get(uid) ?? 0);
}

/** A bound author's ORCID: null for an author without one (every author from pages). */
export const orcidFragment: Fragment<null> = {
  expression: (author) => `${author}.orcid`,
};
