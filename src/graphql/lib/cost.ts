import { GraphQLError, type DocumentNode, type GraphQLField, type GraphQLSchema } from 'graphql';
import { fieldExtensionsEstimator, getComplexity, simpleEstimator, type ComplexityEstimator } from 'graphql-query-complexity';
import { defaultPageSize } from './connection.ts';

/*
 * An operation's cost estimates the rows it can make Neo4j produce: a field costs 1, plus its children's
 * cost times the size of the list it returns, so nested lists multiply. A list's size is its
 * `first`/`last` (the default page size when neither is given), or what the field declares in its
 * `complexity` extension (a neighbourhood's `limit` × `depth`, a path's `maxDepth`), with defaults and
 * variables resolved by graphql-query-complexity.
 */

/** Paper.authors has no page size; a paper of the seed pages lists about this many. */
export const typicalAuthorsPerPaper = 5;

/** A list field's cost: 1, plus its children's for every item it may return. */
export function listCost<Args>(size: (args: Args) => number) {
  return ({ args, childComplexity }: { args: Args; childComplexity: number }) => 1 + Math.max(1, size(args)) * childComplexity;
}

/** Connections and other paged lists: their `first`/`last`, or the default page size when neither is given. */
const pageSizeEstimator: ComplexityEstimator = ({ field, args, childComplexity }) => {
  if (!hasPageArgument(field)) return undefined;
  const size = [args.first, args.last].find((value): value is number => typeof value === 'number') ?? defaultPageSize;
  return 1 + Math.max(1, size) * childComplexity;
};

const hasPageArgument = (field: GraphQLField<unknown, unknown>) => field.args.some((argument) => argument.name === 'first' || argument.name === 'last');

const estimators = [fieldExtensionsEstimator(), pageSizeEstimator, simpleEstimator({ defaultComplexity: 1 })];

/** Fields counted, fragments expanded, before the estimate gives up: a few fragments can spread into millions. */
export const maxCountedFields = 10_000;

/**
 * The estimated cost of one operation of a document, with these variables (absent ones take their
 * defaults); Infinity when it has more fields than are worth counting. Throws when the variables do
 * not fit their types.
 */
export function operationCost(schema: GraphQLSchema, document: DocumentNode, operationName: string | undefined, variables: Record<string, unknown>): number {
  try {
    return getComplexity({ schema, query: document, operationName, variables, estimators, maxQueryNodes: maxCountedFields });
  } catch (error) {
    if (error instanceof GraphQLError && /maximum allowed number of nodes/.test(error.message)) return Number.POSITIVE_INFINITY;
    throw error;
  }
}
