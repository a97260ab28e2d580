/**
 * Normalized keys used to recognise the same paper / author across pages, and the uids derived from them.
 */
import { createHash } from 'node:crypto';

/**
 * Key of a paper title: NFKC, lower case, only Unicode letters and digits kept. Wrapping quirks
 * ("Fine-TunedDownstream Task" vs "Fine-Tuned Downstream Task"), punctuation, spacing and
 * full-width forms all collapse to the same key.
 */
export function titleKey(title: string): string {
  return title
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '');
}

/**
 * Key of an author name: NFC, trimmed, inner whitespace collapsed to one space, lower case.
 * Accents are kept ("Éric" and "Eric" are different keys).
 */
export function authorKey(name: string): string {
  return name.normalize('NFC').trim().replace(/\s+/gu, ' ').toLowerCase();
}

/**
 * Uids are derived from the key a node is identified by (a paper with a page: its arXiv id; a paper
 * known only from related entries: its title key), so a paper or author gets the same uid (and so the
 * same GraphQL ID) whatever order the pages are loaded in, and again after the database is rebuilt.
 */
export function paperUid(key: string): string {
  return `p${digest(`paper\u0000${key}`)}`;
}

/**
 * The uid of a paper that has a page: derived from its arXiv id, which no edit of the page changes
 * (the title can be corrected), so a retitled page keeps its paper and its GraphQL ID. The prefix keeps
 * these apart from title keys (letters and digits only) and from `openalex:` work ids.
 */
export function arxivPaperUid(arxivId: string): string {
  return paperUid(`arxiv:${arxivId}`);
}

export function authorUid(key: string): string {
  return `a${digest(`author\u0000${key}`)}`;
}

function digest(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('base64url').slice(0, 22);
}

export interface ArxivId {
  /** `2412.03275`, `0704.0001`, or old style `hep-th/9901001`, `math.AG/0309136`. No version. */
  arxivId: string;
  /** `1` for `…v1`; null when the URL names no version. */
  version: number | null;
}

// New-style ids (2007-04 on): YYMM.NNNN (to 2014) or YYMM.NNNNN (2015 on).
const NEW_ID = String.raw`\d{4}\.\d{4,5}`;
// Old-style ids: archive[.SUBJ]/YYMMNNN
const OLD_ID = String.raw`[a-z]+(?:-[a-z]+)*(?:\.[A-Z]{2})?/\d{7}`;
const ID_RE = new RegExp(
  String.raw`^(?:https?://(?:www\.|export\.)?arxiv\.org/(?:abs|pdf)/|arxiv:)?(${NEW_ID}|${OLD_ID})(?:v(\d+))?(?:\.pdf)?/?(?:[?#].*)?$`,
  'i',
);

/**
 * Parses an arXiv URL (`http://arxiv.org/abs/2412.03275v1`, `https://arxiv.org/pdf/hep-th/9901001v2`)
 * or a bare id (`2412.03275v1`, `arXiv:2412.03275`). Returns null when it is not one.
 */
export function arxivIdFromUrl(url: string): ArxivId | null {
  const m = ID_RE.exec(url.trim());
  if (!m) return null;
  const id = m[1] as string;
  const version = m[2] === undefined ? null : Number(m[2]);
  if (version !== null && (!Number.isSafeInteger(version) || version < 1)) return null;
  return { arxivId: id, version };
}
