/** Venue reads of papers (the shared entity reads are in entities.ts). */
import type { Cypher } from '../run.ts';
import { entityProjection, type VenueRecord } from './entities.ts';

/** The venue of each paper, in the order asked; null for a paper without one. */
export async function venuesOfPapers(cypher: Cypher, paperUids: readonly string[]): Promise<(VenueRecord | null)[]> {
  const rows = await cypher.read<{ uid: string; venue: VenueRecord }>(
    `UNWIND $paperUids AS uid
     MATCH (:Paper {uid: uid})-[:PUBLISHED_IN]->(v:Venue)
     RETURN uid, ${entityProjection('Venue', 'v')} AS venue`,
    { paperUids },
  );
  const byUid = new Map(rows.map((row) => [row.uid, row.venue]));
  return paperUids.map((uid) => byUid.get(uid) ?? null);
}
