import type { GraphNodeRecord } from '../../db/queries/graph.ts';
import { builder } from '../builder.ts';
import { encodeGlobalId } from '../lib/global-id.ts';
import { Author } from './Author.ts';
import { Paper } from './Paper.ts';

const GraphNodeKind = builder.enumType('GraphNodeKind', { values: ['PAPER', 'AUTHOR'] as const });

export const GraphNode = builder.objectRef<GraphNodeRecord>('GraphNode').implement({
  description: 'A node of a subgraph or path, ready to draw: its global ID, kind and label, and the paper or author behind it.',
  fields: (t) => ({
    id: t.id({
      description: 'The global ID of the paper or author (the same as Paper.id / Author.id).',
      resolve: (node) => encodeGlobalId(node.kind === 'PAPER' ? 'Paper' : 'Author', node.uid),
    }),
    kind: t.field({ type: GraphNodeKind, resolve: (node) => node.kind }),
    label: t.exposeString('label', { description: 'Title of a paper, name of an author.' }),
    distance: t.int({
      nullable: true,
      description: "Hops from the start node (a neighbourhood's paper, a path's first node).",
      resolve: (node) => node.distance,
    }),
    // Absent when the selection did not ask for them (GraphNodeProjection), so never read then.
    paper: t.field({ type: Paper, nullable: true, resolve: (node) => node.paper ?? null }),
    author: t.field({ type: Author, nullable: true, resolve: (node) => node.author ?? null }),
  }),
});
