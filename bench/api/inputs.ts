/**
 * The operations' inputs, picked from the loaded graph deterministically (by uid order, which is a
 * hash order, so spread over the whole corpus) and the same way at every corpus size: a rotation of
 * INPUTS different papers, authors, words and pairs, so no cache makes an operation trivial.
 */
import type { Cypher } from '../../src/db/run.ts';

export const INPUTS = 64;

export interface Inputs {
  /** Papers with a page of their own. */
  papers: { uid: string; title: string; titleJa: string | null }[];
  /** Authors of 2 to 20 papers: co-author lists of a size that does not grow with the corpus. */
  authors: string[];
  /** Filters of the page-of-papers operation. */
  pageFilters: { minScore: number; publishedBefore: string }[];
  wordsEn: string[];
  wordsJa: string[];
  /** Pairs of papers for shortest paths. */
  pairs: [string, string][];
  /** Papers that cite at least one paper of the graph (none when the store holds no citations). */
  citing: string[];
}

const STOP_WORDS = new Set(['for', 'via', 'in', 'of', 'the', 'with', 'and', 'on', 'towards', 'improves', 'wild']);

/** `count` items spread evenly over `all`. */
function spread<T>(all: readonly T[], count: number): T[] {
  if (all.length === 0) throw new Error('the graph has nothing to pick inputs from');
  return Array.from({ length: count }, (_, i) => all[Math.floor((i * all.length) / count)]!);
}

export async function pickInputs(cypher: Cypher, count = INPUTS): Promise<Inputs> {
  const paperUids = (await cypher.read<{ uid: string }>('MATCH (p:Paper) WHERE p.sourceHash IS NOT NULL RETURN p.uid AS uid ORDER BY uid')).map(
    (row) => row.uid,
  );
  const papers = await cypher.read<{ uid: string; title: string; titleJa: string | null }>(
    'UNWIND $uids AS uid MATCH (p:Paper {uid: uid}) RETURN p.uid AS uid, p.title AS title, p.titleJa AS titleJa',
    { uids: spread(paperUids, count) },
  );
  const authorUids = await cypher.read<{ uid: string }>(
    `MATCH (a:Author) WITH a, COUNT { (a)-[:AUTHORED]->() } AS papers
     WHERE papers >= 2 AND papers <= 20 RETURN a.uid AS uid ORDER BY uid`,
  );
  const [range] = await cypher.read<{ first: number; last: number }>(
    'MATCH (p:Paper) WHERE p.publishedAt IS NOT NULL RETURN min(p.publishedAt).epochMillis AS first, max(p.publishedAt).epochMillis AS last',
  );
  if (!range) throw new Error('no paper has a date');

  const pageFilters = Array.from({ length: count }, (_, i) => ({
    minScore: [0, 5, 10, 20, 30, 40][i % 6]!,
    // From a tenth of the way in to the end: every page has rows before it.
    publishedBefore: new Date(range.first + ((range.last - range.first) * (6 + ((i * 37) % 64))) / 70).toISOString(),
  }));
  const wordsEn = papers.map((paper, i) => {
    const phrase = paper.title.slice(paper.title.indexOf(':') + 1);
    const words = phrase.split(/[^A-Za-z-]+/).filter((word) => word.length >= 5 && !STOP_WORDS.has(word.toLowerCase()));
    return (words[i % Math.max(1, words.length)] ?? phrase.trim().split(' ')[0] ?? 'model').toLowerCase();
  });
  const wordsJa = papers.map((paper, i) => {
    const title = paper.titleJa ?? '';
    const body = title.slice(title.indexOf(':') + 1).trim();
    const [before, after] = body.split('による');
    return (i % 2 === 0 ? after : before)?.trim() || body || '言語モデル';
  });
  const pairs = papers.map((paper, i): [string, string] => [paper.uid, papers[(i + Math.floor(count / 2) + 1) % papers.length]!.uid]);
  const citingUids = await cypher.read<{ uid: string }>('MATCH (p:Paper) WHERE EXISTS { (p)-[:CITES]->(:Paper) } RETURN p.uid AS uid ORDER BY uid');
  const citing =
    citingUids.length === 0
      ? []
      : spread(
          citingUids.map((row) => row.uid),
          count,
        );
  return {
    papers,
    authors: spread(
      authorUids.map((row) => row.uid),
      count,
    ),
    pageFilters,
    wordsEn,
    wordsJa,
    pairs,
    citing,
  };
}
