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
