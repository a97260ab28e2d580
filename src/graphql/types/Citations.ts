import {
  citationCountFragment,
  citationOverlapsOfPapers,
  citationPageFragment,
  citationStatsOfAuthors,
  type CitationDirection,
  type CitationOverlapRecord,
  type OverlapKind,
} from '../../db/queries/citations.ts';
import { openalexIdsOfAuthors } from '../../db/queries/authors.ts';
import type { Cypher } from '../../db/run.ts';
import { createContextCache } from '@pothos/core';
import DataLoader from 'dataloader';
import { builder } from '../builder.ts';
import type { Context } from '../context.ts';
import { readsProperties, readsRelation, relationLoader, type RelationRead } from '../lib/compile.ts';
import { maxPageSize } from '../lib/connection.ts';
import { groupByKeys } from '../lib/group.ts';
import { checkRange } from '../lib/limits.ts';
import { rankedPaperKinds, type PaperKind as PaperKindName } from '../../db/queries/papers.ts';
import { Author } from './Author.ts';
import { PaperKind } from './PaperKind.ts';
import { citationPage, connectionOfFoldedPage, emptyPage, Paper, PaperConnection, PaperOrder, type CitationPageArgs, type FoldedPage } from './Paper.ts';

/** The citation graph: CITES relationships imported from OpenAlex works (seed/openalex/). */

const CitationOverlap = builder.objectRef<CitationOverlapRecord>('CitationOverlap').implement({
  description: 'A paper that overlaps with another in the citation graph, and by how much.',
  fields: (t) => ({
    paper: t.field({ type: Paper, resolve: (overlap) => overlap.paper }),
    overlap: t.exposeInt('overlap', {
      description: 'Co-citation: papers that cite both. Bibliographic coupling: references both cite.',
    }),
  }),
});

/** A page of the papers a paper cites (references) or that cite it (citedBy). */
function citationPageRead(direction: CitationDirection): RelationRead<CitationPageArgs> {
  return {
    plan: (args, below) => {
      const page = citationPage(args);
      const node = below.node('Paper', ['edges', 'node']);
      const input = { direction, page, kinds: args.kinds ?? null, node: node.selection, total: below.selects([], 'totalCount') };
      return { fragment: citationPageFragment, input, value: (raw: FoldedPage) => connectionOfFoldedPage(raw, page, node) };
    },
  };
}

const citationCountRead: RelationRead = { plan: () => ({ fragment: citationCountFragment, input: null, value: (count: number) => count, shared: true }) };

async function loadOverlaps(
  cypher: Cypher,
  uids: string[],
  kind: OverlapKind,
  first: number | null | undefined,
  kinds: readonly PaperKindName[] | null | undefined,
) {
  const limit = checkRange('first', first ?? 10, 0, maxPageSize);
  return groupByKeys(uids, await citationOverlapsOfPapers(cypher, uids, kind, limit, kinds ?? null), (row) => row.paperUid);
}

type PaperFieldBuilder = Parameters<Parameters<typeof builder.objectFields<typeof Paper>>[1]>[0];

/** A list's `kinds` argument: every kind by default, so its totalCount counts everything the paper is linked to. */
const kindsArg = (t: PaperFieldBuilder) =>
  t.arg({ type: [PaperKind], description: 'Only papers of these kinds (default: every kind, REFERENCE_STUB included).' });

/** A ranking's `kinds` argument: bare OpenAlex ids (REFERENCE_STUB) are left out unless asked for. */
const rankedKindsArg = (t: PaperFieldBuilder) =>
  t.arg({
    type: [PaperKind],
    defaultValue: [...rankedPaperKinds],
    description: 'Kinds of papers ranked. By default no REFERENCE_STUB (a cited work known only by its OpenAlex id); null for every kind.',
  });

builder.objectFields(Paper, (t) => ({
  openalexId: t.exposeString('openalexId', { nullable: true, description: 'OpenAlex work id (e.g. W2741809807), when the paper came from OpenAlex.' }),
  doi: t.exposeString('doi', { nullable: true, description: 'DOI in lower case, without the https://doi.org/ prefix.' }),
  openalexCitedByCount: t.exposeInt('openalexCitedByCount', {
    nullable: true,
    description: "OpenAlex's own cited_by_count: citations across all of OpenAlex, most of them from works not in this graph.",
  }),
  publicationYear: t.exposeInt('publicationYear', { nullable: true, description: 'Year of publication, from OpenAlex.' }),
  workType: t.exposeString('workType', { nullable: true, description: 'OpenAlex work type: article, preprint, review, book-chapter, …' }),
  venueName: t.exposeString('venue', {
    nullable: true,
    description:
      "The name of the venue OpenAlex says the work is published in (its primary location's source), also when the venue has no OpenAlex id (then `venue` is null).",
  }),
  citationCount: t.int({
    description:
      'Number of papers in this graph that cite this one (incoming CITES). Citations from works not loaded are not counted; see openalexCitedByCount.',
    extensions: readsRelation(citationCountRead),
    resolve: relationLoader('Paper', citationCountRead, () => 0, true) as never,
  }),
  references: t.field({
    type: PaperConnection,
    description: 'Papers this one cites, most cited first unless ordered otherwise. A cited work not loaded yet is a stub whose title is its OpenAlex id.',
    args: { ...t.arg.connectionArgs(), orderBy: t.arg({ type: PaperOrder }), kinds: kindsArg(t) },
    extensions: readsRelation(citationPageRead('references')),
    resolve: relationLoader('Paper', citationPageRead('references'), emptyPage) as never,
  }),
  citedBy: t.field({
    type: PaperConnection,
    description: 'Papers in this graph that cite this one, most cited first unless ordered otherwise.',
    args: { ...t.arg.connectionArgs(), orderBy: t.arg({ type: PaperOrder }), kinds: kindsArg(t) },
    extensions: readsRelation(citationPageRead('citedBy')),
    resolve: relationLoader('Paper', citationPageRead('citedBy'), emptyPage) as never,
  }),
  coCitations: t.loadableList({
    type: CitationOverlap,
    description: 'Co-citation: papers cited together with this one, ranked by how many papers cite both (then title).',
    byPath: true,
    args: { first: t.arg.int({ defaultValue: 10, description: `At most ${maxPageSize}.` }), kinds: rankedKindsArg(t) },
    extensions: readsProperties(),
    load: (uids: string[], { cypher }, args) => loadOverlaps(cypher, uids, 'coCitation', args.first, args.kinds),
    resolve: (paper) => paper.uid,
  }),
  bibliographicCoupling: t.loadableList({
    type: CitationOverlap,
    description: 'Bibliographic coupling: papers that share references with this one, ranked by how many (then title).',
    byPath: true,
    args: { first: t.arg.int({ defaultValue: 10, description: `At most ${maxPageSize}.` }), kinds: rankedKindsArg(t) },
    extensions: readsProperties(),
    load: (uids: string[], { cypher }, args) => loadOverlaps(cypher, uids, 'coupling', args.first, args.kinds),
    resolve: (paper) => paper.uid,
  }),
}));

/** Author uid → citation stats, per request: citationCount and hIndex of all authors share one round-trip. */
const authorCitationStatsLoader = createContextCache(
  (context: Context) => new DataLoader((uids: readonly string[]) => citationStatsOfAuthors(context.cypher, uids)),
);

/** Author uid → OpenAlex id, per request: asked for apart, since author records leave it out. */
const authorOpenalexIdLoader = createContextCache(
  (context: Context) => new DataLoader((uids: readonly string[]) => openalexIdsOfAuthors(context.cypher, uids)),
);

builder.objectFields(Author, (t) => ({
  openalexId: t.string({
    nullable: true,
    description:
      'OpenAlex author id (e.g. A5023888391) of an author imported from OpenAlex, who is identified by it: two OpenAlex authors with one name are two authors.',
    resolve: (author, _args, context) => authorOpenalexIdLoader(context).load(author.uid),
  }),
  citationCount: t.int({
    description: "Sum of citationCount over the author's papers (citations within this graph).",
    resolve: async (author, _args, context) => (await authorCitationStatsLoader(context).load(author.uid)).citationCount,
  }),
  hIndex: t.int({
    description: "The largest h such that h of the author's papers are each cited by at least h papers in this graph.",
    resolve: async (author, _args, context) => (await authorCitationStatsLoader(context).load(author.uid)).hIndex,
  }),
}));
