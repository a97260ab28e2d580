import { userError } from './errors.ts';

/** The types that have global IDs; any other typename in an ID is not ours. */
export const nodeTypenames = ['Paper', 'Author', 'Community', 'Venue', 'Institution', 'Topic'] as const;

/** Global IDs are opaque to clients: base64url of `Type:uid`. */
export function encodeGlobalId(typename: string, id: string | number | bigint): string {
  return Buffer.from(`${typename}:${id}`, 'utf8').toString('base64url');
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
