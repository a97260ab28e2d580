/**
 * One OpenAlex work object (a line of a works snapshot file or an API result), checked and shaped
 * into the row the import query writes. Both layouts that occur in real files are accepted: the
 * current one (`primary_location`, `locations`) and the older one (`host_venue`,
 * `alternate_host_venues`). See https://docs.openalex.org/api-entities/works/work-object.
 */
import { arxivIdFromUrl, authorUid, titleKey } from '../domain/keys.ts';
import { normalizeDoi, workIdOf, workUid } from '../domain/openalex.ts';

/** A work that cannot be imported: the message says which field is wrong and how. */
export class WorkError extends Error {
  override name = 'WorkError';
}

export interface WorkAuthorRow {
  /** `A5023888391`: the OpenAlex author id, which identifies the author (not the name). */
  openalexId: string;
  uid: string;
  /** The Author node's merge key, in a namespace no summary-page name can reach. */
  key: string;
  name: string;
  orcid: string | null;
  /** From 1, in the work's order. */
  position: number;
  /** OpenAlex's `author_position`: first, middle or last. */
  role: string | null;
  institutions: string[];
}

export interface WorkRefRow {
  openalexId: string;
  uid: string;
}

/** One work, shaped for the write query (src/db/queries/citations.ts writeWorks). */
export interface WorkRow {
  /** `file:line`, for messages. */
  source: string;
  /** SHA-256 of the line: an unchanged work is skipped on the next run. */
  hash: string;
  openalexId: string;
  uid: string;
  doi: string | null;
  arxivId: string | null;
  title: string;
  titleKey: string | null;
  /** ISO instant of publication_date (midnight UTC), or null. */
  publishedAt: string | null;
  publicationYear: number | null;
  workType: string | null;
  venue: string | null;
  citedByCount: number | null;
  abstract: string | null;
  authors: WorkAuthorRow[];
  references: WorkRefRow[];
  related: WorkRefRow[];
}

const AUTHOR_ID = /^(?:https?:\/\/(?:www\.)?openalex\.org\/)?(A\d{1,15})$/i;
const ARXIV_DOI = /^10\.48550\/arxiv\.(.+)$/i;
const ORCID = /^(?:https?:\/\/orcid\.org\/)?(\d{4}-\d{4}-\d{4}-\d{3}[\dX])$/i;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * The plain abstract from OpenAlex's inverted index (`{ word: [positions] }`). Words are placed by
 * position without building a sparse array, so a huge position cannot blow up memory.
 */
export function abstractFromInvertedIndex(index: Record<string, unknown>, where = 'abstract_inverted_index'): string | null {
  const placed: [number, string][] = [];
  for (const [word, positions] of Object.entries(index)) {
    if (!Array.isArray(positions)) throw new WorkError(`${where}.${word} must be a list of positions`);
    for (const position of positions) {
      if (!Number.isSafeInteger(position) || (position as number) < 0) {
        throw new WorkError(`${where}.${word} holds ${JSON.stringify(position)}, not a word position`);
      }
      placed.push([position as number, word]);
    }
  }
  if (placed.length === 0) return null;
  placed.sort((a, b) => a[0] - b[0]);
  return placed.map(([, word]) => word).join(' ');
}

// ---------------------------------------------------------------------------------------------
// Field checks: each names the field and what it holds, so a bad line reads `file:line: W…: field …`.

type Json = Record<string, unknown>;

const describe = (value: unknown): string => {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  const text = JSON.stringify(value);
  return `${typeof value} ${text.length > 40 ? `${text.slice(0, 37)}...` : text}`;
};

function optionalString(object: Json, field: string, where = field): string | null {
  const value = object[field];
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') throw new WorkError(`${where} must be a string, got ${describe(value)}`);
  return value;
}

function optionalObject(object: Json, field: string, where = field): Json | null {
  const value = object[field];
  if (value === undefined || value === null) return null;
  if (typeof value !== 'object' || Array.isArray(value)) throw new WorkError(`${where} must be an object, got ${describe(value)}`);
  return value as Json;
}

function optionalList(object: Json, field: string, where = field): unknown[] {
  const value = object[field];
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new WorkError(`${where} must be a list, got ${describe(value)}`);
  return value;
}

function optionalCount(object: Json, field: string): number | null {
  const value = object[field];
  if (value === undefined || value === null) return null;
  if (!Number.isSafeInteger(value) || (value as number) < 0) throw new WorkError(`${field} must be a non-negative integer, got ${describe(value)}`);
  return value as number;
}

/** Work ids of a list field (referenced_works, related_works): deduplicated, in order, without the work itself. */
function workIdList(object: Json, field: string, self: string): WorkRefRow[] {
  const seen = new Set<string>([self]);
  const rows: WorkRefRow[] = [];
  optionalList(object, field).forEach((value, index) => {
    if (typeof value !== 'string') throw new WorkError(`${field}[${index}] must be a work id, got ${describe(value)}`);
    const id = workIdOf(value);
    if (!id) throw new WorkError(`${field}[${index}] is not an OpenAlex work id: ${describe(value)}`);
    if (seen.has(id)) return;
    seen.add(id);
    rows.push({ openalexId: id, uid: workUid(id) });
  });
  return rows;
}

/** Locations in both layouts: primary_location and locations, or host_venue and alternate_host_venues. */
function locationsOf(work: Json): { primary: Json | null; all: Json[] } {
  const primary = optionalObject(work, 'primary_location') ?? optionalObject(work, 'host_venue');
  const all: Json[] = primary ? [primary] : [];
  for (const field of ['locations', 'alternate_host_venues']) {
    optionalList(work, field).forEach((value, index) => {
      if (value === null) return;
      if (typeof value !== 'object' || Array.isArray(value)) throw new WorkError(`${field}[${index}] must be an object, got ${describe(value)}`);
      all.push(value as Json);
    });
  }
  return { primary, all };
}

function venueOf(primary: Json | null): string | null {
  if (!primary) return null;
  // Current layout: location.source.display_name; older layout: host_venue.display_name.
  const source = optionalObject(primary, 'source', 'primary_location.source');
  return (
    (source ? optionalString(source, 'display_name', 'primary_location.source.display_name') : null) ??
    optionalString(primary, 'display_name', 'host_venue.display_name')
  );
}

/**
 * The arXiv id, where the work carries one: `ids.arxiv`, an arXiv DOI (10.48550/arXiv.…), or the URL
 * of a location on arxiv.org. Without version.
 */
function arxivIdOf(ids: Json | null, doi: string | null, locations: Json[]): string | null {
  const candidates: string[] = [];
  const fromIds = ids ? optionalString(ids, 'arxiv', 'ids.arxiv') : null;
  if (fromIds) candidates.push(fromIds);
  const arxivDoi = doi ? ARXIV_DOI.exec(doi) : null;
  if (arxivDoi) candidates.push(arxivDoi[1]!);
  for (const location of locations) {
    for (const field of ['landing_page_url', 'pdf_url', 'url']) {
      const url = location[field];
      if (typeof url === 'string' && /arxiv\.org\//i.test(url)) candidates.push(url);
    }
  }
  for (const candidate of candidates) {
    const parsed = arxivIdFromUrl(candidate);
    if (parsed) return parsed.arxivId;
  }
  return null;
}

function authorsOf(work: Json): WorkAuthorRow[] {
  const authors: WorkAuthorRow[] = [];
  const seen = new Set<string>();
  optionalList(work, 'authorships').forEach((value, index) => {
    const where = `authorships[${index}]`;
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new WorkError(`${where} must be an object, got ${describe(value)}`);
    const authorship = value as Json;
    const author = optionalObject(authorship, 'author', `${where}.author`);
    const rawId = author ? optionalString(author, 'id', `${where}.author.id`) : null;
    // OpenAlex leaves an author unresolved now and then (no id): nobody to link, so the authorship is left out.
    if (!author || rawId === null) return;
    const match = AUTHOR_ID.exec(rawId.trim());
    if (!match) throw new WorkError(`${where}.author.id is not an OpenAlex author id: ${describe(rawId)}`);
    const openalexId = `A${match[1]!.slice(1)}`;
    // The same author listed twice in one work (it happens) is one authorship, at the first place.
    if (seen.has(openalexId)) return;
    seen.add(openalexId);
    const name =
      optionalString(author, 'display_name', `${where}.author.display_name`) ??
      optionalString(authorship, 'raw_author_name', `${where}.raw_author_name`) ??
      openalexId;
    const orcidRaw = optionalString(author, 'orcid', `${where}.author.orcid`);
    const institutions: string[] = [];
    optionalList(authorship, 'institutions', `${where}.institutions`).forEach((institution, k) => {
      if (institution === null) return;
      if (typeof institution !== 'object' || Array.isArray(institution)) {
        throw new WorkError(`${where}.institutions[${k}] must be an object, got ${describe(institution)}`);
      }
      const label = optionalString(institution as Json, 'display_name', `${where}.institutions[${k}].display_name`);
      if (label) institutions.push(label);
    });
    authors.push({
      openalexId,
      uid: authorUid(`openalex:${openalexId}`),
      key: `openalex:${openalexId}`,
      name: name.normalize('NFC').trim().replace(/\s+/gu, ' ') || openalexId,
      orcid: orcidRaw ? (ORCID.exec(orcidRaw.trim())?.[1]?.toUpperCase() ?? null) : null,
      position: authors.length + 1,
      role: optionalString(authorship, 'author_position', `${where}.author_position`),
      institutions,
    });
  });
  return authors;
}

/**
 * Checks one parsed work and shapes it for the write query. Throws WorkError (without location; the
 * caller adds `file:line`) when the object is not a work or a field we use has the wrong type.
 */
export function toWorkRow(value: unknown, source: string, hash: string): WorkRow {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new WorkError(`a work must be a JSON object, got ${describe(value)}`);
  const work = value as Json;
  const rawId = work.id;
  if (rawId === undefined || rawId === null) throw new WorkError('the work has no id');
  if (typeof rawId !== 'string') throw new WorkError(`id must be a string, got ${describe(rawId)}`);
  const openalexId = workIdOf(rawId);
  if (!openalexId) throw new WorkError(`id is not an OpenAlex work id: ${describe(rawId)}`);
  try {
    return shapeWork(work, openalexId, source, hash);
  } catch (error) {
    if (error instanceof WorkError) throw new WorkError(`${openalexId}: ${error.message}`);
    throw error;
  }
}

function shapeWork(work: Json, openalexId: string, source: string, hash: string): WorkRow {
  const ids = optionalObject(work, 'ids');
  const rawDoi = optionalString(work, 'doi') ?? (ids ? optionalString(ids, 'doi', 'ids.doi') : null);
  const doi = rawDoi ? normalizeDoi(rawDoi) : null;
  const { primary, all } = locationsOf(work);

  const rawTitle = optionalString(work, 'display_name') ?? optionalString(work, 'title');
  const title = rawTitle?.normalize('NFC').trim().replace(/\s+/gu, ' ') ?? '';
  const key = title ? titleKey(title) : '';

  const rawDate = optionalString(work, 'publication_date');
  let publishedAt: string | null = null;
  if (rawDate !== null) {
    const match = DATE.exec(rawDate);
    const instant = match ? new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]))) : null;
    if (!match || !instant || instant.getUTCDate() !== Number(match[3]))
      throw new WorkError(`publication_date must be a date (YYYY-MM-DD), got ${describe(rawDate)}`);
    publishedAt = instant.toISOString();
  }
  const yearValue = work.publication_year;
  if (yearValue !== undefined && yearValue !== null && !Number.isSafeInteger(yearValue)) {
    throw new WorkError(`publication_year must be an integer, got ${describe(yearValue)}`);
  }
  const publicationYear = (yearValue as number | null | undefined) ?? (publishedAt ? Number(publishedAt.slice(0, 4)) : null);

  const invertedIndex = optionalObject(work, 'abstract_inverted_index');
  return {
    source,
    hash,
    openalexId,
    uid: workUid(openalexId),
    doi,
    arxivId: arxivIdOf(ids, doi, all),
    // A work without a title is still a node of the citation graph; it shows its id, like a stub.
    title: title || openalexId,
    titleKey: key || null,
    publishedAt,
    publicationYear,
    workType: optionalString(work, 'type'),
    venue: venueOf(primary),
    citedByCount: optionalCount(work, 'cited_by_count'),
    abstract: invertedIndex ? abstractFromInvertedIndex(invertedIndex) : null,
    authors: authorsOf(work),
    references: workIdList(work, 'referenced_works', openalexId),
    related: workIdList(work, 'related_works', openalexId),
  };
}
