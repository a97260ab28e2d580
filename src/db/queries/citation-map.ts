import { int } from 'neo4j-driver';
import type { Cypher } from '../run.ts';
import { citationCountOf, paperKindIn, paperProjection, paperProperties, type PaperKind, type PaperProperty, type PaperRecord } from './papers.ts';

/**
 * Connected Papers' two lists for a set of papers: PRIOR works are the papers the set cites most (the
 * set's foundations), DERIVATIVE works the papers that cite most of the set (what builds on it).
 */
export type SetCitationSide = 'prior' | 'derivative';

export interface ConnectedWorkRecord {
  paper: PaperRecord;
  /** How many papers of the set cite it (prior) or it cites (derivative). */
  linked: number;
}

// The pattern cannot be a parameter: each side is written here, chosen by name.
const setPatterns: Record<SetCitationSide, string> = {
  prior: '(member)-[:CITES]->(q:Paper)',
  derivative: '(member)<-[:CITES]-(q:Paper)',
};

/**
 * The papers outside the set (uids) of the given kinds (every kind when null) linked to most of it on
 * `side`, most first, then most cited in this graph, then by title and uid. Unknown uids are ignored.
 */
export async function connectedWorksOfSet(
  cypher: Cypher,
  uids: readonly string[],
  side: SetCitationSide,
  limit: number,
  kinds: readonly PaperKind[] | null,
  properties: readonly PaperProperty[] = paperProperties,
): Promise<ConnectedWorkRecord[]> {
  return cypher.read<ConnectedWorkRecord>(
    `MATCH (member:Paper) WHERE member.uid IN $uids
     MATCH ${setPatterns[side]}
     WHERE NOT q.uid IN $uids AND ${paperKindIn('q', '$kinds')}
     WITH q, count(DISTINCT member) AS linked
     WITH q, linked, ${citationCountOf('q')} AS citations
     ORDER BY linked DESC, citations DESC, q.title, q.uid
     LIMIT $limit
     RETURN ${paperProjection('q', properties)} AS paper, linked`,
    { uids, limit: int(limit), kinds },
  );
}
