import { userError } from './errors.ts';

/**
 * A keyset cursor: the sort value of a row plus its uid. It stays valid when rows are added or removed,
 * unlike an offset. `order` ties the cursor to the ordering it was made for.
 */
export interface Keyset {
  order: string;
  value: string | number | null;
  uid: string;
}

export function encodeCursor(keyset: Keyset): string {
  return Buffer.from(JSON.stringify([keyset.order, keyset.value, keyset.uid]), 'utf8').toString('base64url');
}

/** Decodes a cursor made for `expectedOrder`, whose sort values are all of `valueType`. */
export function decodeCursor(cursor: string, expectedOrder: string, valueType: 'string' | 'number'): Keyset {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    parsed = undefined;
  }
  if (
    !Array.isArray(parsed) ||
    parsed.length !== 3 ||
    typeof parsed[0] !== 'string' ||
    !(typeof parsed[1] === 'string' || typeof parsed[1] === 'number' || parsed[1] === null) ||
    typeof parsed[2] !== 'string'
  ) {
    throw userError('INVALID_CURSOR', 'the cursor is malformed; use a cursor returned by this field');
  }
  if (parsed[0] !== expectedOrder) {
    throw userError('INVALID_CURSOR', `the cursor was made for ordering ${parsed[0]}, not ${expectedOrder}`);
  }
  // Neo4j compares values of different types as null: a forged value would silently page to nothing.
  if (typeof parsed[1] !== valueType || (valueType === 'number' && !Number.isFinite(parsed[1]))) {
    throw userError('INVALID_CURSOR', 'the cursor is malformed; use a cursor returned by this field');
  }
  return { order: parsed[0], value: parsed[1], uid: parsed[2] };
}
