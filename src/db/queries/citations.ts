/** Reads of the citation graph (src/graphql/types/Citations.ts); the importer's writes are in load-openalex.ts. */
import { int } from 'neo4j-driver';
import type { Cypher } from '../run.ts';
import { keysetPageExpression, type PageQuery } from './keyset.ts';
import { citationCountOf, paperKindIn, paperOrderExpression, paperProjection, type PaperKind, type PaperOrder, type PaperRecord } from './papers.ts';
import type { Fragment, NodeSelection } from './selection.ts';

/** Papers in the graph that cite each paper, in the order asked; 0 for unknown uids. */
export async function citationCountsOfPapers(cypher: Cypher, uids: readonly string[]): Promise<number[]> {
  const rows = await cypher.read<{ uid: string; count: number }>(
    `UNWIND $uids AS uid
     OPTIONAL MATCH (p:Paper {uid: uid})
     RETURN uid, ${citationCountOf('p')} AS count`,
    { uids },
  );
  const byUid = new Map(rows.map((row) => [row.uid, row.count]));
  return uids.map((uid) => byUid.get(uid) ?? 0);
}

const citationPatterns = {
  references: (parent: string, p: string) => `(${parent})-[:CITES]->(${p}:Paper)`,
  citedBy: (parent: string, p: string) => `(${parent})<-[:CITES]-(${p}:Paper)`,
} as const;
export type CitationDirection = keyof typeof citationPatterns;

export interface CitationPageInput {
  direction: CitationDirection;
  page: PageQuery<PaperOrder>;
  /** Kinds of the papers listed (all when null). */
  kinds: readonly PaperKind[] | null;
  /** What each paper's fields read. */
  node: NodeSelection;
  /** Whether to count them all (only when totalCount is selected). */
  total: boolean;
}

/**
 * One keyset page of the papers a bound paper cites (references) or that cite it (citedBy), in any
 * paper ordering, and how many there are when asked: `{ rows, total }`.
 */
export const citationPageFragment: Fragment<CitationPageInput> = {
  expression: (parent, input, scope) => {
    const p = scope.variable();
    const pattern = citationPatterns[input.direction](parent, p);
    const ofKinds = paperKindIn(p, scope.param(input.kinds));
    const rows = keysetPageExpression(scope, input.page, {
      match: pattern,
      where: ofKinds,
      node: p,
      sortValue: paperOrderExpression(input.page.order, p),
      row: `node: ${scope.project(p, input.node)}`,
    });
    const total = input.total ? `, total: COUNT { MATCH ${pattern} WHERE ${ofKinds} }` : '';
    return `{ rows: ${rows}${total} }`;
  },
};

/** How many papers in the graph cite a bound paper. */
export const citationCountFragment: Fragment<null> = {
  expression: (paper) => citationCountOf(paper),
};

const overlapPatterns = {
  /** Co-citation: q is cited together with p by `via`. */
  coCitation: '(p)<-[:CITES]-(via:Paper)-[:CITES]->(q:Paper)',
  /** Bibliographic coupling: q shares the reference `via` with p. */
  coupling: '(p)-[:CITES]->(via:Paper)<-[:CITES]-(q:Paper)',
} as const;
export type OverlapKind = keyof typeof overlapPatterns;

export interface CitationOverlapRecord {
  paperUid: string;
  paper: PaperRecord;
  /** Papers citing both (co-citation) or references both cite (coupling). */
  overlap: number;
}

/** For each paper, the papers of the given kinds (all when null) that overlap with it most, most first (then by title and uid). */
export async function citationOverlapsOfPapers(
  cypher: Cypher,
  uids: readonly string[],
  kind: OverlapKind,
  limit: number,
  kinds: readonly PaperKind[] | null = null,
): Promise<CitationOverlapRecord[]> {
  return cypher.read<CitationOverlapRecord>(
    `UNWIND $uids AS paperUid
     MATCH (p:Paper {uid: paperUid})
     CALL (p) {
       MATCH ${overlapPatterns[kind]}
       WHERE q <> p AND ${paperKindIn('q', '$kinds')}
       WITH q, count(DISTINCT via) AS overlap
       ORDER BY overlap DESC, q.title, q.uid
       LIMIT $limit
       RETURN q, overlap
     }
     RETURN paperUid, ${paperProjection('q')} AS paper, overlap`,
    { uids, limit: int(limit), kinds },
  );
}

export interface AuthorCitationStats {
  /** Sum of the in-graph citation counts of the author's papers. */
  citationCount: number;
  /** The largest h such that h of the author's papers are each cited by at least h papers in the graph. */
  hIndex: number;
}

/** Citation count and h-index of each author, in the order asked (zeros for unknown uids). */
export async function citationStatsOfAuthors(cypher: Cypher, uids: readonly string[]): Promise<AuthorCitationStats[]> {
  const rows = await cypher.read<AuthorCitationStats & { uid: string }>(
    `UNWIND $uids AS uid
     OPTIONAL MATCH (author:Author {uid: uid})
     CALL (author) {
       MATCH (author)-[:AUTHORED]->(p:Paper)
       WITH DISTINCT p
       WITH ${citationCountOf('p')} AS citations
       ORDER BY citations DESC
       RETURN collect(citations) AS counts
     }
     RETURN uid,
            reduce(total = 0, c IN counts | total + c) AS citationCount,
            size([i IN range(0, size(counts) - 1) WHERE counts[i] > i]) AS hIndex`,
    { uids },
  );
  const byUid = new Map(rows.map((row) => [row.uid, row]));
  return uids.map((uid) => ({ citationCount: byUid.get(uid)?.citationCount ?? 0, hIndex: byUid.get(uid)?.hIndex ?? 0 }));
}
