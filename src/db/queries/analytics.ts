import { int } from 'neo4j-driver';
import type { Cypher } from '../run.ts';
import { readGraphStats } from './stats.ts';
import { authorProjection, type AuthorRecord } from './authors.ts';
import { keysetFragments, keysetParams, type KeysetRow, type PageQuery } from './keyset.ts';
import { paperKindOf, paperOrderExpression, paperProjection, paperProperties, type PaperProperty, type PaperRecord } from './papers.ts';

/*
 * The graph analytics (src/analytics/): what `npm run analyze` reads out of Neo4j, what it writes back,
 * and what the API reads of it. Papers carry influence, influenceRank, influencePercentile and
 * communityId; (:Community) nodes and NEIGHBOUR_OF links describe the communities; SIMILAR_TO links hold
 * each paper's most similar papers; one (:AnalyticsRun) node records the last run.
 */

// ---------------------------------------------------------------------------------------------------
// Reading the graph out (the analyze command)
// ---------------------------------------------------------------------------------------------------

export interface AnalyticsCounts {
  papers: number;
  authors: number;
  citations: number;
  relatedEdges: number;
  authorships: number;
}

/** Read from the count store (src/db/queries/stats.ts), so the command can refuse a graph too large before reading any of it. */
export async function readAnalyticsCounts(cypher: Cypher): Promise<AnalyticsCounts> {
  const { papers, authors, citations, relatedEdges, authorships } = await readGraphStats(cypher);
  return { papers, authors, citations, relatedEdges, authorships };
}

export interface PaperNodeRow {
  /** Neo4j's internal id: only used within one run, to read relationships compactly. */
  id: number;
  uid: string;
  /** The title, or null for a cited work known only by its OpenAlex id (its title is that id). */
  title: string | null;
  titleJa: string | null;
  communityId: string | null;
}

/**
 * One page of papers in uid order, after `after`: a range seek on the uid index, which also gives the
 * order (`$after IS NULL OR …` would scan and sort every paper for each page).
 */
export async function paperNodesAfter(cypher: Cypher, after: string | null, limit: number): Promise<PaperNodeRow[]> {
  return cypher.read<PaperNodeRow>(
    `MATCH (p:Paper) WHERE p.uid > coalesce($after, '')
     WITH p ORDER BY p.uid LIMIT $limit
     RETURN id(p) AS id, p.uid AS uid,
       CASE WHEN ${paperKindOf('p')} = 'REFERENCE_STUB' THEN null ELSE p.title END AS title,
       p.titleJa AS titleJa, p.communityId AS communityId`,
    { after, limit: int(limit) },
  );
}

export interface AuthorNodeRow {
  id: number;
  uid: string;
}

export async function authorNodesAfter(cypher: Cypher, after: string | null, limit: number): Promise<AuthorNodeRow[]> {
  return cypher.read<AuthorNodeRow>(
    `MATCH (a:Author) WHERE a.uid > coalesce($after, '')
     WITH a ORDER BY a.uid LIMIT $limit
     RETURN id(a) AS id, a.uid AS uid`,
    { after, limit: int(limit) },
  );
}

export interface PaperLinksRow {
  id: number;
  /** Internal ids of the papers it cites. */
  cites: number[];
  /** [internal id, score or null] of the papers it lists as related. */
  related: [number, number | null][];
  /** Internal ids of its authors. */
  authors: number[];
}

/**
 * The outgoing links of a batch of papers, by internal id: each relationship read once, from its start.
 * The far ends' labels are not checked (that would read each of their node records): the caller keeps
 * only the ids it read as papers or authors, and drops a paper's links to itself.
 */
export async function linksOfPapers(cypher: Cypher, ids: readonly number[]): Promise<PaperLinksRow[]> {
  return cypher.read<PaperLinksRow>(
    `UNWIND $ids AS id
     MATCH (p:Paper) WHERE id(p) = id
     RETURN id,
       COLLECT { MATCH (p)-[:CITES]->(q) RETURN id(q) } AS cites,
       COLLECT { MATCH (p)-[r:RELATED_TO]->(q) RETURN [id(q), r.score] } AS related,
       COLLECT { MATCH (a)-[:AUTHORED]->(p) RETURN id(a) } AS authors`,
    { ids: ids.map((id) => int(id)) },
  );
}

// ---------------------------------------------------------------------------------------------------
// Writing the results back
// ---------------------------------------------------------------------------------------------------

/*
 * The writes name nodes by the internal ids the run read them with (src/analytics/graph-data.ts): a
 * lookup by id is a direct seek where a uid is an index lookup, and the ids travel as plain numbers
 * (toInteger in Cypher), not as the driver's Integer objects. A node deleted and its id reused between
 * the read and the write would be missed or misnamed, hence the label check; the next run corrects it.
 */

/** [internal id, influence, rank, percentile, communityId or null] */
export type PaperResultRow = [number, number, number, number, string | null];

export async function writePaperResults(cypher: Cypher, rows: readonly PaperResultRow[]): Promise<void> {
  await cypher.write(
    `UNWIND $rows AS row
     MATCH (p:Paper) WHERE id(p) = toInteger(row[0])
     SET p.influence = row[1], p.influenceRank = row[2], p.influencePercentile = row[3], p.communityId = row[4]`,
    { rows },
  );
}

/** [internal id, influence, rank, percentile] */
export type AuthorResultRow = [number, number, number, number];

export async function writeAuthorResults(cypher: Cypher, rows: readonly AuthorResultRow[]): Promise<void> {
  await cypher.write(
    `UNWIND $rows AS row
     MATCH (a:Author) WHERE id(a) = toInteger(row[0])
     SET a.influence = row[1], a.influenceRank = row[2], a.influencePercentile = row[3]`,
    { rows },
  );
}

/**
 * The similar papers of one paper: its internal id, then, in parallel lists, the similar papers' internal
 * ids, scores and shared references, citers and authors. One row a paper rather than a row a link, so
 * that Neo4j finds each paper once and reads no map per link.
 */
export type SimilarRow = [number, number[], number[], number[], number[], number[]];

/** Replaces the SIMILAR_TO links of a batch of papers (a row with empty lists only removes the old ones). */
export async function writeSimilar(cypher: Cypher, rows: readonly SimilarRow[]): Promise<void> {
  await cypher.write(
    `UNWIND $rows AS row
     MATCH (p:Paper) WHERE id(p) = toInteger(row[0])
     CALL (p) {
       MATCH (p)-[old:SIMILAR_TO]->()
       DELETE old
     }
     WITH p, row
     UNWIND range(0, size(row[1]) - 1) AS i
     MATCH (q:Paper) WHERE id(q) = toInteger(row[1][i])
     CREATE (p)-[:SIMILAR_TO {score: row[2][i], sharedReferences: toInteger(row[3][i]), sharedCiters: toInteger(row[4][i]), sharedAuthors: toInteger(row[5][i])}]->(q)`,
    { rows },
  );
}

export interface CommunityRow {
  uid: string;
  size: number;
  label: string;
  terms: string[];
  /** Sum of its papers' influence. */
  influence: number;
  neighbours: { uid: string; weight: number }[];
}

/** Writes the communities of a run and removes those it no longer has, with their links. */
export async function writeCommunities(cypher: Cypher, communities: readonly CommunityRow[], runAt: string): Promise<void> {
  for (let start = 0; start < communities.length; start += 2_000) {
    await cypher.write(
      `UNWIND $rows AS row
       MERGE (c:Community {uid: row.uid})
       SET c.size = row.size, c.label = row.label, c.terms = row.terms, c.influence = row.influence, c.analyzedAt = datetime($runAt)`,
      { rows: communities.slice(start, start + 2_000).map(({ neighbours: _n, ...row }) => ({ ...row, size: int(row.size) })), runAt },
    );
  }
  await deleteInBatches(cypher, `MATCH (c:Community) WHERE c.analyzedAt <> datetime($runAt) WITH c LIMIT 5000 DETACH DELETE c RETURN count(*) AS n`, { runAt });
  await deleteInBatches(cypher, `MATCH (:Community)-[r:NEIGHBOUR_OF]->(:Community) WITH r LIMIT 10000 DELETE r RETURN count(*) AS n`);
  const links = communities.flatMap((community) => community.neighbours.map((n) => ({ from: community.uid, to: n.uid, weight: n.weight })));
  for (let start = 0; start < links.length; start += 5_000) {
    await cypher.write(
      `UNWIND $links AS link
       MATCH (a:Community {uid: link.from}), (b:Community {uid: link.to})
       CREATE (a)-[:NEIGHBOUR_OF {weight: link.weight}]->(b)`,
      { links: links.slice(start, start + 5_000) },
    );
  }
}

/** Papers whose community the run no longer knows (they lost all their links, or were not read) lose it. */
export async function clearStaleCommunityIds(cypher: Cypher, runAt: string): Promise<void> {
  await deleteInBatches(
    cypher,
    `MATCH (p:Paper) WHERE p.communityId IS NOT NULL AND NOT EXISTS { MATCH (c:Community {uid: p.communityId}) WHERE c.analyzedAt = datetime($runAt) }
     WITH p LIMIT 10000 REMOVE p.communityId RETURN count(*) AS n`,
    { runAt },
  );
}

async function deleteInBatches(cypher: Cypher, query: string, params: Record<string, unknown> = {}): Promise<void> {
  for (;;) {
    const [row] = await cypher.write<{ n: number }>(query, params);
    if (!row || row.n === 0) return;
  }
}

export interface AnalyticsRunRecord {
  ranAt: string;
  durationMs: number;
  papers: number;
  authors: number;
  citations: number;
  relatedEdges: number;
  authorships: number;
  /** What influence was computed over: CITES, or RELATED_TO where the graph has no citations. */
  influenceOver: string;
  communities: number;
  similarLinks: number;
  /** Paper–paper links of the community graph. */
  links: number;
}

export async function writeAnalyticsRun(cypher: Cypher, run: AnalyticsRunRecord): Promise<void> {
  await cypher.write(
    `MERGE (r:AnalyticsRun {key: 'latest'})
     SET r += $run, r.ranAt = datetime($run.ranAt)`,
    {
      run: {
        ...run,
        durationMs: int(run.durationMs),
        papers: int(run.papers),
        authors: int(run.authors),
        citations: int(run.citations),
        relatedEdges: int(run.relatedEdges),
        authorships: int(run.authorships),
        communities: int(run.communities),
        similarLinks: int(run.similarLinks),
        links: int(run.links),
      },
    },
  );
}

/** Indexes the analytics' reads use: idempotent, run by the command before it writes. */
export const analyticsSchemaStatements = [
  'CREATE CONSTRAINT community_uid IF NOT EXISTS FOR (c:Community) REQUIRE c.uid IS UNIQUE',
  'CREATE INDEX paper_community IF NOT EXISTS FOR (p:Paper) ON (p.communityId)',
  'CREATE INDEX paper_influence IF NOT EXISTS FOR (p:Paper) ON (p.influence)',
  'CREATE INDEX community_size IF NOT EXISTS FOR (c:Community) ON (c.size)',
];

export async function ensureAnalyticsSchema(cypher: Cypher): Promise<void> {
  for (const statement of analyticsSchemaStatements) await cypher.write(statement);
}

// ---------------------------------------------------------------------------------------------------
// The API's reads
// ---------------------------------------------------------------------------------------------------

export interface InfluenceRecord {
  score: number;
  rank: number;
  percentile: number;
}

/** Influence of papers or authors by uid, in the order asked; null for those not analysed. */
export async function influenceOf(cypher: Cypher, label: 'Paper' | 'Author', uids: readonly string[]): Promise<(InfluenceRecord | null)[]> {
  const rows = await cypher.read<{ uid: string; influence: InfluenceRecord | null }>(
    `UNWIND $uids AS uid
     MATCH (n:${label === 'Paper' ? 'Paper' : 'Author'} {uid: uid})
     RETURN uid, CASE WHEN n.influence IS NULL THEN null ELSE { score: n.influence, rank: n.influenceRank, percentile: n.influencePercentile } END AS influence`,
    { uids },
  );
  const byUid = new Map(rows.map((row) => [row.uid, row.influence]));
  return uids.map((uid) => byUid.get(uid) ?? null);
}

export interface CommunityRecord {
  uid: string;
  size: number;
  label: string;
  terms: string[];
  influence: number;
}

const communityProjection = (variable: string) => `${variable} { .uid, .size, .label, .terms, .influence }`;

export async function communitiesByUids(cypher: Cypher, uids: readonly string[]): Promise<(CommunityRecord | null)[]> {
  const rows = await cypher.read<{ community: CommunityRecord }>(
    `UNWIND $uids AS uid MATCH (c:Community {uid: uid}) RETURN ${communityProjection('c')} AS community`,
    { uids },
  );
  const byUid = new Map(rows.map((row) => [row.community.uid, row.community]));
  return uids.map((uid) => byUid.get(uid) ?? null);
}

/** The community of each paper, in the order asked; null for a paper in none. */
export async function communitiesOfPapers(cypher: Cypher, paperUids: readonly string[]): Promise<(CommunityRecord | null)[]> {
  const rows = await cypher.read<{ uid: string; community: CommunityRecord }>(
    `UNWIND $uids AS uid
     MATCH (p:Paper {uid: uid})
     MATCH (c:Community {uid: p.communityId})
     RETURN uid, ${communityProjection('c')} AS community`,
    { uids: paperUids },
  );
  const byUid = new Map(rows.map((row) => [row.uid, row.community]));
  return paperUids.map((uid) => byUid.get(uid) ?? null);
}

export const communityOrderExpressions = {
  SIZE: 'c.size',
  INFLUENCE: 'c.influence',
  LABEL: 'c.label',
} as const;
export type CommunityOrder = keyof typeof communityOrderExpressions;

export async function pageOfCommunities(cypher: Cypher, page: PageQuery<CommunityOrder>): Promise<KeysetRow<CommunityRecord>[]> {
  const { where, orderBy } = keysetFragments(page, 'c.uid');
  return cypher.read<KeysetRow<CommunityRecord>>(
    `MATCH (c:Community)
     WITH c, ${communityOrderExpressions[page.order]} AS sortValue
     WHERE ${where}
     ORDER BY ${orderBy}
     LIMIT $limitPlusOne
     RETURN ${communityProjection('c')} AS node, sortValue`,
    keysetParams(page),
  );
}

export async function countCommunities(cypher: Cypher): Promise<number> {
  const [row] = await cypher.read<{ total: number }>('MATCH (c:Community) RETURN count(c) AS total');
  return row?.total ?? 0;
}

export interface ParentPaperPage {
  parentUid: string;
  rows: KeysetRow<PaperRecord>[];
  total: number;
}

/** For each community, one keyset page of its papers by influence: one round-trip for all. */
export async function paperPagesOfCommunities(
  cypher: Cypher,
  communityUids: readonly string[],
  page: PageQuery,
  properties: readonly PaperProperty[] = paperProperties,
): Promise<ParentPaperPage[]> {
  const { where, orderBy, limit } = keysetFragments(page, 'p.uid', 'members');
  return cypher.read<ParentPaperPage>(
    `UNWIND $uids AS parentUid
     MATCH (c:Community {uid: parentUid})
     RETURN parentUid, c.size AS total, COLLECT {
       MATCH (p:Paper {communityId: parentUid})
       WITH p, ${paperOrderExpression('INFLUENCE', 'p')} AS sortValue
       WHERE ${where}
       ORDER BY ${orderBy}
       LIMIT ${limit}
       RETURN { node: ${paperProjection('p', properties)}, sortValue: sortValue }
     } AS rows`,
    { uids: communityUids, ...keysetParams(page, 'members') },
  );
}

export interface CommunityAuthorRecord {
  communityUid: string;
  author: AuthorRecord;
  paperCount: number;
  influence: number;
}

/** Each community's authors with the most influence from their papers in it. */
export async function topAuthorsOfCommunities(cypher: Cypher, communityUids: readonly string[], limit: number): Promise<CommunityAuthorRecord[]> {
  return cypher.read<CommunityAuthorRecord>(
    `UNWIND $uids AS communityUid
     CALL (communityUid) {
       MATCH (p:Paper {communityId: communityUid})<-[:AUTHORED]-(a:Author)
       WITH a, count(p) AS paperCount, sum(coalesce(p.influence, 0.0)) AS influence
       ORDER BY influence DESC, paperCount DESC, a.uid
       LIMIT $limit
       RETURN ${authorProjection('a')} AS author, paperCount, influence
     }
     RETURN communityUid, author, paperCount, influence`,
    { uids: communityUids, limit: int(limit) },
  );
}

export interface NeighbourRecord {
  communityUid: string;
  community: CommunityRecord;
  weight: number;
}

export async function neighboursOfCommunities(cypher: Cypher, communityUids: readonly string[], limit: number): Promise<NeighbourRecord[]> {
  return cypher.read<NeighbourRecord>(
    `UNWIND $uids AS communityUid
     CALL (communityUid) {
       MATCH (:Community {uid: communityUid})-[r:NEIGHBOUR_OF]->(c:Community)
       WITH c, r ORDER BY r.weight DESC, c.uid LIMIT $limit
       RETURN ${communityProjection('c')} AS community, r.weight AS weight
     }
     RETURN communityUid, community, weight`,
    { uids: communityUids, limit: int(limit) },
  );
}

export interface SimilarRecord {
  paperUid: string;
  paper: PaperRecord;
  score: number;
  sharedReferences: number;
  sharedCiters: number;
  sharedAuthors: number;
}

export async function similarOfPapers(
  cypher: Cypher,
  uids: readonly string[],
  limit: number,
  properties: readonly PaperProperty[] = paperProperties,
): Promise<SimilarRecord[]> {
  return cypher.read<SimilarRecord>(
    `UNWIND $uids AS paperUid
     CALL (paperUid) {
       MATCH (:Paper {uid: paperUid})-[s:SIMILAR_TO]->(q:Paper)
       WITH q, s ORDER BY s.score DESC, q.uid LIMIT $limit
       RETURN ${paperProjection('q', properties)} AS paper, s.score AS score,
         s.sharedReferences AS sharedReferences, s.sharedCiters AS sharedCiters, s.sharedAuthors AS sharedAuthors
     }
     RETURN paperUid, paper, score, sharedReferences, sharedCiters, sharedAuthors`,
    { uids, limit: int(limit) },
  );
}

export interface AuthorCommunityRecord {
  authorUid: string;
  community: CommunityRecord;
  /** The author's papers in that community. */
  paperCount: number;
}

/** Each author's communities, those holding most of their papers first. */
export async function communitiesOfAuthors(cypher: Cypher, authorUids: readonly string[], limit: number): Promise<AuthorCommunityRecord[]> {
  return cypher.read<AuthorCommunityRecord>(
    `UNWIND $uids AS authorUid
     CALL (authorUid) {
       MATCH (:Author {uid: authorUid})-[:AUTHORED]->(p:Paper) WHERE p.communityId IS NOT NULL
       WITH p.communityId AS communityUid, count(p) AS paperCount
       MATCH (c:Community {uid: communityUid})
       WITH c, paperCount ORDER BY paperCount DESC, c.influence DESC, c.uid LIMIT $limit
       RETURN ${communityProjection('c')} AS community, paperCount
     }
     RETURN authorUid, community, paperCount`,
    { uids: authorUids, limit: int(limit) },
  );
}

/** Marks that a load changed the graph: analytics computed before it are stale. */
export async function recordGraphLoad(cypher: Cypher): Promise<void> {
  await cypher.write(`MERGE (l:GraphLoad {key: 'latest'}) SET l.loadedAt = datetime()`);
}

export interface AnalyticsStatusRecord {
  run: (Omit<AnalyticsRunRecord, 'ranAt'> & { ranAt: number }) | null;
  /** Epoch milliseconds of the last load a loader recorded (recordGraphLoad), or null. */
  lastLoadAt: number | null;
  /** The graph's counts now, from the count store, to compare with those the run saw. */
  now: AnalyticsCounts;
}

export async function readAnalyticsStatus(cypher: Cypher): Promise<AnalyticsStatusRecord> {
  const [row] = await cypher.read<AnalyticsStatusRecord>(
    `CALL () { MATCH (p:Paper) RETURN count(p) AS papers }
     CALL () { MATCH (a:Author) RETURN count(a) AS authors }
     CALL () { MATCH ()-[r:CITES]->() RETURN count(r) AS citations }
     CALL () { MATCH ()-[r:RELATED_TO]->() RETURN count(r) AS relatedEdges }
     CALL () { MATCH ()-[r:AUTHORED]->() RETURN count(r) AS authorships }
     OPTIONAL MATCH (r:AnalyticsRun {key: 'latest'})
     OPTIONAL MATCH (l:GraphLoad {key: 'latest'})
     RETURN CASE WHEN r IS NULL THEN null ELSE r { .durationMs, .papers, .authors, .citations, .relatedEdges, .authorships,
              .influenceOver, .communities, .similarLinks, .links, ranAt: r.ranAt.epochMillis } END AS run,
       l.loadedAt.epochMillis AS lastLoadAt,
       { papers: papers, authors: authors, citations: citations, relatedEdges: relatedEdges, authorships: authorships } AS now`,
  );
  if (!row) throw new Error('the analytics status query returned no row');
  return row;
}

/** One page (uid order) of what a run stored per paper, for comparing two runs' results (bench/analyze.ts). */
export async function analyticsResultsAfter(cypher: Cypher, after: string | null, limit: number): Promise<{ uid: string; result: unknown }[]> {
  return cypher.read(
    `MATCH (p:Paper) WHERE p.uid > coalesce($after, '')
     WITH p ORDER BY p.uid LIMIT $limit
     OPTIONAL MATCH (c:Community {uid: p.communityId})
     RETURN p.uid AS uid, [p.influence, p.influenceRank, p.influencePercentile, p.communityId, c.size, c.label, c.terms, c.influence,
       COLLECT { MATCH (c)-[n:NEIGHBOUR_OF]->(d) RETURN [d.uid, n.weight] ORDER BY d.uid },
       COLLECT { MATCH (p)-[s:SIMILAR_TO]->(q) RETURN [q.uid, s.score, s.sharedReferences, s.sharedCiters, s.sharedAuthors] ORDER BY q.uid }] AS result`,
    { after, limit: int(limit) },
  );
}
