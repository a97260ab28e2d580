import { EnvelopArmorPlugin } from '@escape.tech/graphql-armor';
import { BREAK, GraphQLError, Kind, visit, type ASTNode, type DocumentNode, type FragmentDefinitionNode, type OperationDefinitionNode } from 'graphql';
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

const costWeights = { objectCost: 2, scalarCost: 1, depthCostFactor: 1.5 } as const;

export function useOperationLimits(options: { hideSuggestions: boolean }): Plugin {
  const armor = EnvelopArmorPlugin({
    maxDepth: { n: operationLimits.maxDepth, ignoreIntrospection: true, flattenFragments: true },
    costLimit: { maxCost: operationLimits.maxCost, ...costWeights, ignoreIntrospection: true },
    maxAliases: { n: operationLimits.maxAliases },
    maxDirectives: { n: operationLimits.maxDirectives },
    maxTokens: { n: operationLimits.maxTokens },
    blockFieldSuggestion: { enabled: options.hideSuggestions },
  }) as Plugin;
  return { onPluginInit: ({ addPlugin }) => [armor, useVariableCostLimit()].forEach(addPlugin) };
}

/**
 * The cost limit once more, with the operation's variables: graphql-armor checks documents at
 * validation, before variables are known, so `papers(first: $n)` counts there as `first: 1`. The same
 * formula runs here with `first`/`last` read from the variables, before anything reaches Neo4j.
 */
function useVariableCostLimit(): Plugin {
  const plans = new WeakMap<DocumentNode, Map<string, CostPlan | null>>();
  return {
    onExecute: ({ args, setResultAndStopExecution }) => {
      const plan = costPlanOf(plans, args.document as DocumentNode, args.operationName ?? undefined);
      if (!plan) return;
      const cost = operationCost(plan.operation, plan.fragments, (args.variableValues ?? {}) as Record<string, unknown>);
      if (cost > operationLimits.maxCost) {
        setResultAndStopExecution({
          errors: [
            new GraphQLError(`Query Cost limit of ${operationLimits.maxCost} exceeded, found ${Math.round(cost)} with the variables given.`, {
              extensions: { code: 'BAD_USER_INPUT' },
            }),
          ],
        });
      }
    },
  };
}

interface CostPlan {
  operation: OperationDefinitionNode;
  fragments: Map<string, FragmentDefinitionNode>;
}

/**
 * What the variable cost check needs of an operation, worked out once per parsed document (Yoga reuses
 * the document for the same query text): null when no `first`/`last` takes a variable, for then the
 * check at validation has already counted the cost as it is.
 */
function costPlanOf(plans: WeakMap<DocumentNode, Map<string, CostPlan | null>>, document: DocumentNode, operationName: string | undefined): CostPlan | null {
  let byOperation = plans.get(document);
  if (!byOperation) plans.set(document, (byOperation = new Map()));
  const key = operationName ?? '';
  let plan = byOperation.get(key);
  if (plan === undefined) {
    const operation = document.definitions.find(
      (definition): definition is OperationDefinitionNode =>
        definition.kind === Kind.OPERATION_DEFINITION && (operationName == null || definition.name?.value === operationName),
    );
    plan = operation && sizedByVariable(document) ? { operation, fragments: fragmentsOf(document) } : null;
    // Only names the document defines are kept: a client must not grow the cache by inventing names.
    if (operation) byOperation.set(key, plan);
  }
  return plan;
}

function fragmentsOf(document: DocumentNode): Map<string, FragmentDefinitionNode> {
  return new Map(
    document.definitions
      .filter((definition): definition is FragmentDefinitionNode => definition.kind === Kind.FRAGMENT_DEFINITION)
      .map((fragment) => [fragment.name.value, fragment]),
  );
}

/** Whether any `first` or `last` argument in the document takes its value from a variable. */
function sizedByVariable(document: DocumentNode): boolean {
  let found = false;
  visit(document, {
    Argument: (argument) => {
      if ((argument.name.value === 'first' || argument.name.value === 'last') && argument.value.kind === Kind.VARIABLE) {
        found = true;
        return BREAK;
      }
      return undefined;
    },
  });
  return found;
}

/** graphql-armor's cost formula (fragments flattened, introspection free), with variables resolved. */
function operationCost(operation: OperationDefinitionNode, fragments: Map<string, FragmentDefinitionNode>, variables: Record<string, unknown>): number {
  const { objectCost, scalarCost, depthCostFactor } = costWeights;
  const costOf = (node: ASTNode): number => {
    if (node.kind === Kind.FIELD && node.name.value === '__schema') return 0;
    if (node.kind === Kind.FRAGMENT_SPREAD) {
      const fragment = fragments.get(node.name.value);
      return scalarCost + (fragment ? costOf(fragment) : 0);
    }
    if (!('selectionSet' in node) || !node.selectionSet) return scalarCost;
    let multiplier = 1;
    const size = node.kind === Kind.FIELD ? node.arguments?.find((argument) => argument.name.value === 'first' || argument.name.value === 'last') : undefined;
    if (size?.value.kind === Kind.INT) multiplier = Math.max(Number.parseInt(size.value.value, 10), 1);
    if (size?.value.kind === Kind.VARIABLE) {
      const value = variables[size.value.name.value];
      if (typeof value === 'number' && value > 1) multiplier = value;
    }
    let cost = objectCost;
    for (const child of node.selectionSet.selections) {
      cost += child.kind === Kind.FIELD ? depthCostFactor * costOf(child) : costOf(child);
    }
    return cost * multiplier;
  };
  return operation.selectionSet.selections.reduce((total, child) => total + costOf(child), 0);
}
