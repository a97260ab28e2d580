import { relationshipTypes, type GraphEdgeRecord } from '../../db/queries/graph.ts';
import { builder } from '../builder.ts';
import { encodeGlobalId } from '../lib/global-id.ts';

export const RelationshipType = builder.enumType('RelationshipType', {
  description: 'Kinds of relationship a traversal can follow.',
  values: Object.fromEntries(
    relationshipTypes.map((type) => [
      type,
      {
        description:
          type === 'AUTHORED'
            ? 'Author → paper.'
            : type === 'CITES'
              ? 'Paper → a paper it cites (OpenAlex referenced_works).'
              : "Paper → similar paper, from its related list (a summary page's, scored, or OpenAlex related_works, unscored).",
      },
    ]),
  ) as Record<(typeof relationshipTypes)[number], { description: string }>,
});

export const GraphEdge = builder.objectRef<GraphEdgeRecord>('GraphEdge').implement({
  description: 'A directed, typed relationship between two GraphNodes, with a weight for drawing.',
  fields: (t) => ({
    type: t.field({ type: RelationshipType, resolve: (edge) => edge.type }),
    source: t.id({
      description: 'Global ID of the start node (an author for AUTHORED, the listing paper for RELATED_TO, the citing paper for CITES).',
      resolve: (edge) => encodeGlobalId(edge.type === 'AUTHORED' ? 'Author' : 'Paper', edge.source),
    }),
    target: t.id({ description: 'Global ID of the end node (a paper).', resolve: (edge) => encodeGlobalId('Paper', edge.target) }),
    weight: t.float({ description: 'Similarity score for RELATED_TO, 1 otherwise.', resolve: (edge) => edge.weight }),
    rank: t.int({ nullable: true, description: 'Rank in the related list (RELATED_TO).', resolve: (edge) => edge.rank }),
    position: t.int({ nullable: true, description: 'Author position, from 1 (AUTHORED).', resolve: (edge) => edge.position }),
  }),
});
