import { int } from 'neo4j-driver';
import type { Cypher } from '../run.ts';
import type { Fragment } from './selection.ts';
import { authorProjection, type AuthorRecord } from './authors.ts';
import { paperKindIn, paperProjection, paperProperties, type PaperKind, type PaperProperty, type PaperRecord } from './papers.ts';

/**
 * A node of a drawn subgraph or a path: a paper or an author, with the record behind it when the
 * query's GraphNodeProjection asked for it (absent otherwise).
 */
export type GraphNodeRecord =
  | { kind: 'PAPER'; uid: string; label: string; distance: number | null; paper?: PaperRecord; author?: null }
  | { kind: 'AUTHOR'; uid: string; label: string; distance: number | null; paper?: null; author?: AuthorRecord };

/**
 * What the nodes of a subgraph or path carry besides kind, uid and label: the papers' records with
 * these properties (see paperProjection) or none (null), and the authors' records or none. A request
 * asks for what its selection reads: every value of a result costs neo4j-driver a decode.
 */
export interface GraphNodeProjection {
  paper: readonly PaperProperty[] | null;
  author: boolean;
}

export const wholeGraphNodes: GraphNodeProjection = { paper: paperProperties, author: true };

export interface GraphEdgeRecord {
  type: RelationshipType;
  source: string;
  target: string;
  /** Similarity for RELATED_TO; 1 for relationships that carry no weight. */
  weight: number;
  rank: number | null;
  position: number | null;
}

/** Relationship types a traversal may follow. Types cannot be Cypher parameters, so queries pick from this list. */
export const relationshipTypes = ['AUTHORED', 'RELATED_TO', 'CITES'] as const;
export type RelationshipType = (typeof relationshipTypes)[number];

/** Labels a path may start or end at, for the same reason. */
export const nodeLabels = ['Paper', 'Author'] as const;
export type NodeLabel = (typeof nodeLabels)[number];

export const maxPathDepth = 10;

/** A node as a GraphNodeRecord; `variable` must be a variable (map projection takes no other expression). */
const nodeRecord = (variable: string, projection: GraphNodeProjection = wholeGraphNodes) => `{
  kind: CASE WHEN ${variable}:Paper THEN 'PAPER' ELSE 'AUTHOR' END,
  uid: ${variable}.uid,
  label: coalesce(${variable}.title, ${variable}.name)${
    projection.paper
      ? `,
  paper: CASE WHEN ${variable}:Paper THEN ${paperProjection(variable, projection.paper)} END`
      : ''
  }${
    projection.author
      ? `,
  author: CASE WHEN ${variable}:Author THEN ${authorProjection(variable)} END`
      : ''
  } }`;

const edgeRecord = (relationship: string) => `{
  type: type(${relationship}),
  source: startNode(${relationship}).uid,
  target: endNode(${relationship}).uid,
  weight: coalesce(${relationship}.score, 1.0),
  rank: ${relationship}.rank,
  position: ${relationship}.position }`;

export interface Subgraph {
  nodes: GraphNodeRecord[];
  edges: GraphEdgeRecord[];
}

/** What a neighbourhood follows unless asked otherwise: authorship and similarity. */
export const defaultNeighborhoodTypes: readonly RelationshipType[] = ['AUTHORED', 'RELATED_TO'];

export interface NeighborhoodOptions {
  depth: number;
  minScore: number;
  limit: number;
  /** Relationship types followed (default defaultNeighborhoodTypes). */
  via?: readonly RelationshipType[];
  /** What the nodes carry (default wholeGraphNodes). */
  nodes?: GraphNodeProjection;
  /** Kinds of papers the neighbourhood may reach, besides its start (all when null or absent); authors always. */
  kinds?: readonly PaperKind[] | null;
}

/** A node a neighbourhood may take in: an author, or a paper of the kinds asked for. */
const reachable = (node: string, kinds: string) => `(${node}:Author OR ${paperKindIn(node, kinds)})`;

/**
 * A subquery over a bound paper `start`: the papers and authors within <prefix>Depth hops over the
 * `via` types (related links below <prefix>MinScore are not followed), nearest first,
 * at most <prefix>Limit nodes, and every edge among them, as `nodes`, `edges`, `level1Size` and
 * `level2Size` (subgraphOf turns them into a Subgraph). Expands level by level over distinct nodes, so
 * cost grows with the nodes reached, not with the number of paths to them. The parameters are named
 * from `prefix` (neighborhoodParams), so that one query can hold several neighbourhoods.
 */
function neighborhoodSubquery(
  start: string,
  nodes: GraphNodeProjection = wholeGraphNodes,
  via: readonly RelationshipType[] = defaultNeighborhoodTypes,
  prefix = 'neighborhood',
): string {
  // Types cannot be parameters: they are written in, each checked against the allow-list first.
  if (via.length === 0 || via.some((type) => !relationshipTypes.includes(type))) throw new Error('unknown relationship type');
  const types = [...new Set(via)].join('|');
  return `
     CALL (${start}) {
       CALL (${start}) {
         OPTIONAL MATCH (${start})-[r:${types}]-(n)
         WHERE (r.score IS NULL OR r.score >= $${prefix}MinScore) AND ${reachable('n', `$${prefix}Kinds`)}
         RETURN collect(DISTINCT n)[..$${prefix}Limit] AS level1
       }
       CALL (${start}, level1) {
         UNWIND CASE WHEN $${prefix}Depth >= 2 THEN level1 ELSE [] END AS x
         MATCH (x)-[r:${types}]-(n)
         WHERE (r.score IS NULL OR r.score >= $${prefix}MinScore) AND n <> ${start} AND NOT n IN level1 AND ${reachable('n', `$${prefix}Kinds`)}
         WITH DISTINCT n LIMIT $${prefix}Limit
         RETURN collect(n) AS level2
       }
       CALL (${start}, level1, level2) {
         UNWIND CASE WHEN $${prefix}Depth >= 3 THEN level2 ELSE [] END AS x
         MATCH (x)-[r:${types}]-(n)
         WHERE (r.score IS NULL OR r.score >= $${prefix}MinScore) AND n <> ${start} AND NOT n IN level1 AND NOT n IN level2 AND ${reachable('n', `$${prefix}Kinds`)}
         WITH DISTINCT n LIMIT $${prefix}Limit
         RETURN collect(n) AS level3
       }
       WITH ([${start}] + level1 + level2 + level3)[..$${prefix}Limit] AS members, size(level1) AS level1Size, size(level2) AS level2Size
       CALL (members) {
         // Every type ends at a paper: looking from the member papers inward never walks a prolific author's papers.
         UNWIND members AS b
         WITH b WHERE b:Paper
         MATCH (a)-[r:${types}]->(b)
         WHERE a IN members AND (r.score IS NULL OR r.score >= $${prefix}MinScore)
         RETURN collect(${edgeRecord('r')}) AS edges
       }
       RETURN [member IN members | ${nodeRecord('member', nodes)}] AS nodes, edges, level1Size, level2Size
     }`;
}

const neighborhoodParams = (options: NeighborhoodOptions, prefix = 'neighborhood') => ({
  [`${prefix}Depth`]: int(options.depth),
  [`${prefix}MinScore`]: options.minScore,
  [`${prefix}Limit`]: int(options.limit),
  [`${prefix}Kinds`]: options.kinds ?? null,
});

/** A bound paper's neighbourhood (see neighborhoodSubquery) as one map bound to `out`, for subgraphOf. */
export const neighborhoodFragment: Fragment<NeighborhoodOptions> = {
  block: (start, options, scope, out) => {
    const prefix = scope.prefix();
    Object.assign(scope.params, neighborhoodParams(options, prefix));
    return `CALL (${start}) {
       ${neighborhoodSubquery(start, options.nodes, options.via, prefix)}
       RETURN { nodes: nodes, edges: edges, level1Size: level1Size, level2Size: level2Size } AS ${out}
     }`;
  },
};

export interface NeighborhoodColumns {
  nodes: GraphNodeRecord[];
  edges: GraphEdgeRecord[];
  level1Size: number;
  level2Size: number;
}

/** The columns of neighborhoodSubquery as a Subgraph: members come nearest first, the start, then each level. */
export function subgraphOf({ nodes, edges, level1Size, level2Size }: NeighborhoodColumns): Subgraph {
  return {
    edges,
    nodes: nodes.map((node, index) => ({
      ...node,
      distance: index === 0 ? 0 : index <= level1Size ? 1 : index <= level1Size + level2Size ? 2 : 3,
    })),
  };
}

export interface PathRecord {
  length: number;
  nodes: GraphNodeRecord[];
  edges: GraphEdgeRecord[];
}

export interface PathQuery {
  from: { label: NodeLabel; uid: string };
  to: { label: NodeLabel; uid: string };
  maxDepth: number;
  via: readonly RelationshipType[];
  /** Every shortest path (up to limit), or a single one. */
  all: boolean;
  limit: number;
  /** What the nodes carry (default wholeGraphNodes). */
  nodes?: GraphNodeProjection;
  /** Which way every relationship of the path must point, walking from `from` to `to` (default ANY). */
  direction?: PathDirection;
}

/** OUTGOING: each relationship points from `from` towards `to` (a citing paper to the paper it cites); INCOMING: the reverse. */
export const pathDirections = ['OUTGOING', 'INCOMING', 'ANY'] as const;
export type PathDirection = (typeof pathDirections)[number];

const pathArrows: Record<PathDirection, { left: string; right: string }> = {
  OUTGOING: { left: '-', right: '->' },
  INCOMING: { left: '<-', right: '-' },
  ANY: { left: '-', right: '-' },
};

/**
 * Shortest paths between two nodes, in the direction asked (any by default). The labels, relationship types and depth bound
 * are written into the pattern (Cypher takes none of them as parameters), each checked against the
 * allow-lists above first; the uids travel as parameters.
 */
export async function shortestPaths(cypher: Cypher, query: PathQuery): Promise<PathRecord[]> {
  const { from, to, maxDepth, via, all, limit, nodes } = query;
  const arrows = pathArrows[query.direction ?? 'ANY'];
  if (!arrows) throw new Error('unknown path direction');
  if (!nodeLabels.includes(from.label) || !nodeLabels.includes(to.label)) throw new Error('unknown node label');
  if (via.length === 0 || via.some((type) => !relationshipTypes.includes(type))) throw new Error('unknown relationship type');
  if (!Number.isInteger(maxDepth) || maxDepth < 1 || maxDepth > maxPathDepth) throw new Error('path depth out of range');
  const pattern = `[:${[...new Set(via)].join('|')}*..${maxDepth}]`;
  const finder = all ? 'allShortestPaths' : 'shortestPath';
  if (from.uid === to.uid && from.label === to.label) {
    const rows = await cypher.read<{ node: GraphNodeRecord }>(`MATCH (n:${from.label} {uid: $uid}) RETURN ${nodeRecord('n', nodes)} AS node`, {
      uid: from.uid,
    });
    return rows.map((row) => ({ length: 0, nodes: [{ ...row.node, distance: 0 }], edges: [] }));
  }
  const paths = await cypher.read<PathRecord>(
    `MATCH (a:${from.label} {uid: $fromUid}), (b:${to.label} {uid: $toUid})
     MATCH path = ${finder}((a)${arrows.left}${pattern}${arrows.right}(b))
     WITH path LIMIT $limit
     RETURN length(path) AS length,
            [node IN nodes(path) | ${nodeRecord('node', nodes)}] AS nodes,
            [r IN relationships(path) | ${edgeRecord('r')}] AS edges`,
    { fromUid: from.uid, toUid: to.uid, limit: int(limit) },
  );
  return paths.map((path) => ({ ...path, nodes: path.nodes.map((node, index) => ({ ...node, distance: index })) }));
}

/**
 * For each author, the number of co-authorship steps to `toUid` (1: wrote a paper together), or null
 * when none is found within maxSteps. Every author in one round-trip.
 */
export async function collaborationDistances(cypher: Cypher, authorUids: readonly string[], toUid: string, maxSteps: number): Promise<(number | null)[]> {
  if (!Number.isInteger(maxSteps) || maxSteps < 1 || maxSteps > maxPathDepth / 2) throw new Error('steps out of range');
  const rows = await cypher.read<{ uid: string; hops: number | null }>(
    `UNWIND $authorUids AS uid
     OPTIONAL MATCH (a:Author {uid: uid}), (b:Author {uid: $toUid})
     CALL (a, b) {
       OPTIONAL MATCH path = shortestPath((a)-[:AUTHORED*..${maxSteps * 2}]-(b))
       WHERE a <> b
       RETURN CASE WHEN a IS NULL OR b IS NULL THEN null WHEN a = b THEN 0 ELSE length(path) END AS hops
     }
     RETURN uid, hops`,
    { authorUids, toUid },
  );
  const byUid = new Map(rows.map((row) => [row.uid, row.hops]));
  return authorUids.map((uid) => {
    const hops = byUid.get(uid);
    return hops == null ? null : hops / 2;
  });
}

export interface RecommendationRecord {
  paperUid: string;
  paper: PaperRecord;
  score: number;
  sharedAuthors: AuthorRecord[];
  sharedNeighbours: PaperRecord[];
}

/**
 * For each paper, other papers (of the given kinds; all when null) ranked by what they share with it:
 * each shared author counts 2, each shared related neighbour 1. Papers already linked to it directly are left out (they are in its related list).
 */
export async function recommendationsForPapers(
  cypher: Cypher,
  uids: readonly string[],
  limit: number,
  kinds: readonly PaperKind[] | null = null,
): Promise<RecommendationRecord[]> {
  return cypher.read<RecommendationRecord>(
    `UNWIND $uids AS paperUid
     MATCH (p:Paper {uid: paperUid})
     CALL (p) {
       CALL (p) {
         MATCH (p)<-[:AUTHORED]-(a:Author)-[:AUTHORED]->(q:Paper)
         WHERE q <> p
         RETURN q, collect(DISTINCT a) AS authors, [] AS neighbours
         UNION
         MATCH (p)-[:RELATED_TO]-(n:Paper)-[:RELATED_TO]-(q:Paper)
         WHERE q <> p
         RETURN q, [] AS authors, collect(DISTINCT n) AS neighbours
       }
       WITH p, q, authors, neighbours WHERE NOT EXISTS { (p)-[:RELATED_TO]-(q) } AND ${paperKindIn('q', '$kinds')}
       WITH q, collect(authors) AS authorLists, collect(neighbours) AS neighbourLists
       WITH q,
            reduce(all = [], list IN authorLists | all + list) AS authors,
            reduce(all = [], list IN neighbourLists | all + list) AS neighbours
       WITH q, authors, neighbours, 2 * size(authors) + size(neighbours) AS score
       ORDER BY score DESC, coalesce(q.publishedAt, datetime('0001-01-01T00:00:00Z')) DESC, q.uid
       LIMIT $limit
       RETURN q, authors, neighbours, score
     }
     RETURN paperUid, ${paperProjection('q')} AS paper, score,
            [a IN authors | ${authorProjection('a')}] AS sharedAuthors,
            [n IN neighbours | ${paperProjection('n')}] AS sharedNeighbours`,
    { uids, limit: int(limit), kinds },
  );
}
