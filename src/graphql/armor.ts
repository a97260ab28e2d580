import { EnvelopArmorPlugin } from '@escape.tech/graphql-armor';
import { type GraphQLError, Kind, type DocumentNode, type ValidationContext } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import pLimit from 'p-limit';
import { maxCountedFields, operationCost } from './lib/cost.ts';
import { documentHas } from './lib/document.ts';
import { requestError, userError, type ErrorCode } from './lib/errors.ts';

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
  /** Operations that cost more than this run at most `heavySlots` at a time per process… */
  heavyCost: 10_000,
  heavySlots: 1,
  /** …and at most this many wait; more are refused with SERVER_BUSY. */
  heavyQueue: 8,
} as const;

function tooComplex(cost: number): GraphQLError {
  const found = Number.isFinite(cost)
    ? `its estimated cost is ${Math.round(cost)}`
    : `it has more than ${maxCountedFields} fields once its fragments are expanded`;
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
  return { onPluginInit: ({ addPlugin }) => [armor, { onValidate: ({ addValidationRule }) => addValidationRule(costRule) } as Plugin].forEach(addPlugin) };
}

/** At validation: an operation without variables, whose cost the document alone decides (Yoga caches the verdict with it). */
function costRule(context: ValidationContext) {
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
}

/**
 * At execution, before any resolver runs: the cost of an operation with variables, now that they are
 * known; and a queue for heavy operations. A heavy operation (cost over `heavyCost`) waits for one of
 * `heavySlots` per process, so that a few of them cannot keep the event loop and Neo4j from answering
 * everything else; past `heavyQueue` waiting, it is refused with SERVER_BUSY (HTTP 503). Registered after
 * the compiled execution, whose executor it wraps.
 */
export function useCostAtExecution(): Plugin {
  const costs = new WeakMap<DocumentNode, Map<string, number> | null>();
  const heavy = pLimit(operationLimits.heavySlots);
  return {
    onExecute: ({ args, executeFn, setExecuteFn, setResultAndStopExecution }) => {
      const document = args.document as DocumentNode;
      const operationName = args.operationName ?? undefined;
      let known = costs.get(document);
      if (known === undefined) costs.set(document, (known = documentHas(document, Kind.VARIABLE) ? null : new Map()));
      let cost = known?.get(operationName ?? '');
      if (cost === undefined) {
        try {
          cost = operationCost(args.schema, document, operationName, (args.variableValues ?? {}) as Record<string, unknown>);
        } catch {
          // Variables that do not fit their types: execution refuses them with graphql-js's own message.
          return;
        }
        // Only names the document defines get here (others fail validation): the map cannot grow past them.
        known?.set(operationName ?? '', cost);
      }
      if (cost > operationLimits.maxCost) return setResultAndStopExecution({ errors: [tooComplex(cost)] });
      if (cost <= operationLimits.heavyCost) return;
      if (heavy.pendingCount >= operationLimits.heavyQueue) {
        return setResultAndStopExecution({
          errors: [
            userError('SERVER_BUSY', 'Too many large operations are waiting; try again shortly, or ask for less.', {
              http: { status: 503, headers: { 'retry-after': '2' } },
            }),
          ],
        });
      }
      setExecuteFn((execution) => heavy(() => executeFn(execution)));
    },
  };
}
