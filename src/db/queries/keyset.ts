import { int, type Integer } from 'neo4j-driver';
import type { Scope } from './selection.ts';

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

/** Parameter names of a page; a prefix keeps two pages of one query (a parent and its children) apart. */
function keysetParamNames(prefix: string) {
  return prefix ? { keyset: `${prefix}Keyset`, limit: `${prefix}LimitPlusOne` } : { keyset: 'keyset', limit: 'limitPlusOne' };
}

/**
 * The Cypher fragments of a keyset page over `sortValue` then `uid`. They come from fixed strings chosen
 * here, never from input; the cursor's values travel as parameters (keysetParams, same prefix). A page
 * nested in another page's subquery names its sort value apart, as Cypher lets no subquery shadow a variable.
 */
export function keysetFragments(
  page: PageQuery,
  uidExpression: string,
  prefix = '',
  sortValue = 'sortValue',
): { where: string; orderBy: string; limit: string } {
  const descending = (page.direction === 'DESC') !== page.backward;
  const op = descending ? '<' : '>';
  const dir = descending ? 'DESC' : 'ASC';
  const names = keysetParamNames(prefix);
  const keyset = `$${names.keyset}`;
  return {
    where: `(${keyset} IS NULL OR ${sortValue} ${op} ${keyset}.value OR (${sortValue} = ${keyset}.value AND ${uidExpression} ${op} ${keyset}.uid))`,
    orderBy: `${sortValue} ${dir}, ${uidExpression} ${dir}`,
    limit: `$${names.limit}`,
  };
}

export function keysetParams(page: PageQuery, prefix = ''): Record<string, PageQuery['after'] | Integer> {
  const names = keysetParamNames(prefix);
  return { [names.keyset]: page.after, [names.limit]: int(page.limit + 1) };
}

/** What a page of nodes reached from a bound parent is made of (keysetPageExpression). */
export interface KeysetPageParts {
  /** The pattern that reaches the nodes, and the condition they pass. */
  match: string;
  where: string;
  /** The variable of the paged node, and other variables of the match the row reads. */
  node: string;
  carry?: readonly string[];
  /** The expression the page is ordered by (then the node's uid). */
  sortValue: string;
  /** The entries of each row's map besides its sortValue (`node: …`, and the link's properties). */
  row: string;
}

/** One keyset page as a COLLECT subquery of rows `{ …row, sortValue }`, its cursor values as parameters. */
export function keysetPageExpression(scope: Scope, page: PageQuery, parts: KeysetPageParts): string {
  const [s, prefix] = [scope.variable(), scope.prefix()];
  const { where, orderBy, limit } = keysetFragments(page, `${parts.node}.uid`, prefix, s);
  Object.assign(scope.params, keysetParams(page, prefix));
  return `COLLECT {
       MATCH ${parts.match}
       WHERE ${parts.where}
       WITH ${[parts.node, ...(parts.carry ?? [])].join(', ')}, ${parts.sortValue} AS ${s}
       WHERE ${where}
       ORDER BY ${orderBy}
       LIMIT ${limit}
       RETURN { ${parts.row}, sortValue: ${s} }
     }`;
}
