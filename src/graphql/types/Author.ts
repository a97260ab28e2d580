import {
  authorsByNames,
  authorsOfPapers,
  authorsByUids,
  coauthorsOfAuthors,
  countAuthorsMatching,
  pageOfAuthors,
  paperPagesOfAuthors,
  type AuthorOrder,
  type AuthorRecord,
  type CoauthorRecord,
} from '../../db/queries/authors.ts';
import type { PaperOrder as PaperOrderName } from '../../db/queries/papers.ts';
import { builder } from '../builder.ts';
import { connectionFromRows, maxPageSize, pageQueryFromArgs } from '../lib/connection.ts';
import { userError } from '../lib/errors.ts';
import { uidFromGlobalId } from '../lib/global-id.ts';
import { OrderDirection } from './OrderDirection.ts';
import { Paper, PaperConnection, PaperOrder } from './Paper.ts';

export const Author = builder.loadableNodeRef<AuthorRecord>('Author', {
  id: { resolve: (author) => author.uid },
  load: (uids: string[], { cypher }) => authorsByUids(cypher, uids) as Promise<AuthorRecord[]>,
});

const Coauthor = builder.objectRef<CoauthorRecord>('Coauthor').implement({
  description: 'Someone who wrote at least one paper together with the author.',
  fields: (t) => ({
    author: t.field({ type: Author, resolve: (coauthor) => coauthor.coauthor }),
    sharedPaperCount: t.int({ description: 'Papers the two wrote together.', resolve: (coauthor) => coauthor.sharedPapers.length }),
    sharedPapers: t.field({ type: [Paper], description: 'Those papers, newest first.', resolve: (coauthor) => coauthor.sharedPapers }),
  }),
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
      load: async (uids: string[], { cypher }, args) => {
        const page = pageQueryFromArgs(args, (args.orderBy?.field ?? 'PUBLISHED_AT') as PaperOrderName, args.orderBy?.direction ?? 'DESC');
        const results = await paperPagesOfAuthors(cypher, uids, page);
        const byAuthor = new Map(results.map((result) => [result.parentUid, result]));
        return uids.map((uid) => connectionFromRows(byAuthor.get(uid)?.rows ?? [], page, byAuthor.get(uid)?.total ?? 0));
      },
      resolve: (author) => author.uid,
    }),
    coauthors: t.loadableList({
      type: Coauthor,
      description: 'Co-authors, most shared papers first.',
      byPath: true,
      args: { first: t.arg.int({ defaultValue: 20, description: `At most ${maxPageSize}.` }) },
      load: async (uids: string[], { cypher }, args) => {
        const first = args.first ?? 20;
        if (first < 0 || first > maxPageSize) throw userError('BAD_USER_INPUT', `first must be between 0 and ${maxPageSize}, got ${first}`);
        const rows = await coauthorsOfAuthors(cypher, uids, first);
        return uids.map((uid) => rows.filter((row) => row.authorUid === uid));
      },
      resolve: (author) => author.uid,
    }),
  }),
});

builder.objectField(Paper, 'authors', (t) =>
  t.loadableGroup({
    type: Author,
    description: 'Authors in the order the paper lists them.',
    load: (paperUids: string[], { cypher }) => authorsOfPapers(cypher, paperUids),
    group: (author) => (author as unknown as { paperUid: string }).paperUid,
    resolve: (paper) => paper.uid,
  }),
);

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
    description: 'One author by ID or by exact name, case-insensitive (give exactly one); null when there is none.',
    args: { id: t.arg.id(), name: t.arg.string() },
    resolve: async (_root, args, context): Promise<AuthorRecord | null> => {
      if ((args.id == null) === (args.name == null)) throw userError('BAD_USER_INPUT', 'give exactly one of id and name');
      if (args.id != null) return Author.getDataloader(context).load(uidFromGlobalId(String(args.id), 'Author').uid);
      const [author] = await authorsByNames(context.cypher, [args.name!.trim()]);
      return author ?? null;
    },
  }),
  authors: t.connection({
    type: Author,
    description: 'Authors that pass the filter, by name unless ordered otherwise.',
    args: { filter: t.arg({ type: AuthorFilter }), orderBy: t.arg({ type: AuthorOrderInput }) },
    resolve: async (_root, args, { cypher }) => {
      const page = pageQueryFromArgs(args, (args.orderBy?.field ?? 'NAME') as AuthorOrder, args.orderBy?.direction ?? 'ASC');
      const filter = { nameContains: args.filter?.nameContains, minPapers: args.filter?.minPapers };
      const rows = await pageOfAuthors(cypher, filter, page);
      return connectionFromRows(rows, page, () => countAuthorsMatching(cypher, filter));
    },
  }),
}));
