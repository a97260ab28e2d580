import { EnvelopArmorPlugin } from '@escape.tech/graphql-armor';
import type { Plugin } from 'graphql-yoga';

/**
 * Limits on the shape of an operation, checked before anything runs, so that one nested or aliased
 * query cannot turn into a huge Neo4j workload. Cost: 2 per object field, 1 per scalar, ×1.5 per level
 * of depth, and a list field's cost × its literal `first`/`last`. The heaviest operation the docs show,
 * papers(first: 50) → authors → papers(first: 5) → related(first: 5), costs about 288,000 (7,500 related
 * rows); the same shape with first: 100 at each level is refused.
 */
export const operationLimits = {
  maxDepth: 14,
  maxCost: 500_000,
  maxAliases: 15,
  maxDirectives: 20,
  maxTokens: 2_000,
} as const;

export function useOperationLimits(options: { hideSuggestions: boolean }): Plugin {
  return EnvelopArmorPlugin({
    maxDepth: { n: operationLimits.maxDepth, ignoreIntrospection: true, flattenFragments: true },
    costLimit: { maxCost: operationLimits.maxCost, objectCost: 2, scalarCost: 1, depthCostFactor: 1.5, ignoreIntrospection: true },
    maxAliases: { n: operationLimits.maxAliases },
    maxDirectives: { n: operationLimits.maxDirectives },
    maxTokens: { n: operationLimits.maxTokens },
    blockFieldSuggestion: { enabled: options.hideSuggestions },
  }) as Plugin;
}
