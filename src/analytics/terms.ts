/** Words that say nothing of a title's subject: English function words and the generic words of paper titles. */
const stopWords = new Set(
  `a an and are as at be by for from in into is it its of on or that the this to with without via using use towards toward
   through over under can do does not new we our their how what when why which who vs versus based study analysis approach
   approaches method methods paper results model models case more than beyond all one two three`.split(/\s+/),
);

/**
 * ICU's word segmentation (Intl.Segmenter): it splits Japanese, which has no spaces, by dictionary, and
 * Latin text at spaces and punctuation, so one pass serves both kinds of title.
 */
const segmenter = new Intl.Segmenter('ja', { granularity: 'word' });

/** Hiragana only: particles and endings (の, による, する), not subjects. */
const hiraganaOnly = /^[\p{Script=Hiragana}ー]+$/u;
const latin = /^[\p{Script=Latin}\p{N}-]+$/u;

/** The distinct words of a title (English or Japanese) that can name a subject, lower-cased. */
export function titleWords(title: string): Set<string> {
  const words = new Set<string>();
  for (const { segment, isWordLike } of segmenter.segment(title.toLowerCase())) {
    if (!isWordLike || /^\p{N}+$/u.test(segment)) continue;
    if (latin.test(segment) ? segment.length >= 3 && !stopWords.has(segment) : segment.length >= 2 && !hiraganaOnly.test(segment)) {
      words.add(segment);
    }
  }
  return words;
}

/**
 * The most distinctive title words of each group: TF-IDF, where a word's frequency is the share of the
 * group's papers whose titles (English and Japanese) hold it and its rarity log(papers / papers holding
 * it) over the whole graph. A word in a single paper of a group larger than two does not name it. Ties
 * go alphabetically. Each title is split into words once (the segmenter is most of the cost), and the
 * words are kept as numbers.
 */
export function topTerms(titles: readonly (string | null)[], titlesJa: readonly (string | null)[], groups: readonly number[][], count: number): string[][] {
  const idOf = new Map<string, number>();
  const words: string[] = [];
  const documentFrequency: number[] = [];
  // The distinct words of paper p are wordIds[wordStart[p] .. wordStart[p + 1]).
  const wordStart = new Int32Array(titles.length + 1);
  const wordIds: number[] = [];
  const titledPaper = new Uint8Array(titles.length);
  let documents = 0;
  for (let paper = 0; paper < titles.length; paper += 1) {
    const [title, titleJa] = [titles[paper], titlesJa[paper]];
    if (title != null || titleJa != null) {
      titledPaper[paper] = 1;
      documents += 1;
      for (const word of new Set([...(title == null ? [] : titleWords(title)), ...(titleJa == null ? [] : titleWords(titleJa))])) {
        let id = idOf.get(word);
        if (id === undefined) {
          id = words.length;
          idOf.set(word, id);
          words.push(word);
          documentFrequency.push(0);
        }
        documentFrequency[id]! += 1;
        wordIds.push(id);
      }
    }
    wordStart[paper + 1] = wordIds.length;
  }
  const frequency = new Int32Array(words.length);
  const seen: number[] = [];
  return groups.map((members) => {
    let titled = 0;
    for (const paper of members) {
      if (!titledPaper[paper]) continue;
      titled += 1;
      for (let j = wordStart[paper]!; j < wordStart[paper + 1]!; j += 1) {
        const id = wordIds[j]!;
        if (frequency[id] === 0) seen.push(id);
        frequency[id]! += 1;
      }
    }
    const minimum = titled > 2 ? 2 : 1;
    const scored: { word: string; score: number }[] = [];
    for (const id of seen) {
      const tf = frequency[id]!;
      frequency[id] = 0;
      if (tf < minimum) continue;
      const score = (tf / titled) * Math.log(documents / documentFrequency[id]!);
      if (score > 0) scored.push({ word: words[id]!, score });
    }
    seen.length = 0;
    return scored
      .sort((a, b) => b.score - a.score || (a.word < b.word ? -1 : 1))
      .slice(0, count)
      .map(({ word }) => word);
  });
}
