import { userError } from './errors.ts';

/** The types that have global IDs; any other typename in an ID is not ours. */
export const nodeTypenames = ['Paper', 'Author'] as const;

/**
 * Recently written global IDs by typename and uid. A page of 20 papers with their authors writes about
 * a hundred IDs, and encoding each through a Buffer cost ~0.5 µs, a tenth of that request's GraphQL
 * work in the API benchmark; a lookup costs a tenth of an encoding. Bounded: emptied when full.
 */
const recentIds = new Map<string, Map<string | number | bigint, string>>();
const maxRecentIdsPerType = 50_000;

/** Global IDs are opaque to clients: base64url of `Type:uid`. */
export function encodeGlobalId(typename: string, id: string | number | bigint): string {
  let ofType = recentIds.get(typename);
  if (!ofType) recentIds.set(typename, (ofType = new Map()));
  let globalId = ofType.get(id);
  if (globalId === undefined) {
    if (ofType.size >= maxRecentIdsPerType) ofType.clear();
    globalId = Buffer.from(`${typename}:${id}`, 'utf8').toString('base64url');
    ofType.set(id, globalId);
  }
  return globalId;
}

export function decodeGlobalId(globalId: string): { typename: string; id: string } {
  const decoded = /^[A-Za-z0-9_-]+={0,2}$/.test(globalId) ? Buffer.from(globalId, 'base64url').toString('utf8') : '';
  const separator = decoded.indexOf(':');
  const typename = decoded.slice(0, separator);
  if (separator <= 0 || separator === decoded.length - 1 || !(nodeTypenames as readonly string[]).includes(typename)) {
    throw userError('INVALID_ID', `"${truncate(globalId)}" is not a papergraph ID`);
  }
  return { typename, id: decoded.slice(separator + 1) };
}

/** The uid inside a global ID that must name an object of one of the given types. */
export function uidFromGlobalId(globalId: string, ...typenames: string[]): { typename: string; uid: string } {
  const { typename, id } = decodeGlobalId(globalId);
  if (!typenames.includes(typename)) {
    throw userError('INVALID_ID', `"${truncate(globalId)}" is the ID of a ${typename}, expected ${typenames.join(' or ')}`);
  }
  return { typename, uid: id };
}

function truncate(text: string): string {
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
