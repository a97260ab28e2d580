import type { KeysetRow, PageQuery } from '../../db/queries/keyset.ts';
import { decodeCursor, encodeCursor } from './cursor.ts';
import { userError } from './errors.ts';
import { checkRange } from './limits.ts';

/** Every list argument is capped, so one request cannot ask Neo4j for an unbounded page. */
export const maxPageSize = 100;
export const defaultPageSize = 20;

export interface ConnectionArgs {
  first?: number | null;
  after?: string | null;
  last?: number | null;
  before?: string | null;
}

/** Turns Relay arguments into a keyset page; bad arguments are BAD_USER_INPUT / INVALID_CURSOR errors. */
export function pageQueryFromArgs<Order extends string>(args: ConnectionArgs, order: Order, direction: 'ASC' | 'DESC'): PageQuery<Order> {
  const { first, after, last, before } = args;
  if (first != null && last != null) throw userError('BAD_USER_INPUT', 'pass either first or last, not both');
  if (after != null && before != null) throw userError('BAD_USER_INPUT', 'pass either after or before, not both');
  if (first != null && before != null) throw userError('BAD_USER_INPUT', 'before goes with last (page backward), not with first');
  if (last != null && after != null) throw userError('BAD_USER_INPUT', 'after goes with first (page forward), not with last');
  const size = checkRange(last != null ? 'last' : 'first', first ?? last ?? defaultPageSize, 0, maxPageSize);
  const backward = last != null || before != null;
  const cursor = backward ? before : after;
  const keysetName = cursorOrderName(order, direction);
  const keyset = cursor != null ? decodeCursor(cursor, keysetName, textualOrders.has(order) ? 'string' : 'number') : null;
  return {
    order,
    direction,
    backward,
    limit: size,
    after: keyset ? { value: keyset.value, uid: keyset.uid } : null,
  };
}

/** Orders whose sort value is text; every other order sorts by a number (never null: see the queries). */
const textualOrders = new Set(['TITLE', 'NAME', 'LABEL']);

function cursorOrderName(order: string, direction: string): string {
  return `${order}:${direction}`;
}

export interface PageInfo {
  hasNextPage: boolean;
  hasPreviousPage: boolean;
  startCursor: string | null;
  endCursor: string | null;
}

export interface Connection<T, Extra> {
  edges: ({ cursor: string; node: T } & Extra)[];
  pageInfo: PageInfo;
  totalCount: number | (() => Promise<number>);
}

/**
 * An edge of a keyset page: the row's fields but its sort value, and a cursor encoded only when a
 * client selects it (most reads of a list never ask for one). A class, so that the getter is its
 * prototype's: an object literal with a getter of its own is much slower to build, for every edge.
 */
class KeysetEdge<T extends { uid: string }> {
  readonly node: T;
  readonly #sortValue: KeysetRow<T>['sortValue'];
  readonly #orderName: string;

  constructor(row: KeysetRow<T> & Record<string, unknown>, orderName: string) {
    for (const key in row) if (key !== 'sortValue' && key !== 'node') (this as Record<string, unknown>)[key] = row[key];
    this.node = row.node;
    this.#sortValue = row.sortValue;
    this.#orderName = orderName;
  }

  get cursor(): string {
    return encodeCursor({ order: this.#orderName, value: this.#sortValue, uid: this.node.uid });
  }
}

class KeysetPageInfo implements PageInfo {
  constructor(
    readonly hasNextPage: boolean,
    readonly hasPreviousPage: boolean,
    readonly edges: readonly { cursor: string }[],
  ) {}

  get startCursor() {
    return this.edges[0]?.cursor ?? null;
  }

  get endCursor() {
    return this.edges.at(-1)?.cursor ?? null;
  }
}

/**
 * Builds a Relay connection from the rows a keyset query returned (one more than asked, in travel
 * order). Going backward, rows come newest-last and are put back into the connection's order.
 */
export function connectionFromRows<T extends { uid: string }, Extra extends object = object>(
  rows: (KeysetRow<T> & Extra)[],
  page: PageQuery,
  totalCount: Connection<T, Extra>['totalCount'],
): Connection<T, Omit<Extra, 'node' | 'sortValue'>> {
  const hasMore = rows.length > page.limit;
  const kept = rows.slice(0, page.limit);
  if (page.backward) kept.reverse();
  const orderName = cursorOrderName(page.order, page.direction);
  const edges = kept.map((row) => new KeysetEdge(row as KeysetRow<T> & Record<string, unknown>, orderName)) as unknown as Connection<
    T,
    Omit<Extra, 'node' | 'sortValue'>
  >['edges'];
  return {
    edges,
    pageInfo: new KeysetPageInfo(page.backward ? page.after !== null : hasMore, page.backward ? hasMore : page.after !== null, edges),
    totalCount,
  };
}
