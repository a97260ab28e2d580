/**
 * Decoding of the LaTeX accent commands that arXiv metadata (and so the scraped pages) carry in
 * author names: `\'Eric` → `Éric`, `Beno\^it` → `Benoît`, `{\"o}`, `\v{s}`, `{\o}`, `\ss` …
 *
 * Only accents and the special letters are decoded; any other command (`\textbf{x}`, `\&`, …) is left
 * exactly as written. The result is NFC-normalized.
 */

/** Accent command → combining mark. Symbol commands (`\'`) and letter commands (`\v`). */
const ACCENTS: Record<string, string> = {
  "'": '\u0301', // acute
  '`': '\u0300', // grave
  '^': '\u0302', // circumflex
  '"': '\u0308', // diaeresis
  '~': '\u0303', // tilde
  '=': '\u0304', // macron
  '.': '\u0307', // dot above
  u: '\u0306', // breve
  v: '\u030C', // caron
  H: '\u030B', // double acute
  c: '\u0327', // cedilla
  k: '\u0328', // ogonek
  r: '\u030A', // ring above
  b: '\u0331', // macron below
  d: '\u0323', // dot below
};

/** Special letters written as control words. */
const SPECIALS: Record<string, string> = {
  ss: 'ß',
  SS: 'SS',
  aa: 'å',
  AA: 'Å',
  ae: 'æ',
  AE: 'Æ',
  oe: 'œ',
  OE: 'Œ',
  o: 'ø',
  O: 'Ø',
  l: 'ł',
  L: 'Ł',
  i: 'ı',
  j: 'ȷ',
};

// The accented "base": a letter, or \i / \j (dotless i/j, which take the accent as plain i/j).
const BASE = String.raw`(?:\\[ij](?![A-Za-z])|\p{L})`;
// TeX skips the spaces after a control word, and `{}` renders nothing: `\'\i a`, `\'\i{}a` are "ía".
const SKIP_AFTER_WORD = String.raw`(?:(?<=\\[ij])(?:[ \t]+|\{\}))?`;
// \'E  \'{E}  \' {E}  \'\i  \'{\i}  — control symbols take the next letter or a braced group.
const SYMBOL_ACCENT = String.raw`\\(['\x60^"~=.])[ \t]*(?:\{[ \t]*(${BASE})[ \t]*\}|(${BASE})${SKIP_AFTER_WORD})`;
// \v{s}  \v s  \c{c}  — control words need a brace group or at least one space before the letter.
const WORD_ACCENT = String.raw`\\([uvHckrbd])(?:[ \t]*\{[ \t]*(${BASE})[ \t]*\}|[ \t]+(${BASE})${SKIP_AFTER_WORD})`;

// Either form, optionally wrapped in a group of its own: {\'E}, {\v{s}}.
const ACCENT_RE = new RegExp(String.raw`(\{)?(?:${SYMBOL_ACCENT}|${WORD_ACCENT})(\})?`, 'gu');
// \ss, {\o}, \o{}, \L ukasz (TeX skips the spaces after a control word).
const SPECIAL_RE = new RegExp(
  String.raw`(\{)?\\(${Object.keys(SPECIALS)
    .sort((a, b) => b.length - a.length)
    .join('|')})(?![A-Za-z])(\{\}|[ \t]+)?(\})?`,
  'gu',
);

function baseLetter(base: string): string {
  if (base === '\\i') return 'i';
  if (base === '\\j') return 'j';
  return base;
}

export function decodeLatexAccents(s: string): string {
  if (!s.includes('\\')) return s.normalize('NFC');
  let out = s.replace(
    ACCENT_RE,
    (
      _m,
      open: string | undefined,
      symCmd: string | undefined,
      symBraced: string | undefined,
      symBare: string | undefined,
      wordCmd: string | undefined,
      wordBraced: string | undefined,
      wordBare: string | undefined,
      close: string | undefined,
    ) => {
      const cmd = (symCmd ?? wordCmd) as string;
      const base = baseLetter((symBraced ?? symBare ?? wordBraced ?? wordBare) as string);
      const letter = (base + (ACCENTS[cmd] ?? '')).normalize('NFC');
      // Strip a wrapping group only when both of its braces are here.
      if (open && close) return letter;
      return (open ?? '') + letter + (close ?? '');
    },
  );
  out = out.replace(SPECIAL_RE, (_m, open: string | undefined, name: string, _after: string | undefined, close: string | undefined) => {
    const letter = SPECIALS[name] ?? '';
    if (open && close) return letter;
    // A lone `}` after skipped spaces belongs to someone else's group: keep it, but not the spaces.
    return (open ?? '') + letter + (close ?? '');
  });
  return out.normalize('NFC');
}
