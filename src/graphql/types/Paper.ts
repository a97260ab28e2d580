import {
  countPapersMatching,
  papersByProperty,
  papersByUids,
  relatedCountFragment,
  relatedPageFragment,
  type PaperOrder as PaperOrderName,
  type PaperKind as PaperKindName,
  type PaperLookupProperty,
  type RelatedDirection,
  type RelatedSource as RelatedSourceName,
  type PaperRecord,
  type PaperFilter as PaperFilterQuery,
} from '../../db/queries/papers.ts';
import type { GraphNodeProjection } from '../../db/queries/graph.ts';
import type { KeysetRow } from '../../db/queries/keyset.ts';
import { countPapersOfEntity, type EntityKind } from '../../db/queries/entities.ts';
import { selectPageOfPapers, selectPaper, selectPaperPagesOfEntities, type PaperLookup } from '../../db/queries/selection.ts';
import { createContextCache } from '@pothos/core';
import DataLoader from 'dataloader';
import path from 'node:path';
import { arxivIdFromUrl } from '../../domain/keys.ts';
import { normalizeDoi, workIdOf } from '../../domain/openalex.ts';
import { builder } from '../builder.ts';
import type { Context } from '../context.ts';
import type { GraphQLResolveInfo } from 'graphql';
import { compileNodeAt, readsProperties, readsRelation, relationLoader, type Below, type CompiledNode, type RelationRead } from '../lib/compile.ts';
import { connectionFromRows, pageQueryFromArgs, type ConnectionArgs } from '../lib/connection.ts';
import { userError } from '../lib/errors.ts';
import { uidFromGlobalId } from '../lib/global-id.ts';
import { DateTime } from './DateTime.ts';
import { OrderDirection } from './OrderDirection.ts';
import { PaperKind } from './PaperKind.ts';

/** What the graph nodes under `path` (from a field below) read of their paper and author. */
export function graphNodeProjection(below: Below, path: readonly string[]): GraphNodeProjection {
  return {
    paper: below.selects(path, 'paper') ? below.properties('Paper', [...path, 'paper']).properties : null,
    author: below.selects(path, 'author'),
  };
}

/** A keyset page a fragment returned as `{ rows, total }` (total only when totalCount is selected). */
export interface FoldedPage {
  rows: KeysetRow<PaperRecord>[];
  total?: number | null;
}

/** The connection of a folded page, its nodes handed their own folded relations. */
export function connectionOfFoldedPage(raw: FoldedPage, page: Parameters<typeof connectionFromRows>[1], node: CompiledNode) {
  node.attach(raw.rows.map((row) => row.node));
  const total = raw.total;
  // Counted only when selected (Below.selects): execution never asks an uncounted page for it.
  return connectionFromRows(raw.rows, page, total ?? (() => Promise.reject(new Error('totalCount was not selected'))));
}

export const emptyPage = () => ({ edges: [], pageInfo: { hasNextPage: false, hasPreviousPage: false, startCursor: null, endCursor: null }, totalCount: 0 });

/** arXiv id, DOI or OpenAlex id → paper, per request: aliased `paper(…)` lookups share one round-trip per kind. */
const papersByPropertyLoaders = createContextCache((context: Context) => {
  const loaderOf = (property: PaperLookupProperty) => new DataLoader((values: readonly string[]) => papersByProperty(context.cypher, property, values));
  return { arxivId: loaderOf('arxivId'), doi: loaderOf('doi'), openalexId: loaderOf('openalexId') };
});

export const Paper = builder.loadableNodeRef<PaperRecord>('Paper', {
  // The uid, read at once by src/graphql/schema.ts, which writes Node ids without Pothos' await.
  id: { resolve: (paper) => paper.uid },
  // Unknown uids load as null (node(id) answers null), which DataLoader passes through.
  load: (uids: string[], { cypher }) => papersByUids(cypher, uids) as Promise<PaperRecord[]>,
});

interface RelatedEdgeShape {
  cursor: string;
  node: PaperRecord;
  score: number | null;
  rank: number | null;
}

export const RelatedSource = builder.enumType('RelatedSource', {
  description: 'Where a related-paper link comes from.',
  values: {
    SUMMARY_PAGE: { description: "A summary page's related list: the link has a similarity score and a rank." },
    OPENALEX: { description: "An OpenAlex work's related_works: no score, no rank." },
  } as const,
});

const RelatedPaperConnection = builder.connectionObject(
  {
    type: Paper,
    name: 'RelatedPaperConnection',
    description: 'Papers linked as related, with where each link comes from (and its similarity, when a summary page gave one) on each edge.',
  },
  {
    name: 'RelatedPaperEdge',
    fields: (t) => ({
      source: t.field({
        type: RelatedSource,
        description: "SUMMARY_PAGE for a page's related list (scored), OPENALEX for a work's related_works (unscored).",
        // Every page link carries a score and no OpenAlex link does (src/db/queries/papers.ts relatedSources).
        resolve: (edge): RelatedSourceName => ((edge as unknown as RelatedEdgeShape).score === null ? 'OPENALEX' : 'SUMMARY_PAGE'),
      }),
      score: t.float({
        nullable: true,
        description: 'Similarity score the site gave the pair (the number in brackets; can be 0); null for an OpenAlex link.',
        resolve: (edge) => (edge as unknown as RelatedEdgeShape).score,
      }),
      rank: t.int({
        nullable: true,
        description: 'Position in the related list of the paper that lists it, from 1; null for an OpenAlex link.',
        resolve: (edge) => (edge as unknown as RelatedEdgeShape).rank,
      }),
    }),
  },
);

Paper.implement({
  description:
    "A research paper. Papers with a summary page of their own carry every field; a paper known only from another page's related list carries its title, date and Japanese summary.",
  fields: (t) => ({
    arxivId: t.exposeString('arxivId', { nullable: true, description: 'arXiv identifier without version, e.g. 2412.03275.' }),
    version: t.exposeInt('version', { nullable: true, description: 'arXiv version the page describes (1 for v1).' }),
    url: t.exposeString('url', { nullable: true, description: 'arXiv abstract page.' }),
    title: t.exposeString('title'),
    titleJa: t.exposeString('titleJa', { nullable: true, description: 'Japanese translation of the title.' }),
    abstract: t.exposeString('abstract', { nullable: true, description: 'English abstract, wrapped lines joined.' }),
    abstractJa: t.exposeString('abstractJa', { nullable: true, description: 'Japanese translation of the abstract, one sentence per line.' }),
    summaryJa: t.exposeString('summaryJa', { nullable: true, description: "The site's short Japanese summary, one sentence per line." }),
    publishedAt: t.field({
      type: DateTime,
      nullable: true,
      description: 'Date of the arXiv version.',
      extensions: readsProperties('publishedAt'),
      resolve: (paper) => paper.publishedAt,
    }),
    status: t.exposeString('status', { nullable: true, description: 'Translation status on the site (e.g. 翻訳完了).' }),
    siteUpdatedAt: t.field({
      type: DateTime,
      nullable: true,
      description: 'When the site last updated its page.',
      extensions: readsProperties('siteUpdatedAt'),
      resolve: (paper) => paper.siteUpdatedAt,
    }),
    score: t.exposeFloat('score', { nullable: true, description: "The site's attention score." }),
    license: t.exposeString('license', { nullable: true }),
    hasPage: t.boolean({
      description: "True when the paper's own summary page was loaded; false when it is known only from related lists.",
      extensions: readsProperties('sourceHash'),
      resolve: (paper) => paper.sourceHash !== null,
    }),
    kind: t.field({
      type: PaperKind,
      description: 'What the paper is known from: its own summary page, an OpenAlex work, a related list, or only as a cited work (REFERENCE_STUB).',
      extensions: readsProperties('kind'),
      resolve: (paper) => paper.kind,
    }),
    isStub: t.boolean({
      description:
        'True for a paper known only as a cited (or related) work, by its OpenAlex id (kind REFERENCE_STUB): its title is that id and it has no details.',
      extensions: readsProperties('kind'),
      resolve: (paper) => paper.kind === 'REFERENCE_STUB',
    }),
    sourceFile: t.string({
      nullable: true,
      description: 'Name of the page file this paper was loaded from (its directory on the server is not shown).',
      extensions: readsProperties('sourceFile'),
      resolve: (paper) => (paper.sourceFile == null ? null : path.basename(paper.sourceFile)),
    }),
    sourceHash: t.exposeString('sourceHash', { nullable: true, description: "SHA-256 of that file's content." }),
    relatedCount: t.int({
      description: 'Number of related links in either direction, from pages and from OpenAlex: related.totalCount + relatedBy.totalCount.',
      extensions: readsRelation(relatedCountRead),
      resolve: relationLoader('Paper', relatedCountRead, () => 0, true) as never,
    }),
    related: t.field({
      type: RelatedPaperConnection,
      description: "The papers this one lists as related: its page's related list in the page's order, then its OpenAlex related_works (by ID).",
      args: {
        ...t.arg.connectionArgs(),
        minScore: t.arg.float({ description: 'Only links with at least this similarity (so only SUMMARY_PAGE links).' }),
        source: t.arg({ type: RelatedSource, description: 'Only links from this source (default: both).' }),
      },
      extensions: readsRelation(relatedRead('outgoing')),
      resolve: relationLoader('Paper', relatedRead('outgoing'), emptyPage) as never,
    }),
    relatedBy: t.field({
      type: RelatedPaperConnection,
      description: "Papers whose related list names this paper: pages' lists, most similar first, then OpenAlex related_works (by ID).",
      args: {
        ...t.arg.connectionArgs(),
        minScore: t.arg.float({ description: 'Only links with at least this similarity (so only SUMMARY_PAGE links).' }),
        source: t.arg({ type: RelatedSource, description: 'Only links from this source (default: both).' }),
      },
      extensions: readsRelation(relatedRead('incoming')),
      resolve: relationLoader('Paper', relatedRead('incoming'), emptyPage) as never,
    }),
  }),
});

type RelatedArgs = ConnectionArgs & { minScore?: number | null; source?: RelatedSourceName | null };

export type CitationPageArgs = ConnectionArgs & { orderBy?: { field: string; direction: 'ASC' | 'DESC' } | null; kinds?: readonly PaperKindName[] | null };

/** The page a `references` or `citedBy` selection asks for: most cited first unless ordered otherwise. */
export const citationPage = (args: CitationPageArgs) =>
  pageQueryFromArgs(args, (args.orderBy?.field ?? 'CITATION_COUNT') as PaperOrderName, args.orderBy?.direction ?? 'DESC');

const relatedPage = (args: RelatedArgs, direction: RelatedDirection) => pageQueryFromArgs(args, direction === 'outgoing' ? 'RANK' : 'SIMILARITY', 'ASC');

/** A page of a paper's related papers (outgoing: its own list; incoming: the lists that name it). */
function relatedRead(direction: RelatedDirection): RelationRead<RelatedArgs> {
  return {
    plan: (args, below) => {
      const page = relatedPage(args, direction);
      const node = below.node('Paper', ['edges', 'node']);
      const input = {
        direction,
        minScore: args.minScore ?? null,
        source: args.source ?? null,
        page,
        node: node.selection,
        total: below.selects([], 'totalCount'),
      };
      return { fragment: relatedPageFragment, input, value: (raw: FoldedPage) => connectionOfFoldedPage(raw, page, node) };
    },
  };
}

const relatedCountRead: RelationRead = { plan: () => ({ fragment: relatedCountFragment, input: null, value: (count: number) => count, shared: true }) };

/**
 * A looked-up paper with what its selection reads, in one query. A selection without relations, or
 * with shared ones only, goes through the batched loaders instead: aliased lookups of that kind then
 * share one round-trip, and their shared relations another.
 */
async function lookUpPaper(context: Context, info: GraphQLResolveInfo, lookup: PaperLookup): Promise<PaperRecord | null> {
  const node = compileNodeAt(context, info, 'Paper', [], true);
  if (!node.foldsUnshared) {
    return 'uid' in lookup ? Paper.getDataloader(context).load(lookup.uid) : papersByPropertyLoaders(context)[lookup.property].load(lookup.value);
  }
  const paper = await selectPaper(context.cypher, lookup, node.selection);
  node.attach([paper]);
  return paper;
}

/** Pages of papers: the root `papers` field and each author's `papers`. */
export const PaperConnection = builder.connectionObject({ type: Paper, name: 'PaperConnection' }, { name: 'PaperEdge' });

export const PaperOrderField = builder.enumType('PaperOrderField', {
  values: {
    PUBLISHED_AT: { description: 'Date of the arXiv version.' },
    SCORE: { description: "The site's attention score." },
    TITLE: { description: 'Title, alphabetically.' },
    RELATED_COUNT: { description: 'Number of related-paper links.' },
    CITATION_COUNT: { description: 'Number of papers in the graph that cite it (citationCount).' },
    INFLUENCE: { description: 'PageRank from the last `npm run analyze` (influence.score); papers not analysed come last going down.' },
  } as const,
});

export const PaperOrder = builder.inputType('PaperOrder', {
  fields: (t) => ({
    field: t.field({ type: PaperOrderField, required: true }),
    direction: t.field({ type: OrderDirection, required: true, defaultValue: 'DESC' }),
  }),
});

export const PaperFilter = builder.inputType('PaperFilter', {
  description: 'All given conditions must hold.',
  fields: (t) => ({
    titleContains: t.string({ description: 'Case-insensitive substring of the title.' }),
    author: t.id({ description: 'ID of an author of the paper.' }),
    authorNameContains: t.string({ description: "Case-insensitive substring of an author's name." }),
    publishedAfter: t.field({ type: DateTime, description: 'Published at or after this instant.' }),
    publishedBefore: t.field({ type: DateTime, description: 'Published before this instant.' }),
    minScore: t.float({ description: 'Attention score at least this.' }),
    status: t.string({ description: 'Exact translation status, e.g. 翻訳完了.' }),
    hasAbstract: t.boolean({ description: 'Only papers with (true) or without (false) an English abstract.' }),
    kinds: t.field({
      type: [PaperKind],
      description:
        'Only papers of these kinds, e.g. [PAGE, WORK, RELATED_ENTRY] to rank by CITATION_COUNT without cited works known only by their OpenAlex id. Default: every kind.',
    }),
    isStub: t.boolean({ description: 'Only cited works known by their OpenAlex id alone (true, kind REFERENCE_STUB), or no such stubs (false).' }),
    venue: t.id({ description: 'ID of the venue (Venue) the paper is published in.' }),
    institution: t.id({ description: "ID of an institution (Institution) one of the paper's authors signed it from." }),
    topic: t.id({ description: "ID of one of the paper's topics (Topic)." }),
    yearFrom: t.int({ description: "Published in this year or later (OpenAlex's publication year, else the year of publishedAt)." }),
    yearTo: t.int({ description: 'Published in this year or earlier.' }),
    type: t.string({ description: 'OpenAlex work type, exactly: article, preprint, review, book-chapter, …' }),
    community: t.id({ description: 'ID of a Community: its papers, as the last analysis placed them.' }),
  }),
});

type PaperFilterArgs = NonNullable<typeof PaperFilter.$inferInput> | null | undefined;

/** The data layer's filter from a `filter:` argument; IDs of the wrong type are INVALID_ID errors. */
export function paperFilterOf(filter: PaperFilterArgs): PaperFilterQuery {
  return {
    titleContains: filter?.titleContains,
    authorUid: filter?.author != null ? uidFromGlobalId(String(filter.author), 'Author').uid : null,
    authorNameContains: filter?.authorNameContains,
    publishedAfter: filter?.publishedAfter?.toISOString(),
    publishedBefore: filter?.publishedBefore?.toISOString(),
    minScore: filter?.minScore,
    status: filter?.status,
    hasAbstract: filter?.hasAbstract,
    kinds: filter?.kinds as PaperKindName[] | null | undefined,
    communityUid: filter?.community != null ? uidFromGlobalId(String(filter.community), 'Community').uid : null,
    isStub: filter?.isStub,
    venue: filter?.venue != null ? uidFromGlobalId(String(filter.venue), 'Venue').uid : null,
    institution: filter?.institution != null ? uidFromGlobalId(String(filter.institution), 'Institution').uid : null,
    topic: filter?.topic != null ? uidFromGlobalId(String(filter.topic), 'Topic').uid : null,
    yearFrom: filter?.yearFrom,
    yearTo: filter?.yearTo,
    workType: filter?.type,
  };
}

/**
 * The entity a filter names, if any: its papers are read from it (one hop) rather than by testing
 * every paper, and the rest of the filter applies to them.
 */
function anchorOf(filter: PaperFilterQuery): { kind: EntityKind; id: string; rest: PaperFilterQuery } | null {
  if (filter.venue) return { kind: 'Venue', id: filter.venue, rest: { ...filter, venue: null } };
  if (filter.topic) return { kind: 'Topic', id: filter.topic, rest: { ...filter, topic: null } };
  if (filter.institution) return { kind: 'Institution', id: filter.institution, rest: { ...filter, institution: null } };
  return null;
}

builder.queryFields((t) => ({
  paper: t.field({
    type: Paper,
    nullable: true,
    description: 'One paper by ID, arXiv id, DOI or OpenAlex work id (give exactly one); null when there is none.',
    args: {
      id: t.arg.id(),
      arxivId: t.arg.string({ description: "2412.03275, 2412.03275v1, arXiv:2412.03275 or the abstract page's URL." }),
      doi: t.arg.string({ description: 'A DOI, with or without https://doi.org/ (case does not matter).' }),
      openalexId: t.arg.string({ description: 'W2741809807 or https://openalex.org/W2741809807.' }),
    },
    resolve: async (_root, args, context, info) => {
      const given = [args.id, args.arxivId, args.doi, args.openalexId].filter((value) => value != null);
      if (given.length !== 1) throw userError('BAD_USER_INPUT', 'give exactly one of id, arxivId, doi and openalexId');
      if (args.id != null) return lookUpPaper(context, info, { uid: uidFromGlobalId(String(args.id), 'Paper').uid });
      // A value that cannot name a paper names none: null, like an unknown one.
      const lookup =
        args.arxivId != null
          ? { property: 'arxivId' as const, value: arxivIdFromUrl(args.arxivId)?.arxivId }
          : args.doi != null
            ? { property: 'doi' as const, value: normalizeDoi(args.doi) }
            : { property: 'openalexId' as const, value: workIdOf(args.openalexId!) };
      return lookup.value ? lookUpPaper(context, info, { property: lookup.property, value: lookup.value }) : null;
    },
  }),
  papers: t.connection(
    {
      type: Paper,
      description: 'Papers that pass the filter, in the order asked (newest first by default).',
      args: {
        filter: t.arg({ type: PaperFilter }),
        orderBy: t.arg({ type: PaperOrder }),
      },
      resolve: async (_root, args, context, info) => {
        const { cypher } = context;
        const order = (args.orderBy?.field ?? 'PUBLISHED_AT') as PaperOrderName;
        const page = pageQueryFromArgs(args, order, args.orderBy?.direction ?? 'DESC');
        const filter = paperFilterOf(args.filter);
        const node = compileNodeAt(context, info, 'Paper', ['edges', 'node']);
        const anchor = anchorOf(filter);
        if (anchor) {
          const [result] = await selectPaperPagesOfEntities(cypher, anchor.kind, [anchor.id], anchor.rest, page, false, node.selection);
          const rows = result?.rows ?? [];
          node.attach(rows.map((row) => row.node));
          return connectionFromRows(rows, page, () => countPapersOfEntity(cypher, anchor.kind, anchor.id, anchor.rest));
        }
        const rows = await selectPageOfPapers(cypher, filter, page, node.selection);
        node.attach(rows.map((row) => row.node));
        return connectionFromRows(rows, page, () => countPapersMatching(cypher, filter));
      },
    },
    PaperConnection,
  ),
}));
