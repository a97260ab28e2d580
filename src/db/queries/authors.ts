import { int } from 'neo4j-driver';
import { concatenated } from '../../lists.ts';
import type { Cypher } from '../run.ts';
import { keysetFragments, keysetParams, type KeysetRow, type PageQuery } from './keyset.ts';
import { paperOrderExpressions, paperProjection, paperProperties, type PaperOrder, type PaperProperty, type PaperRecord } from './papers.ts';

export interface AuthorRecord {
  uid: string;
  name: string;
}

/**
 * What every author in a result carries. The merge key stays out: no field shows it, and a page of 20
 * papers lists about 80 authors, whose keys cost Neo4j and the driver about a fifth of that page's read.
 */
export const authorProjection = (variable: string) => `${variable} { .uid, .name }`;

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
  const rows = await cypher.read<{ author: AuthorRecord }>(
    `UNWIND $uids AS uid MATCH (a:Author {uid: uid}) RETURN ${authorProjection('a')} AS author`,
    { uids },
  );
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

export type PaperAuthorRecord = AuthorRecord & { paperUid: string };

/**
 * An expression over a bound paper: its authors in author order, as AuthorRecords (tagWithPaper makes
 * them PaperAuthorRecords). Used alone (authorsOfPapers) and folded into the query that fetches the
 * paper (folded.ts, pageOfPapers).
 */
export const authorsOfPaperExpression = (paper: string) =>
  `COLLECT { MATCH (a:Author)-[r:AUTHORED]->(${paper}) WITH a, r ORDER BY r.position RETURN ${authorProjection('a')} }`;

/**
 * Tags a paper's authors with its uid, for the loader that groups them by paper. Tagged here rather
 * than in Cypher: neo4j-driver decodes every value of a result one by one, and the paper's uid is
 * known already. The records are the read's own fresh objects, so they are tagged in place.
 */
export function tagWithPaper(paperUid: string, authors: AuthorRecord[]): PaperAuthorRecord[] {
  for (const author of authors) (author as PaperAuthorRecord).paperUid = paperUid;
  return authors as PaperAuthorRecord[];
}

/** The authors of each paper, in author order, as one flat list tagged with the paper's uid. */
export async function authorsOfPapers(cypher: Cypher, paperUids: readonly string[]): Promise<PaperAuthorRecord[]> {
  const rows = await cypher.read<{ paperUid: string; authors: AuthorRecord[] }>(
    `UNWIND $paperUids AS paperUid
     MATCH (p:Paper {uid: paperUid})
     RETURN paperUid, ${authorsOfPaperExpression('p')} AS authors`,
    { paperUids },
  );
  return concatenated(rows.map((row) => tagWithPaper(row.paperUid, row.authors)));
}

export async function pageOfAuthors(
  cypher: Cypher,
  filter: AuthorFilter,
  page: PageQuery<AuthorOrder>,
): Promise<KeysetRow<AuthorRecord>[]> {
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
  const [row] = await cypher.read<{ total: number }>(
    `MATCH (a:Author) WHERE ${authorFilterWhere} RETURN count(a) AS total`,
    { filter: filterParams(filter) },
  );
  return row?.total ?? 0;
}

/** For each author, one keyset page of their papers and how many they have: one round-trip for all authors. */
export async function paperPagesOfAuthors(
  cypher: Cypher,
  authorUids: readonly string[],
  page: PageQuery<PaperOrder>,
  properties: readonly PaperProperty[] = paperProperties,
): Promise<{ parentUid: string; rows: KeysetRow<PaperRecord>[]; total: number }[]> {
  const { where, orderBy } = keysetFragments(page, 'p.uid');
  return cypher.read<{ parentUid: string; rows: KeysetRow<PaperRecord>[]; total: number }>(
    `UNWIND $authorUids AS parentUid
     OPTIONAL MATCH (author:Author {uid: parentUid})
     CALL (author) {
       MATCH (author)-[:AUTHORED]->(p:Paper)
       WITH p, ${paperOrderExpressions[page.order]} AS sortValue
       WHERE ${where}
       ORDER BY ${orderBy}
       LIMIT $limitPlusOne
       RETURN collect({ node: ${paperProjection('p', properties)}, sortValue: sortValue }) AS rows
     }
     RETURN parentUid, rows, COUNT { (author)-[:AUTHORED]->() } AS total`,
    { authorUids, ...keysetParams(page) },
  );
}

/** A co-author of the author `authorUid`, with the papers the two share. */
export interface CoauthorRecord {
  authorUid: string;
  coauthor: AuthorRecord;
  sharedPapers: PaperRecord[];
}

type CoauthorFold = Omit<CoauthorRecord, 'authorUid'>;

/**
 * An expression over a bound author: the first $coauthorsLimit co-authors, ranked by the number of
 * papers they share (then name), each with those papers, newest first.
 */
export const coauthorsExpression = (author: string, properties: readonly PaperProperty[] = paperProperties) => `COLLECT {
       MATCH (${author})-[:AUTHORED]->(shared:Paper)<-[:AUTHORED]-(co:Author)
       WHERE co <> ${author}
       WITH co, shared ORDER BY coalesce(shared.publishedAt, datetime('0001-01-01T00:00:00Z')) DESC, shared.uid
       WITH co, collect(${paperProjection('shared', properties)}) AS sharedPapers
       ORDER BY size(sharedPapers) DESC, co.name, co.uid
       LIMIT $coauthorsLimit
       RETURN { coauthor: ${authorProjection('co')}, sharedPapers: sharedPapers }
     }`;

export const coauthorsParams = (limit: number) => ({ coauthorsLimit: int(limit) });

/** For each author, their co-authors ranked by the number of papers they share (then name). */
export async function coauthorsOfAuthors(
  cypher: Cypher,
  authorUids: readonly string[],
  limit: number,
  properties: readonly PaperProperty[] = paperProperties,
): Promise<CoauthorRecord[]> {
  const rows = await cypher.read<{ authorUid: string; coauthors: CoauthorFold[] }>(
    `UNWIND $authorUids AS authorUid
     MATCH (author:Author {uid: authorUid})
     RETURN authorUid, ${coauthorsExpression('author', properties)} AS coauthors`,
    { authorUids, ...coauthorsParams(limit) },
  );
  return concatenated(rows.map((row) => row.coauthors.map((coauthor) => ({ authorUid: row.authorUid, ...coauthor }))));
}

/** ORCIDs by author uid, in the order asked: null for an author without one (every author from pages). */
export async function orcidsOfAuthors(cypher: Cypher, uids: readonly string[]): Promise<(string | null)[]> {
  const rows = await cypher.read<{ uid: string; orcid: string | null }>('UNWIND $uids AS uid MATCH (a:Author {uid: uid}) RETURN uid, a.orcid AS orcid', { uids });
  const byUid = new Map(rows.map((row) => [row.uid, row.orcid]));
  return uids.map((uid) => byUid.get(uid) ?? null);
}
