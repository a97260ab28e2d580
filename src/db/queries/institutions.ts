/** Institution reads of authors (the shared entity reads are in entities.ts). */
import { int } from 'neo4j-driver';
import type { Cypher } from '../run.ts';
import { entityProjection, type InstitutionRecord } from './entities.ts';

export interface AuthorAffiliationRecord {
  authorUid: string;
  institution: InstitutionRecord;
  /** The publication years of the works the author signed with it, oldest first. */
  years: number[];
  /** Works the author signed with it. */
  papers: number;
}

/**
 * The institutions each author was affiliated with on their works (in `year` only, when given), most
 * recent first, as one flat list tagged with the author's uid.
 */
export async function institutionsOfAuthors(cypher: Cypher, authorUids: readonly string[], year: number | null): Promise<AuthorAffiliationRecord[]> {
  return cypher.read<AuthorAffiliationRecord>(
    `UNWIND $authorUids AS authorUid
     MATCH (:Author {uid: authorUid})-[r:AFFILIATED_WITH]->(i:Institution)
     WHERE $year IS NULL OR r.year = $year
     WITH authorUid, i, r ORDER BY r.year
     WITH authorUid, i, count(DISTINCT r.work) AS papers, collect(DISTINCT r.year) AS years
     ORDER BY coalesce(years[-1], -1) DESC, coalesce(i.name, i.openalexId), i.openalexId
     RETURN authorUid, ${entityProjection('Institution', 'i')} AS institution, years, papers`,
    { authorUids, year: year === null ? null : int(year) },
  );
}
