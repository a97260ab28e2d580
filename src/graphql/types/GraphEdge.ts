import { linksAmong, relationshipTypes, type GraphEdgeRecord, type RelationshipType as RelationshipTypeName } from '../../db/queries/graph.ts';
import type { Cypher } from '../../db/run.ts';
import { builder } from '../builder.ts';
import { listCost } from '../lib/cost.ts';
import { userError } from '../lib/errors.ts';
import { decodeGlobalId, encodeGlobalId } from '../lib/global-id.ts';

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

/** Most nodes a linksAmong set may name (ids and touching together): about two large maps, and well inside the request body limit. */
export const maxLinkSetSize = 1000;
/** Most links linksAmong returns; more is the error TOO_MANY_LINKS, never a cut list. */
export const maxLinks = 10_000;

interface LinksAmongArgs {
  ids: readonly (string | number)[];
  touching?: readonly (string | number)[] | null;
  via?: readonly RelationshipTypeName[] | null;
}

async function loadLinksAmong(cypher: Cypher, args: LinksAmongArgs): Promise<GraphEdgeRecord[]> {
  const via = args.via ?? relationshipTypes;
  if (via.length === 0) throw userError('BAD_USER_INPUT', 'via must name at least one relationship type', { argument: 'via' });
  // Papers and authors by uid; other IDs (a community's) name no node a link can join.
  const split = (ids: readonly (string | number)[]) => {
    const papers = new Set<string>();
    const authors = new Set<string>();
    for (const id of ids) {
      const { typename, id: uid } = decodeGlobalId(String(id));
      if (typename === 'Paper') papers.add(uid);
      else if (typename === 'Author') authors.add(uid);
    }
    return { papers, authors };
  };
  const all = split([...args.ids, ...(args.touching ?? [])]);
  const size = all.papers.size + all.authors.size;
  if (size > maxLinkSetSize) {
    throw userError('TOO_MANY_IDS', `ids and touching must name at most ${maxLinkSetSize} papers and authors together, got ${size}`, {
      argument: 'ids',
      maxIds: maxLinkSetSize,
    });
  }
  const touching = args.touching ? split(args.touching) : all;
  if (touching.papers.size + touching.authors.size === 0) return [];
  const links = await linksAmong(cypher, {
    papers: [...all.papers],
    authors: [...all.authors],
    touchingPapers: [...touching.papers],
    touchingAuthors: [...touching.authors],
    via,
    limit: maxLinks,
  });
  if (links.length > maxLinks) {
    throw userError('TOO_MANY_LINKS', `the nodes have more than ${maxLinks} links among them: ask with fewer touching ids`, { maxLinks });
  }
  return links;
}

builder.queryFields((t) => ({
  linksAmong: t.field({
    type: [GraphEdge],
    description: `The links among a set of papers and authors, each once (by type, then source, then target): what a map that drew the nodes separately (expansions, paged lists, a shared link) needs to show every link between them. With \`touching\`, only the links with at least one end among those (the nodes just added to a map of \`ids\`). At most ${maxLinkSetSize} IDs in all (TOO_MANY_IDS beyond) and ${maxLinks} links (TOO_MANY_LINKS beyond).`,
    args: {
      ids: t.arg.idList({ required: true, description: 'IDs of the papers and authors of the set; IDs of nothing are left out.' }),
      touching: t.arg.idList({ description: 'Only links with an end among these (they join the set too). Default: the whole set.' }),
      via: t.arg({ type: [RelationshipType], description: 'Relationship types returned (default: all).' }),
    },
    // One query over the set: the cost grows with the nodes named, as the links do.
    extensions: { complexity: listCost((args: LinksAmongArgs) => args.ids.length + (args.touching?.length ?? 0)) },
    resolve: (_root, args, { cypher }) => loadLinksAmong(cypher, args),
  }),
}));
