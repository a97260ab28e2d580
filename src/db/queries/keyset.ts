import { int, type Integer } from 'neo4j-driver';

/** What a keyset page asks of a query: ordering, direction of travel, size and the row to start after. */
export interface PageQuery<Order extends string = string> {
  order: Order;
  direction: 'ASC' | 'DESC';
  /** Paging with last/before: rows are fetched in the reverse order, and reversed again by the caller. */
  backward: boolean;
  /** Rows wanted; the query fetches one more to tell whether another page exists. */
  limit: number;
  after: { value: string | number | null; uid: string } | null;
}

export interface KeysetRow<T> {
  node: T;
  sortValue: string | number | null;
}

/**
 * The Cypher fragments of a keyset page over `sortValue` then `uid`. Both come from fixed strings chosen
 * here, never from input; the cursor's values travel as $keyset parameters.
 */
export function keysetFragments(page: PageQuery, uidExpression: string): { where: string; orderBy: string } {
  const descending = (page.direction === 'DESC') !== page.backward;
  const op = descending ? '<' : '>';
  const dir = descending ? 'DESC' : 'ASC';
  return {
    where: `($keyset IS NULL OR sortValue ${op} $keyset.value OR (sortValue = $keyset.value AND ${uidExpression} ${op} $keyset.uid))`,
    orderBy: `sortValue ${dir}, ${uidExpression} ${dir}`,
  };
}

export function keysetParams(page: PageQuery): { keyset: PageQuery['after']; limitPlusOne: Integer } {
  return { keyset: page.after, limitPlusOne: int(page.limit + 1) };
}
