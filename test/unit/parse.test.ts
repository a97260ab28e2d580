import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { titleKey } from '../../src/domain/keys.ts';
import {
  PageParseError,
  parseIsoDate,
  parsePage,
  parsePageBytes,
  parsePageFile,
  parseRfc1123,
  parseSiteTimestamp,
  type ParsedPage,
} from '../../src/load/page-parser.ts';

const pagesDir = fileURLToPath(new URL('../../seed/pages/', import.meta.url));
const badDir = fileURLToPath(new URL('../fixtures/bad/', import.meta.url));

const FILES = {
  antlm: '000_727672f43cbe572e.txt',
  headless: '001_04bf9b40e325e809.txt',
  tracking: '002_8774c888395d6313.txt',
  masked: '003_d5d7d741d287cf8a.txt',
  emo: '004_0f6f359123178173.txt',
} as const;

const readPage = (name: string) => readFile(pagesDir + name, 'utf8');
const parseReal = (name: string) => parsePageFile(pagesDir + name, name);

const PAGE_KEYS = [
  'source',
  'arxivId',
  'version',
  'url',
  'title',
  'titleJa',
  'authors',
  'publishedAt',
  'status',
  'siteUpdatedAt',
  'score',
  'license',
  'summaryJa',
  'abstract',
  'abstractJa',
  'related',
];
const RELATED_KEYS = ['rank', 'title', 'score', 'publishedAt', 'summaryJa'];

type Header = Omit<ParsedPage, 'source' | 'summaryJa' | 'abstract' | 'abstractJa' | 'related'>;
/** [title, score, publishedAt, number of summary lines] */
type Rel = [string, number, string, number];

const EXPECTED: Record<keyof typeof FILES, { header: Header; related: Rel[] }> = {
  antlm: {
    header: {
      arxivId: '2412.03275',
      version: 1,
      url: 'http://arxiv.org/abs/2412.03275v1',
      title: 'AntLM: Bridging Causal and Masked Language Models',
      titleJa: 'AntLM: 因果関係と仮面言語モデル',
      authors: ['Xinru Yu', 'Bin Guo', 'Shiwei Luo', 'Jie Wang', 'Tao Ji', 'Yuanbin Wu'],
      publishedAt: '2024-12-04T12:34:15.000Z',
      status: '翻訳完了',
      siteUpdatedAt: '2024-12-05T15:08:53.701250Z',
      score: 17.674125980976665,
      license: null,
    },
    related: [
      ['Can MLLMs Guide Weakly-Supervised Temporal Action Localization Tasks?', 6.7065734065794835, '2024-11-13T09:37:24.000Z', 3],
      ['LLaVA-KD: A Framework of Distilling Multimodal Large Language Models', 70.19607283302712, '2024-10-21T17:41:28.000Z', 3],
      ['$γ-$MoD: Exploring Mixture-of-Depth Adaptation for Multimodal Large Language Models', 87.43596173378913, '2024-10-17T17:59:53.000Z', 3],
      ['LLaVA-MoD: Making LLaVA Tiny via MoE Knowledge Distillation', 41.05687297326706, '2024-08-28T15:52:23.000Z', 3],
      [
        'Extend Model Merging from Fine-Tuned to Pre-Trained Large Language Models via Weight Disentanglement',
        72.97553348776425,
        '2024-08-06T10:46:46.000Z',
        3,
      ],
      ['Delta-CoMe: Training-Free Delta-Compression with Mixed-Precision for Large Language Models', 79.46938238953916, '2024-06-13T07:57:27.000Z', 3],
      ['Knowledge Fusion of Large Language Models', 73.28202188100646, '2024-01-19T05:02:46.000Z', 3],
      ['LLM-Pruner: On the Structural Pruning of Large Language Models', 65.02607075556742, '2023-05-19T12:10:53.000Z', 3],
    ],
  },
  headless: {
    header: {
      arxivId: '2309.08351',
      version: 1,
      url: 'http://arxiv.org/abs/2309.08351v1',
      title: 'Headless Language Models: Learning without Predicting with Contrastive Weight Tying',
      titleJa: 'ヘッドレス言語モデル: 重み付けによる予測を伴わない学習',
      authors: ['Nathan Godey', 'Éric de la Clergerie', 'Benoît Sagot'],
      publishedAt: '2023-09-15T12:20:00.000Z',
      status: '処理完了',
      siteUpdatedAt: '2023-09-18T14:52:48.391862Z',
      score: 0.11510009152620666,
      license: 'http://creativecommons.org/licenses/by-sa/4.0/',
    },
    related: [
      ['Tokenizer Choice For LLM Training: Negligible or Crucial?', 30.33170936148845, '2023-10-12T22:44:19.000Z', 3],
      ['Cross-Lingual Supervision improves Large Language Models Pre-training', 36.932380291416365, '2023-05-19T16:14:07.000Z', 2],
      ['Improving Pre-trained Language Model Fine-tuning with Noise Stability Regularization', 94.4409074435894, '2022-06-12T04:42:49.000Z', 3],
      ['From Good to Best: Two-Stage Training for Cross-lingual Machine Reading Comprehension', 51.953428342923885, '2021-12-09T07:31:15.000Z', 3],
      ['Distributionally Robust Multilingual Machine Translation', 94.51866646879337, '2021-09-09T03:48:35.000Z', 3],
      ['NoiER: An Approach for Training more Reliable Fine-TunedDownstream Task Models', 54.184609286094044, '2021-08-29T06:58:28.000Z', 2],
      ['Bilingual Alignment Pre-training for Zero-shot Cross-lingual Transfer', 33.680292990007366, '2021-06-03T10:18:43.000Z', 3],
      ['Mixed-Lingual Pre-training for Cross-lingual Summarization', 54.4823498438831, '2020-10-18T00:21:53.000Z', 3],
      ['Exploring Fine-tuning Techniques for Pre-trained Cross-lingual Models via Continual Learning', 74.25168207651376, '2020-04-29T14:07:18.000Z', 3],
    ],
  },
  tracking: {
    header: {
      arxivId: '2410.12391',
      version: 1,
      url: 'http://arxiv.org/abs/2410.12391v1',
      title: 'Tracking Universal Features Through Fine-Tuning and Model Merging',
      titleJa: 'ファインチューニングとモデルマージによるユニバーサル特徴の追跡',
      authors: ['Niels Horn', 'Desmond Elliott'],
      publishedAt: '2024-10-16T09:18:39.000Z',
      status: '翻訳完了',
      siteUpdatedAt: '2024-10-17T13:44:07.867250Z',
      score: 13.600774910410514,
      license: null,
    },
    related: [
      ['Model-GLUE: Democratized LLM Scaling for A Large Model Zoo in the Wild', 84.57103623507082, '2024-10-07T15:55:55.000Z', 3],
      ['MatFormer: Nested Transformer for Elastic Inference', 94.1789252941718, '2023-10-11T17:57:14.000Z', 3],
      ['The Languini Kitchen: Enabling Language Modelling Research at Different Scales of Compute', 66.84421705029624, '2023-09-20T10:31:17.000Z', 3],
      ['Speculative Decoding with Big Little Decoder', 108.95187338417541, '2023-02-15T18:55:29.000Z', 3],
      ['Artificial Interrogation for Attributing Language Models', 0, '2022-11-20T05:46:29.000Z', 3],
      ['Understanding Domain Learning in Language Models Through Subpopulation Analysis', 35.16003054930906, '2022-10-22T21:12:57.000Z', 2],
      ['N-Grammer: Augmenting Transformers with latent n-grams', 35.39961549040385, '2022-07-13T17:18:02.000Z', 2],
      ['Learning Contextual Representations for Semantic Parsing with Generation-Augmented Pre-Training', 86.91380874390778, '2020-12-18T15:53:50.000Z', 2],
      ['Unsupervised Paraphrasing with Pretrained Language Models', 85.03373221588707, '2020-10-24T11:55:28.000Z', 3],
      ['Language Modelling for Source Code with Transformer-XL', 7.967230034960396, '2020-07-31T02:42:18.000Z', 2],
      ['Abstractive Text Summarization based on Language Model Conditioning and Locality Modeling', 4.525267347429154, '2020-03-29T14:00:17.000Z', 3],
    ],
  },
  masked: {
    header: {
      arxivId: '2410.18514',
      version: 2,
      url: 'http://arxiv.org/abs/2410.18514v2',
      title: 'Scaling up Masked Diffusion Models on Text',
      titleJa: 'テキストによるマスケ拡散モデルのスケールアップ',
      authors: ['Shen Nie', 'Fengqi Zhu', 'Chao Du', 'Tianyu Pang', 'Qian Liu', 'Guangtao Zeng', 'Min Lin', 'Chongxuan Li'],
      publishedAt: '2024-12-20T03:55:07.000Z',
      status: '翻訳完了',
      siteUpdatedAt: '2024-12-23T16:22:35.578874Z',
      score: 43.16800764711572,
      license: null,
    },
    related: [
      ['Large Language Diffusion Models', 77.02553707673418, '2025-02-14T08:23:51.000Z', 3],
      [
        'MOFHEI: Model Optimizing Framework for Fast and Efficient Homomorphically Encrypted Neural Network Inference',
        0.8388591755871735,
        '2024-12-10T22:44:54.000Z',
        3,
      ],
      ['Defensive Dual Masking for Robust Adversarial Defense', 5.932787778915417, '2024-12-10T00:41:25.000Z', 3],
      ['ACDC: Autoregressive Coherent Multimodal Generation using Diffusion Correction', 55.03585818289934, '2024-10-07T03:22:51.000Z', 3],
      ['DFedADMM: Dual Constraints Controlled Model Inconsistency for Decentralized Federated Learning', 52.83811558753284, '2023-08-16T11:22:36.000Z', 2],
      ['CPM-2: Large-scale Cost-effective Pre-trained Language Models', 71.59893315671997, '2021-06-20T15:43:54.000Z', 3],
      ['Coded Stochastic ADMM for Decentralized Consensus Optimization with Edge Computing', 113.52575069030192, '2020-10-02T10:41:59.000Z', 4],
    ],
  },
  emo: {
    header: {
      arxivId: '2310.04691',
      version: 2,
      url: 'http://arxiv.org/abs/2310.04691v2',
      title: 'EMO: Earth Mover Distance Optimization for Auto-Regressive Language Modeling',
      titleJa: 'EMO: 自動回帰言語モデリングのためのアースモーバー距離最適化',
      authors: ['Siyu Ren', 'Zhiyong Wu', 'Kenny Q. Zhu'],
      publishedAt: '2023-10-27T04:56:13.000Z',
      status: '処理完了',
      siteUpdatedAt: '2023-10-30T16:38:05.144228Z',
      score: 44.70756703071688,
      license: 'http://creativecommons.org/licenses/by/4.0/',
    },
    related: [
      ['Scaling Diffusion Language Models via Adaptation from Autoregressive Models', 105.70889434492143, '2024-10-23T14:04:22.000Z', 3],
      ['TinyEmo: Scaling down Emotional Reasoning via Metric Projection', 0, '2024-10-09T17:03:49.000Z', 2],
      ['Self-Exploring Language Models: Active Preference Elicitation for Online Alignment', 88.56809269990625, '2024-05-29T17:59:07.000Z', 2],
      ['eP-ALM: Efficient Perceptual Augmentation of Language Models', 70.47962271121389, '2023-03-20T19:20:34.000Z', 3],
      ['Your Autoregressive Generative Model Can be Better If You Treat It as an Energy-Based One', 83.5162421521224, '2022-06-26T10:58:41.000Z', 3],
      [
        'METRO: Efficient Denoising Pretraining of Large Scale Autoencoding Language Models with Model Generated Signals',
        151.3601429216877,
        '2022-04-13T21:39:15.000Z',
        3,
      ],
    ],
  },
};

describe('parsePage on the five real pages', () => {
  for (const [name, file] of Object.entries(FILES) as [keyof typeof FILES, string][]) {
    const expected = EXPECTED[name];

    it(`${file}: header fields`, async () => {
      const page = await parseReal(file);
      const { source, summaryJa, abstract, abstractJa, related, ...header } = page;
      expect(source).toBe(file);
      expect(header).toEqual(expected.header);
      for (const text of [summaryJa, abstract, abstractJa]) expect(text).toEqual(expect.any(String));
    });

    it(`${file}: ${expected.related.length} related entries with titles, scores, dates and summaries`, async () => {
      const page = await parseReal(file);
      expect(page.related.map((r) => [r.title, r.score, r.publishedAt, r.summaryJa.split('\n').length])).toEqual(expected.related);
      expect(page.related.map((r) => r.rank)).toEqual(expected.related.map((_, i) => i + 1));
      for (const r of page.related) {
        expect(Object.keys(r)).toEqual(RELATED_KEYS);
        // summary lines are the page's own lines, unchanged
        for (const line of r.summaryJa.split('\n')) expect(line.startsWith('論文 参考訳')).toBe(false);
      }
    });

    it(`${file}: key order is the JSON contract`, async () => {
      const page = await parseReal(file);
      expect(Object.keys(page)).toEqual(PAGE_KEYS);
      expect(Object.keys(JSON.parse(JSON.stringify(page)))).toEqual(PAGE_KEYS);
    });

    it(`${file}: summaries and Japanese abstract are the page's lines verbatim`, async () => {
      const text = await readPage(file);
      const lines = text.split('\n');
      const page = await parseReal(file);
      for (const block of [page.summaryJa, page.abstractJa, ...page.related.map((r) => r.summaryJa)]) {
        const blockLines = (block as string).split('\n');
        const first = blockLines[0] as string;
        const found = lines.some(
          (l, at) => (l === first || l.endsWith(`: ${first}`) || l.endsWith(`- ${first}`)) && blockLines.slice(1).every((b, k) => lines[at + 1 + k] === b),
        );
        expect(found, block as string).toBe(true);
      }
    });
  }

  it('finds 41 related entries over the five pages (8 + 9 + 11 + 7 + 6)', async () => {
    const counts = await Promise.all(Object.values(FILES).map(async (f) => (await parseReal(f)).related.length));
    expect(counts).toEqual([8, 9, 11, 7, 6]);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(41);
  });

  it('parses related scores of exactly 0.0', async () => {
    const tracking = await parseReal(FILES.tracking);
    const emo = await parseReal(FILES.emo);
    expect(tracking.related[4]).toMatchObject({ rank: 5, title: 'Artificial Interrogation for Attributing Language Models', score: 0 });
    expect(emo.related[1]).toMatchObject({ rank: 2, title: 'TinyEmo: Scaling down Emotional Reasoning via Metric Projection', score: 0 });
  });

  it('parses 2309.08351 completely: wrapped title and abstract, LaTeX authors, licence URL', async () => {
    const page = await parseReal(FILES.headless);
    expect(page.title).toBe('Headless Language Models: Learning without Predicting with Contrastive Weight Tying');
    expect(page.authors).toEqual(['Nathan Godey', 'Éric de la Clergerie', 'Benoît Sagot']);
    expect(page.authors.every((a) => a === a.normalize('NFC'))).toBe(true);
    expect(page.summaryJa).toBe(
      [
        '言語モデルの自己教師付き事前訓練は通常、広範囲なトークン語彙上の確率分布を予測する。',
        '確率予測から脱却し、コンストラッシブウェイトタイリング(CWT)を介してコントラッシブな方法で入力埋め込みを再構築することに焦点を当てた革新的な手法を提案する。',
        '同様の計算予算における古典的 LM と比較して, 有意な +1.6 GLUE スコアの増加と, 顕著な +2.7 LAMBADA の精度向上が観察された。',
      ].join('\n'),
    );
    expect(page.abstract).toBe(
      'Self-supervised pre-training of language models usually consists in predicting probability distributions over extensive token vocabularies. ' +
        'In this study, we propose an innovative method that shifts away from probability prediction and instead focuses on reconstructing input embeddings in a ' +
        'contrastive fashion via Constrastive Weight Tying (CWT). We apply this approach to pretrain Headless Language Models in both monolingual and multilingual ' +
        'contexts. Our method offers practical advantages, substantially reducing training computational requirements by up to 20 times, while simultaneously ' +
        'enhancing downstream performance and data efficiency. We observe a significant +1.6 GLUE score increase and a notable +2.7 LAMBADA accuracy improvement ' +
        'compared to classical LMs within similar compute budgets.',
    );
    expect(page.abstractJa).toBe(
      [
        '言語モデルの自己教師付き事前訓練は通常、広範囲なトークン語彙上の確率分布を予測する。',
        '本研究では, 確率予測から脱却し, コンストラクション・ウェイト・タイリング (cwt) によるコントラスト的手法を用いて, 入力埋め込みの再構成に焦点をあてる革新的な手法を提案する。',
        '本手法は,単言語と多言語の両方の文脈において,ヘッドレス言語モデルの事前学習に適用する。',
        '提案手法は,ダウンストリーム性能とデータ効率を同時に向上させながら,最大20倍のトレーニング計算要求を大幅に削減する。',
        '同様の計算予算における古典的 LM と比較して,有意な +1.6 GLUE スコアの増加と,顕著な +2.7 LAMBADA の精度向上が観察された。',
      ].join('\n'),
    );
    expect(page.related[5]).toEqual({
      rank: 6,
      title: 'NoiER: An Approach for Training more Reliable Fine-TunedDownstream Task Models',
      score: 54.184609286094044,
      publishedAt: '2021-08-29T06:58:28.000Z',
      summaryJa: [
        '補助モデルと付加データなしで問題を解くための学習パラダイムとして,ノイズエントロピー正規化(NoiER)を提案する。',
        '提案手法は,従来の微調整モデルと比較して平均55%改善した。',
      ].join('\n'),
    });
  });

  it('keeps a long one-line abstract and the LaTeX in it as written (2412.03275)', async () => {
    const page = await parseReal(FILES.antlm);
    expect(page.abstract).toMatch(/^Causal Language Modeling \(CLM\) and Masked Language Modeling \(MLM\) are two mainstream/);
    expect(page.abstract).toContain('named $\\textbf{AntLM}$, which');
    expect(page.abstract).toMatch(/achieves a 2\.2% increase over the baselines\.$/);
    expect(page.abstractJa?.split('\n')).toHaveLength(8);
    expect(page.summaryJa?.split('\n')).toEqual([
      'Causal Language Modeling (CLM) Masked Language Modeling (MLM) はトランスフォーマーネットワークに基づく2つの主流パラダイムである。',
      '本稿では,CLMとtextを統合した新しい言語モデリングパラダイムである$bfAntLM$を提案する。',
    ]);
  });

  it('joins the swallowed-space title as printed; its title key matches the spaced form', async () => {
    const page = await parseReal(FILES.headless);
    const swallowed = page.related.find((r) => r.title.includes('TunedDownstream'));
    expect(swallowed?.title).toBe('NoiER: An Approach for Training more Reliable Fine-TunedDownstream Task Models');
    expect(titleKey(swallowed!.title)).toBe('noieranapproachfortrainingmorereliablefinetuneddownstreamtaskmodels');
    expect(titleKey('NoiER: An Approach for Training more Reliable Fine-Tuned Downstream Task Models')).toBe(titleKey(swallowed!.title));
  });

  it('reports licence null when the field is empty and the URL otherwise', async () => {
    const licences = await Promise.all(Object.values(FILES).map(async (f) => (await parseReal(f)).license));
    expect(licences).toEqual([null, 'http://creativecommons.org/licenses/by-sa/4.0/', null, null, 'http://creativecommons.org/licenses/by/4.0/']);
  });
});

describe('encodings and line endings', () => {
  for (const file of Object.values(FILES)) {
    it(`${file}: CRLF, BOM, BOM+CRLF and a trailing newline parse identically`, async () => {
      const text = await readPage(file);
      const reference = parsePage(text, 'x');
      const crlf = text.replace(/\n/g, '\r\n');
      const variants: [string, string | Uint8Array][] = [
        ['crlf', crlf],
        ['bom string', `\uFEFF${text}`],
        ['bom + crlf bytes', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(crlf, 'utf8')])],
        ['trailing LF', `${text}\n`],
        ['trailing CRLF', `${crlf}\r\n`],
      ];
      for (const [, input] of variants) expect(parsePage(input, 'x')).toEqual(reference);
      expect(parsePageBytes(Buffer.from(`\uFEFF${crlf}`, 'utf8'), 'x')).toEqual(reference);
    });
  }
});

describe('bad input', () => {
  const cases: [file: string, line: number, detail: string][] = [
    ['empty.txt', 1, 'empty page'],
    ['truncated.txt', 13, "page truncated: no '関連論文リスト' section after the header"],
    ['truncated-related.txt', 52, 'related entry 5: no date line (page truncated?)'],
    ['no-footer.txt', 71, 'page truncated: no footer after related entry 9'],
    ['binary.bin', 1, 'binary data: invalid UTF-8 (byte 0x89 at offset 0)'],
    ['binary-nul.bin', 3, 'binary data: control character U+0000 (NUL)'],
    ['invalid-utf8.txt', 8, 'binary data: invalid UTF-8 (byte 0xe9 at offset 376)'],
    ['no-title.txt', 6, "missing title: '論文の概要:' and '- Title:' are both empty or absent"],
    ['bad-score.txt', 11, "score 'N/A' is not a number"],
    ['bad-related-score.txt', 31, "related entry 3: score '[n/a]' is not a number"],
    ['related-cut-short.txt', 27, 'related entry 2: title has no [score]'],
    ['not-a-page.txt', 1, "not a paper page: expected '論文の概要: <title>', got '<!DOCTYPE html>'"],
  ];
  for (const [file, line, detail] of cases) {
    it(`${file} → ${file}:${line}: ${detail}`, async () => {
      const error = await parsePageFile(badDir + file, file).then(
        () => null,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(PageParseError);
      const e = error as PageParseError;
      expect(e.name).toBe('PageParseError');
      expect(e.source).toBe(file);
      expect(e.line).toBe(line);
      expect(e.detail).toBe(detail);
      expect(e.message).toBe(`${file}:${line}: ${detail}`);
    });
  }

  it('the error names the default source: the path', async () => {
    await expect(parsePageFile(`${badDir}empty.txt`)).rejects.toThrow(`${badDir}empty.txt:1: empty page`);
  });

  it('whitespace-only text is an empty page', () => {
    expect(() => parsePage('\n  \r\n\t\n', 'w.txt')).toThrow('w.txt:1: empty page');
  });
});

describe('parsePage details (inline pages)', () => {
  const header = (extra: string[] = []) => ['論文の概要: A Wrapped', 'Title', '- arxiv url: https://arxiv.org/abs/hep-th/9901001v3', ...extra];
  const footer = '関連論文リストは本サイト内にある論文のタイトル・アブストラクトから自動的に作成しています。';
  const page = (lines: string[]) => lines.join('\n');

  it('takes optional fields as null, uses the 論文の概要 title when there is no "- Title:", accepts an empty related list', () => {
    const p = parsePage(page([...header(), '関連論文リスト', footer]), 'min.txt');
    expect(p).toEqual({
      source: 'min.txt',
      arxivId: 'hep-th/9901001',
      version: 3,
      url: 'https://arxiv.org/abs/hep-th/9901001v3',
      title: 'A Wrapped Title',
      titleJa: null,
      authors: [],
      publishedAt: null,
      status: null,
      siteUpdatedAt: null,
      score: null,
      license: null,
      summaryJa: null,
      abstract: null,
      abstractJa: null,
      related: [],
    });
  });

  it('splits authors on commas, drops the empty one after a trailing comma, decodes accents', () => {
    const p = parsePage(page([...header(["- Authors: Jos\\'e  Garc\\'{\\i}a, {\\O}ystein Ore,", '  Pawe{\\l} Nowak,']), '関連論文リスト', footer]), 'a.txt');
    expect(p.authors).toEqual(['José García', 'Øystein Ore', 'Paweł Nowak']);
  });

  it('keeps a site timestamp without microseconds', () => {
    const p = parsePage(page([...header(['- システム内更新日: 2023-01-02 03:04:05']), '関連論文リスト', footer]), 't.txt');
    expect(p.siteUpdatedAt).toBe('2023-01-02T03:04:05Z');
  });

  it('related entries: wrapped titles, empty date → null, score with exponent', () => {
    const p = parsePage(
      page([
        ...header(),
        '関連論文リスト',
        '- First Title That',
        'Wraps Twice And',
        'Ends Here [1e-05]',
        '要約の一行目です。',
        '論文 参考訳(メタデータ) () - Second [12]',
        '論文 参考訳(メタデータ) (2020-01-02)',
        footer,
      ]),
      'r.txt',
    );
    expect(p.related).toEqual([
      { rank: 1, title: 'First Title That Wraps Twice And Ends Here', score: 0.00001, publishedAt: null, summaryJa: '要約の一行目です。' },
      { rank: 2, title: 'Second', score: 12, publishedAt: '2020-01-02T00:00:00.000Z', summaryJa: '' },
    ]);
  });

  it("related titles with bracketed words at the start, middle and end, wrapped and not: only the last line's bracketed number is the score", () => {
    const p = parsePage(
      page([
        ...header(['- Abstract: We predict [MASK] tokens from the', '[CLS] vector [1], as in [Re] studies [v2]']),
        '関連論文リスト',
        '- [Re] Reproducing Attention [1.5]',
        '要約です。',
        '論文 参考訳(メタデータ) (2020-01-01) - Revisiting the [CLS] Token in BERT [2.5]',
        '論文 参考訳(メタデータ) (2020-01-01) - A Model of Everything [v2] [3.5]',
        '論文 参考訳(メタデータ) (2020-01-01) - [Re]',
        'Reproducing a Study [4.5]',
        '要約です。',
        '論文 参考訳(メタデータ) (2020-01-01) - Revisiting the [CLS]',
        'Token Once More [5.5]',
        '論文 参考訳(メタデータ) (2020-01-01) - Predicting',
        '[MASK] Tokens Again [6.5]',
        '論文 参考訳(メタデータ) (2020-01-01) - A Model of Everything',
        '[v2]',
        '[7.5]',
        '要約です。',
        '論文 参考訳(メタデータ) (2020-01-01) - Results for Table',
        '[2]',
        'Revisited [8.5]',
        '論文 参考訳(メタデータ) (2020-01-01)',
        footer,
      ]),
      'brackets.txt',
    );
    expect(p.abstract).toBe('We predict [MASK] tokens from the [CLS] vector [1], as in [Re] studies [v2]');
    expect(p.related.map((r) => [r.title, r.score, r.summaryJa])).toEqual([
      ['[Re] Reproducing Attention', 1.5, '要約です。'],
      ['Revisiting the [CLS] Token in BERT', 2.5, ''],
      ['A Model of Everything [v2]', 3.5, ''],
      ['[Re] Reproducing a Study', 4.5, '要約です。'],
      ['Revisiting the [CLS] Token Once More', 5.5, ''],
      ['Predicting [MASK] Tokens Again', 6.5, ''],
      ['A Model of Everything [v2]', 7.5, '要約です。'],
      ['Results for Table [2] Revisited', 8.5, ''],
    ]);
  });

  const bad: [string, string[], string][] = [
    ['missing arxiv url', ['論文の概要: T', '- Title: T', '関連論文リスト', footer], "p.txt:3: missing '- arxiv url:' field in the header"],
    ['not an arXiv url', ['論文の概要: T', '- arxiv url: http://example.com/x', '関連論文リスト', footer], "p.txt:2: not an arXiv URL: 'http://example.com/x'"],
    [
      'invalid date',
      [...header(['- Date: Wed, 31 Feb 2024 12:00:00 GMT']), '関連論文リスト', footer],
      "p.txt:4: invalid date 'Wed, 31 Feb 2024 12:00:00 GMT' (expected RFC 1123, e.g. 'Wed, 04 Dec 2024 12:34:15 GMT')",
    ],
    [
      'wrong weekday',
      [...header(['- Date: Thu, 04 Dec 2024 12:34:15 GMT']), '関連論文リスト', footer],
      "p.txt:4: invalid date 'Thu, 04 Dec 2024 12:34:15 GMT' (expected RFC 1123, e.g. 'Wed, 04 Dec 2024 12:34:15 GMT')",
    ],
    [
      'invalid timestamp',
      [...header(['- システム内更新日: 2024-13-01 00:00:00']), '関連論文リスト', footer],
      "p.txt:4: invalid timestamp '2024-13-01 00:00:00' (expected 'YYYY-MM-DD hh:mm:ss[.ffffff]')",
    ],
    [
      'duplicate field',
      [...header(['- arxiv url: http://arxiv.org/abs/2412.03275v1']), '関連論文リスト', footer],
      "p.txt:4: duplicate '- arxiv url:' field (first on line 3)",
    ],
    [
      'continuation of a one-line field',
      [...header(['- License:', 'stray text']), '関連論文リスト', footer],
      "p.txt:5: unexpected text after the one-line '- License:' field (line 4)",
    ],
    [
      'heading without entries or footer',
      [...header(), '関連論文リスト'],
      "p.txt:4: page truncated: '関連論文リスト' is not followed by entries or the footer",
    ],
    ['first entry without "- "', [...header(), '関連論文リスト', 'Title [1.0]'], "p.txt:5: expected the first related entry as '- <title> [<score>]'"],
    [
      'page ends inside a related title',
      [...header(), '関連論文リスト', '- A Title That', 'Wraps'],
      'p.txt:6: related entry 1: page ends inside its title (no [score])',
    ],
    ['title runs into the footer', [...header(), '関連論文リスト', '- A Title', footer], 'p.txt:5: related entry 1: title has no [score]'],
    [
      'a title whose last line ends in a bracketed word, no score',
      [...header(), '関連論文リスト', '- Revisiting the', '[CLS]', 'これは要約です。', footer],
      "p.txt:6: related entry 1: score '[CLS]' is not a number",
    ],
    [
      'footer instead of a date line',
      [...header(), '関連論文リスト', '- A [1.0]', '要約。', footer],
      'p.txt:7: related entry 1: no date line before the footer',
    ],
    [
      'malformed date line',
      [...header(), '関連論文リスト', '- A [1.0]', '論文 参考訳(メタデータ) 2020-01-01', footer],
      'p.txt:6: related entry 1: malformed date line',
    ],
    [
      'invalid related date',
      [...header(), '関連論文リスト', '- A [1.0]', '論文 参考訳(メタデータ) (2020-02-30T00:00:00Z)', footer],
      "p.txt:6: related entry 1: invalid date '2020-02-30T00:00:00Z'",
    ],
    [
      'empty title after " - "',
      [...header(), '関連論文リスト', '- A [1.0]', '論文 参考訳(メタデータ) (2020-01-01) - ', footer],
      "p.txt:6: related entry 2: empty title after ' - '",
    ],
    [
      'text after the last entry',
      [...header(), '関連論文リスト', '- A [1.0]', '論文 参考訳(メタデータ) (2020-01-01)', 'junk'],
      "p.txt:7: expected the footer ('関連論文リストは本サイト内にある…') after related entry 1",
    ],
    ['NUL byte', [...header(), 'x\u0000y'], 'p.txt:4: binary data: control character U+0000 (NUL)'],
  ];
  for (const [what, lines, message] of bad) {
    it(`rejects: ${what}`, () => {
      let error: unknown = null;
      try {
        parsePage(page(lines), 'p.txt');
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(PageParseError);
      expect((error as PageParseError).message).toBe(message);
    });
  }
});

describe('date helpers', () => {
  it('parseRfc1123', () => {
    expect(parseRfc1123('Wed, 04 Dec 2024 12:34:15 GMT')).toBe('2024-12-04T12:34:15.000Z');
    expect(parseRfc1123('4 Dec 2024 12:34:15 +0900')).toBe('2024-12-04T03:34:15.000Z');
    expect(parseRfc1123('Wed, 04 Dex 2024 12:34:15 GMT')).toBeNull();
    expect(parseRfc1123('2024-12-04')).toBeNull();
  });
  it('parseIsoDate (no zone = UTC)', () => {
    expect(parseIsoDate('2024-11-13T09:37:24Z')).toBe('2024-11-13T09:37:24.000Z');
    expect(parseIsoDate('2024-11-13T09:37:24')).toBe('2024-11-13T09:37:24.000Z');
    expect(parseIsoDate('2024-11-13T09:37:24.5+01:00')).toBe('2024-11-13T08:37:24.500Z');
    expect(parseIsoDate('2024-11-31')).toBeNull();
    expect(parseIsoDate('yesterday')).toBeNull();
  });
  it('parseSiteTimestamp keeps the fraction digits', () => {
    expect(parseSiteTimestamp('2024-12-05 15:08:53.701250')).toBe('2024-12-05T15:08:53.701250Z');
    expect(parseSiteTimestamp('2024-12-05 15:08:53')).toBe('2024-12-05T15:08:53Z');
    expect(parseSiteTimestamp('2024-12-05 24:08:53')).toBeNull();
  });
});
