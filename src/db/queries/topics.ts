/** Topic reads of papers (the shared entity reads are in entities.ts). */
import type { Cypher } from '../run.ts';
import { entityProjection, type TopicRecord } from './entities.ts';

export interface PaperTopicRecord {
  paperUid: string;
  topic: TopicRecord;
  score: number | null;
}

/** The topics of each paper, highest score first, as one flat list tagged with the paper's uid. */
export async function topicsOfPapers(cypher: Cypher, paperUids: readonly string[]): Promise<PaperTopicRecord[]> {
  return cypher.read<PaperTopicRecord>(
    `UNWIND $paperUids AS paperUid
     MATCH (:Paper {uid: paperUid})-[r:HAS_TOPIC]->(t:Topic)
     WITH paperUid, r, t ORDER BY coalesce(r.score, -1.0) DESC, t.openalexId
     RETURN paperUid, ${entityProjection('Topic', 't')} AS topic, r.score AS score`,
    { paperUids },
  );
}
