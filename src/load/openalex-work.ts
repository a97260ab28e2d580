/**
 * One OpenAlex work object (a line of a works snapshot file or an API result), checked and shaped
 * into the row the import query writes. Both layouts that occur in real files are accepted: the
 * current one (`primary_location`, `locations`) and the older one (`host_venue`,
 * `alternate_host_venues`). See https://docs.openalex.org/api-entities/works/work-object.
 */
import { arxivIdFromUrl, authorUid, titleKey } from '../domain/keys.ts';
import { entityIdOf, normalizeDoi, rorIdOf, workIdOf, workUid, type EntityPrefix } from '../domain/openalex.ts';

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
  /** Names of the authorship's institutions, as OpenAlex prints them (kept on the AUTHORED link). */
  institutions: string[];
  /** OpenAlex ids of the authorship's institutions that have one, each in the work's `institutions`. */
  institutionIds: string[];
}

/** The source (journal, conference, repository) a work appeared in: `primary_location.source` or `host_venue`. */
export interface VenueRow {
  /** `S4306400194`; an older file's venue id `V…` is the source of the same number. */
  openalexId: string;
  /** Null when the file gives only the id: the venue shows its id until a work names it. */
  name: string | null;
  type: string | null;
  issnL: string | null;
}

export interface InstitutionRow {
  /** `I136199984`. */
  openalexId: string;
  name: string | null;
  /** ISO 3166-1 alpha-2, as OpenAlex's `country_code`. */
  country: string | null;
  type: string | null;
  /** Without https://ror.org/. */
  ror: string | null;
}

/** A topic of the work (`topics[]`, `T…`), or in a file without topics one of its concepts (`concepts[]`, `C…`). */
export interface TopicRow {
  openalexId: string;
  name: string | null;
  /** OpenAlex's confidence that the work is about it, 0 to 1. */
  score: number | null;
  /** Topics only: the names of their place in OpenAlex's hierarchy. */
  subfield: string | null;
  field: string | null;
  domain: string | null;
  /** Concepts only: their level, 0 (broadest) to 5. */
  level: number | null;
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
  /** The venue's name, also for a venue without an id (kept as Paper.venue). */
  venue: string | null;
  /** The venue as an entity, when the file gives its id. */
  publishedIn: VenueRow | null;
  citedByCount: number | null;
  abstract: string | null;
  authors: WorkAuthorRow[];
  references: WorkRefRow[];
  related: WorkRefRow[];
  /** Every institution of the authorships (with an id), once each; authors refer to them by id. */
  institutions: InstitutionRow[];
  topics: TopicRow[];
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

/** The venue in either layout: `primary_location.source` (current) or `host_venue` itself (older). */
function venueOf(work: Json): { name: string | null; entity: VenueRow | null } {
  const location = optionalObject(work, 'primary_location');
  const where = location ? 'primary_location.source' : 'host_venue';
  const venue = location ? optionalObject(location, 'source', where) : optionalObject(work, 'host_venue');
  if (!venue) return { name: null, entity: null };
  // The paper keeps the name as printed (Paper.venueName); the node's has its spaces collapsed.
  const name = optionalString(venue, 'display_name', `${where}.display_name`);
  const openalexId = entityId(venue, 'S', where, 'source');
  return {
    name,
    entity: openalexId
      ? { openalexId, name: cleanName(name), type: optionalString(venue, 'type', `${where}.type`), issnL: optionalString(venue, 'issn_l', `${where}.issn_l`) }
      : null,
  };
}

const entityKinds: Record<EntityPrefix, string> = { S: 'source', I: 'institution', T: 'topic', C: 'concept' };

/**
 * The OpenAlex id of an entity object (`{ id: "https://openalex.org/I…" }`), null when it has none
 * (OpenAlex leaves some unresolved); an id of another kind is an error, as for authors.
 */
function entityId(entity: Json, prefix: EntityPrefix, where: string, kind = entityKinds[prefix]): string | null {
  const raw = optionalString(entity, 'id', `${where}.id`);
  if (raw === null || raw.trim() === '') return null;
  const id = entityIdOf(raw, prefix);
  if (!id) throw new WorkError(`${where}.id is not an OpenAlex ${kind} id: ${describe(raw)}`);
  return id;
}

const cleanName = (name: string | null): string | null => name?.normalize('NFC').trim().replace(/\s+/gu, ' ') || null;

function optionalScore(object: Json, field: string, where: string): number | null {
  const value = object[field];
  if (value === undefined || value === null) return null;
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new WorkError(`${where} must be a number, got ${describe(value)}`);
  return value;
}

/** The name of a topic's subfield, field or domain (`{ id, display_name }`). */
function levelName(topic: Json, field: string, where: string): string | null {
  const level = optionalObject(topic, field, `${where}.${field}`);
  return level ? cleanName(optionalString(level, 'display_name', `${where}.${field}.display_name`)) : null;
}

/**
 * The work's topics (`topics[]`); a work without any (files older than topics) gets its concepts
 * (`concepts[]`) instead, in the same shape. Current files carry both, and concepts are deprecated
 * there: reading them too would add a dozen links a work for a superseded classification.
 */
function topicsOf(work: Json): TopicRow[] {
  const topics = optionalList(work, 'topics');
  const [field, list, prefix]: [string, unknown[], EntityPrefix] =
    topics.length > 0 ? ['topics', topics, 'T'] : ['concepts', optionalList(work, 'concepts'), 'C'];
  const rows: TopicRow[] = [];
  const seen = new Set<string>();
  list.forEach((value, index) => {
    const where = `${field}[${index}]`;
    if (value === null) return;
    if (typeof value !== 'object' || Array.isArray(value)) throw new WorkError(`${where} must be an object, got ${describe(value)}`);
    const topic = value as Json;
    const openalexId = entityId(topic, prefix, where);
    if (!openalexId || seen.has(openalexId)) return;
    seen.add(openalexId);
    const level = topic.level;
    if (prefix === 'C' && level !== undefined && level !== null && !Number.isSafeInteger(level))
      throw new WorkError(`${where}.level must be an integer, got ${describe(level)}`);
    rows.push({
      openalexId,
      name: cleanName(optionalString(topic, 'display_name', `${where}.display_name`)),
      score: optionalScore(topic, 'score', `${where}.score`),
      subfield: prefix === 'T' ? levelName(topic, 'subfield', where) : null,
      field: prefix === 'T' ? levelName(topic, 'field', where) : null,
      domain: prefix === 'T' ? levelName(topic, 'domain', where) : null,
      level: prefix === 'C' ? ((level as number | null | undefined) ?? null) : null,
    });
  });
  return rows;
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

function authorsOf(work: Json, institutionsById: Map<string, InstitutionRow>): WorkAuthorRow[] {
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
    const institutionIds: string[] = [];
    optionalList(authorship, 'institutions', `${where}.institutions`).forEach((value, k) => {
      if (value === null) return;
      const at = `${where}.institutions[${k}]`;
      if (typeof value !== 'object' || Array.isArray(value)) throw new WorkError(`${at} must be an object, got ${describe(value)}`);
      const institution = value as Json;
      const label = optionalString(institution, 'display_name', `${at}.display_name`);
      if (label) institutions.push(label);
      const openalexId = entityId(institution, 'I', at);
      if (!openalexId || institutionIds.includes(openalexId)) return;
      institutionIds.push(openalexId);
      if (institutionsById.has(openalexId)) return;
      const ror = optionalString(institution, 'ror', `${at}.ror`);
      institutionsById.set(openalexId, {
        openalexId,
        name: cleanName(label),
        country: optionalString(institution, 'country_code', `${at}.country_code`)?.toUpperCase() ?? null,
        type: optionalString(institution, 'type', `${at}.type`),
        ror: ror ? rorIdOf(ror) : null,
      });
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
      institutionIds,
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
  const { all } = locationsOf(work);

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
  const venue = venueOf(work);
  const institutionsById = new Map<string, InstitutionRow>();
  const authors = authorsOf(work, institutionsById);
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
    venue: venue.name,
    publishedIn: venue.entity,
    citedByCount: optionalCount(work, 'cited_by_count'),
    abstract: invertedIndex ? abstractFromInvertedIndex(invertedIndex) : null,
    authors,
    references: workIdList(work, 'referenced_works', openalexId),
    related: workIdList(work, 'related_works', openalexId),
    institutions: [...institutionsById.values()],
    topics: topicsOf(work),
  };
}
