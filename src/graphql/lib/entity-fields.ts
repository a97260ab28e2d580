import type { ObjectRef } from '@pothos/core';
import { createContextCache } from '@pothos/core';
import DataLoader from 'dataloader';
import {
  countEntities,
  countsOfEntities,
  entitiesByIds,
  pageOfEntities,
  yearCountsOfEntities,
  type ContributorOrder as ContributorOrderName,
  type EntityCounts,
  type EntityKind,
  type EntityOrder,
} from '../../db/queries/entities.ts';
import type { PaperOrder as PaperOrderName } from '../../db/queries/papers.ts';
import { selectContributorPagesOfEntities, selectPaperPagesOfEntities } from '../../db/queries/selection.ts';
import { entityIdOf, type EntityPrefix } from '../../domain/openalex.ts';
import { builder } from '../builder.ts';
import type { Context } from '../context.ts';
import { ContributorConnection, ContributorOrder } from '../types/Contributor.ts';
import { OrderDirection } from '../types/OrderDirection.ts';
import { PaperConnection, PaperFilter, PaperOrder, paperFilterOf } from '../types/Paper.ts';
import { YearCount } from '../types/YearCount.ts';
import type { GraphQLResolveInfo } from 'graphql';
import { connectionFromRows, pageQueryFromArgs, type ConnectionArgs } from './connection.ts';
import { userError } from './errors.ts';
import { uidFromGlobalId } from './global-id.ts';
import { compileNodeAt, selectionBelow } from './compile.ts';

/**
 * The fields Venue, Institution and Topic share (their papers, authors, counts, trend) and their root
 * lookups, written once for the three: each type file calls these with its kind.
 */

interface EntityShape {
  uid: string;
  openalexId: string;
  name: string | null;
}

// biome-ignore lint/suspicious/noExplicitAny: the three node refs differ in their Pothos type parameters; each passes its own.
type EntityRef<T extends EntityShape> = ObjectRef<any, T | string, T>;

/** Counts per entity of one kind, per request: the three count fields of a list of entities share one round-trip. */
const countLoaders = createContextCache((context: Context) => {
  const loaderOf = (kind: EntityKind) => new DataLoader((ids: readonly string[]) => countsOfEntities(context.cypher, kind, ids));
  return { Venue: loaderOf('Venue'), Institution: loaderOf('Institution'), Topic: loaderOf('Topic') };
});

const countOf = (kind: EntityKind, field: keyof EntityCounts) => async (entity: EntityShape, _args: unknown, context: Context) =>
  (await countLoaders(context)[kind].load(entity.uid))[field];

type YearRangeArgs = { yearFrom?: number | null; yearTo?: number | null };
type Ordered<Field> = { field: Field; direction: 'ASC' | 'DESC' } | null;
type PapersArgs = ConnectionArgs & { filter?: Parameters<typeof paperFilterOf>[0]; orderBy?: Ordered<string> };
type ContributorsArgs = ConnectionArgs & YearRangeArgs & { orderBy?: string | null; direction?: 'ASC' | 'DESC' | null };
type ListArgs = ConnectionArgs & { search?: string | null; orderBy?: Ordered<string> };

const yearRange = (args: YearRangeArgs) => ({ from: args.yearFrom ?? null, to: args.yearTo ?? null });

/** The fields every entity has, on the type `ref` of `kind`; `noun` names it in descriptions. */
export function addEntityFields<T extends EntityShape>(ref: EntityRef<T>, kind: EntityKind, noun: string): void {
  // biome-ignore lint/suspicious/noExplicitAny: the field builder of a ref generic over three node types; the fields' own arguments are typed below.
  builder.objectFields(ref as never, (t: any) => ({
    // Nullable, as Paper.openalexId and Author.openalexId are, so that one selection can ask any Node for it.
    openalexId: t.exposeString('openalexId', { nullable: true, description: `OpenAlex id of the ${noun}, which identifies it (always set).` }),
    name: t.string({
      description: `The ${noun}'s name as OpenAlex prints it; its OpenAlex id while no work has named it (isStub).`,
      resolve: (entity: T) => entity.name ?? entity.openalexId,
    }),
    isStub: t.boolean({
      description: `True for a ${noun} known only by its OpenAlex id: the works that point at it did not name it.`,
      resolve: (entity: T) => entity.name === null,
    }),
    paperCount: t.int({ description: `Papers of the ${noun} in this graph.`, resolve: countOf(kind, 'papers') }),
    citationCount: t.int({ description: `Citations of its papers within this graph (the sum of their citationCount).`, resolve: countOf(kind, 'citations') }),
    authorCount: t.int({ description: `Distinct authors of its papers.`, resolve: countOf(kind, 'authors') }),
    papers: t.loadable({
      type: PaperConnection,
      description: `The ${noun}'s papers that pass the filter, newest first unless ordered otherwise: the same filter and orders as Query.papers.`,
      byPath: true,
      args: { ...t.arg.connectionArgs(), filter: t.arg({ type: PaperFilter }), orderBy: t.arg({ type: PaperOrder }) },
      // Not a relation the compiler folds (selections start from papers and authors only), but the
      // papers' own selection compiles into this one query.
      load: async (ids: string[], context: Context, args: PapersArgs, info: GraphQLResolveInfo) => {
        const page = pageQueryFromArgs(args, (args.orderBy?.field ?? 'PUBLISHED_AT') as PaperOrderName, args.orderBy?.direction ?? 'DESC');
        const node = compileNodeAt(context, info, 'Paper', ['edges', 'node']);
        const withTotal = selectionBelow(info).selects([], 'totalCount');
        const results = await selectPaperPagesOfEntities(context.cypher, kind, ids, paperFilterOf(args.filter), page, withTotal, node.selection);
        return results.map((result) => {
          node.attach(result.rows.map((row) => row.node));
          return connectionFromRows(result.rows, page, result.total ?? 0);
        });
      },
      resolve: (entity: T) => entity.uid,
    }),
    // Not \`authors\`: Paper.authors is a list, and one selection over Nodes could not ask both.
    contributors: t.loadable({
      type: ContributorConnection,
      description: `Authors of the ${noun}'s papers${kind === 'Institution' ? ' (signed from it)' : ''}, most papers there first unless ordered otherwise; in a year range when given.`,
      byPath: true,
      args: {
        ...t.arg.connectionArgs(),
        orderBy: t.arg({ type: ContributorOrder, defaultValue: 'PAPER_COUNT' }),
        direction: t.arg({ type: OrderDirection, defaultValue: 'DESC' }),
        yearFrom: t.arg.int({ description: 'Only papers of this year or later.' }),
        yearTo: t.arg.int({ description: 'Only papers of this year or earlier.' }),
      },
      // The authors' own selection compiles into this one query.
      load: async (ids: string[], context: Context, args: ContributorsArgs, info: GraphQLResolveInfo) => {
        const page = pageQueryFromArgs(args, (args.orderBy ?? 'PAPER_COUNT') as ContributorOrderName, args.direction ?? 'DESC');
        const node = compileNodeAt(context, info, 'Author', ['edges', 'node']);
        const results = await selectContributorPagesOfEntities(context.cypher, kind, ids, yearRange(args), page, node.selection);
        return results.map((result) => {
          node.attach(result.rows.map((row) => row.node));
          return connectionFromRows(result.rows, page, result.total);
        });
      },
      resolve: (entity: T) => entity.uid,
    }),
    trend: t.loadableList({
      type: YearCount,
      description: `The ${noun}'s papers and the citations they received, year by year (years without either left out), oldest first.`,
      byPath: true,
      args: { yearFrom: t.arg.int(), yearTo: t.arg.int() },
      load: (ids: string[], { cypher }: Context, args: YearRangeArgs) => yearCountsOfEntities(cypher, kind, ids, yearRange(args)),
      resolve: (entity: T) => entity.uid,
    }),
  }));
}

const prefixes: Record<EntityKind, EntityPrefix[]> = { Venue: ['S'], Institution: ['I'], Topic: ['T', 'C'] };

/** The OpenAlex id of an entity of `kind` as a client may spell it; null when it cannot be one. */
export const openalexIdOf = (kind: EntityKind, value: string): string | null =>
  prefixes[kind].map((prefix) => entityIdOf(value, prefix)).find((id) => id !== null) ?? null;

/** OpenAlex id → entity, per request and kind: aliased lookups share one round-trip. */
const entityLoaders = createContextCache((context: Context) => {
  const loaderOf = (kind: EntityKind) => new DataLoader((ids: readonly string[]) => entitiesByIds(context.cypher, kind, ids));
  return { Venue: loaderOf('Venue'), Institution: loaderOf('Institution'), Topic: loaderOf('Topic') };
});

/** `venue(id | openalexId)` and `venues(search, orderBy)`, or the like for another kind. */
export function addEntityQueries<T extends EntityShape>(
  ref: EntityRef<T>,
  kind: EntityKind,
  names: { one: string; many: string; noun: string; example: string },
): void {
  const EntityOrderField = builder.enumType(`${kind}OrderField`, {
    values: { NAME: { description: 'Name, alphabetically.' }, PAPER_COUNT: { description: 'Number of papers.' } } as const,
  });
  const EntityOrderInput = builder.inputType(`${kind}Order`, {
    fields: (t) => ({
      field: t.field({ type: EntityOrderField, required: true }),
      direction: t.field({ type: OrderDirection, required: true, defaultValue: 'ASC' }),
    }),
  });
  // biome-ignore lint/suspicious/noExplicitAny: the field builder of a ref generic over three node types; the fields' own arguments are typed below.
  builder.queryFields((t: any) => ({
    [names.one]: t.field({
      type: ref,
      nullable: true,
      description: `One ${names.noun} by ID or by OpenAlex id (give exactly one); null when there is none.`,
      args: { id: t.arg.id(), openalexId: t.arg.string({ description: `${names.example} or https://openalex.org/${names.example}.` }) },
      resolve: async (_root: unknown, args: { id?: string | null; openalexId?: string | null }, context: Context) => {
        if ((args.id == null) === (args.openalexId == null)) throw userError('BAD_USER_INPUT', 'give exactly one of id and openalexId');
        // A value that cannot name one names none: null, like an unknown one.
        const id = args.id != null ? uidFromGlobalId(String(args.id), kind).uid : openalexIdOf(kind, args.openalexId!);
        return id ? entityLoaders(context)[kind].load(id) : null;
      },
    }),
    [names.many]: t.connection(
      {
        type: ref,
        description: `${names.noun[0]!.toUpperCase()}${names.noun.slice(1)}s, all or those whose name has the words searched for, by name unless ordered otherwise.`,
        args: {
          search: t.arg.string({ description: 'Words of the name (case and accents do not matter); any of them matches.' }),
          orderBy: t.arg({ type: EntityOrderInput }),
        },
        resolve: async (_root: unknown, args: ListArgs, { cypher }: Context) => {
          const search = typeof args.search === 'string' && args.search.trim() !== '' ? args.search : null;
          if (search !== null && search.length > 200) throw userError('BAD_USER_INPUT', 'search is longer than 200 characters');
          const page = pageQueryFromArgs(args, (args.orderBy?.field ?? 'NAME') as EntityOrder, args.orderBy?.direction ?? 'ASC');
          const rows = await pageOfEntities<T>(cypher, kind, search, page);
          return connectionFromRows(rows, page, () => countEntities(cypher, kind, search));
        },
      },
      { name: `${kind}Connection` },
      { name: `${kind}Edge` },
    ),
  }));
}
