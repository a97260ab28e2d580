import { authorNodesAfter, linksOfPapers, paperNodesAfter } from '../db/queries/analytics.ts';
import type { Cypher } from '../db/run.ts';

/** Adjacency in compressed sparse rows: the neighbours of node i are items[start[i] .. start[i+1]). */
export interface Csr {
  start: Int32Array;
  items: Int32Array;
}

/**
 * The paper graph as the analyses need it, with every paper and author at a dense index (papers and
 * authors in uid order, so that a re-run on an unchanged graph sees the same indexes and gives the same
 * answers), in typed arrays: a few bytes a link instead of a JS object per row.
 */
export interface GraphData {
  paperUids: string[];
  /** Null for a cited work known only by its OpenAlex id. */
  titles: (string | null)[];
  /** The Japanese title, where a summary page gave one. */
  titlesJa: (string | null)[];
  previousCommunity: (string | null)[];
  authorUids: string[];
  /** Paper → papers it cites, and the reverse. */
  cites: Csr;
  citedBy: Csr;
  /** Paper → paper it lists as related, with the page's score (NaN for an OpenAlex link, which has none). */
  relatedFrom: Int32Array;
  relatedTo: Int32Array;
  relatedScore: Float64Array;
  /** Paper → its authors, and author → their papers. */
  authorsOf: Csr;
  papersOf: Csr;
}

export const degree = (csr: Csr, node: number) => csr.start[node + 1]! - csr.start[node]!;

/** Builds a CSR from (from, to) pairs; within a row, items keep the order the pairs came in. */
export function csrOf(nodes: number, from: ArrayLike<number>, to: ArrayLike<number>): Csr {
  const start = new Int32Array(nodes + 1);
  for (let i = 0; i < from.length; i += 1) start[from[i]! + 1]! += 1;
  for (let i = 0; i < nodes; i += 1) start[i + 1]! += start[i]!;
  const fill = start.slice(0, nodes);
  const items = new Int32Array(from.length);
  for (let i = 0; i < from.length; i += 1) items[fill[from[i]!]!++] = to[i]!;
  return { start, items };
}

/** A growable typed array: pushing millions of numbers into a plain array costs several times the memory. */
class TypedList<Items extends Int32Array | Float64Array> {
  private data: Items;
  length = 0;
  constructor(private readonly make: (size: number) => Items) {
    this.data = make(1024);
  }
  push(value: number) {
    if (this.length === this.data.length) {
      const grown = this.make(this.data.length * 2);
      grown.set(this.data);
      this.data = grown;
    }
    this.data[this.length++] = value;
  }
  toArray(): Items {
    return this.data.slice(0, this.length) as Items;
  }
}

export class IntList extends TypedList<Int32Array> {
  constructor() {
    super((size) => new Int32Array(size));
  }
}

export class FloatList extends TypedList<Float64Array> {
  constructor() {
    super((size) => new Float64Array(size));
  }
}

export interface ReadOptions {
  batchSize: number;
  onBatch?: (kind: 'papers' | 'authors' | 'links', count: number) => void;
}

/**
 * Streams the paper graph out of Neo4j in pages: papers and authors in uid order, then the outgoing
 * links of each batch of papers. Any member of a cluster can serve these reads.
 */
export async function readGraphData(cypher: Cypher, options: ReadOptions): Promise<GraphData> {
  const paperUids: string[] = [];
  const titles: (string | null)[] = [];
  const titlesJa: (string | null)[] = [];
  const previousCommunity: (string | null)[] = [];
  const paperIds: number[] = [];
  const paperIndex = new Map<number, number>();
  for (let after: string | null = null; ; ) {
    const rows = await paperNodesAfter(cypher, after, options.batchSize * 4);
    for (const row of rows) {
      paperIndex.set(row.id, paperUids.length);
      paperIds.push(row.id);
      paperUids.push(row.uid);
      titles.push(row.title);
      titlesJa.push(row.titleJa);
      previousCommunity.push(row.communityId);
    }
    options.onBatch?.('papers', rows.length);
    if (rows.length < options.batchSize * 4) break;
    after = rows.at(-1)!.uid;
  }

  const authorUids: string[] = [];
  const authorIndex = new Map<number, number>();
  for (let after: string | null = null; ; ) {
    const rows = await authorNodesAfter(cypher, after, options.batchSize * 4);
    for (const row of rows) {
      authorIndex.set(row.id, authorUids.length);
      authorUids.push(row.uid);
    }
    options.onBatch?.('authors', rows.length);
    if (rows.length < options.batchSize * 4) break;
    after = rows.at(-1)!.uid;
  }

  const citeFrom = new IntList();
  const citeTo = new IntList();
  const relatedFrom = new IntList();
  const relatedTo = new IntList();
  const relatedScore = new FloatList();
  const authorshipPaper = new IntList();
  const authorshipAuthor = new IntList();
  for (let start = 0; start < paperIds.length; start += options.batchSize) {
    const rows = await linksOfPapers(cypher, paperIds.slice(start, start + options.batchSize));
    for (const row of rows) {
      const from = paperIndex.get(row.id);
      if (from === undefined) continue;
      // Sorted targets, so that every later pass meets links in one order whatever order Neo4j gave.
      const cited = row.cites
        .map((id) => paperIndex.get(id))
        .filter((to): to is number => to !== undefined)
        .sort((a, b) => a - b);
      for (const to of cited) {
        citeFrom.push(from);
        citeTo.push(to);
      }
      const related = row.related
        .map(([id, score]) => [paperIndex.get(id), score] as const)
        .filter((link): link is readonly [number, number | null] => link[0] !== undefined)
        .sort((a, b) => a[0] - b[0] || (a[1] ?? -1) - (b[1] ?? -1));
      for (const [to, score] of related) {
        relatedFrom.push(from);
        relatedTo.push(to);
        relatedScore.push(score ?? Number.NaN);
      }
      const authors = row.authors
        .map((id) => authorIndex.get(id))
        .filter((a): a is number => a !== undefined)
        .sort((a, b) => a - b);
      for (const author of authors) {
        authorshipPaper.push(from);
        authorshipAuthor.push(author);
      }
    }
    options.onBatch?.('links', rows.length);
  }

  const n = paperUids.length;
  const citeFromArray = citeFrom.toArray();
  const citeToArray = citeTo.toArray();
  const paperOfAuthorship = authorshipPaper.toArray();
  const authorOfAuthorship = authorshipAuthor.toArray();
  return {
    paperUids,
    titles,
    titlesJa,
    previousCommunity,
    authorUids,
    cites: csrOf(n, citeFromArray, citeToArray),
    citedBy: csrOf(n, citeToArray, citeFromArray),
    relatedFrom: relatedFrom.toArray(),
    relatedTo: relatedTo.toArray(),
    relatedScore: relatedScore.toArray(),
    authorsOf: csrOf(n, paperOfAuthorship, authorOfAuthorship),
    papersOf: csrOf(authorUids.length, authorOfAuthorship, paperOfAuthorship),
  };
}
