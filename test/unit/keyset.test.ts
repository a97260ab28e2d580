import type { GraphQLError } from 'graphql';
import { describe, expect, it } from 'vitest';
import { keysetFragments, keysetParams, type KeysetRow } from '../../src/db/queries/keyset.ts';
import { connectionFromRows, pageQueryFromArgs } from '../../src/graphql/lib/connection.ts';
import { decodeCursor, encodeCursor } from '../../src/graphql/lib/cursor.ts';

type Row = KeysetRow<{ uid: string }>;
const rows = (...values: [number, string][]): Row[] => values.map(([sortValue, uid]) => ({ sortValue, node: { uid } }));

function codeOf(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return (error as GraphQLError).extensions?.code;
  }
  return 'no error';
}

describe('keyset cursors', () => {
  it('carry the ordering, the sort value and the uid, and decode back only for that ordering', () => {
    const cursor = encodeCursor({ order: 'CITATIONS:DESC', value: 12, uid: 'p-1' });
    expect(decodeCursor(cursor, 'CITATIONS:DESC', 'number')).toEqual({ order: 'CITATIONS:DESC', value: 12, uid: 'p-1' });
    expect(codeOf(() => decodeCursor(cursor, 'TITLE:ASC', 'string'))).toBe('INVALID_CURSOR');
    // A forged value of the wrong type would compare as null in Neo4j and page to nothing.
    expect(codeOf(() => decodeCursor(encodeCursor({ order: 'CITATIONS:DESC', value: 'x', uid: 'p' }), 'CITATIONS:DESC', 'number'))).toBe('INVALID_CURSOR');
    expect(codeOf(() => decodeCursor('not a cursor', 'CITATIONS:DESC', 'number'))).toBe('INVALID_CURSOR');
  });

  it('page forward: one row more than asked tells there is a next page, and the last cursor starts the next page', () => {
    const first = pageQueryFromArgs({ first: 2 }, 'CITATIONS', 'DESC');
    expect(first).toEqual({ order: 'CITATIONS', direction: 'DESC', backward: false, limit: 2, after: null });
    expect(keysetParams(first)).toEqual({ keyset: null, limitPlusOne: expect.objectContaining({ low: 3 }) });
    const page = connectionFromRows(rows([9, 'a'], [7, 'b'], [7, 'c']), first, 3);
    expect(page.edges.map((edge) => edge.node.uid)).toEqual(['a', 'b']);
    expect(page.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
    const next = pageQueryFromArgs({ first: 2, after: page.pageInfo.endCursor }, 'CITATIONS', 'DESC');
    expect(next.after).toEqual({ value: 7, uid: 'b' });
  });

  it('page backward: rows come in reverse travel order and are put back; the comparison flips', () => {
    const last = pageQueryFromArgs({ last: 2, before: encodeCursor({ order: 'CITATIONS:DESC', value: 3, uid: 'z' }) }, 'CITATIONS', 'DESC');
    expect(last).toMatchObject({ backward: true, limit: 2, after: { value: 3, uid: 'z' } });
    const page = connectionFromRows(rows([4, 'y'], [5, 'x']), last, 10);
    expect(page.edges.map((edge) => edge.node.uid)).toEqual(['x', 'y']);
    expect(page.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
    expect(keysetFragments(last, 'p.uid')).toEqual({
      where: '($keyset IS NULL OR sortValue > $keyset.value OR (sortValue = $keyset.value AND p.uid > $keyset.uid))',
      orderBy: 'sortValue ASC, p.uid ASC',
      limit: '$limitPlusOne',
    });
  });

  it('keep two pages of one query apart by prefix', () => {
    const page = pageQueryFromArgs({ first: 5 }, 'NEWEST', 'DESC');
    expect(keysetFragments(page, 'r.uid', 'related').limit).toBe('$relatedLimitPlusOne');
    expect(Object.keys(keysetParams(page, 'related'))).toEqual(['relatedKeyset', 'relatedLimitPlusOne']);
  });

  it('refuse contradictory or oversized arguments with BAD_USER_INPUT', () => {
    expect(codeOf(() => pageQueryFromArgs({ first: 1, last: 1 }, 'CITATIONS', 'DESC'))).toBe('BAD_USER_INPUT');
    expect(codeOf(() => pageQueryFromArgs({ first: 101 }, 'CITATIONS', 'DESC'))).toBe('BAD_USER_INPUT');
    expect(codeOf(() => pageQueryFromArgs({ first: -1 }, 'CITATIONS', 'DESC'))).toBe('BAD_USER_INPUT');
    expect(pageQueryFromArgs({}, 'CITATIONS', 'DESC').limit).toBe(20);
  });
});
