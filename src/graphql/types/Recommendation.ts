import { recommendationsForPapers, type RecommendationRecord } from '../../db/queries/graph.ts';
import { builder } from '../builder.ts';
import { maxPageSize } from '../lib/connection.ts';
import { groupByKeys } from '../lib/group.ts';
import { checkRange } from '../lib/limits.ts';
import { readsProperties } from '../lib/compile.ts';
import { Author } from './Author.ts';
import { rankedPaperKinds, type PaperKind as PaperKindName } from '../../db/queries/papers.ts';
import { Paper } from './Paper.ts';
import { PaperKind } from './PaperKind.ts';

const Recommendation = builder.objectRef<RecommendationRecord>('Recommendation').implement({
  description: 'A paper worth reading next, and why.',
  fields: (t) => ({
    paper: t.field({ type: Paper, resolve: (recommendation) => recommendation.paper }),
    score: t.exposeInt('score', { description: '2 per shared author + 1 per shared related paper.' }),
    sharedAuthors: t.field({ type: [Author], resolve: (recommendation) => recommendation.sharedAuthors }),
    sharedNeighbours: t.field({
      type: [Paper],
      description: 'Papers related to both.',
      resolve: (recommendation) => recommendation.sharedNeighbours,
    }),
    reason: t.string({
      description: 'The same, in words.',
      resolve: ({ sharedAuthors, sharedNeighbours }) =>
        [
          sharedAuthors.length > 0 ? `shares ${plural(sharedAuthors.length, 'author')} (${sharedAuthors.map((a) => a.name).join(', ')})` : '',
          sharedNeighbours.length > 0 ? `is related to ${plural(sharedNeighbours.length, 'paper')} this one is related to` : '',
        ]
          .filter(Boolean)
          .join(' and '),
    }),
  }),
});

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

builder.objectField(Paper, 'recommendations', (t) =>
  t.loadableList({
    type: Recommendation,
    description: 'Papers not directly linked to this one, ranked by shared authors and shared related papers.',
    byPath: true,
    args: {
      first: t.arg.int({ defaultValue: 10, description: `At most ${maxPageSize}.` }),
      kinds: t.arg({
        type: [PaperKind],
        defaultValue: [...rankedPaperKinds],
        description: 'Kinds of papers recommended. By default no REFERENCE_STUB (a bare OpenAlex id is nothing to read); null for every kind.',
      }),
    },
    extensions: readsProperties(),
    load: async (uids: string[], { cypher }, args) => {
      const first = checkRange('first', args.first ?? 10, 0, maxPageSize);
      return groupByKeys(uids, await recommendationsForPapers(cypher, uids, first, (args.kinds as PaperKindName[] | null) ?? null), (row) => row.paperUid);
    },
    resolve: (paper) => paper.uid,
  }),
);
