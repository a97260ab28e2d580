/**
 * Synthetic page generator: writes N pages in exactly the scraped site's format (see src/load/page-parser.ts),
 * deterministic for a given seed.
 *
 *   tsx seed/generate.ts --papers 100000 --out /tmp/pages [--seed 42] [--per-dir 1000]
 *
 * Every paper's metadata (title, arXiv id, date, authors) is a pure function of (seed, N, index),
 * so a page can name the titles/dates of other papers in its related list without keeping any
 * table in memory: generation streams to disk in constant memory, ~1000 files per subdirectory.
 *
 * Data shape: unique titles (unique acronym prefix) and unique new-style arXiv ids; authors drawn
 * from a shared pool with a Zipf-like (≈1/rank) distribution, some written with LaTeX accents
 * (`\'Eric`, `M{\"u}ller`) and some in Unicode; trailing commas after the author list sometimes;
 * titles and abstracts wrapped at ~80 columns sometimes; 5–10 related entries per page pointing
 * at other generated papers, some with a swallowed space (as the real site does); related scores
 * include 0.0 now and then.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { mulberry32 } from '../src/random.ts';

// ---------------------------------------------------------------------------------------------
// PRNG

/** 32-bit hash of a few integers (murmur3 finalizer over a running mix). */
export function hash32(...xs: number[]): number {
  let h = 0x9e3779b9;
  for (const x of xs) {
    h = Math.imul(h ^ (x >>> 0), 0x85ebca6b);
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35);
    h ^= h >>> 16;
    // fold in the high bits of numbers beyond 32 bits
    h = Math.imul(h ^ Math.floor(x / 4294967296), 0x27d4eb2d);
    h ^= h >>> 15;
  }
  return h >>> 0;
}

class Rng {
  readonly next: () => number;
  constructor(seed: number) {
    this.next = mulberry32(seed);
  }
  int(lo: number, hi: number): number {
    // inclusive bounds
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.next() * xs.length)] as T;
  }
}

// Independent streams per paper, so one paper's title/date can be recomputed without its page.
const STREAM_TITLE = 1;
const STREAM_META = 2;
const STREAM_PAGE = 3;

function rngFor(seed: number, index: number, stream: number): Rng {
  return new Rng(hash32(seed, index, stream));
}

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

/** A multiplier coprime to m, picked from the seed (for index permutations i → (a·i + b) mod m). */
function coprimeMultiplier(m: number, seed: number, salt: number): number {
  if (m <= 2) return 1;
  let a = 2 + (hash32(seed, salt) % (m - 2));
  while (gcd(a, m) !== 1) a = a + 1 >= m ? 2 : a + 1;
  return a;
}

// ---------------------------------------------------------------------------------------------
// Vocabulary

const ADJ = [
  'Scalable',
  'Efficient',
  'Robust',
  'Contrastive',
  'Hierarchical',
  'Sparse',
  'Multilingual',
  'Self-Supervised',
  'Zero-Shot',
  'Few-Shot',
  'Fine-Tuned',
  'Pre-Trained',
  'Adaptive',
  'Causal',
  'Masked',
  'Retrieval-Augmented',
  'Lightweight',
  'Interpretable',
  'Federated',
  'Multimodal',
  'Autoregressive',
  'Non-Autoregressive',
  'Instruction-Tuned',
  'Low-Rank',
  'Quantized',
  'Distilled',
  'Curriculum-Based',
  'Energy-Based',
  'Bidirectional',
  'Decentralized',
] as const;
const NOUN = [
  'Language Models',
  'Transformers',
  'Diffusion Models',
  'Representations',
  'Embeddings',
  'Tokenizers',
  'Mixture-of-Experts',
  'Attention Mechanisms',
  'Reward Models',
  'Knowledge Graphs',
  'Vision-Language Models',
  'Speech Encoders',
  'Retrievers',
  'State Space Models',
  'Graph Neural Networks',
  'Agents',
  'Decoders',
  'Adapters',
] as const;
const TASK = [
  'Machine Translation',
  'Question Answering',
  'Text Summarization',
  'Code Generation',
  'Semantic Parsing',
  'Named Entity Recognition',
  'Reading Comprehension',
  'Dialogue Generation',
  'Information Retrieval',
  'Math Reasoning',
  'Sentiment Analysis',
  'Document Classification',
  'Speech Recognition',
  'Image Captioning',
  'Commonsense Reasoning',
  'Fact Verification',
  'Cross-lingual Transfer',
  'Long-Context Modeling',
] as const;
const METHOD = [
  'Weight Tying',
  'Model Merging',
  'Knowledge Distillation',
  'Contrastive Learning',
  'Curriculum Learning',
  'Preference Optimization',
  'Prompt Tuning',
  'Low-Rank Adaptation',
  'Data Augmentation',
  'Earth Mover Distance',
  'Noise Stability Regularization',
  'Dynamic Blocking',
  'Speculative Decoding',
  'Token Pruning',
  'Spherical Interpolation',
] as const;
const DOMAIN = [
  'Low-Resource Languages',
  'the Wild',
  'Scientific Text',
  'Clinical Notes',
  'Legal Documents',
  'Social Media',
  'Multilingual Settings',
  'Edge Devices',
  'Long Documents',
] as const;
const PROP = ['Robustness', 'Scaling Laws', 'Calibration', 'Generalization', 'Efficiency', 'Interpretability', 'Limits'] as const;

const JA_ADJ = [
  'スケーラブルな',
  '効率的な',
  '頑健な',
  '対照的な',
  '階層的な',
  'スパースな',
  '多言語',
  '自己教師付き',
  'ゼロショット',
  '少数ショット',
  '適応的な',
  '軽量な',
  '解釈可能な',
  'マルチモーダル',
] as const;
const JA_NOUN = [
  '言語モデル',
  '拡散モデル',
  '表現学習',
  'トークン化',
  '専門家混合モデル',
  '注意機構',
  '報酬モデル',
  '知識グラフ',
  '視覚言語モデル',
  '音声エンコーダ',
  '検索器',
  '状態空間モデル',
  'グラフニューラルネットワーク',
] as const;
const JA_TASK = [
  '機械翻訳',
  '質問応答',
  'テキスト要約',
  'コード生成',
  '意味解析',
  '固有表現認識',
  '読解',
  '対話生成',
  '情報検索',
  '数学的推論',
  '感情分析',
  '文書分類',
  '音声認識',
  '画像キャプション生成',
  '常識推論',
  '事実検証',
  '言語間転移',
  '長文脈モデリング',
] as const;

const FOOTER = [
  '関連論文リストは本サイト内にある論文のタイトル・アブストラクトから自動的に作成しています。',
  '指定された論文の情報です。',
  '本サイトの運営者は本サイト(すべての情報・翻訳含む)の品質を保証せず、本サイト(すべての情報・翻訳含む)を使用して発生したあらゆる結果について一切の責任を負いません。',
];

const LICENSES = [
  'http://creativecommons.org/licenses/by/4.0/',
  'http://creativecommons.org/licenses/by-sa/4.0/',
  'http://creativecommons.org/licenses/by-nc-sa/4.0/',
  'http://arxiv.org/licenses/nonexclusive-distrib/1.0/',
];

/** A name part: its Unicode form and, for accented ones, LaTeX spellings as arXiv metadata has them. */
interface NamePart {
  u: string;
  tex?: readonly string[];
}
const np = (u: string, ...tex: string[]): NamePart => (tex.length ? { u, tex } : { u });

export const FIRST_NAMES: readonly NamePart[] = [
  np('Nathan'),
  np('Xinru'),
  np('Bin'),
  np('Shiwei'),
  np('Jie'),
  np('Tao'),
  np('Yuanbin'),
  np('Niels'),
  np('Desmond'),
  np('Shen'),
  np('Fengqi'),
  np('Chao'),
  np('Tianyu'),
  np('Qian'),
  np('Min'),
  np('Siyu'),
  np('Kenny'),
  np('Anna'),
  np('Maria'),
  np('David'),
  np('Sarah'),
  np('Hiroshi'),
  np('Yuki'),
  np('Priya'),
  np('Omar'),
  np('Elena'),
  np('Lucas'),
  np('Mei'),
  np('Ivan'),
  np('Grace'),
  np('Ahmed'),
  np('Laura'),
  np('Éric', "\\'Eric", "{\\'E}ric", "\\'{E}ric"),
  np('Benoît', 'Beno\\^it', 'Beno\\^{\\i}t'),
  np('François', 'Fran\\c{c}ois', 'Fran\\c cois', 'Fran{\\c{c}}ois'),
  np('Jürgen', 'J\\"urgen', 'J{\\"u}rgen'),
  np('José', "Jos\\'e", "Jos{\\'e}"),
  np('Zoë', 'Zo\\"e'),
  np('Søren', 'S{\\o}ren', 'S\\o ren'),
  np('Łukasz', '\\L ukasz', '{\\L}ukasz'),
  np('Ana-María', "Ana-Mar\\'{\\i}a", "Ana-Mar\\'ia"),
  np('Åsa', '{\\AA}sa', '\\AA sa'),
];
export const LAST_NAMES: readonly NamePart[] = [
  np('Godey'),
  np('Sagot'),
  np('Yu'),
  np('Guo'),
  np('Luo'),
  np('Wang'),
  np('Ji'),
  np('Wu'),
  np('Horn'),
  np('Elliott'),
  np('Nie'),
  np('Zhu'),
  np('Du'),
  np('Pang'),
  np('Liu'),
  np('Zeng'),
  np('Lin'),
  np('Li'),
  np('Ren'),
  np('Smith'),
  np('Tanaka'),
  np('Suzuki'),
  np('Kumar'),
  np('Garcia'),
  np('Rossi'),
  np('Novak'),
  np('Petrov'),
  np('Chen'),
  np('Kim'),
  np('Park'),
  np('Nguyen'),
  np('Schmidt'),
  np('de la Clergerie'),
  np('Müller', 'M\\"uller', 'M{\\"u}ller'),
  np('Dvořák', "Dvo\\v{r}\\'ak"),
  np('Gómez', "G\\'omez", "G{\\'o}mez"),
  np('Núñez', "N\\'u\\~nez"),
  np('Erdős', 'Erd\\H{o}s'),
  np('Šimek', '\\v{S}imek'),
  np('Kučera', 'Ku\\v{c}era'),
  np('Østergaard', '{\\O}stergaard', '\\O stergaard'),
  np('Straße', 'Stra\\ss e', 'Stra{\\ss}e'),
  np('Wałęsa', 'Wa\\l\\k{e}sa'),
  np('Çelik', '\\c{C}elik'),
  np('Håkansson', 'H\\aa kansson', 'H{\\aa}kansson'),
];

// ---------------------------------------------------------------------------------------------
// Context: everything derived once from (seed, N)

interface Context {
  seed: number;
  papers: number;
  /** index permutation for arXiv ids */
  idA: number;
  idB: number;
  /** id numbers per (month, block): block k owns numbers k·stride+1 … (k+1)·stride */
  idStride: number;
  /** acronym: `acrLen` syllables, index permuted over SYLLABLES^acrLen */
  acrLen: number;
  acrSpace: number;
  acrA: number;
  acrB: number;
  /** author pool and its permutation */
  authors: number;
  authA: number;
  authB: number;
}

const MONTHS = 120; // 2015-01 … 2024-12: new-style 5-digit ids
const CONSONANTS = 'bdfgklmnprstvz';
const VOWELS = 'aeiou';
const SYLLABLES = CONSONANTS.length * VOWELS.length;

function makeContext(seed: number, papers: number): Context {
  if (!Number.isSafeInteger(papers) || papers < 1) throw new Error(`--papers must be a positive integer, got ${papers}`);
  if (papers > MONTHS * 99_999) throw new Error(`--papers must be at most ${MONTHS * 99_999}`);
  const blocks = Math.ceil(papers / MONTHS);
  let acrLen = 3;
  while (SYLLABLES ** acrLen < papers) acrLen++;
  const acrSpace = SYLLABLES ** acrLen;
  const authors = Math.max(30, Math.ceil(papers * 1.5));
  return {
    seed,
    papers,
    idA: coprimeMultiplier(papers, seed, 11),
    idB: hash32(seed, 12) % papers,
    idStride: Math.floor(99_999 / blocks),
    acrLen,
    acrSpace,
    acrA: coprimeMultiplier(acrSpace, seed, 21),
    acrB: hash32(seed, 22) % acrSpace,
    authors,
    authA: coprimeMultiplier(authors, seed, 31),
    authB: hash32(seed, 32) % authors,
  };
}

/** (a·i + b) mod m without leaving the safe-integer range. */
function affine(a: number, i: number, b: number, m: number): number {
  return Number((BigInt(a) * BigInt(i) + BigInt(b)) % BigInt(m));
}

// ---------------------------------------------------------------------------------------------
// Papers (pure functions of ctx and index)

export interface PaperMeta {
  index: number;
  arxivId: string;
  version: number;
  /** acronym that starts the title (unique per paper) */
  acronym: string;
  title: string;
  /** publication instant, ms since epoch (whole seconds) */
  published: number;
}

function acronymFor(ctx: Context, index: number): string {
  let c = affine(ctx.acrA, index, ctx.acrB, ctx.acrSpace);
  let s = '';
  for (let k = 0; k < ctx.acrLen; k++) {
    const syl = c % SYLLABLES;
    c = Math.floor(c / SYLLABLES);
    s += (CONSONANTS[Math.floor(syl / VOWELS.length)] as string) + (VOWELS[syl % VOWELS.length] as string);
  }
  return s;
}

function titlePhrase(r: Rng): string {
  switch (r.int(0, 5)) {
    case 0:
      return `${r.pick(ADJ)} ${r.pick(NOUN)} for ${r.pick(TASK)}`;
    case 1:
      return `${r.pick(ADJ)} ${r.pick(TASK)} via ${r.pick(METHOD)}`;
    case 2:
      return `Towards ${r.pick(ADJ)} ${r.pick(NOUN)}: ${r.pick(METHOD)} for ${r.pick(TASK)} in ${r.pick(DOMAIN)}`;
    case 3:
      return `On the ${r.pick(PROP)} of ${r.pick(ADJ)} ${r.pick(NOUN)}`;
    case 4:
      return `Learning ${r.pick(ADJ)} ${r.pick(NOUN)} with ${r.pick(METHOD)} and ${r.pick(ADJ)} ${r.pick(METHOD)}`;
    default:
      return `${r.pick(METHOD)} Improves ${r.pick(ADJ)} ${r.pick(NOUN)} for ${r.pick(TASK)} in ${r.pick(DOMAIN)}`;
  }
}

function paperMeta(ctx: Context, index: number): PaperMeta {
  const tr = rngFor(ctx.seed, index, STREAM_TITLE);
  const syl = acronymFor(ctx, index);
  const style = tr.int(0, 2);
  const acronym = style === 0 ? syl.toUpperCase() : style === 1 ? syl[0]!.toUpperCase() + syl.slice(1) : syl.slice(0, -1).toUpperCase() + syl.slice(-1);
  const title = `${acronym}: ${titlePhrase(tr)}`;

  // id: permuted index s → month s mod 120, number in block ⌊s/120⌋ (unique per paper)
  const mr = rngFor(ctx.seed, index, STREAM_META);
  const s = affine(ctx.idA, index, ctx.idB, ctx.papers);
  const month = s % MONTHS;
  const block = Math.floor(s / MONTHS);
  const num = block * ctx.idStride + 1 + (hash32(ctx.seed, s, 41) % ctx.idStride);
  const year = 2015 + Math.floor(month / 12);
  const mon = (month % 12) + 1;
  const arxivId = `${String(year % 100).padStart(2, '0')}${String(mon).padStart(2, '0')}.${String(num).padStart(5, '0')}`;
  const days = new Date(Date.UTC(year, mon, 0)).getUTCDate();
  const published = Date.UTC(year, mon - 1, mr.int(1, days), mr.int(0, 23), mr.int(0, 59), mr.int(0, 59));
  const v = mr.next();
  const version = v < 0.7 ? 1 : v < 0.9 ? 2 : 3;
  return { index, arxivId, version, acronym, title, published };
}

/** Unicode and page spellings of author `k` of the pool (names are unique per k). */
function authorName(ctx: Context, k: number, r: Rng): { unicode: string; written: string } {
  let q = affine(ctx.authA, k, ctx.authB, ctx.authors);
  const f = q % FIRST_NAMES.length;
  const first = FIRST_NAMES[f] as NamePart;
  q = Math.floor(q / FIRST_NAMES.length);
  // offset the last name by a hash of the first, so a small pool still mixes all last names
  const last = LAST_NAMES[(q + hash32(ctx.seed, f, 51)) % LAST_NAMES.length] as NamePart;
  q = Math.floor(q / LAST_NAMES.length);
  // remaining digits → middle initials (bijective base 26), keeping names unique per k
  const initials: string[] = [];
  while (q > 0) {
    q -= 1;
    initials.push(`${String.fromCharCode(65 + (q % 26))}.`);
    q = Math.floor(q / 26);
  }
  const middle = initials.length ? ` ${initials.join(' ')}` : '';
  const write = (p: NamePart): string => (p.tex && r.chance(0.4) ? r.pick(p.tex) : p.u);
  return { unicode: `${first.u}${middle} ${last.u}`, written: `${write(first)}${middle} ${write(last)}` };
}

/**
 * Zipf-like pick of a pool rank in [0, m): density ∝ 1/(x + K0) (inverse-CDF sampling), so
 * P(rank k) ≈ 1/(k + K0): a few prolific authors, a long tail of one-paper authors. K0 flattens
 * the very top (with 150 000 authors the first one still gets ~1% of all authorships).
 */
const ZIPF_K0 = 10;
function zipfRank(r: Rng, m: number): number {
  const x = ZIPF_K0 * Math.exp(r.next() * Math.log((m + ZIPF_K0) / ZIPF_K0)) - ZIPF_K0;
  return Math.min(m - 1, Math.max(0, Math.floor(x)));
}

// ---------------------------------------------------------------------------------------------
// Text helpers

function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let cur = '';
  for (const w of text.split(' ')) {
    if (cur !== '' && cur.length + 1 + w.length > width) {
      lines.push(cur);
      cur = w;
    } else cur = cur === '' ? w : `${cur} ${w}`;
  }
  if (cur !== '') lines.push(cur);
  return lines;
}

/** Python-repr-like float (the site prints Python floats): 0 → "0.0". */
function fmtScore(x: number): string {
  return Number.isInteger(x) ? x.toFixed(1) : String(x);
}

const pad2 = (n: number): string => String(n).padStart(2, '0');

function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function jaSentence(r: Rng, acr: string): string {
  const JA = [
    () => `本稿では,${r.pick(JA_TASK)}のための新しい${r.pick(JA_NOUN)}である${acr}を提案する。`,
    () => `${acr}は${r.pick(JA_ADJ)}${r.pick(JA_NOUN)}の利点を活かし,${r.pick(JA_TASK)}の性能を大幅に向上させる。`,
    () => `実験の結果,提案手法は既存のベースラインを平均${r.int(1, 40)}%上回ることが示された。`,
    () => `我々は${r.pick(JA_NOUN)}と${r.pick(JA_NOUN)}を統合したフレームワークを導入する。`,
    () => `${r.int(2, 12)}つのベンチマークで評価を行い、最先端の結果を達成した。`,
    () => `さらに,${r.pick(JA_TASK)}における${r.pick(JA_NOUN)}の振る舞いを詳細に分析する。`,
    () => `提案手法は追加の学習データを必要とせず,推論時の計算コストを${r.int(5, 90)}%削減する。`,
    () => `この結果は、${r.pick(JA_ADJ)}${r.pick(JA_NOUN)}が${r.pick(JA_TASK)}において有望であることを示唆している。`,
    () => 'コードとモデルは公開されている。',
  ];
  return r.pick(JA)();
}

function enSentence(r: Rng, acr: string): string {
  const lc = (s: string): string => s.toLowerCase();
  const EN = [
    () => `We propose ${acr}, a ${lc(r.pick(ADJ))} approach to ${lc(r.pick(TASK))} based on ${lc(r.pick(METHOD))}.`,
    () => `${r.pick(NOUN)} have shown remarkable progress in ${lc(r.pick(TASK))}, yet their ${lc(r.pick(PROP))} remains poorly understood.`,
    () => `Experiments on ${r.int(2, 12)} benchmarks show that ${acr} outperforms strong baselines by ${r.int(1, 9)}.${r.int(0, 9)}% on average.`,
    () => `Our method requires no additional training data and reduces inference cost by up to ${r.int(2, 20)} times.`,
    () => `We further analyze the ${lc(r.pick(PROP))} of ${lc(r.pick(ADJ))} ${lc(r.pick(NOUN))} in ${r.pick(DOMAIN)}.`,
    () => `Unlike prior work on ${lc(r.pick(METHOD))}, ${acr} scales to models with ${r.int(1, 70)}B parameters.`,
    () => `Code is available at https://github.com/example/${lc(acr)}.`,
  ];
  return r.pick(EN)();
}

// ---------------------------------------------------------------------------------------------
// One page

export interface GeneratedPage {
  index: number;
  arxivId: string;
  title: string;
  /** path relative to the output directory, e.g. `0003/0003141_2107.01234.txt` */
  path: string;
  text: string;
}

function renderPage(ctx: Context, index: number, perDir: number): GeneratedPage {
  const meta = paperMeta(ctx, index);
  const r = rngFor(ctx.seed, index, STREAM_PAGE);
  const out: string[] = [];

  const titleLines = meta.title.length > 72 && r.chance(0.75) ? wrap(meta.title, 72) : [meta.title];
  out.push(`論文の概要: ${titleLines[0]}`, ...titleLines.slice(1));
  out.push(`- arxiv url: http://arxiv.org/abs/${meta.arxivId}v${meta.version}`);
  out.push(`- Date: ${new Date(meta.published).toUTCString()}`);
  out.push(`- ステータス: ${r.chance(0.6) ? '翻訳完了' : '処理完了'}`);
  const upd = new Date(meta.published + r.int(1, 4) * 86_400_000 + r.int(0, 86_399) * 1000);
  const micros = r.chance(0.03) ? '' : `.${String(r.int(0, 999_999)).padStart(6, '0')}`;
  out.push(
    `- システム内更新日: ${upd.getUTCFullYear()}-${pad2(upd.getUTCMonth() + 1)}-${pad2(upd.getUTCDate())} ` +
      `${pad2(upd.getUTCHours())}:${pad2(upd.getUTCMinutes())}:${pad2(upd.getUTCSeconds())}${micros}`,
  );
  out.push(`- Title: ${titleLines[0]}`, ...titleLines.slice(1));
  out.push(`- Title(参考訳): ${meta.acronym}: ${r.pick(JA_ADJ)}${r.pick(JA_NOUN)}による${r.pick(JA_TASK)}`);

  // authors: 1–8, distinct, Zipf-like over the shared pool
  const nAuthors = r.pick([1, 2, 2, 3, 3, 3, 4, 4, 5, 6, 7, 8]);
  const seen = new Set<number>();
  const written: string[] = [];
  for (let t = 0; written.length < nAuthors && t < nAuthors * 20; t++) {
    const k = zipfRank(r, ctx.authors);
    if (seen.has(k)) continue;
    seen.add(k);
    written.push(authorName(ctx, k, r).written);
  }
  out.push(`- Authors: ${written.join(', ')}${r.chance(0.4) ? ',' : ''}`);

  const summary = Array.from({ length: r.int(1, 3) }, () => jaSentence(r, meta.acronym));
  out.push(`- Abstract要約: ${summary[0]}`, ...summary.slice(1));
  out.push(`- 参考スコア(独自算出の注目度): ${fmtScore(r.chance(0.02) ? 0 : 0.05 + r.next() * 60)}`);
  out.push(r.chance(0.5) ? '- License:' : `- License: ${r.pick(LICENSES)}`);
  const abstract = Array.from({ length: r.int(4, 9) }, () => enSentence(r, meta.acronym)).join(' ');
  const absLines = r.chance(0.5) ? wrap(abstract, 80) : [abstract];
  out.push(`- Abstract: ${absLines[0]}`, ...absLines.slice(1));
  const abstractJa = Array.from({ length: r.int(4, 9) }, () => jaSentence(r, meta.acronym));
  out.push(`- Abstract(参考訳): ${abstractJa[0]}`, ...abstractJa.slice(1));

  // related: 5–10 other papers
  out.push('関連論文リスト');
  const nRelated = Math.min(ctx.papers - 1, r.int(5, 10));
  const picked = new Set<number>([index]);
  let prefix = '- ';
  for (let e = 0; e < nRelated; e++) {
    let j: number;
    do j = r.int(0, ctx.papers - 1);
    while (picked.has(j));
    picked.add(j);
    const rel = paperMeta(ctx, j);
    let t = rel.title;
    if (r.chance(0.06)) {
      // the site sometimes swallows a space where the arXiv title had a line break
      const spaces = [...t.matchAll(/ /g)].map((m) => m.index as number).filter((p) => p > rel.acronym.length + 1);
      if (spaces.length) {
        const p = r.pick(spaces);
        t = t.slice(0, p) + t.slice(p + 1);
      }
    }
    const score = r.chance(0.08) ? 0 : 0.3 + r.next() * 150;
    const lines = t.length > 72 && r.chance(0.7) ? wrap(t, 72) : [t];
    lines[lines.length - 1] = `${lines[lines.length - 1]} [${fmtScore(score)}]`;
    out.push(`${prefix}${lines[0]}`, ...lines.slice(1));
    const nSum = r.int(1, 4);
    for (let k = 0; k < nSum; k++) out.push(jaSentence(r, rel.acronym));
    prefix = `論文 参考訳(メタデータ) (${isoSeconds(rel.published)}) - `;
  }
  if (nRelated > 0) out.push(prefix.slice(0, -3));
  out.push(...FOOTER);

  const dir = String(Math.floor(index / perDir)).padStart(4, '0');
  const width = Math.max(7, String(ctx.papers - 1).length);
  return {
    index,
    arxivId: meta.arxivId,
    title: meta.title,
    path: `${dir}/${String(index).padStart(width, '0')}_${meta.arxivId}.txt`,
    text: out.join('\n'), // like the real pages: no newline after the last line
  };
}

// ---------------------------------------------------------------------------------------------
// Streaming API

export interface GenerateOptions {
  papers: number;
  /** output directory (created); files go to `<out>/<NNNN>/<index>_<arxivId>.txt` */
  out: string;
  seed?: number;
  /** files per subdirectory, default 1000 */
  perDir?: number;
}

/** Page texts one by one (nothing written), deterministic for (seed, papers). Constant memory. */
export function* pageTexts(options: { papers: number; seed?: number; perDir?: number }): Generator<GeneratedPage> {
  const ctx = makeContext(options.seed ?? 1, options.papers);
  const perDir = options.perDir ?? 1000;
  for (let i = 0; i < ctx.papers; i++) yield renderPage(ctx, i, perDir);
}

/** Metadata of paper `index` of a (seed, papers) corpus, without rendering its page. */
export function syntheticPaper(seed: number, papers: number, index: number): PaperMeta {
  return paperMeta(makeContext(seed, papers), index);
}

/**
 * Writes the pages to disk one at a time, yielding each written page's summary (without its text)
 * so callers can report progress. Memory stays constant whatever `papers` is.
 */
export async function* generatePages(options: GenerateOptions): AsyncGenerator<Omit<GeneratedPage, 'text'> & { file: string; bytes: number }> {
  let dirMade = '';
  for (const page of pageTexts(options)) {
    const file = join(options.out, page.path);
    const dir = page.path.slice(0, page.path.indexOf('/'));
    if (dir !== dirMade) {
      await mkdir(join(options.out, dir), { recursive: true });
      dirMade = dir;
    }
    const data = Buffer.from(page.text, 'utf8');
    await writeFile(file, data);
    yield { index: page.index, arxivId: page.arxivId, title: page.title, path: page.path, file, bytes: data.length };
  }
}

// ---------------------------------------------------------------------------------------------
// CLI

const USAGE = 'usage: tsx seed/generate.ts --papers N --out DIR [--seed S] [--per-dir 1000]';

async function main(argv: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        papers: { type: 'string' },
        out: { type: 'string' },
        seed: { type: 'string', default: '1' },
        'per-dir': { type: 'string', default: '1000' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }));
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n${USAGE}\n`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const papers = Number(values.papers);
  const seed = Number(values.seed);
  const perDir = Number(values['per-dir']);
  if (!values.out || !Number.isSafeInteger(papers) || papers < 1 || !Number.isSafeInteger(seed) || !Number.isSafeInteger(perDir) || perDir < 1) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  const started = Date.now();
  let lastReport = started;
  let bytes = 0;
  let done = 0;
  for await (const page of generatePages({ papers, out: values.out, seed, perDir })) {
    bytes += page.bytes;
    done++;
    const now = Date.now();
    if (now - lastReport >= 1000 || done === papers) {
      lastReport = now;
      const rate = Math.round(done / Math.max(0.001, (now - started) / 1000));
      process.stderr.write(`generate: ${done}/${papers} pages (${((100 * done) / papers).toFixed(1)}%, ${rate}/s)\n`);
    }
  }
  const secs = ((Date.now() - started) / 1000).toFixed(1);
  process.stderr.write(
    `generate: wrote ${done} pages in ${Math.ceil(papers / perDir)} directories under ${values.out} ` +
      `(${(bytes / 1048576).toFixed(1)} MiB, seed ${seed}, ${secs}s)\n`,
  );
  return 0;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      process.stderr.write(`generate: ${e instanceof Error ? e.message : String(e)}\n`);
      process.exitCode = 1;
    },
  );
}
