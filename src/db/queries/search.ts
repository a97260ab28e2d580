import { fullTextIndexes } from '../migrations.ts';
import type { Cypher } from '../run.ts';
import { paperProjection, type PaperRecord } from './papers.ts';

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

/** Lucene's query syntax would let a stray `(` or `AND` turn a search into an error: every character is taken literally. */
export function escapeLucene(text: string): string {
  return text.replace(/[+\-&|!(){}[\]^"~*?:\\/]/g, '\\$&').replace(/\b(AND|OR|NOT)\b/g, (word) => word.toLowerCase());
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
): Promise<SearchHitRecord[]> {
  const indexes = fullTextIndexes
    .filter((index): index is PaperIndex => index.label === 'Paper')
    .filter((index) => language === 'ANY' || index.language === language)
    .map((index) => ({ name: index.name, field: index.field, weight: fieldWeights[index.field] }));
  return cypher.read<SearchHitRecord>(
    `UNWIND $indexes AS index
     CALL (index) {
       CALL db.index.fulltext.queryNodes(index.name, $query, { limit: $perIndexLimit }) YIELD node, score
       RETURN node, score
     }
     WITH index, collect({ node: node, score: score }) AS hits, max(score) AS best
     UNWIND hits AS hit
     WITH hit.node AS p, index.field AS field, index.weight * hit.score / best AS weighted
     ORDER BY weighted DESC
     WITH p, collect(field) AS fields, max(weighted) AS relevance
     ORDER BY relevance DESC, size(fields) DESC, p.uid
     LIMIT $limit
     RETURN ${paperProjection('p')} AS paper, relevance, fields`,
    { indexes, query: escapeLucene(text), perIndexLimit: limit * 2, limit },
  );
}
