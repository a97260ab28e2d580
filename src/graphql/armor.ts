import { EnvelopArmorPlugin } from '@escape.tech/graphql-armor';
import { BREAK, GraphQLError, Kind, visit, type DocumentNode, type ValidationContext } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { maxCountedFields, operationCost } from './lib/cost.ts';
import { requestError, type ErrorCode } from './lib/errors.ts';

/**
 * Limits on the shape and size of an operation, checked before anything runs, so that one small
 * request cannot turn into a huge Neo4j workload. The cost (./lib/cost.ts) estimates the rows a request
 * can make Neo4j produce, nested lists multiplied.
 */
export const operationLimits = {
  maxDepth: 14,
  maxCost: 100_000,
  maxAliases: 15,
  maxDirectives: 20,
  maxTokens: 2_000,
} as const;

function tooComplex(cost: number): GraphQLError {
  const found = Number.isFinite(cost) ? `its estimated cost is ${Math.round(cost)}` : `it has more than ${maxCountedFields} fields once its fragments are expanded`;
  return requestError(
    'QUERY_TOO_COMPLEX',
    `The operation is too large: ${found}, and at most ${operationLimits.maxCost} is allowed. Ask for fewer or smaller lists (first, limit, depth, maxDepth) or nest them less.`,
    { cost: Number.isFinite(cost) ? Math.round(cost) : null, maxCost: operationLimits.maxCost },
  );
}

/** graphql-armor's refusals carry no code and read "Syntax Error: …"; each gets a stable code and a plain message. */
function refuseWith(code: ErrorCode) {
  return [
    (_context: unknown, error: GraphQLError) => {
      throw requestError(code, error.message.replace(/^Syntax Error: /, ''));
    },
  ];
}

export function useOperationLimits(options: { hideSuggestions: boolean }): Plugin {
  const armor = EnvelopArmorPlugin({
    maxDepth: { n: operationLimits.maxDepth, ignoreIntrospection: true, flattenFragments: true, onReject: refuseWith('QUERY_TOO_DEEP') },
    maxAliases: { n: operationLimits.maxAliases, onReject: refuseWith('TOO_MANY_ALIASES') },
    maxDirectives: { n: operationLimits.maxDirectives, onReject: refuseWith('TOO_MANY_DIRECTIVES') },
    maxTokens: { n: operationLimits.maxTokens, onReject: refuseWith('TOO_MANY_TOKENS') },
    costLimit: { enabled: false },
    blockFieldSuggestion: { enabled: options.hideSuggestions },
  }) as Plugin;
  return { onPluginInit: ({ addPlugin }) => [armor, useCostLimit()].forEach(addPlugin) };
}

/**
 * The cost check. An operation without variables is checked at validation, where Yoga caches the
 * verdict with the document. One with variables is checked when it executes, once its variables are
 * known, still before any resolver runs.
 */
function useCostLimit(): Plugin {
  const costRule = (context: ValidationContext) => {
    const document = context.getDocument();
    for (const definition of document.definitions) {
      if (definition.kind !== Kind.OPERATION_DEFINITION || (definition.variableDefinitions?.length ?? 0) > 0) continue;
      let cost: number;
      try {
        cost = operationCost(context.getSchema(), document, definition.name?.value, {});
      } catch {
        continue; // an argument of the wrong type, which graphql's own rules report
      }
      if (cost > operationLimits.maxCost) context.reportError(tooComplex(cost));
    }
    return {};
  };
  const usesVariables = new WeakMap<DocumentNode, boolean>();
  return {
    onValidate: ({ addValidationRule }) => addValidationRule(costRule),
    onExecute: ({ args, setResultAndStopExecution }) => {
      const document = args.document as DocumentNode;
      let withVariables = usesVariables.get(document);
      if (withVariables === undefined) usesVariables.set(document, (withVariables = hasVariables(document)));
      if (!withVariables) return;
      let cost: number;
      try {
        cost = operationCost(args.schema, document, args.operationName ?? undefined, (args.variableValues ?? {}) as Record<string, unknown>);
      } catch {
        // Variables that do not fit their types: execution refuses them with graphql-js's own message.
        return;
      }
      if (cost > operationLimits.maxCost) setResultAndStopExecution({ errors: [tooComplex(cost)] });
    },
  };
}

function hasVariables(document: DocumentNode): boolean {
  let found = false;
  visit(document, {
    Variable: () => {
      found = true;
      return BREAK;
    },
  });
  return found;
}
