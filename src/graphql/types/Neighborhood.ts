import { neighborhoodsOfPapers, type Subgraph } from '../../db/queries/graph.ts';
import { builder } from '../builder.ts';
import { checkRange } from '../lib/limits.ts';
import { GraphEdge } from './GraphEdge.ts';
import { GraphNode } from './GraphNode.ts';
import { Paper } from './Paper.ts';

export const maxNeighborhoodDepth = 3;
export const maxNeighborhoodNodes = 500;

const Neighborhood = builder.objectRef<Subgraph>('Neighborhood').implement({
  description: 'A paper\'s surroundings as a graph to draw: nodes nearest first (the paper itself at distance 0), and every edge among them.',
  fields: (t) => ({
    nodes: t.field({ type: [GraphNode], resolve: (graph) => graph.nodes }),
    edges: t.field({ type: [GraphEdge], resolve: (graph) => graph.edges }),
  }),
});

builder.objectField(Paper, 'neighborhood', (t) =>
  t.loadable({
    type: Neighborhood,
    description: 'Papers and authors within `depth` hops over authorship and related links.',
    byPath: true,
    args: {
      depth: t.arg.int({ defaultValue: 1, description: `1 to ${maxNeighborhoodDepth}.` }),
      minScore: t.arg.float({ defaultValue: 0, description: 'Related links below this similarity are not followed.' }),
      limit: t.arg.int({ defaultValue: 100, description: `Most nodes returned, at most ${maxNeighborhoodNodes}.` }),
    },
    load: async (uids: string[], { cypher }, args) => {
      const depth = checkRange('depth', args.depth ?? 1, 1, maxNeighborhoodDepth);
      const limit = checkRange('limit', args.limit ?? 100, 1, maxNeighborhoodNodes);
      const graphs = await neighborhoodsOfPapers(cypher, uids, { depth, minScore: args.minScore ?? 0, limit });
      const byUid = new Map(graphs.map((graph) => [graph.uid, graph]));
      return uids.map((uid) => byUid.get(uid) ?? { nodes: [], edges: [] });
    },
    resolve: (paper) => paper.uid,
  }),
);
