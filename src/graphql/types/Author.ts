import {
  authorNameLookup,
  authorsByNames,
  authorsByOpenalexIds,
  authorsByUids,
  authorsOfPaperFragment,
  coauthorCountsOfAuthors,
  countAuthorsMatching,
  orcidFragment,
  pageOfAuthors,
  papersOfAuthorFragment,
  type AuthorOrder,
  type AuthorNameLookup,
  type AuthorRecord,
  type NamedAuthorRecord,
} from '../../db/queries/authors.ts';
import { collaborationDistances, maxPathDepth } from '../../db/queries/graph.ts';
import type { PaperOrder as PaperOrderName } from '../../db/queries/papers.ts';
import { selectAuthor, type AuthorLookup } from '../../db/queries/selection.ts';
import { createContextCache } from '@pothos/core';
import DataLoader from 'dataloader';
import { authorKey } from '../../domain/keys.ts';
import { decodeLatexAccents } from '../../domain/latex.ts';
import { builder } from '../builder.ts';
import type { Context } from '../context.ts';
import type { GraphQLResolveInfo } from 'graphql';
import { compileNodeAt, readsRelation, relationLoader, type RelationRead } from '../lib/compile.ts';
import { connectionFromRows, pageQueryFromArgs, type ConnectionArgs } from '../lib/connection.ts';
import { userError } from '../lib/errors.ts';
import { encodeGlobalId, uidFromGlobalId } from '../lib/global-id.ts';
import { listCost, typicalAuthorsPerPaper } from '../lib/cost.ts';
import { OrderDirection } from './OrderDirection.ts';
import { connectionOfFoldedPage, emptyPage, Paper, PaperConnection, PaperOrder, type FoldedPage } from './Paper.ts';

/** Name → every author of that name, per request: aliased `author(name:)` fields share one round-trip. */
const authorsByNameLoader = createContextCache(
  (context: Context) =>
    new DataLoader((lookups: readonly AuthorNameLookup[]) => authorsByNames(context.cypher, lookups), { cacheKeyFn: (lookup) => lookup.key }),
);

/** Author uid → ORCID, per request: author records leave it out, as most selections do. */

/** An author's ORCID: not in author records, which most selections read without it. */
const orcidRead: RelationRead = { plan: () => ({ fragment: orcidFragment, input: null, value: (orcid: string | null) => orcid ?? null, shared: true }) };

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

/** A page of an author's papers. */
const papersOfAuthorRead: RelationRead<ConnectionArgs & { orderBy?: { field: string; direction: 'ASC' | 'DESC' } | null }> = {
  plan: (args, below) => {
    const page = pageQueryFromArgs(args, (args.orderBy?.field ?? 'PUBLISHED_AT') as PaperOrderName, args.orderBy?.direction ?? 'DESC');
    const node = below.node('Paper', ['edges', 'node']);
    const input = { page, node: node.selection, total: below.selects([], 'totalCount') };
    return { fragment: papersOfAuthorFragment, input, value: (raw: FoldedPage) => connectionOfFoldedPage(raw, page, node) };
  },
};

/** A paper's authors, in the paper's order. */
const authorsOfPaperRead: RelationRead = {
  plan: (_args, below) => {
    const node = below.node('Author', []);
    return {
      fragment: authorsOfPaperFragment,
      input: { node: node.selection },
      value: (authors: AuthorRecord[]) => {
        node.attach(authors);
        return authors;
      },
    };
  },
};

export const maxCollaborationSteps = maxPathDepth / 2;
export const defaultCoauthors = 20;

export const Author = builder.loadableNodeRef<AuthorRecord>('Author', {
  // The uid, read at once by src/graphql/schema.ts, which writes Node ids without Pothos' await.
  id: { resolve: (author) => author.uid },
  load: (uids: string[], { cypher }) => authorsByUids(cypher, uids) as Promise<AuthorRecord[]>,
});

Author.implement({
  description:
    "A person who wrote papers. Summary pages' authors are merged by name, case-insensitively; accents are kept (Éric and Eric are two authors). OpenAlex authors are identified by their OpenAlex id: two of one name are two authors.",
  fields: (t) => ({
    name: t.exposeString('name', { description: 'Name as printed, LaTeX accents decoded.' }),
    orcid: t.string({
      nullable: true,
      description: 'ORCID (e.g. 0000-0002-1825-0097) an OpenAlex work gave the author; null for authors known only from summary pages.',
      extensions: readsRelation(orcidRead),
      resolve: relationLoader('Author', orcidRead, () => null, true) as never,
    }),
    papers: t.field({
      type: PaperConnection,
      description: "The author's papers, newest first unless ordered otherwise.",
      args: { ...t.arg.connectionArgs(), orderBy: t.arg({ type: PaperOrder }) },
      extensions: readsRelation(papersOfAuthorRead),
      resolve: relationLoader('Author', papersOfAuthorRead, emptyPage) as never,
    }),
    coauthorCount: t.loadable({
      type: 'Int',
      description: 'How many distinct co-authors the author has: the whole count, however few of them `coauthors` lists.',
      byPath: true,
      load: (uids: string[], { cypher }) => coauthorCountsOfAuthors(cypher, uids),
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
  t.field({
    type: [Author],
    description: 'Authors in the order the paper lists them.',
    // Unpaged: counted as a typical author list in the operation's cost, so that nesting under it multiplies.
    extensions: { complexity: listCost(() => typicalAuthorsPerPaper), ...readsRelation(authorsOfPaperRead) },
    resolve: relationLoader('Paper', authorsOfPaperRead, () => []) as never,
  }),
);

/**
 * A looked-up author with what its selection reads, in one query. A selection without relations goes
 * through the batched loaders instead: aliased lookups of that kind then share one round-trip.
 */
async function lookUpAuthor(context: Context, info: GraphQLResolveInfo, lookup: AuthorLookup, asked: string): Promise<AuthorRecord | null> {
  const node = compileNodeAt(context, info, 'Author', [], true);
  if (!node.foldsUnshared) {
    if ('uid' in lookup) return Author.getDataloader(context).load(lookup.uid);
    if ('openalexId' in lookup) return authorsByOpenalexIdLoader(context).load(lookup.openalexId);
    const named = await authorsByNameLoader(context).load(lookup.name);
    if (named.length > 1) throw ambiguousName(asked, named);
    return named[0] ? { uid: named[0].uid, name: named[0].name } : null;
  }
  const author = await selectAuthor(context.cypher, lookup, node.selection);
  if (author && 'ambiguous' in author) throw ambiguousName(asked, author.ambiguous);
  node.attach([author]);
  return author;
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
