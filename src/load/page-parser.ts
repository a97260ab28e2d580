/**
 * Parser for the scraped paper pages (Japanese arXiv-translation site), one page per file:
 *
 *   論文の概要: <title, may wrap>
 *   - arxiv url: http://arxiv.org/abs/2412.03275v1
 *   - Date: Wed, 04 Dec 2024 12:34:15 GMT
 *   - ステータス: 翻訳完了
 *   - システム内更新日: 2024-12-05 15:08:53.701250
 *   - Title: <English title, may wrap>
 *   - Title(参考訳): <Japanese title>
 *   - Authors: A, B, C,
 *   - Abstract要約: <Japanese summary, one sentence a line>
 *   - 参考スコア(独自算出の注目度): 17.674125980976665
 *   - License: <url or empty>
 *   - Abstract: <English abstract, may wrap>
 *   - Abstract(参考訳): <Japanese abstract, one sentence a line>
 *   関連論文リスト
 *   - <related title 1, may wrap> [<score>]
 *   <summary lines>
 *   論文 参考訳(メタデータ) (<date of related 1>) - <related title 2> [<score>]
 *   <summary lines>
 *   論文 参考訳(メタデータ) (<date of the last related entry>)
 *   関連論文リストは本サイト内にある… (footer, ignored)
 *
 * Required: the `論文の概要:` line, a title, an arXiv URL, the `関連論文リスト` section and the footer
 * after it (without them a truncated page would silently lose data). Other header fields are
 * optional (null when absent or empty). Errors are PageParseError naming the 1-based line.
 */
import { readFile } from 'node:fs/promises';
import { arxivIdFromUrl } from '../domain/keys.ts';
import { decodeLatexAccents } from '../domain/latex.ts';

export interface RelatedEntry {
  rank: number;
  title: string;
  score: number;
  publishedAt: string | null;
  summaryJa: string;
}

export interface ParsedPage {
  source: string;
  arxivId: string | null;
  version: number | null;
  url: string | null;
  title: string;
  titleJa: string | null;
  authors: string[];
  publishedAt: string | null;
  status: string | null;
  siteUpdatedAt: string | null;
  score: number | null;
  license: string | null;
  summaryJa: string | null;
  abstract: string | null;
  abstractJa: string | null;
  related: RelatedEntry[];
}

export class PageParseError extends Error {
  override readonly name = 'PageParseError';
  constructor(
    readonly source: string,
    readonly line: number,
    readonly detail: string,
  ) {
    super(`${source}:${line}: ${detail}`);
  }
}

// ---------------------------------------------------------------------------------------------
// Markers

const OVERVIEW_PREFIX = '論文の概要:';
const RELATED_HEADING = '関連論文リスト';
const FOOTER_PREFIX = '関連論文リストは本サイト内にある';
const DATE_LINE_PREFIX = '論文 参考訳(メタデータ)';
const DATE_LINE_RE = /^論文 参考訳\(メタデータ\)\s*\(([^()]*)\)\s*(?:-\s+(.*))?$/u;
/** A related title's last line: `<title text> [<score>]`. */
const SCORE_SUFFIX_RE = /^(.*?)\s*\[([^[\]]*)\]\s*$/u;
const KANA_RE = /[\p{Script=Hiragana}\p{Script=Katakana}]/u;
// C0 controls other than TAB, LF, CR, and DEL: never in a text page.
const CONTROL_RE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/u;
const NUMBER_RE = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

type Join = 'space' | 'newline' | 'single';
type FieldKey = 'url' | 'date' | 'status' | 'siteUpdatedAt' | 'title' | 'titleJa' | 'authors' | 'summaryJa' | 'score' | 'license' | 'abstract' | 'abstractJa';

/** Header labels → how their lines are joined. `single` fields take no continuation lines. */
const FIELDS: ReadonlyMap<string, { key: FieldKey; join: Join }> = new Map([
  ['arxiv url', { key: 'url', join: 'single' }],
  ['Date', { key: 'date', join: 'single' }],
  ['ステータス', { key: 'status', join: 'single' }],
  ['システム内更新日', { key: 'siteUpdatedAt', join: 'single' }],
  ['Title', { key: 'title', join: 'space' }],
  ['Title(参考訳)', { key: 'titleJa', join: 'space' }],
  ['Authors', { key: 'authors', join: 'space' }],
  ['Abstract要約', { key: 'summaryJa', join: 'newline' }],
  ['参考スコア(独自算出の注目度)', { key: 'score', join: 'single' }],
  ['License', { key: 'license', join: 'single' }],
  ['Abstract', { key: 'abstract', join: 'space' }],
  ['Abstract(参考訳)', { key: 'abstractJa', join: 'newline' }],
]);

interface Field {
  label: string;
  line: number; // 1-based
  join: Join;
  parts: string[];
}

// ---------------------------------------------------------------------------------------------
// Decoding bytes

/**
 * Decodes a page file's bytes as UTF-8 (a leading BOM is dropped). Invalid UTF-8 is a
 * PageParseError on the line holding the first bad byte.
 */
export function decodePageBytes(bytes: Uint8Array, source: string): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    const offset = firstInvalidUtf8(bytes);
    let line = 1;
    for (let k = 0; k < offset && k < bytes.length; k++) if (bytes[k] === 0x0a) line++;
    const byte = bytes[offset];
    const shown = byte === undefined ? 'end of data' : `byte 0x${byte.toString(16).padStart(2, '0')}`;
    throw new PageParseError(source, line, `binary data: invalid UTF-8 (${shown} at offset ${offset})`);
  }
}

/** Offset of the first byte that starts an invalid UTF-8 sequence (bytes.length if truncated at the end). */
function firstInvalidUtf8(b: Uint8Array): number {
  let k = 0;
  while (k < b.length) {
    const c = b[k] as number;
    if (c < 0x80) {
      k++;
      continue;
    }
    let need: number;
    let min: number;
    let cp: number;
    if (c >= 0xc2 && c <= 0xdf) [need, min, cp] = [1, 0x80, c & 0x1f];
    else if (c >= 0xe0 && c <= 0xef) [need, min, cp] = [2, 0x800, c & 0x0f];
    else if (c >= 0xf0 && c <= 0xf4) [need, min, cp] = [3, 0x10000, c & 0x07];
    else return k;
    for (let t = 1; t <= need; t++) {
      const d = b[k + t];
      if (d === undefined || (d & 0xc0) !== 0x80) return k;
      cp = (cp << 6) | (d & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return k;
    k += need + 1;
  }
  return b.length;
}

// ---------------------------------------------------------------------------------------------
// Values

function parseNumber(s: string): number | null {
  const t = s.trim();
  if (!NUMBER_RE.test(t)) return null;
  const n = Number(t);
  return Number.isFinite(n) ? n : null;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const RFC1123_RE =
  /^(?:(Mon|Tue|Wed|Thu|Fri|Sat|Sun),\s*)?(\d{1,2})\s+(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\s+(\d{4})\s+(\d{2}):(\d{2})(?::(\d{2}))?\s+(GMT|UTC|UT|Z|[+-]\d{4})$/;

/** Milliseconds since the epoch for valid UTC calendar fields, else null (rejects 31 Feb, 25:00 …). */
function utcMillis(y: number, mo: number, d: number, h: number, mi: number, s: number, ms: number): number | null {
  if (mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || s > 59) return null;
  const t = Date.UTC(y, mo - 1, d, h, mi, s, ms);
  const date = new Date(t);
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) return null;
  return t;
}

function zoneOffsetMinutes(zone: string | undefined): number {
  if (!zone || zone === 'Z' || zone === 'GMT' || zone === 'UTC' || zone === 'UT') return 0;
  const m = /^([+-])(\d{2}):?(\d{2})$/.exec(zone);
  if (!m) return Number.NaN;
  const sign = m[1] === '-' ? -1 : 1;
  return sign * (Number(m[2]) * 60 + Number(m[3]));
}

/** `Wed, 04 Dec 2024 12:34:15 GMT` → `2024-12-04T12:34:15.000Z`; null when invalid. */
export function parseRfc1123(s: string): string | null {
  const m = RFC1123_RE.exec(s.trim());
  if (!m) return null;
  const [, wd, d, mon, y, h, mi, sec, zone] = m;
  const t = utcMillis(Number(y), MONTHS.indexOf(mon as string) + 1, Number(d), Number(h), Number(mi), Number(sec ?? 0), 0);
  if (t === null) return null;
  if (wd !== undefined && WEEKDAYS[new Date(t).getUTCDay()] !== wd) return null;
  const offset = zoneOffsetMinutes(zone);
  if (Number.isNaN(offset)) return null;
  return new Date(t - offset * 60_000).toISOString();
}

const ISO_RE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/** An ISO 8601 date or date-time (no zone = UTC) → `Date.toISOString()` form; null when invalid. */
export function parseIsoDate(s: string): string | null {
  const m = ISO_RE.exec(s.trim());
  if (!m) return null;
  const [, y, mo, d, h, mi, sec, frac, zone] = m;
  const ms = frac === undefined ? 0 : Math.round(Number(`0.${frac}`) * 1000);
  const t = utcMillis(Number(y), Number(mo), Number(d), Number(h ?? 0), Number(mi ?? 0), Number(sec ?? 0), 0);
  if (t === null) return null;
  const offset = zoneOffsetMinutes(zone);
  if (Number.isNaN(offset)) return null;
  return new Date(t + ms - offset * 60_000).toISOString();
}

/**
 * The site's update time, `2024-12-05 15:08:53.701250` (Python `str(datetime)`, no zone: UTC) →
 * `2024-12-05T15:08:53.701250Z`, keeping the fraction digits as written. null when invalid.
 */
export function parseSiteTimestamp(s: string): string | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?(?:Z|[+-]00:?00)?$/.exec(s.trim());
  if (!m) return null;
  const [, y, mo, d, h, mi, sec, frac] = m;
  if (utcMillis(Number(y), Number(mo), Number(d), Number(h), Number(mi), Number(sec), 0) === null) return null;
  return `${y}-${mo}-${d}T${h}:${mi}:${sec}${frac ?? ''}Z`;
}

function splitAuthors(s: string): string[] {
  return s
    .split(',')
    .map((a) => decodeLatexAccents(a).replace(/\s+/gu, ' ').trim())
    .filter((a) => a !== '');
}

// ---------------------------------------------------------------------------------------------
// Page

function splitLines(text: string): string[] {
  const lines = text.split(/\r?\n/);
  if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

function isBlank(s: string): boolean {
  return s.trim() === '';
}

function joinField(f: Field | undefined): string | null {
  if (!f) return null;
  const parts = f.parts.filter((p) => !isBlank(p));
  if (parts.length === 0) return null;
  if (f.join === 'newline') return parts.join('\n');
  return parts.map((p) => p.trim()).join(' ');
}

/**
 * Parses one page. Throws PageParseError (with the 1-based line) on malformed input.
 * `input` is the page text, or its raw bytes (decoded as strict UTF-8, see decodePageBytes).
 */
export function parsePage(input: string | Uint8Array, source: string): ParsedPage {
  const err = (line: number, detail: string) => new PageParseError(source, line, detail);
  const text = typeof input === 'string' ? input : decodePageBytes(input, source);

  const lines = splitLines(text.startsWith('\uFEFF') ? text.slice(1) : text);
  const n = lines.length;
  const lineAt = (i: number): string => lines[i] as string;

  for (let i = 0; i < n; i++) {
    const m = CONTROL_RE.exec(lineAt(i));
    if (m) {
      const cp = (m[0].codePointAt(0) as number).toString(16).toUpperCase().padStart(4, '0');
      throw err(i + 1, `binary data: control character U+${cp}${cp === '0000' ? ' (NUL)' : ''}`);
    }
  }

  let i = 0;
  while (i < n && isBlank(lineAt(i))) i++;
  if (i === n) throw err(1, 'empty page');
  const first = lineAt(i);
  if (!first.startsWith(OVERVIEW_PREFIX)) {
    throw err(i + 1, `not a paper page: expected '${OVERVIEW_PREFIX} <title>', got '${[...first].slice(0, 40).join('')}'`);
  }
  const overviewLine = i + 1;
  const overview: Field = { label: OVERVIEW_PREFIX, line: overviewLine, join: 'space', parts: [first.slice(OVERVIEW_PREFIX.length)] };

  // ----- header
  const fields = new Map<FieldKey, Field>();
  let current: Field = overview;
  let relatedAt = -1; // 0-based index of the 関連論文リスト line
  for (i = i + 1; i < n; i++) {
    const line = lineAt(i);
    if (line.trim() === RELATED_HEADING) {
      relatedAt = i;
      break;
    }
    if (line.startsWith('- ')) {
      const colon = line.indexOf(':');
      const spec = colon > 2 ? FIELDS.get(line.slice(2, colon).trim()) : undefined;
      if (spec) {
        const label = line.slice(2, colon).trim();
        const dup = fields.get(spec.key);
        if (dup) throw err(i + 1, `duplicate '- ${label}:' field (first on line ${dup.line})`);
        current = { label, line: i + 1, join: spec.join, parts: [line.slice(colon + 1).replace(/^[ \t]+/, '')] };
        fields.set(spec.key, current);
        continue;
      }
    }
    if (isBlank(line)) continue;
    if (current.join === 'single') {
      throw err(i + 1, `unexpected text after the one-line '- ${current.label}:' field (line ${current.line})`);
    }
    current.parts.push(line);
  }
  if (relatedAt < 0) {
    throw err(n, `page truncated: no '${RELATED_HEADING}' section after the header`);
  }

  // url (required)
  const urlField = fields.get('url');
  if (!urlField) throw err(relatedAt + 1, "missing '- arxiv url:' field in the header");
  const url = joinField(urlField);
  if (url === null) throw err(urlField.line, "empty '- arxiv url:' field");
  const id = arxivIdFromUrl(url);
  if (!id) throw err(urlField.line, `not an arXiv URL: '${url}'`);

  // title (required): prefer "- Title:", it equals the 論文の概要 title.
  const titleField = fields.get('title');
  const title = joinField(titleField) ?? joinField(overview);
  if (title === null) throw err(titleField?.line ?? overviewLine, "missing title: '論文の概要:' and '- Title:' are both empty or absent");

  const dateField = fields.get('date');
  const dateText = joinField(dateField);
  let publishedAt: string | null = null;
  if (dateField && dateText !== null) {
    publishedAt = parseRfc1123(dateText);
    if (publishedAt === null) {
      throw err(dateField.line, `invalid date '${dateText}' (expected RFC 1123, e.g. 'Wed, 04 Dec 2024 12:34:15 GMT')`);
    }
  }

  const updField = fields.get('siteUpdatedAt');
  const updText = joinField(updField);
  let siteUpdatedAt: string | null = null;
  if (updField && updText !== null) {
    siteUpdatedAt = parseSiteTimestamp(updText);
    if (siteUpdatedAt === null) {
      throw err(updField.line, `invalid timestamp '${updText}' (expected 'YYYY-MM-DD hh:mm:ss[.ffffff]')`);
    }
  }

  const scoreField = fields.get('score');
  const scoreText = joinField(scoreField);
  let score: number | null = null;
  if (scoreField && scoreText !== null) {
    score = parseNumber(scoreText);
    if (score === null) throw err(scoreField.line, `score '${scoreText}' is not a number`);
  }

  const authorsText = joinField(fields.get('authors'));

  // ----- related list
  const related: RelatedEntry[] = [];
  const lastLine = n; // 1-based number of the last line
  let j = relatedAt + 1;
  while (j < n && isBlank(lineAt(j))) j++;
  if (j === n) throw err(lastLine, `page truncated: '${RELATED_HEADING}' is not followed by entries or the footer`);
  if (!lineAt(j).startsWith(FOOTER_PREFIX)) {
    if (!lineAt(j).startsWith('- ')) throw err(j + 1, "expected the first related entry as '- <title> [<score>]'");
    let entryLine = j; // 0-based line where the entry's title starts
    let titleStart = lineAt(j).slice(2);
    for (let rank = 1; ; rank++) {
      // The title runs up to the summary (a line with kana), the date line or the footer. Its score is the
      // bracketed number at the end of its last line that ends in one: titles themselves hold bracketed
      // words and numbers (`[Re] …`, `[CLS]`, `[v2]`), which may fall at the end of a wrapped line.
      let end = entryLine + 1; // 0-based index of the first line after the title region
      while (end < n) {
        const line = lineAt(end);
        if (line.startsWith(DATE_LINE_PREFIX) || line.startsWith(FOOTER_PREFIX) || KANA_RE.test(line)) break;
        end++;
      }
      let k = end - 1;
      let m: RegExpExecArray | null = null;
      let scoreValue: number | null = null;
      for (; k >= entryLine; k--) {
        m = SCORE_SUFFIX_RE.exec(k === entryLine ? titleStart : lineAt(k));
        scoreValue = m ? parseNumber(m[2] as string) : null;
        if (scoreValue !== null) break;
      }
      if (scoreValue === null || m === null) {
        if (end >= n) throw err(lastLine, `related entry ${rank}: page ends inside its title (no [score])`);
        let lastAt = end - 1;
        while (lastAt > entryLine && isBlank(lineAt(lastAt))) lastAt--;
        const last = SCORE_SUFFIX_RE.exec(lastAt === entryLine ? titleStart : lineAt(lastAt));
        if (last) throw err(lastAt + 1, `related entry ${rank}: score '[${last[2]}]' is not a number`);
        throw err(entryLine + 1, `related entry ${rank}: title has no [score]`);
      }
      const titleParts: string[] = [];
      for (let t = entryLine; t < k; t++) titleParts.push(t === entryLine ? titleStart : lineAt(t));
      titleParts.push(m[1] as string);
      const relTitle = titleParts
        .map((p) => p.trim())
        .filter((p) => p !== '')
        .join(' ');
      if (relTitle === '') throw err(entryLine + 1, `related entry ${rank}: empty title`);

      // summary lines, up to the date line
      const summary: string[] = [];
      let dm: RegExpExecArray | null = null;
      for (k++; ; k++) {
        if (k >= n) throw err(lastLine, `related entry ${rank}: no date line (page truncated?)`);
        const line = lineAt(k);
        if (line.startsWith(DATE_LINE_PREFIX)) {
          dm = DATE_LINE_RE.exec(line);
          if (!dm) throw err(k + 1, `related entry ${rank}: malformed date line`);
          break;
        }
        if (line.startsWith(FOOTER_PREFIX)) throw err(k + 1, `related entry ${rank}: no date line before the footer`);
        if (!isBlank(line)) summary.push(line);
      }
      const dateRaw = (dm[1] as string).trim();
      let relDate: string | null = null;
      if (dateRaw !== '') {
        relDate = parseIsoDate(dateRaw);
        if (relDate === null) throw err(k + 1, `related entry ${rank}: invalid date '${dateRaw}'`);
      }
      related.push({ rank, title: relTitle, score: scoreValue, publishedAt: relDate, summaryJa: summary.join('\n') });

      const next = dm[2];
      if (next !== undefined) {
        if (isBlank(next)) throw err(k + 1, `related entry ${rank + 1}: empty title after ' - '`);
        entryLine = k;
        titleStart = next;
        continue;
      }
      // last entry: the footer must follow
      let f = k + 1;
      while (f < n && isBlank(lineAt(f))) f++;
      if (f === n) throw err(lastLine, `page truncated: no footer after related entry ${rank}`);
      if (!lineAt(f).startsWith(FOOTER_PREFIX)) {
        throw err(f + 1, `expected the footer ('${FOOTER_PREFIX}…') after related entry ${rank}`);
      }
      break;
    }
  }

  return {
    source,
    arxivId: id.arxivId,
    version: id.version,
    url,
    title,
    titleJa: joinField(fields.get('titleJa')),
    authors: authorsText === null ? [] : splitAuthors(authorsText),
    publishedAt,
    status: joinField(fields.get('status')),
    siteUpdatedAt,
    score,
    license: joinField(fields.get('license')),
    summaryJa: joinField(fields.get('summaryJa')),
    abstract: joinField(fields.get('abstract')),
    abstractJa: joinField(fields.get('abstractJa')),
    related,
  };
}

/** Parses a page held as bytes (UTF-8, with or without BOM); same as parsePage(bytes, source). */
export function parsePageBytes(bytes: Uint8Array, source: string): ParsedPage {
  return parsePage(bytes, source);
}

/** Reads and parses one page file; `source` (default: the path) names it in errors and the result. */
export async function parsePageFile(path: string, source: string = path): Promise<ParsedPage> {
  const bytes = await readFile(path);
  return parsePageBytes(bytes, source);
}
