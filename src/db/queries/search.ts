import { int } from 'neo4j-driver';
import { fullTextIndexes } from '../migrations.ts';
import type { Cypher } from '../run.ts';
import { paperProjection, paperProperties, type PaperProperty, type PaperRecord } from './papers.ts';

export type SearchLanguage = 'EN' | 'JA' | 'ANY';
type PaperIndex = Extract<(typeof fullTextIndexes)[number], { label: 'Paper' }>;
export type SearchField = PaperIndex['field'];

/** Titles count most, then the short summary, then the abstracts. */
const fieldWeights: Record<SearchField, number> = {
  TITLE: 1,
  TITLE_JA: 1,
  SUMMARY_JA: 0.8,
  ABSTRACT: 0.6,
  ABSTRACT_JA: 0.6,
};

export interface SearchHitRecord {
  paper: PaperRecord;
  relevance: number;
  fields: SearchField[];
}

/**
 * The Lucene query for plain text: each word becomes a quoted phrase, so no character of the input is
 * query syntax (a stray `(` or `AND` is not an error), and a Japanese word, which the cjk analyzer
 * splits into overlapping character pairs, must match those pairs in sequence rather than any one of them.
 * Words are OR-ed: an English index matches the English words, a Japanese index the Japanese ones.
 */
export function luceneQueryOf(text: string): string {
  return text
    .split(/\s+/)
    .filter((word) => word !== '')
    .map((word) => `"${word.replace(/["\\]/g, '\\$&')}"`)
    .join(' OR ');
}

/**
 * Full-text search over the per-field indexes of the chosen languages, merged into one ranking.
 * Lucene scores are not comparable across indexes (analyzers and field lengths differ), so each
 * index's scores are scaled to its best hit, weighted by field, and a paper ranks by its best field.
 */
export async function searchPapers(
  cypher: Cypher,
  text: string,
  language: SearchLanguage,
  limit: number,
  properties: readonly PaperProperty[] = paperProperties,
): Promise<SearchHitRecord[]> {
  // One branch per index, its name and weight written in (from the fixed list above, never from input):
  // cheaper for Neo4j than looping over the indexes as a parameter.
  const branches = fullTextIndexes
    .filter((index): index is PaperIndex => index.label === 'Paper')
    .filter((index) => language === 'ANY' || index.language === language)
    .map(
      (index) => `CALL db.index.fulltext.queryNodes('${index.name}', $query, { limit: $perIndexLimit }) YIELD node, score
       WITH collect({ node: node, score: score }) AS hits, max(score) AS best
       UNWIND hits AS hit
       RETURN hit.node AS p, '${index.field}' AS field, ${fieldWeights[index.field]} * hit.score / best AS weighted`,
    );
  return cypher.read<SearchHitRecord>(
    `CALL () {
       ${branches.join('\n       UNION ALL\n       ')}
     }
     WITH p, field, weighted
     ORDER BY weighted DESC
     WITH p, collect(field) AS fields, max(weighted) AS relevance
     ORDER BY relevance DESC, size(fields) DESC, p.uid
     LIMIT $limit
     RETURN ${paperProjection('p', properties)} AS paper, relevance, fields`,
    { query: luceneQueryOf(text), perIndexLimit: int(limit * 2), limit: int(limit) },
  );
}
