import { int } from 'neo4j-driver';
import type { Cypher } from '../run.ts';
import { keysetFragments, keysetPageExpression, keysetParams, type KeysetRow, type PageQuery } from './keyset.ts';
import type { Fragment, NodeSelection } from './selection.ts';

export interface PaperRecord {
  uid: string;
  /** Null for a paper known only from OpenAlex whose title another paper already holds (seed/openalex/). */
  titleKey: string | null;
  arxivId: string | null;
  version: number | null;
  url: string | null;
  title: string;
  titleJa: string | null;
  abstract: string | null;
  abstractJa: string | null;
  summaryJa: string | null;
  /** Epoch milliseconds (see paperProjection); the DateTime scalar writes it as an ISO string. */
  publishedAt: number | null;
  status: string | null;
  /** Epoch milliseconds, as publishedAt. */
  siteUpdatedAt: number | null;
  score: number | null;
  license: string | null;
  sourceFile: string | null;
  sourceHash: string | null;
  /** From an OpenAlex work (seed/openalex/); null for papers known only from summary pages. */
  openalexId: string | null;
  doi: string | null;
  openalexCitedByCount: number | null;
  publicationYear: number | null;
  workType: string | null;
  venue: string | null;
  /** Written by `npm run analyze` (src/analytics/): PageRank, its rank from 1, the share of papers below it; null before any analysis. */
  influence: number | null;
  influenceRank: number | null;
  influencePercentile: number | null;
  /** The uid of the paper's research community (a Community node), from the last analysis. */
  communityId: string | null;
  /** Derived from the properties the loaders leave on the node (paperKindOf), not stored. */
  kind: PaperKind;
}

/**
 * What a paper node is known from. PAGE: a summary page of its own (sourceHash). WORK: an OpenAlex
 * work was imported for it (openalexHash). REFERENCE_STUB: only an OpenAlex id that a work cites or
 * lists as related (its title is that id). RELATED_ENTRY: only a page's related list (title, date, summary).
 */
export const paperKinds = ['PAGE', 'WORK', 'RELATED_ENTRY', 'REFERENCE_STUB'] as const;
export type PaperKind = (typeof paperKinds)[number];

/** The kind of the paper bound to `paper`, from the marks seed.ts and the OpenAlex import write. */
export const paperKindOf = (paper: string) =>
  `CASE WHEN ${paper}.sourceHash IS NOT NULL THEN 'PAGE' WHEN ${paper}.openalexHash IS NOT NULL THEN 'WORK' WHEN ${paper}.openalexId IS NOT NULL THEN 'REFERENCE_STUB' ELSE 'RELATED_ENTRY' END`;

/** A condition on the paper bound to `paper`: its kind is one of the list parameter `kinds` (any kind when that is null). */
export const paperKindIn = (paper: string, kinds: string) => `(${kinds} IS NULL OR ${paperKindOf(paper)} IN ${kinds})`;

/** Kinds of papers that rankings (co-citation, coupling, recommendations) list unless asked otherwise: no bare OpenAlex ids. */
export const rankedPaperKinds: readonly PaperKind[] = ['PAGE', 'WORK', 'RELATED_ENTRY'];

/** Every property a PaperRecord carries. Projections pick from this list, never from input. */
export const paperProperties = [
  'uid',
  'titleKey',
  'arxivId',
  'version',
  'url',
  'title',
  'titleJa',
  'abstract',
  'abstractJa',
  'summaryJa',
  'publishedAt',
  'status',
  'siteUpdatedAt',
  'score',
  'license',
  'sourceFile',
  'sourceHash',
  'openalexId',
  'doi',
  'openalexCitedByCount',
  'publicationYear',
  'workType',
  'venue',
  'kind',
  'influence',
  'influenceRank',
  'influencePercentile',
  'communityId',
] as const satisfies readonly (keyof PaperRecord)[];
export type PaperProperty = (typeof paperProperties)[number];

/**
 * The properties of a Paper node as a map: all of them, or the uid and those given, then `entries`
 * (a compiled selection's children, src/db/queries/selection.ts). A request asks for the properties its
 * selection reads (src/graphql/lib/compile.ts): two abstracts are most of a paper's bytes, and most
 * selections leave them out. Such a record is partial: it is handed only to the fields it was fetched
 * for, never cached for others.
 */
export function paperProjection(variable: string, properties: readonly PaperProperty[] = paperProperties, entries: readonly string[] = []): string {
  const chosen = paperProperties.filter((property) => property === 'uid' || properties.includes(property));
  const own = chosen.map((property) =>
    property === 'kind'
      ? `kind: ${paperKindOf(variable)}`
      : instantProperties.has(property)
        ? `${property}: ${epochMillisOf(`${variable}.${property}`)}`
        : `.${property}`,
  );
  return `${variable} { ${[...own, ...entries].join(', ')} }`;
}

/**
 * Instants leave Neo4j as epoch milliseconds, not as DateTime values: neo4j-driver turns each DateTime
 * into calendar fields with its 64-bit Integer arithmetic, a large share of the driver's CPU for a page
 * of papers (a number costs next to nothing).
 */
const instantProperties: ReadonlySet<PaperProperty> = new Set(['publishedAt', 'siteUpdatedAt']);

/** A value of any other type (written by hand, say) passes unchanged, to fail at its field alone. */
const epochMillisOf = (expression: string) => `CASE WHEN ${expression} IS :: ZONED DATETIME THEN ${expression}.epochMillis ELSE ${expression} END`;

/**
 * How many papers cite the paper bound to `paper`. The citing node's label is left out: every CITES runs
 * from a Paper (src/db/queries/citations.ts creates them), and without the label Neo4j reads the count
 * from the node's degree instead of visiting every citer, so ordering by it does not grow with the store.
 */
export const citationCountOf = (paper: string) => `COUNT { (${paper})<-[:CITES]-() }`;

/** Orderings of papers: each maps to a non-null sort expression over a paper (nulls sort as the lowest value). */
const paperOrderOf = {
  PUBLISHED_AT: (p: string) => `coalesce(${p}.publishedAt.epochMillis, -100000000000000)`,
  SCORE: (p: string) => `coalesce(${p}.score, -1.0)`,
  TITLE: (p: string) => `${p}.title`,
  RELATED_COUNT: (p: string) => `COUNT { (${p})-[:RELATED_TO]-() }`,
  CITATION_COUNT: (p: string) => citationCountOf(p),
  // Papers not analysed yet sort below every analysed one (PageRank is positive).
  INFLUENCE: (p: string) => `coalesce(${p}.influence, -1.0)`,
} as const;
export type PaperOrder = keyof typeof paperOrderOf;

/** The sort expression of an ordering over the paper bound to `variable`; orderings come from the list above only. */
export function paperOrderExpression(order: PaperOrder, variable: string): string {
  if (!Object.hasOwn(paperOrderOf, order)) throw new Error('unknown paper order');
  return paperOrderOf[order](variable);
}

export interface PaperFilter {
  titleContains?: string | null;
  authorUid?: string | null;
  authorNameContains?: string | null;
  publishedAfter?: string | null;
  publishedBefore?: string | null;
  minScore?: number | null;
  status?: string | null;
  hasAbstract?: boolean | null;
  kinds?: readonly PaperKind[] | null;
  isStub?: boolean | null;
  /** OpenAlex ids of a venue, an institution (of one of the paper's authorships) and a topic. */
  venue?: string | null;
  institution?: string | null;
  topic?: string | null;
  /** Publication year range, both ends included: the work's year, or a page's date. */
  yearFrom?: number | null;
  yearTo?: number | null;
  workType?: string | null;
  /** The uid of a Community: papers the last analysis placed in it. */
  communityUid?: string | null;
}

/** The year of the paper bound to `paper`: OpenAlex's publication year, or the year of its date. */
export const paperYearOf = (paper: string) => `coalesce(${paper}.publicationYear, ${paper}.publishedAt.year)`;

/** One condition per filter field; a query holds only those of the fields given, so indexes can serve them. */
const paperFilterConditions: Record<keyof PaperFilter, string> = {
  titleContains: 'toLower(p.title) CONTAINS toLower($filter.titleContains)',
  authorUid: 'EXISTS { (:Author {uid: $filter.authorUid})-[:AUTHORED]->(p) }',
  authorNameContains: 'EXISTS { (author:Author)-[:AUTHORED]->(p) WHERE toLower(author.name) CONTAINS toLower($filter.authorNameContains) }',
  publishedAfter: 'p.publishedAt >= datetime($filter.publishedAfter)',
  publishedBefore: 'p.publishedAt < datetime($filter.publishedBefore)',
  minScore: 'p.score >= $filter.minScore',
  status: 'p.status = $filter.status',
  hasAbstract: '(p.abstract IS NOT NULL) = $filter.hasAbstract',
  kinds: paperKindIn('p', '$filter.kinds'),
  isStub: `(${paperKindOf('p')} = 'REFERENCE_STUB') = $filter.isStub`,
  venue: 'EXISTS { (p)-[:PUBLISHED_IN]->(:Venue {openalexId: $filter.venue}) }',
  institution: 'EXISTS { (p)<-[:AUTHORED]-(:Author)-[:AFFILIATED_WITH {work: p.openalexId}]->(:Institution {openalexId: $filter.institution}) }',
  topic: 'EXISTS { (p)-[:HAS_TOPIC]->(:Topic {openalexId: $filter.topic}) }',
  yearFrom: `${paperYearOf('p')} >= $filter.yearFrom`,
  yearTo: `${paperYearOf('p')} <= $filter.yearTo`,
  workType: 'p.workType = $filter.workType',
  communityUid: 'p.communityId = $filter.communityUid',
};

export function paperFilterWhere(filter: PaperFilter): string {
  const given = (Object.keys(paperFilterConditions) as (keyof PaperFilter)[]).filter((field) => filter[field] != null);
  return given.length === 0 ? 'true' : given.map((field) => paperFilterConditions[field]).join(' AND ');
}

/**
 * Orders a range index can deliver: the indexed property, the sortValue of a paper that has it, the
 * sortValue of one that has not (paperOrderOf's null value, below every other) and the
 * filter fields that leave out papers without it.
 */
const indexedPaperOrders: Partial<
  Record<PaperOrder, { property: string; value: string; nullValue: string; bound: string; excludesNull: (keyof PaperFilter)[] }>
> = {
  PUBLISHED_AT: {
    property: 'p.publishedAt',
    value: 'p.publishedAt.epochMillis',
    nullValue: '-100000000000000',
    bound: 'datetime({ epochMillis: toInteger($keyset.value) })',
    excludesNull: ['publishedAfter', 'publishedBefore'],
  },
};

export function filterParams(filter: PaperFilter): Record<string, unknown> {
  return {
    titleContains: filter.titleContains ?? null,
    authorUid: filter.authorUid ?? null,
    authorNameContains: filter.authorNameContains ?? null,
    publishedAfter: filter.publishedAfter ?? null,
    publishedBefore: filter.publishedBefore ?? null,
    minScore: filter.minScore ?? null,
    status: filter.status ?? null,
    hasAbstract: filter.hasAbstract ?? null,
    kinds: filter.kinds ?? null,
    isStub: filter.isStub ?? null,
    venue: filter.venue ?? null,
    institution: filter.institution ?? null,
    topic: filter.topic ?? null,
    yearFrom: filter.yearFrom == null ? null : int(filter.yearFrom),
    yearTo: filter.yearTo == null ? null : int(filter.yearTo),
    workType: filter.workType ?? null,
    communityUid: filter.communityUid ?? null,
  };
}

/** Papers by uid, in the order asked, null for unknown uids. */
export async function papersByUids(cypher: Cypher, uids: readonly string[]): Promise<(PaperRecord | null)[]> {
  const rows = await cypher.read<{ paper: PaperRecord }>(`UNWIND $uids AS uid MATCH (p:Paper {uid: uid}) RETURN ${paperProjection('p')} AS paper`, { uids });
  const byUid = new Map(rows.map((row) => [row.paper.uid, row.paper]));
  return uids.map((uid) => byUid.get(uid) ?? null);
}

/** Properties a paper can be looked up by, besides its uid. A DOI may name several papers: the lowest uid is taken. */
export const paperLookupProperties = ['arxivId', 'doi', 'openalexId'] as const;
export type PaperLookupProperty = (typeof paperLookupProperties)[number];

/** Papers by arXiv id, DOI or OpenAlex id, in the order asked, null for unknown values. */
export async function papersByProperty(cypher: Cypher, property: PaperLookupProperty, values: readonly string[]): Promise<(PaperRecord | null)[]> {
  if (!paperLookupProperties.includes(property)) throw new Error('unknown lookup property');
  const rows = await cypher.read<{ value: string; paper: PaperRecord }>(
    `UNWIND $values AS value
     CALL (value) { MATCH (p:Paper {${property}: value}) RETURN p ORDER BY p.uid LIMIT 1 }
     RETURN value, ${paperProjection('p')} AS paper`,
    { values },
  );
  const byValue = new Map(rows.map((row) => [row.value, row.paper]));
  return values.map((value) => byValue.get(value) ?? null);
}

/**
 * One keyset page of the papers that pass the filter. `projection` is the map each paper `p` is
 * returned as, with `params` for what it holds (src/db/queries/selection.ts builds both).
 */
export async function pageOfPapers(
  cypher: Cypher,
  filter: PaperFilter,
  page: PageQuery<PaperOrder>,
  projection: string = paperProjection('p'),
  projectionParams: Record<string, unknown> = {},
): Promise<KeysetRow<PaperRecord>[]> {
  const { where, orderBy } = keysetFragments(page, 'p.uid');
  const indexed = indexedPaperOrders[page.order];
  if (!indexed) {
    return cypher.read<KeysetRow<PaperRecord>>(
      `MATCH (p:Paper)
       WHERE ${paperFilterWhere(filter)}
       WITH p, ${paperOrderExpression(page.order, 'p')} AS sortValue
       WHERE ${where}
       ORDER BY ${orderBy}
       LIMIT $limitPlusOne
       RETURN ${projection} AS node, sortValue`,
      { filter: filterParams(filter), ...keysetParams(page), ...projectionParams },
    );
  }
  // The papers that have the property are read from its index in page order, so a page costs its own
  // rows, not the whole label. Those without it (sorting lowest) come from a label scan, run only when
  // the page can reach them. Both parts are then merged in the same keyset order as any other page.
  const descending = (page.direction === 'DESC') !== page.backward;
  const dir = descending ? 'DESC' : 'ASC';
  const cursorAtNulls = page.after !== null && page.after.value === Number(indexed.nullValue);
  const valuesReachable = !(descending && cursorAtNulls);
  const seek = page.after === null || cursorAtNulls ? '' : `AND ${indexed.property} ${descending ? '<=' : '>='} ${indexed.bound}`;
  const nullsReachable = !indexed.excludesNull.some((field) => filter[field] != null) && (descending || page.after === null || cursorAtNulls);
  const params = { filter: filterParams(filter), ...keysetParams(page), ...projectionParams };
  const withValueInOrder = `MATCH (p:Paper)
       WHERE ${indexed.property} IS NOT NULL ${seek} AND ${paperFilterWhere(filter)}
       WITH p, ${indexed.value} AS sortValue
       WHERE ${where}
       WITH p, sortValue ORDER BY ${indexed.property} ${dir}, p.uid ${dir}
       LIMIT $limitPlusOne`;
  if (!nullsReachable) {
    // Only papers that have the property can be on the page: that read alone, without the merge's cost.
    return cypher.read<KeysetRow<PaperRecord>>(
      `${withValueInOrder}
       RETURN ${projection} AS node, sortValue`,
      params,
    );
  }
  return cypher.read<KeysetRow<PaperRecord>>(
    `CALL () {
       ${
         valuesReachable
           ? `${withValueInOrder}
       RETURN collect(p) AS withValue`
           : 'RETURN [] AS withValue'
       }
     }
     CALL (withValue) {
       UNWIND CASE WHEN ${!descending} OR size(withValue) < $limitPlusOne THEN [true] ELSE [] END AS needed
       MATCH (p:Paper)
       WHERE ${indexed.property} IS NULL AND ${paperFilterWhere(filter)}
       WITH p, ${indexed.nullValue} AS sortValue
       WHERE ${where}
       WITH p ORDER BY p.uid ${dir}
       LIMIT $limitPlusOne
       RETURN collect(p) AS withoutValue
     }
     UNWIND withValue + withoutValue AS p
     WITH p, ${paperOrderExpression(page.order, 'p')} AS sortValue
     ORDER BY ${orderBy}
     LIMIT $limitPlusOne
     RETURN ${projection} AS node, sortValue`,
    params,
  );
}

export async function countPapersMatching(cypher: Cypher, filter: PaperFilter): Promise<number> {
  const [row] = await cypher.read<{ total: number }>(`MATCH (p:Paper) WHERE ${paperFilterWhere(filter)} RETURN count(p) AS total`, {
    filter: filterParams(filter),
  });
  return row?.total ?? 0;
}

export interface RelatedEdgeRecord {
  /** Null for a link from OpenAlex's related_works, which carries no score (nor rank). */
  score: number | null;
  rank: number | null;
}

export interface ParentPage<T> {
  parentUid: string;
  rows: (KeysetRow<T> & RelatedEdgeRecord)[];
  total: number;
}

/**
 * Where a RELATED_TO link came from: a summary page's related list (scored, ranked) or an OpenAlex
 * work's related_works (no score). The score tells them apart: seed.ts writes it on every page link.
 */
export const relatedSources = ['SUMMARY_PAGE', 'OPENALEX'] as const;
export type RelatedSource = (typeof relatedSources)[number];

/**
 * Orderings of a paper's related lists: outgoing by the page's rank, incoming by similarity score;
 * unscored links (OpenAlex's) come after the scored ones, by uid. The sort values stay numbers for the cursor.
 */
const relatedDirections = {
  outgoing: {
    pattern: (parent: string, r: string, q: string) => `(${parent})-[${r}:RELATED_TO]->(${q}:Paper)`,
    sortValue: (r: string) => `CASE WHEN ${r}.score IS NULL THEN 2147483647 ELSE coalesce(${r}.rank, 0) END`,
  },
  incoming: {
    pattern: (parent: string, r: string, q: string) => `(${parent})<-[${r}:RELATED_TO]-(${q}:Paper)`,
    sortValue: (r: string) => `coalesce(-${r}.score, 1.0e15)`,
  },
} as const;
export type RelatedDirection = keyof typeof relatedDirections;

/** A related link `r` passes the `minScore` (never an unscored one) and `source` conditions, each when given. */
const relatedLinkWhere = (r: string, minScore: string, source: string) =>
  `(${minScore} IS NULL OR ${r}.score >= ${minScore}) AND (${source} IS NULL OR (${r}.score IS NULL) = (${source} = 'OPENALEX'))`;

export interface RelatedPageInput {
  direction: RelatedDirection;
  minScore: number | null;
  source: RelatedSource | null;
  page: PageQuery;
  /** What each related paper's fields read. */
  node: NodeSelection;
  /** Whether to count them all (only when totalCount is selected). */
  total: boolean;
}

/**
 * One keyset page of the related papers of a bound paper (outgoing: its own list, by rank; incoming:
 * the papers that list it, by score) with each edge's score and rank, and how many there are when asked:
 * `{ rows, total }`.
 */
export const relatedPageFragment: Fragment<RelatedPageInput> = {
  expression: (parent, input, scope) => {
    const { pattern, sortValue } = relatedDirections[input.direction];
    const [q, r] = [scope.variable(), scope.variable()];
    const links = relatedLinkWhere(r, scope.param(input.minScore), scope.param(input.source));
    const rows = keysetPageExpression(scope, input.page, {
      match: pattern(parent, r, q),
      where: links,
      node: q,
      carry: [r],
      sortValue: sortValue(r),
      row: `node: ${scope.project(q, input.node)}, score: ${r}.score, rank: ${r}.rank`,
    });
    const total = input.total ? `, total: COUNT { MATCH ${pattern(parent, r, q)} WHERE ${links} }` : '';
    return `{ rows: ${rows}${total} }`;
  },
};

/** The number of related links of a bound paper, in either direction. */
export const relatedCountFragment: Fragment<null> = {
  expression: (paper) => `COUNT { (${paper})-[:RELATED_TO]-() }`,
};

export async function relatedCountsOfPapers(cypher: Cypher, uids: readonly string[]): Promise<number[]> {
  const rows = await cypher.read<{ uid: string; count: number }>(
    `UNWIND $uids AS uid
     OPTIONAL MATCH (p:Paper {uid: uid})
     RETURN uid, COUNT { (p)-[:RELATED_TO]-() } AS count`,
    { uids },
  );
  const byUid = new Map(rows.map((row) => [row.uid, row.count]));
  return uids.map((uid) => byUid.get(uid) ?? 0);
}
