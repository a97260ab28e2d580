import { readsProperties } from '../lib/compile.ts';
import { influenceOf, type InfluenceRecord } from '../../db/queries/analytics.ts';
import { builder } from '../builder.ts';
import { Author } from './Author.ts';
import { Paper } from './Paper.ts';

export const Influence = builder.objectRef<InfluenceRecord>('Influence').implement({
  description:
    'How influential a paper or author is in this graph, from the last `npm run analyze` (see docs/analytics.md): PageRank over citations, or over related links where the graph has no citations.',
  fields: (t) => ({
    score: t.exposeFloat('score', {
      description: "A paper's PageRank (the scores of all papers sum to 1); an author's is the sum of their papers'.",
    }),
    rank: t.exposeInt('rank', { description: 'Position by score, from 1 for the most influential; equal scores share a rank.' }),
    percentile: t.exposeFloat('percentile', {
      description: 'Percentage of papers (or authors) with a lower score, 0–100: 99 or more is the top 1%.',
    }),
  }),
});

builder.objectField(Paper, 'influence', (t) =>
  t.field({
    type: Influence,
    nullable: true,
    description: "The paper's influence; null before the graph was analysed or for a paper loaded since.",
    extensions: readsProperties('influence', 'influenceRank', 'influencePercentile'),
    resolve: (paper) =>
      paper.influence == null ? null : { score: paper.influence, rank: paper.influenceRank ?? 0, percentile: paper.influencePercentile ?? 0 },
  }),
);

builder.objectField(Author, 'influence', (t) =>
  t.loadable({
    type: Influence,
    nullable: true,
    description: "The author's influence: the sum of their papers' PageRank, ranked among authors; null before the graph was analysed.",
    load: (uids: string[], { cypher }) => influenceOf(cypher, 'Author', uids),
    resolve: (author) => author.uid,
  }),
);
