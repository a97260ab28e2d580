import {
  communitiesByUids,
  communitiesOfAuthors,
  countCommunities,
  neighboursOfCommunities,
  pageOfCommunities,
  paperPagesOfCommunities,
  topAuthorsOfCommunities,
  type AuthorCommunityRecord,
  type CommunityAuthorRecord,
  type CommunityOrder,
  type CommunityRecord,
  type NeighbourRecord,
} from '../../db/queries/analytics.ts';
import { builder } from '../builder.ts';
import { connectionFromRows, maxPageSize, pageQueryFromArgs } from '../lib/connection.ts';
import { groupByKeys } from '../lib/group.ts';
import { checkRange } from '../lib/limits.ts';
import { readsProperties, selectionBelow } from '../lib/compile.ts';
import { Author } from './Author.ts';
import { OrderDirection } from './OrderDirection.ts';
import { Paper, PaperConnection } from './Paper.ts';

export const Community = builder.loadableNodeRef<CommunityRecord>('Community', {
  // The uid, read at once by src/graphql/schema.ts, which writes Node ids without Pothos' await.
  id: { resolve: (community) => community.uid },
  load: (uids: string[], { cypher }) => communitiesByUids(cypher, uids) as Promise<CommunityRecord[]>,
});

const CommunityAuthor = builder.objectRef<CommunityAuthorRecord>('CommunityAuthor').implement({
  description: 'An author of papers in a community.',
  fields: (t) => ({
    author: t.field({ type: Author, resolve: (row) => row.author }),
    paperCount: t.exposeInt('paperCount', { description: 'Their papers in the community.' }),
    influence: t.exposeFloat('influence', { description: "The sum of those papers' PageRank." }),
  }),
});

const CommunityNeighbour = builder.objectRef<NeighbourRecord>('CommunityNeighbour').implement({
  description: 'Another community linked to this one.',
  fields: (t) => ({
    community: t.field({ type: Community, resolve: (row) => row.community }),
    weight: t.exposeFloat('weight', {
      description: 'The summed weight of the paper–paper links between the two (citations, co-citation, coupling, related links; docs/analytics.md).',
    }),
  }),
});

const AuthorCommunity = builder.objectRef<AuthorCommunityRecord>('AuthorCommunity').implement({
  description: 'A community an author wrote in.',
  fields: (t) => ({
    community: t.field({ type: Community, resolve: (row) => row.community }),
    paperCount: t.exposeInt('paperCount', { description: "The author's papers in it." }),
  }),
});

const defaultListSize = 10;

Community.implement({
  description:
    'A research community: papers that Louvain found more linked among themselves (by citations, co-citation, bibliographic coupling and related links) than to the rest, in the last `npm run analyze`. Its id stays the same across analyses while most of its papers stay together.',
  fields: (t) => ({
    size: t.exposeInt('size', { description: 'Papers in it.' }),
    label: t.exposeString('label', { description: 'Its three most distinctive title words, joined by commas.' }),
    terms: t.exposeStringList('terms', {
      description: 'Its most distinctive title words (English and Japanese titles), by TF-IDF against the whole graph, best first.',
    }),
    influence: t.exposeFloat('influence', { description: "The sum of its papers' PageRank." }),
    papers: t.loadable({
      type: PaperConnection,
      description: 'Its papers, most influential first.',
      byPath: true,
      args: { ...t.arg.connectionArgs() },
      load: async (uids: string[], { cypher }, args, info) => {
        const page = pageQueryFromArgs(args, 'INFLUENCE', 'DESC');
        const results = await paperPagesOfCommunities(cypher, uids, page, selectionBelow(info).properties('Paper', ['edges', 'node']).properties);
        const byCommunity = new Map(results.map((result) => [result.parentUid, result]));
        return uids.map((uid) => connectionFromRows(byCommunity.get(uid)?.rows ?? [], page, byCommunity.get(uid)?.total ?? 0));
      },
      resolve: (community) => community.uid,
    }),
    topAuthors: t.loadableList({
      type: CommunityAuthor,
      description: 'The authors with the most influence from their papers in it.',
      byPath: true,
      args: { first: t.arg.int({ defaultValue: defaultListSize, description: `At most ${maxPageSize}.` }) },
      load: async (uids: string[], { cypher }, args) => {
        const first = checkRange('first', args.first ?? defaultListSize, 0, maxPageSize);
        return groupByKeys(uids, await topAuthorsOfCommunities(cypher, uids, first), (row) => row.communityUid);
      },
      resolve: (community) => community.uid,
    }),
    neighbours: t.loadableList({
      type: CommunityNeighbour,
      description: 'The communities most linked to this one, strongest link first (the analysis keeps ten).',
      byPath: true,
      args: { first: t.arg.int({ defaultValue: defaultListSize, description: `At most ${maxPageSize}.` }) },
      load: async (uids: string[], { cypher }, args) => {
        const first = checkRange('first', args.first ?? defaultListSize, 0, maxPageSize);
        return groupByKeys(uids, await neighboursOfCommunities(cypher, uids, first), (row) => row.communityUid);
      },
      resolve: (community) => community.uid,
    }),
  }),
});

builder.objectField(Paper, 'community', (t) =>
  t.field({
    type: Community,
    nullable: true,
    description: 'The research community the last analysis placed the paper in; null for a paper linked to no other, or before any analysis.',
    extensions: readsProperties('communityId'),
    // The Community loader batches these across the page.
    resolve: (paper, _args, context) => (paper.communityId == null ? null : Community.getDataloader(context).load(paper.communityId)),
  }),
);

builder.objectField(Author, 'communities', (t) =>
  t.loadableList({
    type: AuthorCommunity,
    description: "The communities the author's papers are in, most of their papers first.",
    byPath: true,
    args: { first: t.arg.int({ defaultValue: defaultListSize, description: `At most ${maxPageSize}.` }) },
    load: async (uids: string[], { cypher }, args) => {
      const first = checkRange('first', args.first ?? defaultListSize, 0, maxPageSize);
      return groupByKeys(uids, await communitiesOfAuthors(cypher, uids, first), (row) => row.authorUid);
    },
    resolve: (author) => author.uid,
  }),
);

const CommunityOrderField = builder.enumType('CommunityOrderField', {
  values: {
    SIZE: { description: 'Number of papers.' },
    INFLUENCE: { description: 'Summed PageRank of its papers.' },
    LABEL: { description: 'Label, alphabetically.' },
  } as const,
});

const CommunityOrderInput = builder.inputType('CommunityOrder', {
  fields: (t) => ({
    field: t.field({ type: CommunityOrderField, required: true }),
    direction: t.field({ type: OrderDirection, required: true, defaultValue: 'DESC' }),
  }),
});

builder.queryFields((t) => ({
  communities: t.connection(
    {
      type: Community,
      description: 'The research communities of the last analysis, largest first unless ordered otherwise; empty before any analysis.',
      args: { orderBy: t.arg({ type: CommunityOrderInput }) },
      resolve: async (_root, args, { cypher }) => {
        const page = pageQueryFromArgs(args, (args.orderBy?.field ?? 'SIZE') as CommunityOrder, args.orderBy?.direction ?? 'DESC');
        return connectionFromRows(await pageOfCommunities(cypher, page), page, () => countCommunities(cypher));
      },
    },
    { name: 'CommunityConnection' },
    { name: 'CommunityEdge' },
  ),
}));
