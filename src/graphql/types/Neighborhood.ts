import { neighborhoodFragment, subgraphOf, type NeighborhoodColumns, type Subgraph } from '../../db/queries/graph.ts';
import { readsRelation, relationLoader, type RelationRead } from '../lib/compile.ts';
import { listCost } from '../lib/cost.ts';
import { builder } from '../builder.ts';
import { maxNeighborhoodDepth, maxNeighborhoodNodes, neighborhoodOptions } from '../lib/limits.ts';
import { GraphEdge, RelationshipType } from './GraphEdge.ts';
import { GraphNode } from './GraphNode.ts';
import { graphNodeProjection, Paper } from './Paper.ts';
import type { NeighborhoodOptions } from '../../db/queries/graph.ts';
import { PaperKind } from './PaperKind.ts';

const Neighborhood = builder.objectRef<Subgraph>('Neighborhood').implement({
  description: "A paper's surroundings as a graph to draw: nodes nearest first (the paper itself at distance 0), and every edge among them.",
  fields: (t) => ({
    nodes: t.field({ type: [GraphNode], resolve: (graph) => graph.nodes }),
    edges: t.field({ type: [GraphEdge], resolve: (graph) => graph.edges }),
  }),
});

/**
 * Neighbourhoods folded into their paper's query: small ones, and only where the paper is bound in a
 * row of its own (a lookup). A larger one runs alone, so that if it hits the query timeout the error
 * stands at the neighbourhood, not at the paper.
 */
const foldedNeighborhood = { maxDepth: 2, maxNodes: 100 };

const neighborhoodRead: RelationRead<Parameters<typeof neighborhoodOptions>[0]> = {
  plan: (args, below) => {
    const options: NeighborhoodOptions = { ...neighborhoodOptions(args), nodes: graphNodeProjection(below, ['nodes']) };
    const small = options.depth <= foldedNeighborhood.maxDepth && options.limit <= foldedNeighborhood.maxNodes;
    if (!below.alone && !(below.blocks && small)) return null;
    return { fragment: neighborhoodFragment, input: options, value: (raw: NeighborhoodColumns) => subgraphOf(raw) };
  },
};

builder.objectField(Paper, 'neighborhood', (t) =>
  t.field({
    type: Neighborhood,
    description: 'Papers and authors within `depth` hops over authorship and related links (and citations, when `via` names CITES).',
    // Up to `limit` nodes, found by expanding `depth` hops.
    extensions: { complexity: listCost((args: { depth: number; limit: number }) => args.limit * args.depth), ...readsRelation(neighborhoodRead) },
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
    resolve: relationLoader('Paper', neighborhoodRead, (): Subgraph => ({ nodes: [], edges: [] })) as never,
  }),
);
