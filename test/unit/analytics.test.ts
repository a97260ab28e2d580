import { describe, expect, it } from 'vitest';
import { ranksOf } from '../../src/analytics/influence.ts';
import { titleWords, topTerms } from '../../src/analytics/terms.ts';

describe('community terms', () => {
  it('splits English and Japanese titles into subject words, without function words or particles', () => {
    expect([...titleWords('Attention Is All You Need for Graph-based Learning 2024')]).toEqual(['attention', 'you', 'need', 'graph', 'learning']);
    expect([...titleWords('大規模言語モデルによる機械翻訳の評価')]).toEqual(['大規模', '言語', 'モデル', '機械', '翻訳', '評価']);
  });

  it('labels a group by its most distinctive words across English and Japanese titles (TF-IDF)', () => {
    const titles = ['Protein folding with transformers', 'Protein folding at scale', 'Protein folding benchmarks', 'Galaxy surveys with transformers'];
    const titlesJa = ['タンパク質フォールディング', 'タンパク質の構造', null, '銀河サーベイ'];
    // Group 1 (3 titled papers of 4): タンパク質 in 2 of them and 2 of all, (2/3)·ln(4/2) = 0.46; protein and
    // folding in 3 of 3 and 3 of all, 1·ln(4/3) = 0.29; words in one title only do not name a group of three.
    // Group 2 (one paper): its words in no other title, ln 4, ties alphabetical; transformers ln 2 comes after.
    expect(topTerms(titles, titlesJa, [[0, 1, 2], [3]], 3)).toEqual([
      ['タンパク質', 'folding', 'protein'],
      ['galaxy', 'surveys', 'サーベイ'],
    ]);
  });
});

describe('influence ranks', () => {
  it('gives equal scores one rank and the share of lower scores as the percentile', () => {
    const { ranks, percentiles } = ranksOf(Float64Array.from([0.1, 0.4, 0.1, 0.2, 0.2]));
    expect([...ranks]).toEqual([4, 1, 4, 2, 2]);
    expect([...percentiles]).toEqual([0, 80, 0, 40, 40]);
  });
});
