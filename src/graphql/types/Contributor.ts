import { builder } from '../builder.ts';
import { Author } from './Author.ts';

export const ContributorOrder = builder.enumType('ContributorOrder', {
  description: "How the authors of a venue's, institution's or topic's papers are ranked.",
  values: {
    PAPER_COUNT: { description: 'Most of its papers first.' },
    CITATION_COUNT: { description: 'Most in-graph citations of those papers first.' },
  } as const,
});

interface ContributorEdgeShape {
  papers: number;
  citations: number;
}

/** The authors of a venue's, institution's or topic's papers, with what they contributed there on each edge. */
export const ContributorConnection = builder.connectionObject(
  {
    type: Author,
    name: 'ContributorConnection',
    description: 'Authors of the papers of a venue, institution or topic, ranked by what they published there.',
  },
  {
    name: 'ContributorEdge',
    fields: (t) => ({
      paperCount: t.int({
        description: 'Papers of theirs there (in the year range asked).',
        resolve: (edge) => (edge as unknown as ContributorEdgeShape).papers,
      }),
      citationCount: t.int({
        description: 'In-graph citations of those papers.',
        resolve: (edge) => (edge as unknown as ContributorEdgeShape).citations,
      }),
    }),
  },
);
