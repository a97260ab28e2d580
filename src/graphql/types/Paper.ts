import {
  countPapersMatching,
  pageOfPapers,
  papersByProperty,
  papersByUids,
  relatedCountsOfPapers,
  relatedPagesOfPapers,
  paperProperties,
  type PaperLookupProperty,
  type PaperOrder as PaperOrderName,
  type PaperKind as PaperKindName,
  type PaperProperty,
  type RelatedDirection,
  type RelatedSource as RelatedSourceName,
  type PaperRecord,
  type PaperFilter as PaperFilterQuery,
} from '../../db/queries/papers.ts';
import { paperPagesOfEntities, type EntityKind } from '../../db/queries/entities.ts';
import { pageOfPapersWithAuthors, paperWithChildren, type PaperChildren, type PaperLookup, type PaperWithChildren } from '../../db/queries/folded.ts';
import type { GraphNodeProjection } from '../../db/queries/graph.ts';
import type { Cypher } from '../../db/run.ts';
import { createContextCache } from '@pothos/core';
import DataLoader from 'dataloader';
import path from 'node:path';
import { arxivIdFromUrl } from '../../domain/keys.ts';
import { normalizeDoi, workIdOf } from '../../domain/openalex.ts';
import { builder } from '../builder.ts';
import type { Context } from '../context.ts';
import type { GraphQLResolveInfo } from 'graphql';
import { connectionFromRows, pageQueryFromArgs, type ConnectionArgs } from '../lib/connection.ts';
import { userError } from '../lib/errors.ts';
import { uidFromGlobalId } from '../lib/global-id.ts';
import { neighborhoodOptions, validOrNull } from '../lib/limits.ts';
import { selectedFields } from '../lib/lookahead.ts';
import { childSlot, fieldSlot, loadWithPrefetched, rememberPrefetched } from '../lib/prefetch.ts';
import { DateTime } from './DateTime.ts';
import { OrderDirection } from './OrderDirection.ts';
import { PaperKind } from './PaperKind.ts';

/**
 * Fields of Paper that read nothing of the paper but its uid (they load their own data), and fields
 * that read properties of another name. Every other field is read from the property of its own name.
 */
const uidOnlyFields = new Set([
  'id', 'relatedCount', 'related', 'relatedBy', 'authors', 'neighborhood', 'recommendations',
  'citationCount', 'references', 'citedBy', 'coCitations', 'bibliographicCoupling', 'similar', 'venue', 'topics',
]);
const fieldsOfOtherProperties: Record<string, readonly PaperProperty[]> = {
  hasPage: ['sourceHash'],
  isStub: ['kind'],
  influence: ['influence', 'influenceRank', 'influencePercentile'],
  community: ['communityId'],
  venueName: ['venue'],
};

/**
 * The properties that the selected fields of a paper read, for paperProjection; all of them when a
 * field is not known here (a field added later is then served, only less cheaply).
 */
export function paperPropertiesFor(selected: ReadonlyMap<string, unknown>): readonly PaperProperty[] {
  let properties = propertiesOfSelection.get(selected);
  if (!properties) propertiesOfSelection.set(selected, (properties = propertiesRead(selected)));
  return properties;
}

/** By selection: selectedFields keeps the selections that do not hang on variables, so most repeat. */
const propertiesOfSelection = new WeakMap<ReadonlyMap<string, unknown>, readonly PaperProperty[]>();

function propertiesRead(selected: ReadonlyMap<string, unknown>): readonly PaperProperty[] {
  const properties = new Set<PaperProperty>();
  for (const field of selected.keys()) {
    if (uidOnlyFields.has(field)) continue;
    const read = fieldsOfOtherProperties[field] ?? (paperProperties.includes(field as PaperProperty) ? [field as PaperProperty] : null);
    if (!read) return paperProperties;
    for (const property of read) properties.add(property);
  }
  return [...properties];
}

/** What the graph nodes under `path` (from the field being resolved) read of their paper and author. */
export function graphNodeProjection(info: GraphQLResolveInfo, path: readonly string[]): GraphNodeProjection {
  const selected = selectedFields(info, path);
  return {
    paper: selected.has('paper') ? paperPropertiesFor(selectedFields(info, [...path, 'paper'])) : null,
    author: selected.has('author'),
  };
}

/**
 * Paper.authors (src/graphql/types/Author.ts) loads for every path at once, and author records are
 * always whole, so what a parent's query fetched for it is kept in one slot for the whole operation.
 */
export const authorsSlot = '#Paper.authors'; // '#' is in no GraphQL name, so no field path is this slot

/** arXiv id, DOI or OpenAlex id → paper, per request: aliased `paper(…)` lookups share one round-trip per kind. */
const papersByPropertyLoaders = createContextCache((context: Context) => {
  const loaderOf = (property: PaperLookupProperty) =>
    new DataLoader((values: readonly string[]) => papersByProperty(context.cypher, property, values));
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
    SUMMARY_PAGE: { description: 'A summary page\'s related list: the link has a similarity score and a rank.' },
    OPENALEX: { description: 'An OpenAlex work\'s related_works: no score, no rank.' },
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
        description: 'SUMMARY_PAGE for a page\'s related list (scored), OPENALEX for a work\'s related_works (unscored).',
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
    'A research paper. Papers with a summary page of their own carry every field; a paper known only from another page\'s related list carries its title, date and Japanese summary.',
  fields: (t) => ({
    arxivId: t.exposeString('arxivId', { nullable: true, description: 'arXiv identifier without version, e.g. 2412.03275.' }),
    version: t.exposeInt('version', { nullable: true, description: 'arXiv version the page describes (1 for v1).' }),
    url: t.exposeString('url', { nullable: true, description: 'arXiv abstract page.' }),
    title: t.exposeString('title'),
    titleJa: t.exposeString('titleJa', { nullable: true, description: 'Japanese translation of the title.' }),
    abstract: t.exposeString('abstract', { nullable: true, description: 'English abstract, wrapped lines joined.' }),
    abstractJa: t.exposeString('abstractJa', { nullable: true, description: 'Japanese translation of the abstract, one sentence per line.' }),
    summaryJa: t.exposeString('summaryJa', { nullable: true, description: 'The site\'s short Japanese summary, one sentence per line.' }),
    publishedAt: t.field({ type: DateTime, nullable: true, description: 'Date of the arXiv version.', resolve: (paper) => paper.publishedAt }),
    status: t.exposeString('status', { nullable: true, description: 'Translation status on the site (e.g. 翻訳完了).' }),
    siteUpdatedAt: t.field({ type: DateTime, nullable: true, description: 'When the site last updated its page.', resolve: (paper) => paper.siteUpdatedAt }),
    score: t.exposeFloat('score', { nullable: true, description: 'The site\'s attention score.' }),
    license: t.exposeString('license', { nullable: true }),
    hasPage: t.boolean({
      description: 'True when the paper\'s own summary page was loaded; false when it is known only from related lists.',
      resolve: (paper) => paper.sourceHash !== null,
    }),
    kind: t.field({
      type: PaperKind,
      description: 'What the paper is known from: its own summary page, an OpenAlex work, a related list, or only as a cited work (REFERENCE_STUB).',
      resolve: (paper) => paper.kind,
    }),
    isStub: t.boolean({
      description: 'True for a paper known only as a cited (or related) work, by its OpenAlex id (kind REFERENCE_STUB): its title is that id and it has no details.',
      resolve: (paper) => paper.kind === 'REFERENCE_STUB',
    }),
    sourceFile: t.string({
      nullable: true,
      description: 'Name of the page file this paper was loaded from (its directory on the server is not shown).',
      resolve: (paper) => (paper.sourceFile == null ? null : path.basename(paper.sourceFile)),
    }),
    sourceHash: t.exposeString('sourceHash', { nullable: true, description: 'SHA-256 of that file\'s content.' }),
    relatedCount: t.loadable({
      type: 'Int',
      description: 'Number of related links in either direction, from pages and from OpenAlex: related.totalCount + relatedBy.totalCount.',
      load: (uids: string[], { cypher }) => relatedCountsOfPapers(cypher, uids),
      resolve: (paper) => paper.uid,
    }),
    related: t.loadable({
      type: RelatedPaperConnection,
      description:
        'The papers this one lists as related: its page\'s related list in the page\'s order, then its OpenAlex related_works (by ID).',
      byPath: true,
      args: {
        ...t.arg.connectionArgs(),
        minScore: t.arg.float({ description: 'Only links with at least this similarity (so only SUMMARY_PAGE links).' }),
        source: t.arg({ type: RelatedSource, description: 'Only links from this source (default: both).' }),
      },
      load: (uids: string[], context, args, info) =>
        loadWithPrefetched(context, fieldSlot(info), uids, (missing) =>
          loadRelated(context.cypher, missing, 'outgoing', args, paperPropertiesFor(selectedFields(info, ['edges', 'node']))),
        ),
      resolve: (paper) => paper.uid,
    }),
    relatedBy: t.loadable({
      type: RelatedPaperConnection,
      description: 'Papers whose related list names this paper: pages\' lists, most similar first, then OpenAlex related_works (by ID).',
      byPath: true,
      args: {
        ...t.arg.connectionArgs(),
        minScore: t.arg.float({ description: 'Only links with at least this similarity (so only SUMMARY_PAGE links).' }),
        source: t.arg({ type: RelatedSource, description: 'Only links from this source (default: both).' }),
      },
      load: (uids: string[], { cypher }, args, info) =>
        loadRelated(cypher, uids, 'incoming', args, paperPropertiesFor(selectedFields(info, ['edges', 'node']))),
      resolve: (paper) => paper.uid,
    }),
  }),
});

type RelatedArgs = ConnectionArgs & { minScore?: number | null; source?: RelatedSourceName | null };

export type CitationPageArgs = ConnectionArgs & { orderBy?: { field: string; direction: 'ASC' | 'DESC' } | null; kinds?: readonly PaperKindName[] | null };

/** The page a `references` or `citedBy` selection asks for: most cited first unless ordered otherwise. */
export const citationPage = (args: CitationPageArgs) =>
  pageQueryFromArgs(args, (args.orderBy?.field ?? 'CITATION_COUNT') as PaperOrderName, args.orderBy?.direction ?? 'DESC');

const relatedPage = (args: RelatedArgs, direction: RelatedDirection) =>
  pageQueryFromArgs(args, direction === 'outgoing' ? 'RANK' : 'SIMILARITY', 'ASC');

async function loadRelated(cypher: Cypher, uids: string[], direction: RelatedDirection, args: RelatedArgs, properties: readonly PaperProperty[]) {
  const page = relatedPage(args, direction);
  const results = await relatedPagesOfPapers(cypher, uids, direction, args.minScore ?? null, page, properties, args.source ?? null);
  const byParent = new Map(results.map((result) => [result.parentUid, result]));
  return uids.map((uid) => {
    const result = byParent.get(uid);
    return connectionFromRows(result?.rows ?? [], page, result?.total ?? 0);
  });
}

/**
 * Neighbourhoods folded into their paper's query: small ones only. A larger one runs alone, so that if
 * it hits the query timeout the error stands at the neighbourhood, not at the paper.
 */
const foldedNeighborhood = { maxDepth: 2, maxNodes: 100 };

/**
 * What of a looked-up paper's fields its own query can fetch too: its authors, the first `related` and
 * `references` selections and the first small `neighborhood` selection, when their arguments are valid (invalid ones
 * are left to the field, which reports them in its own place). Each folded value waits for its field's loader.
 */
function paperFolds(context: Context, info: GraphQLResolveInfo) {
  const selected = selectedFields(info);
  const children: PaperChildren = { properties: paperPropertiesFor(selected) };
  const keep: ((row: PaperWithChildren) => void)[] = [];
  if (selected.has('authors')) {
    children.authors = true;
    keep.push((row) => rememberPrefetched(context, authorsSlot, row.paper.uid, row.authors));
  }
  const related = selected.get('related')?.[0];
  const page = related && validOrNull(() => relatedPage(related.args, 'outgoing'));
  if (related && page) {
    children.related = {
      minScore: (related.args.minScore as number | null | undefined) ?? null,
      source: (related.args.source as RelatedSourceName | null | undefined) ?? null,
      page,
      properties: paperPropertiesFor(selectedFields(info, ['related', 'edges', 'node'])),
    };
    keep.push((row) => {
      const connection = connectionFromRows(row.related!.rows, page, row.related!.total);
      rememberPrefetched(context, childSlot(info, related.responseKey), row.paper.uid, connection);
    });
  }
  const references = selected.get('references')?.[0];
  const referencesPage = references && validOrNull(() => citationPage(references.args as CitationPageArgs));
  if (references && referencesPage) {
    children.references = {
      page: referencesPage,
      properties: paperPropertiesFor(selectedFields(info, ['references', 'edges', 'node'])),
      kinds: (references.args.kinds as PaperKindName[] | null | undefined) ?? null,
    };
    keep.push((row) => {
      const connection = connectionFromRows(row.references!.rows, referencesPage, row.references!.total);
      rememberPrefetched(context, childSlot(info, references.responseKey), row.paper.uid, connection);
    });
  }
  const neighborhood = selected.get('neighborhood')?.[0];
  const options = neighborhood && validOrNull(() => neighborhoodOptions(neighborhood.args));
  if (neighborhood && options && options.depth <= foldedNeighborhood.maxDepth && options.limit <= foldedNeighborhood.maxNodes) {
    children.neighborhood = { ...options, nodes: graphNodeProjection(info, ['neighborhood', 'nodes']) };
    keep.push((row) => rememberPrefetched(context, childSlot(info, neighborhood.responseKey), row.paper.uid, row.neighborhood));
  }
  return keep.length === 0 ? null : { children, keep };
}

async function lookUpPaper(context: Context, info: GraphQLResolveInfo, lookup: PaperLookup): Promise<PaperRecord | null> {
  const folds = paperFolds(context, info);
  if (!folds) {
    return 'uid' in lookup ? Paper.getDataloader(context).load(lookup.uid) : papersByPropertyLoaders(context)[lookup.property].load(lookup.value);
  }
  const row = await paperWithChildren(context.cypher, lookup, folds.children);
  if (!row) return null;
  for (const remember of folds.keep) remember(row);
  // A partial record may not be cached: the Paper loader serves every selection.
  if (folds.children.properties === paperProperties) Paper.getDataloader(context).prime(row.paper.uid, row.paper);
  return row.paper;
}

/** Pages of papers: the root `papers` field and each author's `papers`. */
export const PaperConnection = builder.connectionObject({ type: Paper, name: 'PaperConnection' }, { name: 'PaperEdge' });

export const PaperOrderField = builder.enumType('PaperOrderField', {
  values: {
    PUBLISHED_AT: { description: 'Date of the arXiv version.' },
    SCORE: { description: 'The site\'s attention score.' },
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
    authorNameContains: t.string({ description: 'Case-insensitive substring of an author\'s name.' }),
    publishedAfter: t.field({ type: DateTime, description: 'Published at or after this instant.' }),
    publishedBefore: t.field({ type: DateTime, description: 'Published before this instant.' }),
    minScore: t.float({ description: 'Attention score at least this.' }),
    status: t.string({ description: 'Exact translation status, e.g. 翻訳完了.' }),
    hasAbstract: t.boolean({ description: 'Only papers with (true) or without (false) an English abstract.' }),
    kinds: t.field({
      type: [PaperKind],
      description: 'Only papers of these kinds, e.g. [PAGE, WORK, RELATED_ENTRY] to rank by CITATION_COUNT without cited works known only by their OpenAlex id. Default: every kind.',
    }),
    isStub: t.boolean({ description: 'Only cited works known by their OpenAlex id alone (true, kind REFERENCE_STUB), or no such stubs (false).' }),
    venue: t.id({ description: 'ID of the venue (Venue) the paper is published in.' }),
    institution: t.id({ description: 'ID of an institution (Institution) one of the paper\'s authors signed it from.' }),
    topic: t.id({ description: 'ID of one of the paper\'s topics (Topic).' }),
    yearFrom: t.int({ description: 'Published in this year or later (OpenAlex\'s publication year, else the year of publishedAt).' }),
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
      arxivId: t.arg.string({ description: '2412.03275, 2412.03275v1, arXiv:2412.03275 or the abstract page\'s URL.' }),
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
      const nodeFields = selectedFields(info, ['edges', 'node']);
      const properties = paperPropertiesFor(nodeFields);
      const anchor = anchorOf(filter);
      if (anchor) {
        const [result] = await paperPagesOfEntities(cypher, anchor.kind, [anchor.id], anchor.rest, page, properties, false);
        return connectionFromRows(result?.rows ?? [], page, async () => {
          const [counted] = await paperPagesOfEntities(cypher, anchor.kind, [anchor.id], anchor.rest, { ...page, limit: 0, after: null }, [], true);
          return counted?.total ?? 0;
        });
      }
      if (!nodeFields.has('authors')) {
        return connectionFromRows(await pageOfPapers(cypher, filter, page, properties), page, () => countPapersMatching(cypher, filter));
      }
      const rows = await pageOfPapersWithAuthors(cypher, filter, page, properties);
      for (const row of rows) rememberPrefetched(context, authorsSlot, row.node.uid, row.authors);
      return connectionFromRows(rows, page, () => countPapersMatching(cypher, filter));
    },
    },
    PaperConnection,
  ),
}));
