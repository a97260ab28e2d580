import { Kind, type DocumentNode, type ExecutionArgs } from 'graphql';
import { compileQuery, isCompiledQuery, type CompiledQuery } from 'graphql-jit';
import type { Plugin } from 'graphql-yoga';
import { documentHas } from './lib/document.ts';

/**
 * Executes operations with graphql-jit: each document is compiled once into a function specialised to
 * its selections, which resolves the same fields with the same resolvers as graphql-js at a fraction of
 * the per-field overhead.
 *
 * Only documents without string literals are compiled. graphql-jit writes literal arguments and
 * variable defaults into the code it generates, and rewrites a string of a certain shape into a
 * `new Date(…)` expression unescaped (graphql-jit 0.8.9, execution.js): a string literal from a client
 * could run code on the server, and a DateTime default would reach resolvers as text. Every other
 * literal (numbers, booleans, enum values, names) is safe by the GraphQL grammar, and values passed as
 * variables never enter generated code. Documents with string literals, and any graphql-jit cannot
 * compile, run on graphql-js, as does a request whose variables graphql-jit refuses (for its message).
 *
 * Compiled functions are kept per parsed document, which Yoga caches (bounded) and reuses for the same
 * query text, and per operation the document holds, so they go when the document goes.
 *
 * Not @envelop/graphql-jit (11.2): it keeps one compiled query per document whatever the operation name
 * (a document's second operation would run its first), answers graphql-jit's own errors without falling
 * back to graphql-js, and pins graphql-jit 0.8.7. test/integration/compiled-execution.test.ts holds this
 * plugin to both behaviours.
 */
export function useCompiledExecution(): Plugin {
  const answeredCompiled = (result: object, context: unknown) => {
    compiledContexts.add(context as object);
    return result;
  };
  const compiled = new WeakMap<DocumentNode, Map<string, CompiledQuery | null> | null>();
  const compiledFor = (args: ExecutionArgs): CompiledQuery | null => {
    let byOperation = compiled.get(args.document);
    if (byOperation === undefined) {
      byOperation = hasStringLiteral(args.document) ? null : new Map();
      compiled.set(args.document, byOperation);
    }
    if (byOperation === null) return null;
    const operationName = args.operationName ?? '';
    // Only names the document defines are kept: a client must not grow the cache by inventing names.
    if (operationName !== '' && !definesOperation(args.document, operationName)) return null;
    let query = byOperation.get(operationName);
    if (query === undefined) {
      const result = compileQuery(args.schema, args.document, args.operationName ?? undefined);
      query = isCompiledQuery(result) ? result : null;
      byOperation.set(operationName, query);
    }
    return query;
  };
  return {
    onExecute: ({ args, executeFn, setExecuteFn }) => {
      const query = compiledFor(args as ExecutionArgs);
      if (!query) return;
      setExecuteFn((execution) => {
        // No `data` at all: the variables were refused before anything ran. graphql-js says why in the
        // scalar's own words (graphql-jit only names the expected type), so it answers instead.
        const result = query.query(execution.rootValue, execution.contextValue, execution.variableValues);
        if (result instanceof Promise)
          return result.then((settled) => ('data' in settled ? answeredCompiled(settled, execution.contextValue) : executeFn(execution)));
        return 'data' in result ? answeredCompiled(result, execution.contextValue) : executeFn(execution);
      });
    },
  };
}

/** The contexts of requests graphql-jit answered, for the debug extension (src/http/round-trips.ts). */
const compiledContexts = new WeakSet<object>();

export function executorOf(context: object): 'graphql-jit' | 'graphql-js' {
  return compiledContexts.has(context) ? 'graphql-jit' : 'graphql-js';
}

export function hasStringLiteral(document: DocumentNode): boolean {
  return documentHas(document, Kind.STRING);
}

function definesOperation(document: DocumentNode, name: string): boolean {
  return document.definitions.some((definition) => definition.kind === Kind.OPERATION_DEFINITION && definition.name?.value === name);
}
