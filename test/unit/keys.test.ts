import { describe, expect, it } from 'vitest';
import { arxivIdFromUrl, arxivPaperUid, authorKey, authorUid, paperUid, titleKey } from '../../src/domain/keys.ts';
import { decodeLatexAccents } from '../../src/domain/latex.ts';

describe('titleKey', () => {
  it('keeps only lower-cased letters and digits', () => {
    expect(titleKey('AntLM: Bridging Causal and Masked Language Models')).toBe('antlmbridgingcausalandmaskedlanguagemodels');
    expect(titleKey('CPM-2: Large-scale Cost-effective Pre-trained Language Models')).toBe('cpm2largescalecosteffectivepretrainedlanguagemodels');
  });

  it('matches a swallowed space from a line wrap', () => {
    const swallowed = 'NoiER: An Approach for Training more Reliable Fine-TunedDownstream Task Models';
    const spaced = 'NoiER: An Approach for Training more Reliable Fine-Tuned Downstream Task Models';
    expect(titleKey(swallowed)).toBe(titleKey(spaced));
    expect(titleKey('Fine-TunedDownstream Task')).toBe(titleKey('Fine-Tuned Downstream Task'));
  });

  it('is NFKC: full-width forms and decomposed accents fold together; non-Latin letters are kept', () => {
    expect(titleKey('ＢＥＲＴ　２')).toBe('bert2');
    expect(titleKey('Cafe\u0301 Models')).toBe(titleKey('Café Models'));
    expect(titleKey('$γ-$MoD: Exploring')).toBe('γmodexploring');
    expect(titleKey('ヘッドレス言語モデル: 重み付け')).toBe('ヘッドレス言語モデル重み付け');
  });

  it('distinguishes different titles', () => {
    expect(titleKey('Large Language Diffusion Models')).not.toBe(titleKey('Large Language Models'));
  });
});

describe('authorKey', () => {
  it('trims, collapses whitespace, lower-cases, keeps accents', () => {
    expect(authorKey('  Benoît   Sagot ')).toBe('benoît sagot');
    expect(authorKey('Éric de la Clergerie')).toBe('éric de la clergerie');
    expect(authorKey('Éric de la Clergerie')).not.toBe(authorKey('Eric de la Clergerie'));
    expect(authorKey('Kenny Q.\tZhu')).toBe('kenny q. zhu');
  });

  it('is NFC: composed and decomposed spellings are the same author', () => {
    expect(authorKey('E\u0301ric')).toBe(authorKey('\u00c9ric'));
  });
});

describe('arxivIdFromUrl', () => {
  it('new-style ids with version', () => {
    expect(arxivIdFromUrl('http://arxiv.org/abs/2412.03275v1')).toEqual({ arxivId: '2412.03275', version: 1 });
    expect(arxivIdFromUrl('http://arxiv.org/abs/2410.18514v2')).toEqual({ arxivId: '2410.18514', version: 2 });
    expect(arxivIdFromUrl('https://arxiv.org/pdf/0704.0001v12.pdf')).toEqual({ arxivId: '0704.0001', version: 12 });
  });

  it('old-style ids', () => {
    expect(arxivIdFromUrl('http://arxiv.org/abs/hep-th/9901001v2')).toEqual({ arxivId: 'hep-th/9901001', version: 2 });
    expect(arxivIdFromUrl('https://arxiv.org/abs/math.AG/0309136')).toEqual({ arxivId: 'math.AG/0309136', version: null });
    expect(arxivIdFromUrl('http://arxiv.org/abs/cond-mat/0102536v1')).toEqual({ arxivId: 'cond-mat/0102536', version: 1 });
  });

  it('bare ids, no version', () => {
    expect(arxivIdFromUrl('2309.08351')).toEqual({ arxivId: '2309.08351', version: null });
    expect(arxivIdFromUrl('arXiv:2309.08351v3')).toEqual({ arxivId: '2309.08351', version: 3 });
  });

  it('null for anything else', () => {
    expect(arxivIdFromUrl('http://example.com/abs/2412.03275v1')).toBeNull();
    expect(arxivIdFromUrl('http://arxiv.org/abs/24120.3275v1')).toBeNull();
    expect(arxivIdFromUrl('http://arxiv.org/abs/2412.03275v0')).toBeNull();
    expect(arxivIdFromUrl('')).toBeNull();
  });
});

describe('decodeLatexAccents', () => {
  const cases: [string, string][] = [
    ["\\'Eric", 'Éric'],
    ['Beno\\^it', 'Benoît'],
    ['Sch\\"obel', 'Schöbel'],
    ['\\`ecole', 'ècole'],
    ["\\'ecole", 'école'],
    ['Nu\\~nez', 'Nuñez'],
    ['\\=a', 'ā'],
    ['\\.z', 'ż'],
    ['\\u{g}', 'ğ'],
    ['\\v{s}', 'š'],
    ['\\v s', 'š'],
    ['Erd\\H{o}s', 'Erdős'],
    ['Fran\\c{c}ois', 'François'],
    ['Fran\\c cois', 'François'],
    ['\\k{a}', 'ą'],
    ['\\r{a}', 'å'],
    ["\\'{E}ric", 'Éric'],
    ["{\\'E}ric", 'Éric'],
    ["{\\'{E}}ric", 'Éric'],
    ["Garc\\'{\\i}a", 'García'],
    ["Garc\\'\\i a", 'García'],
    ["Garc\\'\\i{}a", 'García'],
    ['Stra\\ss e', 'Straße'],
    ['Stra{\\ss}e', 'Straße'],
    ['Bj\\o rn', 'Bjørn'],
    ['{\\O}stergaard', 'Østergaard'],
    ['\\aa se', 'åse'],
    ['{\\AA}sa', 'Åsa'],
    ['\\ae on', 'æon'],
    ['Pawe\\l{}', 'Paweł'],
    ['\\L ukasz', 'Łukasz'],
    ['\\i', 'ı'],
    ["Dvo\\v{r}\\'ak", 'Dvořák'],
  ];
  for (const [input, expected] of cases) {
    it(`${input} → ${expected}`, () => {
      expect(decodeLatexAccents(input)).toBe(expected);
    });
  }

  it('the real author list of 2309.08351', () => {
    expect(decodeLatexAccents("Nathan Godey, \\'Eric de la Clergerie, Beno\\^it Sagot")).toBe('Nathan Godey, Éric de la Clergerie, Benoît Sagot');
  });

  it('output is NFC', () => {
    const out = decodeLatexAccents("\\'E e\u0301");
    expect(out).toBe('É é');
    expect(out).toBe(out.normalize('NFC'));
  });

  it('leaves unknown commands and plain text alone', () => {
    expect(decodeLatexAccents('$\\textbf{AntLM}$')).toBe('$\\textbf{AntLM}$');
    expect(decodeLatexAccents('\\cite{x} \\ref{y} \\url{z} \\vspace{1em} \\oplus \\lambda')).toBe('\\cite{x} \\ref{y} \\url{z} \\vspace{1em} \\oplus \\lambda');
    expect(decodeLatexAccents('Xinru Yu')).toBe('Xinru Yu');
    expect(decodeLatexAccents("trailing \\'")).toBe("trailing \\'");
  });
});

describe('paperUid / authorUid', () => {
  it('derive the same uid from the same key, different uids from different keys and kinds', () => {
    expect(paperUid('antlmbridgingcausalandmaskedlanguagemodels')).toBe(paperUid('antlmbridgingcausalandmaskedlanguagemodels'));
    expect(paperUid('a')).not.toBe(paperUid('b'));
    expect(paperUid('x')).not.toBe(authorUid('x'));
    expect(paperUid('x')).toMatch(/^p[A-Za-z0-9_-]{22}$/);
    expect(authorUid('x')).toMatch(/^a[A-Za-z0-9_-]{22}$/);
  });

  it("derive a page's paper uid from its arXiv id alone, apart from every title key", () => {
    expect(arxivPaperUid('2309.08351')).toBe(arxivPaperUid('2309.08351'));
    expect(arxivPaperUid('2309.08351')).not.toBe(arxivPaperUid('2309.08352'));
    // A title key holds letters and digits only, so no title can give an arXiv uid.
    expect(arxivPaperUid('2309.08351')).not.toBe(paperUid(titleKey('arxiv: 2309.08351')));
    expect(arxivPaperUid('2309.08351')).toMatch(/^p[A-Za-z0-9_-]{22}$/);
  });
});
