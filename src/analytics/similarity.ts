import { degree, type Csr, type GraphData } from './graph-data.ts';

/**
 * Weights of the three Jaccard indexes a similarity blends: shared references (bibliographic coupling)
 * count most, shared citers (co-citation) next, shared authors least (an author's papers are often on
 * other subjects). The blend is divided by the weights of the facets either paper has at all, so two
 * papers sharing every reference and having no citers or authors score 1.
 */
export const similarityWeights = { references: 0.45, citers: 0.35, authors: 0.2 } as const;

/** One paper's most similar papers, by index, with what they share. */
export interface SimilarOf {
  paper: number;
  similar: { paper: number; score: number; references: number; citers: number; authors: number }[];
}

export interface SimilarityOptions {
  /** Papers kept per paper. */
  topK: number;
  /** A reference cited by, a citer citing, or an author of more than this many papers makes no candidates (hubs relate everything to everything). */
  hubCap: number;
}

/**
 * The top-k most similar papers of every paper, with what they share. Candidates are the papers that
 * share a reference, a citer or an author with it through a node under the hub cap; their shared
 * counts are exact except through such hubs, which are not counted. Yielded in batches, to be written
 * as they come rather than held for the whole graph.
 */
export function* similarBatches(data: GraphData, options: SimilarityOptions, batchSize: number): Generator<SimilarOf[]> {
  const n = data.paperUids.length;
  const references = new Int32Array(n);
  const citers = new Int32Array(n);
  const authors = new Int32Array(n);
  const touched: number[] = [];
  let out: SimilarOf[] = [];

  // Through every item (a reference, a citer, an author) of `paper` to the other papers holding it.
  const walk = (own: Csr, back: Csr, counts: Int32Array, paper: number) => {
    for (let j = own.start[paper]!; j < own.start[paper + 1]!; j += 1) {
      const item = own.items[j]!;
      if (degree(back, item) > options.hubCap) continue;
      for (let k = back.start[item]!; k < back.start[item + 1]!; k += 1) {
        const other = back.items[k]!;
        if (other === paper) continue;
        if (references[other] === 0 && citers[other] === 0 && authors[other] === 0) touched.push(other);
        counts[other]! += 1;
      }
    }
  };

  const jaccard = (shared: number, a: number, b: number) => (shared === 0 ? 0 : shared / (a + b - shared));
  const degrees = (csr: Csr) => Int32Array.from({ length: n }, (_, node) => degree(csr, node));
  const referenceCount = degrees(data.cites);
  const citerCount = degrees(data.citedBy);
  const authorCount = degrees(data.authorsOf);
  // The facets' weights and degrees are read per candidate into numbers, not arrays: a paper can have a
  // thousand candidates, and every object made for one of them was garbage a moment later.
  const rawScore = (paper: number, other: number) => {
    let score = 0;
    let weights = 0;
    const refA = referenceCount[paper]!;
    const refB = referenceCount[other]!;
    if (refA + refB > 0) {
      weights += similarityWeights.references;
      score += similarityWeights.references * jaccard(references[other]!, refA, refB);
    }
    const citA = citerCount[paper]!;
    const citB = citerCount[other]!;
    if (citA + citB > 0) {
      weights += similarityWeights.citers;
      score += similarityWeights.citers * jaccard(citers[other]!, citA, citB);
    }
    const autA = authorCount[paper]!;
    const autB = authorCount[other]!;
    if (autA + autB > 0) {
      weights += similarityWeights.authors;
      score += similarityWeights.authors * jaccard(authors[other]!, autA, autB);
    }
    return score / weights;
  };
  // The k best raw scores so far (a min-heap): the k-th of them bounds which candidates can make the top k.
  const heap = new Float64Array(options.topK);
  const raw = new Float64Array(n);

  for (let paper = 0; paper < n; paper += 1) {
    walk(data.cites, data.citedBy, references, paper);
    walk(data.citedBy, data.cites, citers, paper);
    walk(data.authorsOf, data.papersOf, authors, paper);
    let heapSize = 0;
    for (const other of touched) {
      const score = rawScore(paper, other);
      raw[other] = score;
      if (heapSize < heap.length) {
        heap[heapSize] = score;
        heapSize += 1;
        for (let i = heapSize - 1; i > 0 && heap[(i - 1) >> 1]! > heap[i]!; i = (i - 1) >> 1) swap(heap, i, (i - 1) >> 1);
      } else if (heap.length > 0 && score > heap[0]!) {
        heap[0] = score;
        siftDown(heap, 0, heapSize);
      }
    }
    // Scores are kept to 12 significant digits, and ties go to the lower index (the lower uid); rounding
    // can tie a score just below the k-th with it, so the threshold leaves room for that.
    const threshold = heapSize < heap.length ? 0 : heap[0]! * (1 - 1e-9);
    const scored: SimilarOf['similar'] = [];
    for (const other of touched) {
      if (raw[other]! >= threshold) {
        scored.push({
          paper: other,
          score: Number(raw[other]!.toPrecision(12)),
          references: references[other]!,
          citers: citers[other]!,
          authors: authors[other]!,
        });
      }
      references[other] = 0;
      citers[other] = 0;
      authors[other] = 0;
    }
    touched.length = 0;
    scored.sort((a, b) => b.score - a.score || a.paper - b.paper);
    out.push({ paper, similar: scored.slice(0, options.topK) });
    if (out.length === batchSize) {
      yield out;
      out = [];
    }
  }
  if (out.length > 0) yield out;
}

function swap(heap: Float64Array, i: number, j: number): void {
  const value = heap[i]!;
  heap[i] = heap[j]!;
  heap[j] = value;
}

function siftDown(heap: Float64Array, from: number, size: number): void {
  for (let i = from; ; ) {
    const left = 2 * i + 1;
    const right = left + 1;
    let least = i;
    if (left < size && heap[left]! < heap[least]!) least = left;
    if (right < size && heap[right]! < heap[least]!) least = right;
    if (least === i) return;
    swap(heap, i, least);
    i = least;
  }
}
