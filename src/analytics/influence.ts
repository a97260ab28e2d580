import { DirectedGraph } from 'graphology';
import pagerankModule from 'graphology-metrics/centrality/pagerank.js';

// A CommonJS module whose typings declare an ES default export: Node hands over module.exports itself.
const pagerank = pagerankModule as unknown as typeof pagerankModule.default;
import type { GraphData } from './graph-data.ts';

export type InfluenceSource = 'CITES' | 'RELATED_TO';

export interface Influence {
  over: InfluenceSource;
  /** PageRank of each paper (they sum to 1 over the graph). */
  scores: Float64Array;
  /** 1 for the most influential; papers of equal score share a rank. */
  ranks: Int32Array;
  /** Share of papers with a lower score, in percent: 99 or more is the top 1%. */
  percentiles: Float64Array;
}

/**
 * A related link's weight in the fallback graph: a page's similarity score (0–100) as a fraction, never
 * quite 0 so that a paper whose links all scored 0 still passes its rank on; an OpenAlex link (no score) as 0.5.
 */
export const relatedWeight = (score: number) => (Number.isNaN(score) ? 0.5 : Math.max(score, 1) / 100);

/** PageRank's damping: the usual 0.85, the chance a reader follows a reference rather than starting afresh. */
export const damping = 0.85;

/**
 * PageRank over the citations (a paper passes its rank to the papers it cites), or, in a graph with no
 * citations (summary pages only), over the related links weighted by their score. PageRank rather than
 * ArticleRank: graphology-metrics implements it (ArticleRank would have to be written here), and the
 * graph is built, ranked and released inside this function.
 */
export function computeInfluence(data: GraphData): Influence {
  const n = data.paperUids.length;
  const over: InfluenceSource = data.cites.items.length > 0 ? 'CITES' : 'RELATED_TO';
  let graph: DirectedGraph | null = new DirectedGraph({ allowSelfLoops: false });
  for (let i = 0; i < n; i += 1) graph.addNode(i);
  if (over === 'CITES') {
    for (let from = 0; from < n; from += 1) {
      for (let j = data.cites.start[from]!; j < data.cites.start[from + 1]!; j += 1) graph.mergeEdge(from, data.cites.items[j]!);
    }
  } else {
    for (let i = 0; i < data.relatedFrom.length; i += 1) {
      const from = data.relatedFrom[i]!;
      const to = data.relatedTo[i]!;
      if (from === to) continue;
      const weight = relatedWeight(data.relatedScore[i]!);
      // A page link and an OpenAlex link between one pair add up.
      graph.updateEdge(from, to, (attributes: { weight?: number }) => ({ weight: (attributes.weight ?? 0) + weight }));
    }
  }
  const byNode = n === 0 ? {} : pagerank(graph, { getEdgeWeight: over === 'CITES' ? null : 'weight', alpha: damping, maxIterations: 1_000, tolerance: 1e-12 });
  graph = null;

  const scores = new Float64Array(n);
  for (let i = 0; i < n; i += 1) scores[i] = roundScore(byNode[i] ?? 0);
  return { over, scores, ...ranksOf(scores) };
}

/**
 * Scores kept to 12 significant digits: papers placed alike in the graph (the leaves of a star) get
 * scores equal but for rounding noise, and should share a rank.
 */
const roundScore = (score: number) => Number(score.toPrecision(12));

/** Ranks (ties share the better rank) and percentiles of scores. */
export function ranksOf(scores: Float64Array): { ranks: Int32Array; percentiles: Float64Array } {
  const n = scores.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[b]! - scores[a]! || a - b);
  const ranks = new Int32Array(n);
  const percentiles = new Float64Array(n);
  for (let position = 0; position < n; position += 1) {
    const node = order[position]!;
    const tiedWithPrevious = position > 0 && scores[order[position - 1]!] === scores[node];
    ranks[node] = tiedWithPrevious ? ranks[order[position - 1]!]! : position + 1;
  }
  // Papers with a lower score are those ranked after the last of this score's ties.
  let lastOfTies = n;
  for (let position = n - 1; position >= 0; position -= 1) {
    const node = order[position]!;
    if (position < n - 1 && scores[order[position + 1]!] !== scores[node]) lastOfTies = position + 1;
    percentiles[node] = Math.round((10_000 * (n - lastOfTies)) / n) / 100;
  }
  return { ranks, percentiles };
}

/** An author's influence: the sum of their papers' influence, so both how much and how influential they wrote count. */
export function authorInfluence(data: GraphData, paperScores: Float64Array): Float64Array {
  const scores = new Float64Array(data.authorUids.length);
  for (let author = 0; author < scores.length; author += 1) {
    let sum = 0;
    for (let j = data.papersOf.start[author]!; j < data.papersOf.start[author + 1]!; j += 1) sum += paperScores[data.papersOf.items[j]!]!;
    scores[author] = roundScore(sum);
  }
  return scores;
}
