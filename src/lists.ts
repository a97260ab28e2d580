/**
 * The items of every list, in order: `lists.flat()` without its cost (flat() and flatMap() are slow on
 * Node 20 for the many short lists a page of papers joins).
 */
export function concatenated<T>(lists: Iterable<readonly T[]>): T[] {
  const items: T[] = [];
  for (const list of lists) for (const item of list) items.push(item);
  return items;
}
