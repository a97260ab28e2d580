/** Identity rules for OpenAlex data, shared by the importer and the API (no I/O). */
import { paperUid } from './keys.ts';

const WORK_ID = /^(?:https?:\/\/(?:www\.)?openalex\.org\/)?(W\d{1,15})$/i;
const DOI = /^(?:https?:\/\/(?:dx\.)?doi\.org\/|doi:)?(10\.\d{4,9}\/\S+)$/i;

/** `W2741809807` from `https://openalex.org/W2741809807` or `W2741809807`; null when it is not a work id. */
export function workIdOf(value: string): string | null {
  const match = WORK_ID.exec(value.trim());
  return match ? `W${match[1]!.slice(1)}` : null;
}

/** A DOI in lower case without its resolver prefix (`10.7717/peerj.4375`); DOIs are case-insensitive. */
export function normalizeDoi(value: string): string | null {
  const match = DOI.exec(value.trim());
  return match ? match[1]!.toLowerCase() : null;
}

/** The paper's own uid when it is known only from OpenAlex: stable across loads, like keys.ts. */
export function workUid(openalexId: string): string {
  return paperUid(`openalex:${openalexId}`);
}

/** The letter that opens an OpenAlex id of each kind of entity a work points at. */
export type EntityPrefix = 'S' | 'I' | 'T' | 'C';

/**
 * `S4306400194` from `https://openalex.org/S4306400194`, `s4306400194` or `S4306400194`, for an entity
 * of the kind `prefix` names; null when the value is not such an id. Older files name sources as
 * venues (`V123`), which OpenAlex renamed to sources keeping the number, so `V123` is read as `S123`.
 */
export function entityIdOf(value: string, prefix: EntityPrefix): string | null {
  const match = /^(?:https?:\/\/(?:www\.)?openalex\.org\/(?:[a-z]+\/)?)?([a-z])(\d{1,15})$/i.exec(value.trim());
  if (!match) return null;
  const letter = match[1]!.toUpperCase();
  if (letter !== prefix && !(prefix === 'S' && letter === 'V')) return null;
  return `${prefix}${match[2]}`;
}

/** ROR id without its resolver (`03vek6s52` from `https://ror.org/03vek6s52`); null when it is not one. */
export function rorIdOf(value: string): string | null {
  const match = /^(?:https?:\/\/ror\.org\/)?(0[a-z0-9]{6}\d{2})$/i.exec(value.trim());
  return match ? match[1]!.toLowerCase() : null;
}
