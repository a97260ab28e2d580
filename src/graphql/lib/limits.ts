import { defaultNeighborhoodTypes, type NeighborhoodOptions, type RelationshipType } from '../../db/queries/graph.ts';
import type { PaperKind } from '../../db/queries/papers.ts';
import { userError } from './errors.ts';

/** A numeric argument checked against its range: out of range is a BAD_USER_INPUT error naming the argument. */
export function checkRange(argument: string, value: number, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw userError('BAD_USER_INPUT', `${argument} must be between ${min} and ${max}, got ${value}`, { argument });
  }
  return value;
}

export const maxNeighborhoodDepth = 3;
export const maxNeighborhoodNodes = 500;

/** Paper.neighborhood's arguments, checked (the field's loader and the fold in its parent's query both use this). */
export function neighborhoodOptions(args: {
  depth?: number | null;
  minScore?: number | null;
  limit?: number | null;
  via?: readonly RelationshipType[] | null;
  kinds?: readonly PaperKind[] | null;
}): NeighborhoodOptions {
  if (args.via != null && args.via.length === 0) throw userError('BAD_USER_INPUT', 'via must name at least one relationship type', { argument: 'via' });
  return {
    depth: checkRange('depth', args.depth ?? 1, 1, maxNeighborhoodDepth),
    limit: checkRange('limit', args.limit ?? 100, 1, maxNeighborhoodNodes),
    minScore: args.minScore ?? 0,
    via: args.via ?? defaultNeighborhoodTypes,
    kinds: args.kinds ?? null,
  };
}

/** The checked value, or null where the check throws: for folding a child field only when its arguments are valid. */
export function validOrNull<T>(check: () => T): T | null {
  try {
    return check();
  } catch {
    return null;
  }
}
