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

  for (let paper = 0; paper < n; paper += 1) {
    walk(data.cites, data.citedBy, references, paper);
    walk(data.citedBy, data.cites, citers, paper);
    walk(data.authorsOf, data.papersOf, authors, paper);
    const scored: SimilarOf['similar'] = [];
    for (const other of touched) {
      const facets = [
        [similarityWeights.references, references[other]!, degree(data.cites, paper), degree(data.cites, other)],
        [similarityWeights.citers, citers[other]!, degree(data.citedBy, paper), degree(data.citedBy, other)],
        [similarityWeights.authors, authors[other]!, degree(data.authorsOf, paper), degree(data.authorsOf, other)],
      ] as const;
      let score = 0;
      let weights = 0;
      for (const [weight, shared, a, b] of facets) {
        if (a + b === 0) continue;
        weights += weight;
        score += weight * jaccard(shared, a, b);
      }
      scored.push({
        paper: other,
        score: Number((score / weights).toPrecision(12)),
        references: references[other]!,
        citers: citers[other]!,
        authors: authors[other]!,
      });
      references[other] = 0;
      citers[other] = 0;
      authors[other] = 0;
    }
    touched.length = 0;
    // Papers are indexed in uid order, so ties go to the lower uid.
    scored.sort((a, b) => b.score - a.score || a.paper - b.paper);
    out.push({ paper, similar: scored.slice(0, options.topK) });
    if (out.length === batchSize) {
      yield out;
      out = [];
    }
  }
  if (out.length > 0) yield out;
}
