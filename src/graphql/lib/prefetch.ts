import { createContextCache } from '@pothos/core';
import type { GraphQLResolveInfo } from 'graphql';
import type { Context } from '../context.ts';

/**
 * Values a parent's query fetched for its children (see src/db/queries/folded.ts), waiting for the
 * children's loaders, per request. A loader asks here first and queries only for the parents it does
 * not find, so a folded field costs no round-trip of its own and an unfolded one works as before.
 *
 * A value is kept for one field of the operation (its path, list indices left out, as Pothos keys its
 * per-path loaders) and one parent: the same field reached elsewhere in the operation, say a paper's
 * related list two levels down, may select other properties, so it never takes this value.
 */
const store = createContextCache((_context: Context) => new Map<string, Map<string, unknown>>());

function pathKey(path: GraphQLResolveInfo['path'] | undefined): string {
  const keys: string[] = [];
  for (let at = path; at; at = at.prev) keys.unshift(typeof at.key === 'number' ? '*' : at.key);
  return keys.join('.');
}

/** The slot of the field being resolved: what its loader looks up. */
export const fieldSlot = (info: GraphQLResolveInfo): string => pathKey(info.path);

/** The slot of a field selected under the one being resolved (by its alias, or its name). */
export const childSlot = (info: GraphQLResolveInfo, responseKey: string): string => `${pathKey(info.path)}.${responseKey}`;

/** Keeps what a parent's query fetched for the field in `slot` of the parent `parentKey`. */
export function rememberPrefetched(context: Context, slot: string, parentKey: string, value: unknown): void {
  const slots = store(context);
  let byParent = slots.get(slot);
  if (!byParent) slots.set(slot, (byParent = new Map()));
  byParent.set(parentKey, value);
}

/**
 * The values of the field in `slot` for these parents, in their order: the prefetched ones from the
 * store, the others from `load` (called only when some are missing, with those parents only).
 */
export async function loadWithPrefetched<Value>(
  context: Context,
  slot: string,
  parentKeys: readonly string[],
  load: (missing: string[]) => Promise<Value[]>,
): Promise<Value[]> {
  const byParent = store(context).get(slot);
  const found = parentKeys.map((key) => byParent?.get(key) as Value | undefined);
  const missing = parentKeys.filter((_key, index) => found[index] === undefined);
  if (missing.length === 0) return found as Value[];
  const loaded = await load(missing);
  const byKey = new Map(missing.map((key, index) => [key, loaded[index] as Value]));
  return parentKeys.map((key, index) => found[index] ?? byKey.get(key)!);
}
