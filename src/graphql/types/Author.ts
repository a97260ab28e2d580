import {
  authorsByKeys,
  authorsOfPapers,
  authorsByUids,
  countAuthorsMatching,
  pageOfAuthors,
  paperPagesOfAuthors,
  type AuthorOrder,
  type AuthorRecord,
  type PaperAuthorRecord,
} from '../../db/queries/authors.ts';
import { authorWithChildren } from '../../db/queries/folded.ts';
import { collaborationDistances, maxPathDepth } from '../../db/queries/graph.ts';
import type { PaperOrder as PaperOrderName } from '../../db/queries/papers.ts';
import { createContextCache } from '@pothos/core';
import DataLoader from 'dataloader';
import { authorKey } from '../../../seed/keys.ts';
import { decodeLatexAccents } from '../../../seed/latex.ts';
import { concatenated } from '../../lists.ts';
import { builder } from '../builder.ts';
import type { Context } from '../context.ts';
import type { GraphQLResolveInfo } from 'graphql';
import { connectionFromRows, maxPageSize, pageQueryFromArgs } from '../lib/connection.ts';
import { userError } from '../lib/errors.ts';
import { uidFromGlobalId } from '../lib/global-id.ts';
import { groupByKeys } from '../lib/group.ts';
import { listCost, typicalAuthorsPerPaper } from '../lib/cost.ts';
import { checkRange, validOrNull } from '../lib/limits.ts';
import { selectedFields } from '../lib/lookahead.ts';
import { childSlot, loadWithPrefetched, rememberPrefetched } from '../lib/prefetch.ts';
import { OrderDirection } from './OrderDirection.ts';
import { authorsSlot, Paper, PaperConnection, PaperOrder, paperPropertiesFor } from './Paper.ts';

/** Author key → author, per request: aliased `author(name:)` fields share one round-trip. */
const authorsByKeyLoader = createContextCache(
  (context: Context) => new DataLoader((keys: readonly string[]) => authorsByKeys(context.cypher, keys)),
);

export const maxCollaborationSteps = maxPathDepth / 2;
export const defaultCoauthors = 20;

export const Author = builder.loadableNodeRef<AuthorRecord>('Author', {
  // The uid, read at once by src/graphql/schema.ts, which writes Node ids without Pothos' await.
  id: { resolve: (author) => author.uid },
  load: (uids: string[], { cypher }) => authorsByUids(cypher, uids) as Promise<AuthorRecord[]>,
});

Author.implement({
  description: 'A person who wrote papers. Names are merged case-insensitively; accents are kept (Éric and Eric are two authors).',
  fields: (t) => ({
    name: t.exposeString('name', { description: 'Name as printed, LaTeX accents decoded.' }),
    papers: t.loadable({
      type: PaperConnection,
      description: 'The author\'s papers, newest first unless ordered otherwise.',
      byPath: true,
      args: { ...t.arg.connectionArgs(), orderBy: t.arg({ type: PaperOrder }) },
      load: async (uids: string[], { cypher }, args, info) => {
        const page = pageQueryFromArgs(args, (args.orderBy?.field ?? 'PUBLISHED_AT') as PaperOrderName, args.orderBy?.direction ?? 'DESC');
        const results = await paperPagesOfAuthors(cypher, uids, page, paperPropertiesFor(selectedFields(info, ['edges', 'node'])));
        const byAuthor = new Map(results.map((result) => [result.parentUid, result]));
        return uids.map((uid) => connectionFromRows(byAuthor.get(uid)?.rows ?? [], page, byAuthor.get(uid)?.total ?? 0));
      },
      resolve: (author) => author.uid,
    }),
    collaborationDistance: t.loadable({
      type: 'Int',
      nullable: true,
      description: `Co-authorship steps to another author (1: they wrote a paper together; 0: the same author); null beyond ${maxCollaborationSteps} steps or for an unknown author.`,
      byPath: true,
      args: { to: t.arg.id({ required: true, description: 'ID of the other author.' }) },
      // async, so that a bad `to` ID rejects the batch (a coded error) instead of throwing inside DataLoader.
      load: async (uids: string[], { cypher }, args) =>
        collaborationDistances(cypher, uids, uidFromGlobalId(String(args.to), 'Author').uid, maxCollaborationSteps),
      resolve: (author) => author.uid,
    }),
  }),
});

builder.objectField(Paper, 'authors', (t) =>
  t.loadableGroup({
    type: Author,
    description: 'Authors in the order the paper lists them.',
    // Unpaged: counted as a typical author list in the operation's cost, so that nesting under it multiplies.
    extensions: { complexity: listCost(() => typicalAuthorsPerPaper) },
    load: async (paperUids: string[], context) => {
      const lists = await loadWithPrefetched(context, authorsSlot, paperUids, async (missing) =>
        groupByKeys(missing, await authorsOfPapers(context.cypher, missing), (author) => author.paperUid),
      );
      return concatenated(lists);
    },
    group: (author) => (author as PaperAuthorRecord).paperUid,
    resolve: (paper) => paper.uid,
  }),
);

/**
 * A looked-up author, with the first `coauthors` selection fetched by the same query when its argument
 * is valid (an invalid one is left to the field, which reports it in its own place).
 */
async function lookUpAuthor(context: Context, info: GraphQLResolveInfo, lookup: { uid: string } | { key: string }): Promise<AuthorRecord | null> {
  const coauthors = selectedFields(info).get('coauthors')?.[0];
  const limit = coauthors && validOrNull(() => checkRange('first', (coauthors.args.first as number | null) ?? defaultCoauthors, 0, maxPageSize));
  if (!coauthors || limit == null) {
    return 'uid' in lookup ? Author.getDataloader(context).load(lookup.uid) : authorsByKeyLoader(context).load(lookup.key);
  }
  const properties = paperPropertiesFor(selectedFields(info, ['coauthors', 'sharedPapers']));
  const row = await authorWithChildren(context.cypher, lookup, { coauthors: { limit, properties } });
  if (!row) return null;
  rememberPrefetched(context, childSlot(info, coauthors.responseKey), row.author.uid, row.coauthors);
  Author.getDataloader(context).prime(row.author.uid, row.author);
  return row.author;
}

const AuthorOrderField = builder.enumType('AuthorOrderField', {
  values: { NAME: { description: 'Name, alphabetically.' }, PAPER_COUNT: { description: 'Number of papers.' } } as const,
});

const AuthorOrderInput = builder.inputType('AuthorOrder', {
  fields: (t) => ({
    field: t.field({ type: AuthorOrderField, required: true }),
    direction: t.field({ type: OrderDirection, required: true, defaultValue: 'ASC' }),
  }),
});

const AuthorFilter = builder.inputType('AuthorFilter', {
  fields: (t) => ({
    nameContains: t.string({ description: 'Case-insensitive substring of the name.' }),
    minPapers: t.int({ description: 'Authors of at least this many papers.' }),
  }),
});

builder.queryFields((t) => ({
  author: t.field({
    type: Author,
    nullable: true,
    description: 'One author by ID or by name (case, spacing and LaTeX accents as the loader normalises them; give exactly one); null when there is none.',
    args: { id: t.arg.id(), name: t.arg.string() },
    resolve: (_root, args, context, info): Promise<AuthorRecord | null> => {
      if ((args.id == null) === (args.name == null)) throw userError('BAD_USER_INPUT', 'give exactly one of id and name');
      const lookup = args.id != null ? { uid: uidFromGlobalId(String(args.id), 'Author').uid } : { key: authorKey(decodeLatexAccents(args.name!)) };
      return lookUpAuthor(context, info, lookup);
    },
  }),
  authors: t.connection(
    {
    type: Author,
    description: 'Authors that pass the filter, by name unless ordered otherwise.',
    args: { filter: t.arg({ type: AuthorFilter }), orderBy: t.arg({ type: AuthorOrderInput }) },
    resolve: async (_root, args, { cypher }) => {
      const page = pageQueryFromArgs(args, (args.orderBy?.field ?? 'NAME') as AuthorOrder, args.orderBy?.direction ?? 'ASC');
      const filter = { nameContains: args.filter?.nameContains, minPapers: args.filter?.minPapers };
      const rows = await pageOfAuthors(cypher, filter, page);
      return connectionFromRows(rows, page, () => countAuthorsMatching(cypher, filter));
    },
    },
    { name: 'AuthorConnection' },
    { name: 'AuthorEdge' },
  ),
}));
