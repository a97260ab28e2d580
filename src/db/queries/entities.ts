/**
 * Reads shared by the entities papers are organised by: venues, institutions and topics (written by
 * src/db/queries/load-openalex.ts). Each is its OpenAlex id, which is also its uid. What differs
 * between them (how their papers and authors are reached) comes from the constant `entityKinds`, never
 * from input; values travel as parameters.
 */
import { int } from 'neo4j-driver';
import { luceneQueryOf } from './search.ts';
import type { Cypher } from '../run.ts';
import { authorProjection, type AuthorRecord } from './authors.ts';
import { keysetFragments, keysetParams, type KeysetRow, type PageQuery } from './keyset.ts';
import {
  citationCountOf,
  filterParams,
  paperFilterWhere,
  paperOrderExpression,
  paperProjection,
  paperYearOf,
  type PaperFilter,
  type PaperOrder,
  type PaperRecord,
} from './papers.ts';

export interface VenueRecord {
  uid: string;
  openalexId: string;
  name: string | null;
  type: string | null;
  issnL: string | null;
}

export interface InstitutionRecord {
  uid: string;
  openalexId: string;
  name: string | null;
  country: string | null;
  type: string | null;
  ror: string | null;
}

export interface TopicRecord {
  uid: string;
  openalexId: string;
  name: string | null;
  subfield: string | null;
  field: string | null;
  domain: string | null;
  level: number | null;
}

/**
 * How each kind is read. `papers` binds every paper `p` of the entity bound to `e`, once each; an
 * institution's papers are the works its affiliations name (an AFFILIATED_WITH link carries its work's
 * id), so "the authors of institution X in year Y" is one hop and its papers one hop and a lookup.
 * `authors` binds each author `a` with a paper `p` of theirs that counts for the entity.
 */
export const entityKinds = {
  Venue: {
    label: 'Venue',
    index: 'venue_name_text',
    properties: ['type', 'issnL'],
    papers: (e: string) => `MATCH (${e})<-[:PUBLISHED_IN]-(p:Paper)`,
    paperCount: (e: string) => `COUNT { (${e})<-[:PUBLISHED_IN]-() }`,
    authors: (e: string) => `MATCH (${e})<-[:PUBLISHED_IN]-(p:Paper)<-[:AUTHORED]-(a:Author)`,
  },
  Institution: {
    label: 'Institution',
    index: 'institution_name_text',
    properties: ['country', 'type', 'ror'],
    papers: (e: string) => `MATCH (${e})<-[affiliation:AFFILIATED_WITH]-(:Author) WITH DISTINCT affiliation.work AS work MATCH (p:Paper {openalexId: work})`,
    paperCount: (e: string) => `size(COLLECT { MATCH (${e})<-[affiliation:AFFILIATED_WITH]-() RETURN DISTINCT affiliation.work })`,
    authors: (e: string) => `MATCH (${e})<-[affiliation:AFFILIATED_WITH]-(a:Author) MATCH (p:Paper {openalexId: affiliation.work})`,
  },
  Topic: {
    label: 'Topic',
    index: 'topic_name_text',
    properties: ['subfield', 'field', 'domain', 'level'],
    papers: (e: string) => `MATCH (${e})<-[:HAS_TOPIC]-(p:Paper)`,
    paperCount: (e: string) => `COUNT { (${e})<-[:HAS_TOPIC]-() }`,
    authors: (e: string) => `MATCH (${e})<-[:HAS_TOPIC]-(p:Paper)<-[:AUTHORED]-(a:Author)`,
  },
} as const;
export type EntityKind = keyof typeof entityKinds;

/**
 * The record of the entity bound to `e`: uid is the OpenAlex id. A map literal, not a map projection:
 * inside a COLLECT subquery of a projection, Neo4j 5.26 gave a projection's computed `uid` entry as null.
 */
export const entityProjection = (kind: EntityKind, e: string) => {
  const entries = [`uid: ${e}.openalexId`, ...['openalexId', 'name', ...entityKinds[kind].properties].map((property) => `${property}: ${e}.${property}`)];
  return `{ ${entries.join(', ')} }`;
};

const kindOf = (kind: EntityKind) => {
  if (!Object.hasOwn(entityKinds, kind)) throw new Error('unknown entity kind');
  return entityKinds[kind];
};

/** Entities by OpenAlex id (their uid), in the order asked, null for unknown ids. */
export async function entitiesByIds<T>(cypher: Cypher, kind: EntityKind, ids: readonly string[]): Promise<(T | null)[]> {
  const { label } = kindOf(kind);
  const rows = await cypher.read<{ entity: T & { uid: string } }>(
    `UNWIND $ids AS id MATCH (e:${label} {openalexId: id}) RETURN ${entityProjection(kind, 'e')} AS entity`,
    { ids },
  );
  const byId = new Map(rows.map((row) => [row.entity.uid, row.entity]));
  return ids.map((id) => byId.get(id) ?? null);
}

/** Orderings of a list of entities: by name (a stub's is its id), or by its number of papers. */
export const entityOrders = ['NAME', 'PAPER_COUNT'] as const;
export type EntityOrder = (typeof entityOrders)[number];

/**
 * One keyset page of the entities of a kind, all of them or those whose name matches `search` (words
 * of the name, accents and case folded, through the kind's full-text index).
 */
export async function pageOfEntities<T>(cypher: Cypher, kind: EntityKind, search: string | null, page: PageQuery<EntityOrder>): Promise<KeysetRow<T>[]> {
  const { label, index } = kindOf(kind);
  const { where, orderBy } = keysetFragments(page, 'e.openalexId');
  const sortValue = page.order === 'PAPER_COUNT' ? kindOf(kind).paperCount('e') : 'coalesce(e.name, e.openalexId)';
  const source = search === null ? `MATCH (e:${label})` : `CALL db.index.fulltext.queryNodes('${index}', $search) YIELD node WITH node AS e WHERE e:${label}`;
  return cypher.read<KeysetRow<T>>(
    `${source}
     WITH e, ${sortValue} AS sortValue
     WHERE ${where}
     ORDER BY ${orderBy}
     LIMIT $limitPlusOne
     RETURN ${entityProjection(kind, 'e')} AS node, sortValue`,
    { search: search === null ? null : luceneQueryOf(search), ...keysetParams(page) },
  );
}

export async function countEntities(cypher: Cypher, kind: EntityKind, search: string | null): Promise<number> {
  const { label, index } = kindOf(kind);
  const [row] = await cypher.read<{ total: number }>(
    search === null
      ? `MATCH (e:${label}) RETURN count(e) AS total`
      : `CALL db.index.fulltext.queryNodes('${index}', $search) YIELD node WHERE node:${label} RETURN count(node) AS total`,
    { search: search === null ? null : luceneQueryOf(search) },
  );
  return row?.total ?? 0;
}

export interface ParentPaperPage {
  parentUid: string;
  rows: KeysetRow<PaperRecord>[];
  total: number | null;
}

/**
 * For each entity, one keyset page of its papers that pass the filter, in the order asked, and (when
 * `withTotal`) how many pass: one round-trip for all entities. The filter is the one of `papers`;
 * `projection` is the map each paper `p` is returned as, with `projectionParams` for what it holds
 * (src/db/queries/selection.ts builds both).
 */
export async function paperPagesOfEntities(
  cypher: Cypher,
  kind: EntityKind,
  ids: readonly string[],
  filter: PaperFilter,
  page: PageQuery<PaperOrder>,
  withTotal: boolean,
  projection: string = paperProjection('p'),
  projectionParams: Record<string, unknown> = {},
): Promise<ParentPaperPage[]> {
  const { label, papers } = kindOf(kind);
  const { where, orderBy } = keysetFragments(page, 'p.uid');
  const rows = await cypher.read<ParentPaperPage>(
    `UNWIND $ids AS parentUid
     OPTIONAL MATCH (e:${label} {openalexId: parentUid})
     CALL (e) {
       ${papers('e')}
       WITH p WHERE ${paperFilterWhere(filter)}
       WITH p, ${paperOrderExpression(page.order, 'p')} AS sortValue
       WHERE ${where}
       ORDER BY ${orderBy}
       LIMIT $limitPlusOne
       RETURN collect({ node: ${projection}, sortValue: sortValue }) AS rows
     }
     CALL (e) {
       WITH e WHERE $withTotal
       ${papers('e')}
       WITH p WHERE ${paperFilterWhere(filter)}
       RETURN count(p) AS total
     }
     RETURN parentUid, rows, total`,
    { ids, filter: filterParams(filter), withTotal, ...keysetParams(page), ...projectionParams },
  );
  const byParent = new Map(rows.map((row) => [row.parentUid, row]));
  return ids.map((id) => byParent.get(id) ?? { parentUid: id, rows: [], total: 0 });
}

/** How many papers of an entity pass the filter. */
export async function countPapersOfEntity(cypher: Cypher, kind: EntityKind, id: string, filter: PaperFilter): Promise<number> {
  const { label, papers } = kindOf(kind);
  const [row] = await cypher.read<{ total: number }>(
    `MATCH (e:${label} {openalexId: $id})
     ${papers('e')}
     WITH p WHERE ${paperFilterWhere(filter)}
     RETURN count(p) AS total`,
    { id, filter: filterParams(filter) },
  );
  return row?.total ?? 0;
}

export interface EntityCounts {
  papers: number;
  /** In-graph citations of its papers (the sum of their citationCount). */
  citations: number;
  authors: number;
}

/** For each entity, how many papers and authors it has and how often its papers are cited in the graph. */
export async function countsOfEntities(cypher: Cypher, kind: EntityKind, ids: readonly string[]): Promise<EntityCounts[]> {
  const { label, papers, authors } = kindOf(kind);
  const rows = await cypher.read<EntityCounts & { id: string }>(
    `UNWIND $ids AS id
     OPTIONAL MATCH (e:${label} {openalexId: id})
     CALL (e) {
       ${papers('e')}
       RETURN count(p) AS papers, sum(${citationCountOf('p')}) AS citations
     }
     CALL (e) {
       ${authors('e')}
       RETURN count(DISTINCT a) AS authors
     }
     RETURN id, papers, citations, authors`,
    { ids },
  );
  const byId = new Map(rows.map((row) => [row.id, row]));
  return ids.map((id) => byId.get(id) ?? { papers: 0, citations: 0, authors: 0 });
}

/** An author of an entity's papers, with how many of them are theirs and how often those are cited. */
export interface ContributorRecord {
  author: AuthorRecord;
  papers: number;
  citations: number;
}

export interface ContributorPage {
  parentUid: string;
  rows: (KeysetRow<AuthorRecord> & { papers: number; citations: number })[];
  total: number;
}

export const contributorOrders = { PAPER_COUNT: 'papers', CITATION_COUNT: 'citations' } as const;
export type ContributorOrder = keyof typeof contributorOrders;

/**
 * For each entity, one keyset page of the authors of its papers (for an institution: the authors
 * affiliated with it), most papers (or citations) there first, in the year range when given.
 */
export async function contributorPagesOfEntities(
  cypher: Cypher,
  kind: EntityKind,
  ids: readonly string[],
  years: { from: number | null; to: number | null },
  page: PageQuery<ContributorOrder>,
  projection: string = authorProjection('a'),
  projectionParams: Record<string, unknown> = {},
): Promise<ContributorPage[]> {
  const { label, authors } = kindOf(kind);
  const { where, orderBy } = keysetFragments(page, 'a.uid');
  const rows = await cypher.read<ContributorPage>(
    `UNWIND $ids AS parentUid
     OPTIONAL MATCH (e:${label} {openalexId: parentUid})
     CALL (e) {
       ${authors('e')}
       WITH a, p WHERE ($yearFrom IS NULL OR ${paperYearOf('p')} >= $yearFrom) AND ($yearTo IS NULL OR ${paperYearOf('p')} <= $yearTo)
       WITH DISTINCT a, p
       WITH a, count(p) AS papers, sum(${citationCountOf('p')}) AS citations
       RETURN collect({ a: a, papers: papers, citations: citations }) AS contributors
     }
     CALL (contributors) {
       UNWIND contributors AS entry
       WITH entry.a AS a, entry.papers AS papers, entry.citations AS citations
       WITH a, papers, citations, CASE $order WHEN 'CITATION_COUNT' THEN citations ELSE papers END AS sortValue
       WHERE ${where}
       ORDER BY ${orderBy}
       LIMIT $limitPlusOne
       RETURN collect({ node: ${projection}, sortValue: sortValue, papers: papers, citations: citations }) AS rows
     }
     RETURN parentUid, rows, size(contributors) AS total`,
    {
      ids,
      order: page.order,
      yearFrom: years.from === null ? null : int(years.from),
      yearTo: years.to === null ? null : int(years.to),
      ...keysetParams(page),
      ...projectionParams,
    },
  );
  const byParent = new Map(rows.map((row) => [row.parentUid, row]));
  return ids.map((id) => byParent.get(id) ?? { parentUid: id, rows: [], total: 0 });
}

export interface YearCountRecord {
  year: number;
  /** Papers of the entity published that year. */
  papers: number;
  /** Citations its papers received from papers published that year. */
  citations: number;
}

/** For each entity, its papers and the citations they received, year by year (in the range when given), oldest first. */
export async function yearCountsOfEntities(
  cypher: Cypher,
  kind: EntityKind,
  ids: readonly string[],
  years: { from: number | null; to: number | null },
): Promise<YearCountRecord[][]> {
  const { label, papers } = kindOf(kind);
  const inRange = (year: string) => `${year} IS NOT NULL AND ($yearFrom IS NULL OR ${year} >= $yearFrom) AND ($yearTo IS NULL OR ${year} <= $yearTo)`;
  const rows = await cypher.read<{ id: string; paperYears: { year: number; count: number }[]; citationYears: { year: number; count: number }[] }>(
    `UNWIND $ids AS id
     OPTIONAL MATCH (e:${label} {openalexId: id})
     CALL (e) {
       ${papers('e')}
       WITH ${paperYearOf('p')} AS year, count(p) AS count
       WHERE ${inRange('year')}
       RETURN collect({ year: year, count: count }) AS paperYears
     }
     CALL (e) {
       ${papers('e')}
       MATCH (p)<-[:CITES]-(citing:Paper)
       WITH ${paperYearOf('citing')} AS year, count(*) AS count
       WHERE ${inRange('year')}
       RETURN collect({ year: year, count: count }) AS citationYears
     }
     RETURN id, paperYears, citationYears`,
    { ids, yearFrom: years.from === null ? null : int(years.from), yearTo: years.to === null ? null : int(years.to) },
  );
  const byId = new Map(rows.map((row) => [row.id, row]));
  return ids.map((id) => {
    const row = byId.get(id);
    const byYear = new Map<number, YearCountRecord>();
    const at = (year: number) => byYear.get(year) ?? byYear.set(year, { year, papers: 0, citations: 0 }).get(year)!;
    for (const { year, count } of row?.paperYears ?? []) at(year).papers = count;
    for (const { year, count } of row?.citationYears ?? []) at(year).citations = count;
    return [...byYear.values()].sort((a, b) => a.year - b.year);
  });
}
