import { createHash } from 'node:crypto';
import { UndirectedGraph } from 'graphology';
import louvainModule from 'graphology-communities-louvain';
import { mulberry32 } from '../random.ts';
import type { GraphData } from './graph-data.ts';
import { topTerms } from './terms.ts';

// A CommonJS module whose typings declare an ES default export: Node hands over module.exports itself.
const louvain = louvainModule as unknown as typeof louvainModule.default;

/**
 * Weights of the paper–paper graph the communities are found in. A citation is the strongest sign two
 * papers belong together; a related-page link a weaker one. Co-citation, bibliographic coupling (and
 * shared authors) enter through each paper's most similar papers (similarity.ts, the SIMILAR_TO links),
 * at this weight times their similarity score: every pair sharing a reference or a citer would make a
 * graph quadratic in the hubs' degrees, while a few per paper keep it linear in the papers.
 * Links between one pair add up.
 */
export const communityWeights = { citation: 1, related: 0.5, similar: 0.5 } as const;

/** A paper's first similar papers that join the community graph: most of its memory is links. */
export const communitySimilarPerPaper = 3;

export interface CommunityOptions {
  /** Louvain's random seed: the same seed on the same graph gives the same partition. */
  seed: number;
}

/** The similar papers the community graph takes in: [paper, other, score] in three parallel arrays. */
export interface SimilarLinks {
  from: Int32Array;
  to: Int32Array;
  score: Float64Array;
}

export interface Community {
  uid: string;
  members: number[];
  label: string;
  terms: string[];
  influence: number;
  neighbours: { uid: string; weight: number }[];
}

export interface Communities {
  /** Community index (into `list`) of each paper; -1 for a paper in none. */
  of: Int32Array;
  list: Community[];
  /** Paper–paper links of the graph Louvain ran on. */
  links: number;
  modularity: number;
}

export class AnalyticsLimitError extends Error {
  override name = 'AnalyticsLimitError';
}

/** Adds the weighted links of the community graph to `graph` (one undirected edge a pair, weights summed). */
function addLinks(graph: UndirectedGraph, data: GraphData, similar: SimilarLinks): void {
  const add = (a: number, b: number, weight: number) => {
    if (a === b) return;
    graph.mergeNode(a);
    graph.mergeNode(b);
    graph.updateEdge(a, b, (attributes: { weight?: number }) => ({ weight: (attributes.weight ?? 0) + weight }));
  };
  const n = data.paperUids.length;
  for (let from = 0; from < n; from += 1) {
    for (let j = data.cites.start[from]!; j < data.cites.start[from + 1]!; j += 1) add(from, data.cites.items[j]!, communityWeights.citation);
  }
  for (let i = 0; i < data.relatedFrom.length; i += 1) add(data.relatedFrom[i]!, data.relatedTo[i]!, communityWeights.related);
  for (let i = 0; i < similar.from.length; i += 1) add(similar.from[i]!, similar.to[i]!, communityWeights.similar * similar.score[i]!);
}

/**
 * Louvain (graphology-communities-louvain, seeded) over the combined paper–paper graph. A paper with
 * no link is in no community, nor is one alone in its group. Ids stay those of the previous run where
 * most of a community's papers were in one community before; a new community's id derives from its members.
 */
export function computeCommunities(data: GraphData, similar: SimilarLinks, influence: Float64Array, options: CommunityOptions): Communities {
  const n = data.paperUids.length;
  // Nodes and links are added in index order (uid order), so the graph, and Louvain's walk over it, is the same every run.
  const graph = new UndirectedGraph();
  addLinks(graph, data, similar);
  const linkCount = graph.size;
  const result =
    graph.order === 0
      ? { communities: {} as Record<string, number>, modularity: 0 }
      : louvain.detailed(graph, { getEdgeWeight: 'weight', rng: mulberry32(options.seed) });

  const membersOf = new Map<number, number[]>();
  for (let paper = 0; paper < n; paper += 1) {
    const community = result.communities[paper];
    if (community === undefined) continue;
    let members = membersOf.get(community);
    if (!members) membersOf.set(community, (members = []));
    members.push(paper);
  }
  // Largest first, then by first member: an order that does not hang on Louvain's numbering.
  const groups = [...membersOf.values()].filter((members) => members.length >= 2).sort((a, b) => b.length - a.length || a[0]! - b[0]!);
  const of = new Int32Array(n).fill(-1);
  groups.forEach((members, index) => {
    for (const paper of members) of[paper] = index;
  });

  const uids = stableIds(data, groups);
  const between = new Map<number, number>();
  graph.forEachEdge((_edge, attributes, source, target) => {
    const a = of[Number(source)]!;
    const b = of[Number(target)]!;
    if (a < 0 || b < 0 || a === b) return;
    const pairKey = a < b ? a * groups.length + b : b * groups.length + a;
    between.set(pairKey, (between.get(pairKey) ?? 0) + (attributes.weight as number));
  });
  graph.clear();
  const neighbours: { index: number; weight: number }[][] = groups.map(() => []);
  for (const [key, weight] of between) {
    const a = Math.floor(key / groups.length);
    const b = key % groups.length;
    neighbours[a]!.push({ index: b, weight });
    neighbours[b]!.push({ index: a, weight });
  }

  const terms = topTerms(data.titles, data.titlesJa, groups, 5);
  const list = groups.map((members, index) => ({
    uid: uids[index]!,
    members,
    terms: terms[index]!,
    label: terms[index]!.slice(0, 3).join(', ') || `community of ${members.length} papers`,
    influence: Number(members.reduce((sum, paper) => sum + influence[paper]!, 0).toPrecision(12)),
    neighbours: neighbours[index]!.sort((x, y) => y.weight - x.weight || x.index - y.index)
      .slice(0, 10)
      .map(({ index: other, weight }) => ({ uid: uids[other]!, weight: Number(weight.toPrecision(12)) })),
  }));
  return { of, list, links: linkCount, modularity: result.modularity };
}

/**
 * A community keeps the id most of its papers had before, if no larger community has claimed it; any
 * other gets an id made from its members' uids, so the same partition always gets the same ids.
 */
function stableIds(data: GraphData, groups: readonly number[][]): string[] {
  const claimed = new Set<string>();
  return groups.map((members) => {
    const held = new Map<string, number>();
    for (const paper of members) {
      const previous = data.previousCommunity[paper];
      if (previous) held.set(previous, (held.get(previous) ?? 0) + 1);
    }
    const [best] = [...held.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
    if (best && best[1] * 2 > members.length && !claimed.has(best[0])) {
      claimed.add(best[0]);
      return best[0];
    }
    const hash = createHash('sha256');
    for (const paper of members) hash.update(`${data.paperUids[paper]}\n`);
    const uid = `c${hash.digest('hex').slice(0, 16)}`;
    claimed.add(uid);
    return uid;
  });
}
