import { createHash } from 'node:crypto';
import { UndirectedGraph } from 'graphology';
import louvainModule from 'graphology-communities-louvain';
import { mulberry32 } from '../random.ts';
import { csrOf, FloatList, IntList, type GraphData } from './graph-data.ts';
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

/** The community graph's links, one a pair, weight the sum of the pair's links. */
interface PairLinks {
  a: Int32Array;
  b: Int32Array;
  weight: Float64Array;
}

/**
 * The links of the community graph summed by pair, in the order of each pair's first link (citations,
 * then related links, then similar papers), its ends in that link's order. The pairs are grouped by a
 * counting sort on their lower end (typed arrays, no map of millions of keys); a pair's weights add up
 * in the order of its links.
 */
function pairLinks(data: GraphData, similar: SimilarLinks): PairLinks {
  const n = data.paperUids.length;
  const ends = [new IntList(), new IntList()] as const;
  const linkWeight = new FloatList();
  const add = (a: number, b: number, weight: number) => {
    if (a === b) return;
    ends[0].push(a);
    ends[1].push(b);
    linkWeight.push(weight);
  };
  for (let from = 0; from < n; from += 1) {
    for (let j = data.cites.start[from]!; j < data.cites.start[from + 1]!; j += 1) add(from, data.cites.items[j]!, communityWeights.citation);
  }
  for (let i = 0; i < data.relatedFrom.length; i += 1) add(data.relatedFrom[i]!, data.relatedTo[i]!, communityWeights.related);
  for (let i = 0; i < similar.from.length; i += 1) add(similar.from[i]!, similar.to[i]!, communityWeights.similar * similar.score[i]!);

  const links = linkWeight.length;
  const [from, to] = [ends[0].toArray(), ends[1].toArray()];
  const lows = Int32Array.from({ length: links }, (_, i) => Math.min(from[i]!, to[i]!));
  // The links of each lower end, in their order (csrOf keeps it).
  const byLow = csrOf(
    n,
    lows,
    Int32Array.from({ length: links }, (_, i) => i),
  );
  // Whether a link is its pair's first, and at the first, the pair's summed weight.
  const first = new Uint8Array(links);
  const summed = new Float64Array(links);
  const lastSeen = new Int32Array(n).fill(-1);
  const firstLinkOf = new Int32Array(n);
  for (let a = 0; a < n; a += 1) {
    for (let j = byLow.start[a]!; j < byLow.start[a + 1]!; j += 1) {
      const link = byLow.items[j]!;
      const b = from[link]! + to[link]! - a;
      if (lastSeen[b] !== a) {
        lastSeen[b] = a;
        firstLinkOf[b] = link;
        first[link] = 1;
        summed[link] = linkWeight.get(link);
      } else summed[firstLinkOf[b]!]! += linkWeight.get(link);
    }
  }
  let pairs = 0;
  for (let link = 0; link < links; link += 1) pairs += first[link]!;
  const result: PairLinks = { a: new Int32Array(pairs), b: new Int32Array(pairs), weight: new Float64Array(pairs) };
  for (let link = 0, pair = 0; link < links; link += 1) {
    if (!first[link]) continue;
    result.a[pair] = from[link]!;
    result.b[pair] = to[link]!;
    result.weight[pair] = summed[link]!;
    pair += 1;
  }
  return result;
}

/** One undirected edge a pair, nodes and edges added in the pairs' order, which is the order Louvain walks them in. */
function addPairs(graph: UndirectedGraph, pairs: PairLinks, n: number): void {
  const added = new Uint8Array(n);
  for (let pair = 0; pair < pairs.a.length; pair += 1) {
    const a = pairs.a[pair]!;
    const b = pairs.b[pair]!;
    if (!added[a]) graph.addNode(a);
    if (!added[b]) graph.addNode(b);
    added[a] = 1;
    added[b] = 1;
    graph.addEdge(a, b, { weight: pairs.weight[pair]! });
  }
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
  // The pairs are summed before the graph is built, so that the links' arrays are released by then.
  const pairs = pairLinks(data, similar);
  addPairs(graph, pairs, n);
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
  graph.clear();
  for (let pair = 0; pair < pairs.a.length; pair += 1) {
    const a = of[pairs.a[pair]!]!;
    const b = of[pairs.b[pair]!]!;
    if (a < 0 || b < 0 || a === b) continue;
    const pairKey = a < b ? a * groups.length + b : b * groups.length + a;
    between.set(pairKey, (between.get(pairKey) ?? 0) + pairs.weight[pair]!);
  }
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
