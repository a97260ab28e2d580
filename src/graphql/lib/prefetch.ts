import { createContextCache } from '@pothos/core';
import type { Context } from '../context.ts';

/**
 * Values a parent's query fetched for its children (see src/db/queries/folded.ts), waiting for the
 * children's loaders, per request. A loader asks here first and queries only for the parents it does
 * not find, so a folded field costs no round-trip of its own and an unfolded one works as before.
 */
const store = createContextCache((_context: Context) => new Map<string, unknown>());

/** Arguments as a key: the same values in any key order give the same key. */
function argumentsKey(args: object): string {
  return JSON.stringify(args, (_key, value: unknown) =>
    value && typeof value === 'object' && !Array.isArray(value) && !(value instanceof Date)
      ? Object.fromEntries(Object.entries(value).filter(([, inner]) => inner !== undefined).sort(([a], [b]) => (a < b ? -1 : 1)))
      : value,
  );
}

const entryKey = (field: string, args: object, parentKey: string) => `${field}\u0000${argumentsKey(args)}\u0000${parentKey}`;

/** Keeps what a parent's query fetched for `field(args)` of the parent `parentKey`. */
export function rememberPrefetched(context: Context, field: string, args: object, parentKey: string, value: unknown): void {
  store(context).set(entryKey(field, args, parentKey), value);
}

/**
 * The values of `field(args)` for these parents, in their order: the prefetched ones from the store,
 * the others from `load` (called only when some are missing, with those parents only).
 */
export async function loadWithPrefetched<Value>(
  context: Context,
  field: string,
  args: object,
  parentKeys: readonly string[],
  load: (missing: string[]) => Promise<Value[]>,
): Promise<Value[]> {
  const cache = store(context);
  const found = parentKeys.map((key) => cache.get(entryKey(field, args, key)) as Value | undefined);
  const missing = parentKeys.filter((_key, index) => found[index] === undefined);
  if (missing.length === 0) return found as Value[];
  const loaded = await load(missing);
  const byKey = new Map(missing.map((key, index) => [key, loaded[index] as Value]));
  return parentKeys.map((key, index) => found[index] ?? byKey.get(key)!);
}
