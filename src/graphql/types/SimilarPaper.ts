import { similarOfPapers, type SimilarRecord } from '../../db/queries/analytics.ts';
import { builder } from '../builder.ts';
import { maxPageSize } from '../lib/connection.ts';
import { groupByKeys } from '../lib/group.ts';
import { checkRange } from '../lib/limits.ts';
import { readsProperties, selectionBelow } from '../lib/compile.ts';
import { Paper } from './Paper.ts';

const SimilarityReasons = builder.objectRef<SimilarRecord>('SimilarityReasons').implement({
  description: 'What two similar papers share, as counted by the last analysis (through a reference, citer or author linked to at most the hub cap of papers).',
  fields: (t) => ({
    sharedReferences: t.exposeInt('sharedReferences', { description: 'Papers both cite (bibliographic coupling).' }),
    sharedCiters: t.exposeInt('sharedCiters', { description: 'Papers that cite both (co-citation).' }),
    sharedAuthors: t.exposeInt('sharedAuthors', { description: 'Authors of both.' }),
    summary: t.string({
      description: 'The same, in words, e.g. "3 shared references, 1 shared author".',
      resolve: ({ sharedReferences, sharedCiters, sharedAuthors }) =>
        [plural(sharedReferences, 'shared reference'), plural(sharedCiters, 'shared citer'), plural(sharedAuthors, 'shared author')].filter(Boolean).join(', '),
    }),
  }),
});

function plural(count: number, noun: string): string {
  return count === 0 ? '' : `${count} ${noun}${count === 1 ? '' : 's'}`;
}

const SimilarPaper = builder.objectRef<SimilarRecord>('SimilarPaper').implement({
  description: 'A paper like another one by what they share, with a score and the reasons.',
  fields: (t) => ({
    paper: t.field({ type: Paper, resolve: (similar) => similar.paper }),
    score: t.exposeFloat('score', {
      description:
        'Similarity from 0 to 1: Jaccard indexes of shared references (weight 0.45), citers (0.35) and authors (0.2), over the facets either paper has.',
    }),
    reasons: t.field({ type: SimilarityReasons, resolve: (similar) => similar }),
  }),
});

export const defaultSimilar = 10;

builder.objectField(Paper, 'similar', (t) =>
  t.loadableList({
    type: SimilarPaper,
    description:
      'The papers most like this one by shared references, citers and authors (SIMILAR_TO links of the last analysis), most similar first; they need not be linked to it. Empty before the graph was analysed.',
    byPath: true,
    args: { first: t.arg.int({ defaultValue: defaultSimilar, description: `At most ${maxPageSize}; the analysis keeps 10 per paper by default.` }) },
    extensions: readsProperties(),
    load: async (uids: string[], { cypher }, args, info) => {
      const first = checkRange('first', args.first ?? defaultSimilar, 0, maxPageSize);
      const properties = selectionBelow(info).properties('Paper', ['paper']).properties;
      return groupByKeys(uids, await similarOfPapers(cypher, uids, first, properties), (row) => row.paperUid);
    },
    resolve: (paper) => paper.uid,
  }),
);
