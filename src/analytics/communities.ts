import { createHash } from 'node:crypto';
import { UndirectedGraph } from 'graphology';
import louvainModule from 'graphology-communities-louvain';
import { mulberry32 } from '../../seed/generate.ts';
import { degree, type GraphData } from './graph-data.ts';
import { topTerms } from './terms.ts';

// A CommonJS module whose typings declare an ES default export: Node hands over module.exports itself.
const louvain = louvainModule as unknown as typeof louvainModule.default;

/**
 * Weights of the paper–paper graph the communities are found in. A citation is the strongest sign two
 * papers belong together; a related-page link a weaker one; co-citation and bibliographic coupling are
 * indirect, so each citing (or cited) paper hands out at most that weight in all, shared among the pairs
 * it makes (fractional counting): a paper with a long reference list says less about each pair.
 */
export const communityWeights = { citation: 1, related: 0.5, coCitation: 0.5, coupling: 0.5 } as const;

export interface CommunityOptions {
  /** Louvain's random seed: the same seed on the same graph gives the same partition. */
  seed: number;
  /** A paper citing more than this many, or cited by more than this many, makes no co-citation or coupling pairs. */
  hubCap: number;
  /** Refuse before counting more co-citation/coupling pairs than this (they are most of the memory). */
  maxPairs: number;
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

/** How many co-citation and coupling pairs the graph makes under the hub cap, before any is counted. */
export function pairCount(data: GraphData, hubCap: number): number {
  let pairs = 0;
  for (const csr of [data.cites, data.citedBy]) {
    for (let node = 0; node < csr.start.length - 1; node += 1) {
      const k = degree(csr, node);
      if (k >= 2 && k <= hubCap) pairs += (k * (k - 1)) / 2;
    }
  }
  return pairs;
}

/** The weighted paper–paper links, as lo * n + hi → weight (lo < hi). */
function paperLinks(data: GraphData, hubCap: number): Map<number, number> {
  const n = data.paperUids.length;
  const links = new Map<number, number>();
  const add = (a: number, b: number, weight: number) => {
    if (a === b) return;
    const key = a < b ? a * n + b : b * n + a;
    links.set(key, (links.get(key) ?? 0) + weight);
  };
  for (let from = 0; from < n; from += 1) {
    for (let j = data.cites.start[from]!; j < data.cites.start[from + 1]!; j += 1) add(from, data.cites.items[j]!, communityWeights.citation);
  }
  for (let i = 0; i < data.relatedFrom.length; i += 1) add(data.relatedFrom[i]!, data.relatedTo[i]!, communityWeights.related);
  const pairsOf = (csr: GraphData['cites'], weight: number) => {
    for (let node = 0; node < n; node += 1) {
      const start = csr.start[node]!;
      const k = csr.start[node + 1]! - start;
      if (k < 2 || k > hubCap) continue;
      const share = weight / (k - 1);
      for (let x = 0; x < k; x += 1) for (let y = x + 1; y < k; y += 1) add(csr.items[start + x]!, csr.items[start + y]!, share);
    }
  };
  // Co-citation: two papers one paper cites; coupling: two papers that cite one paper.
  pairsOf(data.cites, communityWeights.coCitation);
  pairsOf(data.citedBy, communityWeights.coupling);
  return links;
}

/**
 * Louvain (graphology-communities-louvain, seeded) over the combined paper–paper graph. A paper with
 * no link is in no community. Ids stay those of the previous run where most of a community's papers
 * were in one community before; a new community's id derives from its members.
 */
export function computeCommunities(data: GraphData, influence: Float64Array, options: CommunityOptions): Communities {
  const n = data.paperUids.length;
  const pairs = pairCount(data, options.hubCap);
  if (pairs > options.maxPairs) {
    throw new AnalyticsLimitError(
      `the community graph would count ${pairs} co-citation/coupling pairs, more than the cap of ${options.maxPairs}: lower --hub-cap (now ${options.hubCap}) or raise --max-memory-mb`,
    );
  }
  let links: Map<number, number> | null = paperLinks(data, options.hubCap);
  let graph: UndirectedGraph | null = new UndirectedGraph();
  // Links in key order, so the graph (and Louvain's walk over it) is built the same way every run.
  const keys = Float64Array.from(links.keys()).sort();
  for (const key of keys) {
    const a = Math.floor(key / n);
    const b = key - a * n;
    graph.mergeNode(a);
    graph.mergeNode(b);
    graph.addEdge(a, b, { weight: links.get(key)! });
  }
  const linkCount = keys.length;
  const result = graph.order === 0 ? { communities: {} as Record<string, number>, modularity: 0 } : louvain.detailed(graph, { getEdgeWeight: 'weight', rng: mulberry32(options.seed) });
  graph = null;

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
  for (const [key, weight] of links) {
    const a = of[Math.floor(key / n)]!;
    const b = of[key % n]!;
    if (a < 0 || b < 0 || a === b) continue;
    const pairKey = a < b ? a * groups.length + b : b * groups.length + a;
    between.set(pairKey, (between.get(pairKey) ?? 0) + weight);
  }
  links = null;
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
    neighbours: neighbours[index]!
      .sort((x, y) => y.weight - x.weight || x.index - y.index)
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
