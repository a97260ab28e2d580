import {
  authorNameLookup,
  authorsByNames,
  authorsByOpenalexIds,
  authorsOfPapers,
  authorsByUids,
  orcidsOfAuthors,
  countAuthorsMatching,
  pageOfAuthors,
  paperPagesOfAuthors,
  type AuthorOrder,
  type AuthorNameLookup,
  type AuthorRecord,
  type NamedAuthorRecord,
  type PaperAuthorRecord,
} from '../../db/queries/authors.ts';
import { authorWithChildren, type AuthorLookup } from '../../db/queries/folded.ts';
import { collaborationDistances, maxPathDepth } from '../../db/queries/graph.ts';
import type { PaperOrder as PaperOrderName } from '../../db/queries/papers.ts';
import { createContextCache } from '@pothos/core';
import DataLoader from 'dataloader';
import { authorKey } from '../../domain/keys.ts';
import { decodeLatexAccents } from '../../domain/latex.ts';
import { concatenated } from '../../lists.ts';
import { builder } from '../builder.ts';
import type { Context } from '../context.ts';
import type { GraphQLResolveInfo } from 'graphql';
import { connectionFromRows, maxPageSize, pageQueryFromArgs } from '../lib/connection.ts';
import { userError } from '../lib/errors.ts';
import { encodeGlobalId, uidFromGlobalId } from '../lib/global-id.ts';
import { groupByKeys } from '../lib/group.ts';
import { listCost, typicalAuthorsPerPaper } from '../lib/cost.ts';
import { checkRange, validOrNull } from '../lib/limits.ts';
import { selectedFields } from '../lib/lookahead.ts';
import { childSlot, loadWithPrefetched, rememberPrefetched } from '../lib/prefetch.ts';
import { OrderDirection } from './OrderDirection.ts';
import { authorsSlot, Paper, PaperConnection, PaperOrder, paperPropertiesFor } from './Paper.ts';

/** Name → every author of that name, per request: aliased `author(name:)` fields share one round-trip. */
const authorsByNameLoader = createContextCache(
  (context: Context) =>
    new DataLoader((lookups: readonly AuthorNameLookup[]) => authorsByNames(context.cypher, lookups), { cacheKeyFn: (lookup) => lookup.key }),
);

/** Author uid → ORCID, per request: author records leave it out, as most selections do. */
const orcidLoader = createContextCache((context: Context) => new DataLoader((uids: readonly string[]) => orcidsOfAuthors(context.cypher, uids)));

/** OpenAlex author id → author, per request. */
const authorsByOpenalexIdLoader = createContextCache(
  (context: Context) => new DataLoader((ids: readonly string[]) => authorsByOpenalexIds(context.cypher, ids)),
);

/** `A5023888391` from itself or `https://openalex.org/A5023888391` (any case); null when it is not an author id. */
function authorOpenalexIdOf(value: string): string | null {
  const match = /^(?:https?:\/\/openalex\.org\/(?:authors\/)?)?a(\d+)$/i.exec(value.trim());
  return match ? `A${match[1]}` : null;
}

/** The merge key of a name as given to a lookup or filter: LaTeX accents decoded, as the loader does. */
const nameKeyOf = (name: string) => authorKey(decodeLatexAccents(name));

/** A name several authors bear: not one of them picked silently, but each named, with how to ask for one. */
function ambiguousName(name: string, candidates: readonly NamedAuthorRecord[]) {
  return userError(
    'AMBIGUOUS_NAME',
    `${candidates.length} authors are named "${name}": ask for one by id or openalexId (listed in extensions.candidates), or list them all with authors(filter: { name: ... })`,
    {
      argument: 'name',
      candidates: candidates.map((author) => ({ id: encodeGlobalId('Author', author.uid), name: author.name, openalexId: author.openalexId })),
    },
  );
}

export const maxCollaborationSteps = maxPathDepth / 2;
export const defaultCoauthors = 20;

export const Author = builder.loadableNodeRef<AuthorRecord>('Author', {
  // The uid, read at once by src/graphql/schema.ts, which writes Node ids without Pothos' await.
  id: { resolve: (author) => author.uid },
  load: (uids: string[], { cypher }) => authorsByUids(cypher, uids) as Promise<AuthorRecord[]>,
});

Author.implement({
  description:
    'A person who wrote papers. Summary pages\' authors are merged by name, case-insensitively; accents are kept (Éric and Eric are two authors). OpenAlex authors are identified by their OpenAlex id: two of one name are two authors.',
  fields: (t) => ({
    name: t.exposeString('name', { description: 'Name as printed, LaTeX accents decoded.' }),
    orcid: t.string({
      nullable: true,
      description: 'ORCID (e.g. 0000-0002-1825-0097) an OpenAlex work gave the author; null for authors known only from summary pages.',
      resolve: (author, _args, context) => orcidLoader(context).load(author.uid),
    }),
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
async function lookUpAuthor(context: Context, info: GraphQLResolveInfo, lookup: AuthorLookup, asked: string): Promise<AuthorRecord | null> {
  const coauthors = selectedFields(info).get('coauthors')?.[0];
  const limit = coauthors && validOrNull(() => checkRange('first', (coauthors.args.first as number | null) ?? defaultCoauthors, 0, maxPageSize));
  if (!coauthors || limit == null) {
    if ('uid' in lookup) return Author.getDataloader(context).load(lookup.uid);
    if ('openalexId' in lookup) return authorsByOpenalexIdLoader(context).load(lookup.openalexId);
    const named = await authorsByNameLoader(context).load(lookup.name);
    if (named.length > 1) throw ambiguousName(asked, named);
    return named[0] ? { uid: named[0].uid, name: named[0].name } : null;
  }
  const properties = paperPropertiesFor(selectedFields(info, ['coauthors', 'sharedPapers']));
  const row = await authorWithChildren(context.cypher, lookup, { coauthors: { limit, properties } });
  if (!row) return null;
  if ('ambiguous' in row) throw ambiguousName(asked, row.ambiguous);
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
    name: t.string({
      description: 'The whole name, compared as author(name:) compares it: every author of that name, homonyms from OpenAlex included.',
    }),
    minPapers: t.int({ description: 'Authors of at least this many papers.' }),
  }),
});

builder.queryFields((t) => ({
  author: t.field({
    type: Author,
    nullable: true,
    description:
      'One author by ID, by OpenAlex author id, or by name (case, spacing and LaTeX accents as the loader normalises them); give exactly one. Null when there is none. A name that several authors bear (OpenAlex homonyms are distinct authors) is an AMBIGUOUS_NAME error listing them: ask by id or openalexId, or list them with authors(filter: { name: ... }).',
    args: {
      id: t.arg.id(),
      name: t.arg.string(),
      openalexId: t.arg.string({ description: 'A5023888391 or https://openalex.org/A5023888391.' }),
    },
    resolve: async (_root, args, context, info): Promise<AuthorRecord | null> => {
      const given = [args.id, args.name, args.openalexId].filter((value) => value != null);
      if (given.length !== 1) throw userError('BAD_USER_INPUT', 'give exactly one of id, name and openalexId');
      if (args.id != null) return lookUpAuthor(context, info, { uid: uidFromGlobalId(String(args.id), 'Author').uid }, String(args.id));
      if (args.name != null) return lookUpAuthor(context, info, { name: authorNameLookup(nameKeyOf(args.name)) }, args.name);
      // A value that cannot name an author names none: null, like an unknown one.
      const openalexId = authorOpenalexIdOf(args.openalexId!);
      return openalexId ? lookUpAuthor(context, info, { openalexId }, openalexId) : null;
    },
  }),
  authors: t.connection(
    {
    type: Author,
    description: 'Authors that pass the filter, by name unless ordered otherwise.',
    args: { filter: t.arg({ type: AuthorFilter }), orderBy: t.arg({ type: AuthorOrderInput }) },
    resolve: async (_root, args, { cypher }) => {
      const page = pageQueryFromArgs(args, (args.orderBy?.field ?? 'NAME') as AuthorOrder, args.orderBy?.direction ?? 'ASC');
      const filter = {
        nameContains: args.filter?.nameContains,
        nameKey: args.filter?.name != null ? nameKeyOf(args.filter.name) : null,
        minPapers: args.filter?.minPapers,
      };
      const rows = await pageOfAuthors(cypher, filter, page);
      return connectionFromRows(rows, page, () => countAuthorsMatching(cypher, filter));
    },
    },
    { name: 'AuthorConnection' },
    { name: 'AuthorEdge' },
  ),
}));
