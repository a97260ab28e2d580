import { neighborhoodsOfPapers, type Subgraph } from '../../db/queries/graph.ts';
import { listCost } from '../lib/cost.ts';
import { builder } from '../builder.ts';
import { maxNeighborhoodDepth, maxNeighborhoodNodes, neighborhoodOptions } from '../lib/limits.ts';
import { fieldSlot, loadWithPrefetched } from '../lib/prefetch.ts';
import { GraphEdge, RelationshipType } from './GraphEdge.ts';
import { GraphNode } from './GraphNode.ts';
import { graphNodeProjection, Paper } from './Paper.ts';
import { PaperKind } from './PaperKind.ts';


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
    description: 'Papers and authors within `depth` hops over authorship and related links (and citations, when `via` names CITES).',
    byPath: true,
    // Up to `limit` nodes, found by expanding `depth` hops.
    extensions: { complexity: listCost((args: { depth: number; limit: number }) => args.limit * args.depth) },
    args: {
      depth: t.arg.int({ defaultValue: 1, description: `1 to ${maxNeighborhoodDepth}.` }),
      minScore: t.arg.float({ defaultValue: 0, description: 'Related links below this similarity are not followed.' }),
      limit: t.arg.int({ defaultValue: 100, description: `Most nodes returned, at most ${maxNeighborhoodNodes}.` }),
      via: t.arg({ type: [RelationshipType], description: 'Relationship types followed (default: AUTHORED and RELATED_TO; add CITES for citations).' }),
      kinds: t.arg({
        type: [PaperKind],
        description: 'Only papers of these kinds are reached (and walked through); the paper itself is always there. Default: every kind.',
      }),
    },
    load: async (uids: string[], context, args, info) => {
      const options = { ...neighborhoodOptions(args), nodes: graphNodeProjection(info, ['nodes']) };
      return loadWithPrefetched(context, fieldSlot(info), uids, async (missing) => {
        const graphs = await neighborhoodsOfPapers(context.cypher, missing, options);
        const byUid = new Map(graphs.map((graph) => [graph.uid, graph]));
        return missing.map((uid): Subgraph => byUid.get(uid) ?? { nodes: [], edges: [] });
      });
    },
    resolve: (paper) => paper.uid,
  }),
);
