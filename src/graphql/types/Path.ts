import {
  maxPathDepth,
  type pathDirections,
  relationshipTypes,
  type PathDirection,
  shortestPaths,
  type NodeLabel,
  type PathQuery,
  type PathRecord,
} from '../../db/queries/graph.ts';
import type { Cypher } from '../../db/run.ts';
import { listCost } from '../lib/cost.ts';
import { builder } from '../builder.ts';
import { userError } from '../lib/errors.ts';
import { uidFromGlobalId } from '../lib/global-id.ts';
import type { GraphQLResolveInfo } from 'graphql';
import { checkRange } from '../lib/limits.ts';
import { graphNodeProjection } from './Paper.ts';
import { selectionBelow } from '../lib/compile.ts';
import { GraphEdge, RelationshipType } from './GraphEdge.ts';
import { GraphNode } from './GraphNode.ts';

export const maxShortestPaths = 50;

const Path = builder.objectRef<PathRecord>('Path').implement({
  description:
    'A chain of nodes from one paper or author to another; edges[i] joins nodes[i] and nodes[i + 1] (in either direction, unless the path was asked for with a direction).',
  fields: (t) => ({
    length: t.exposeInt('length', { description: 'Number of edges.' }),
    nodes: t.field({ type: [GraphNode], resolve: (path) => path.nodes }),
    edges: t.field({ type: [GraphEdge], resolve: (path) => path.edges }),
  }),
});

interface PathArgs {
  from: string;
  to: string;
  maxDepth?: number | null;
  via?: readonly (typeof relationshipTypes)[number][] | null;
  direction?: PathDirection | null;
}

const PathDirectionEnum = builder.enumType('PathDirection', {
  description: 'Which way the relationships of a path point, walking it from `from` to `to`.',
  values: {
    OUTGOING: { description: 'Each relationship points towards `to`: over CITES, `from` cites a paper that cites … `to` (how `from` builds on `to`).' },
    INCOMING: { description: 'Each relationship points towards `from`: over CITES, `to` builds on `from`.' },
    ANY: { description: 'Relationships in either direction (the default).' },
  } satisfies Record<(typeof pathDirections)[number], { description: string }>,
});

function pathQuery(args: PathArgs, all: boolean, limit: number): PathQuery {
  const endpoint = (id: string) => {
    const { typename, uid } = uidFromGlobalId(id, 'Paper', 'Author');
    return { label: typename as NodeLabel, uid };
  };
  const maxDepth = checkRange('maxDepth', args.maxDepth ?? 6, 1, maxPathDepth);
  const via = args.via ?? relationshipTypes;
  if (via.length === 0) throw userError('BAD_USER_INPUT', 'via must name at least one relationship type', { argument: 'via' });
  return { from: endpoint(args.from), to: endpoint(args.to), maxDepth, via, all, limit, direction: args.direction ?? 'ANY' };
}

function findPaths(cypher: Cypher, info: GraphQLResolveInfo, args: PathArgs, all: boolean, limit: number): Promise<PathRecord[]> {
  return shortestPaths(cypher, { ...pathQuery(args, all, limit), nodes: graphNodeProjection(selectionBelow(info), ['nodes']) });
}

builder.queryFields((t) => {
  const pathArgs = {
    from: t.arg.id({ required: true, description: 'ID of a paper or an author.' }),
    to: t.arg.id({ required: true, description: 'ID of a paper or an author.' }),
    maxDepth: t.arg.int({ defaultValue: 6, description: `Longest path looked for, 1 to ${maxPathDepth} edges.` }),
    via: t.arg({ type: [RelationshipType], description: 'Relationship types the path may use (default: all).' }),
    direction: t.arg({
      type: PathDirectionEnum,
      defaultValue: 'ANY',
      description:
        'OUTGOING follows relationships as they point (with via: [CITES], a citation chain from the citing paper `from` to the cited paper `to`); INCOMING against; ANY either way.',
    }),
  };
  return {
    shortestPath: t.field({
      type: Path,
      nullable: true,
      description: 'One shortest path between two papers or authors, in the direction asked (any by default); null when none is within maxDepth.',
      args: pathArgs,
      extensions: { complexity: listCost((args: { maxDepth: number }) => args.maxDepth) },
      resolve: async (_root, args, { cypher }, info) =>
        (await findPaths(cypher, info, { ...args, from: String(args.from), to: String(args.to) }, false, 1))[0] ?? null,
    }),
    allShortestPaths: t.field({
      type: [Path],
      description: 'Every shortest path between two papers or authors in the direction asked (all of the same, minimal length), up to `first`.',
      args: { ...pathArgs, first: t.arg.int({ defaultValue: 10, description: `At most ${maxShortestPaths}.` }) },
      extensions: { complexity: listCost((args: { maxDepth: number; first: number }) => args.maxDepth * args.first) },
      resolve: (_root, args, { cypher }, info) => {
        const first = checkRange('first', args.first ?? 10, 1, maxShortestPaths);
        return findPaths(cypher, info, { ...args, from: String(args.from), to: String(args.to) }, true, first);
      },
    }),
  };
});
