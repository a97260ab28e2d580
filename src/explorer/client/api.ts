/// <reference lib="dom" />
/**
 * The explorer's only way to the data: GraphQL operations POSTed to /graphql. Every failure (network,
 * HTTP status, GraphQL error) becomes an ApiError with a message fit to show.
 */

export type NodeKind = 'PAPER' | 'AUTHOR';

export interface GraphNode {
  id: string;
  kind: NodeKind;
  label: string;
  distance: number | null;
  /** A paper known only as a cited work, by its OpenAlex id (the API's Paper.isStub). */
  stub?: boolean;
}

/** `type` is a RelationshipType of the API (AUTHORED, RELATED_TO, and whatever comes later). */
export interface GraphEdge {
  type: string;
  source: string;
  target: string;
  weight: number;
}

export interface Subgraph {
  nodes: GraphNode[];
  edges: GraphEdge[];
}

export interface Path extends Subgraph {
  length: number;
}

export interface AuthorRef {
  id: string;
  name: string;
}

export interface PaperSummary {
  id: string;
  arxivId: string | null;
  title: string;
  titleJa: string | null;
  publishedAt: string | null;
}

export interface PaperDetails extends PaperSummary {
  version: number | null;
  url: string | null;
  summaryJa: string | null;
  abstract: string | null;
  abstractJa: string | null;
  score: number | null;
  hasPage: boolean;
  /** PAGE, WORK, RELATED_ENTRY or REFERENCE_STUB (the API's PaperKind). */
  kind: string;
  openalexId: string | null;
  relatedCount: number;
  authors: AuthorRef[];
}

export interface SearchHit {
  score: number;
  matchedFields: string[];
  paper: PaperSummary;
}

export interface AuthorDetails {
  id: string;
  name: string;
  paperCount: number;
  papers: (PaperSummary & { authors: AuthorRef[] })[];
  coauthors: { author: AuthorRef; sharedPaperCount: number }[];
}

export class ApiError extends Error {
  constructor(message: string, readonly code?: string) {
    super(message);
    this.name = 'ApiError';
  }
}

interface ResponseBody<T> {
  data?: T | null;
  errors?: { message: string; extensions?: { code?: string } }[];
}

/** Runs one operation. An aborted request rejects with the AbortError, which callers ignore. */
export async function request<T>(query: string, variables: Record<string, unknown>, signal?: AbortSignal): Promise<T> {
  let response: Response;
  try {
    response = await fetch('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json' },
      body: JSON.stringify({ query, variables }),
      signal,
    });
  } catch (error) {
    if (signal?.aborted) throw error;
    throw new ApiError('Could not reach the server. Is papergraph running?');
  }
  let body: ResponseBody<T> | undefined;
  try {
    body = (await response.json()) as ResponseBody<T>;
  } catch (error) {
    if (signal?.aborted) throw error;
    body = undefined;
  }
  const first = body?.errors?.[0];
  if (first) {
    const code = first.extensions?.code;
    throw new ApiError(code ? `${first.message} (${code})` : first.message, code);
  }
  if (!response.ok || !body?.data) {
    throw new ApiError(`The server answered ${response.status}${response.statusText ? ` ${response.statusText}` : ''}.`);
  }
  return body.data;
}

/** Longest path looked for, in edges. */
export const maxPathLength = 6;

const paperSummary = 'id arxivId title titleJa publishedAt';
const graphFields = 'nodes { id kind label distance paper { isStub } } edges { type source target weight }';

type WireNode = Omit<GraphNode, 'stub'> & { paper?: { isStub: boolean } | null };

/** The API's nodes as the graph draws them: a paper's isStub flattened onto the node. */
function fromWire<T extends { nodes: WireNode[] }>(graph: T): Omit<T, 'nodes'> & { nodes: GraphNode[] } {
  return { ...graph, nodes: graph.nodes.map(({ paper, ...node }) => ({ ...node, stub: paper?.isStub === true })) };
}

export async function searchPapers(text: string, signal?: AbortSignal): Promise<SearchHit[]> {
  const data = await request<{ search: SearchHit[] }>(
    `query ExplorerSearch($query: String!) {
      search(query: $query, first: 20) { score matchedFields paper { ${paperSummary} } }
    }`,
    { query: text },
    signal,
  );
  return data.search;
}

/** A few papers with pages of their own, highest attention first: where to start when nothing is picked. */
export async function startingPapers(signal?: AbortSignal): Promise<PaperSummary[]> {
  const data = await request<{ papers: { edges: { node: PaperSummary }[] } }>(
    `query ExplorerStart {
      papers(first: 6, filter: { hasAbstract: true }, orderBy: { field: SCORE, direction: DESC }) { edges { node { ${paperSummary} } } }
    }`,
    {},
    signal,
  );
  return data.papers.edges.map((edge) => edge.node);
}

/** A paper's details and its neighbourhood one hop out; null when the ID names no paper. */
export async function paperView(id: string, signal?: AbortSignal): Promise<{ paper: PaperDetails; graph: Subgraph } | null> {
  const data = await request<{ paper: (PaperDetails & { neighborhood: Subgraph & { nodes: WireNode[] } }) | null }>(
    `query ExplorerPaper($id: ID!) {
      paper(id: $id) {
        ${paperSummary} version url summaryJa abstract abstractJa score hasPage kind openalexId relatedCount
        authors { id name }
        neighborhood(depth: 1, limit: 200, via: [AUTHORED, RELATED_TO, CITES]) { ${graphFields} }
      }
    }`,
    { id },
    signal,
  );
  if (!data.paper) return null;
  const { neighborhood, ...paper } = data.paper;
  return { paper, graph: fromWire(neighborhood) };
}

/** An author, their papers and co-authors, and the co-author network to draw: author → paper ← co-author. */
export async function authorView(id: string, signal?: AbortSignal): Promise<{ author: AuthorDetails; graph: Subgraph } | null> {
  const data = await request<{
    author: {
      id: string;
      name: string;
      papers: { totalCount: number; edges: { node: PaperSummary & { authors: AuthorRef[] } }[] };
      coauthors: { author: AuthorRef; sharedPaperCount: number }[];
    } | null;
  }>(
    `query ExplorerAuthor($id: ID!) {
      author(id: $id) {
        id name
        papers(first: 50) { totalCount edges { node { ${paperSummary} authors { id name } } } }
        coauthors(first: 50) { sharedPaperCount author { id name } }
      }
    }`,
    { id },
    signal,
  );
  if (!data.author) return null;
  const { papers, coauthors, ...rest } = data.author;
  const author: AuthorDetails = { ...rest, paperCount: papers.totalCount, papers: papers.edges.map((edge) => edge.node), coauthors };
  return { author, graph: coauthorNetwork(author) };
}

function coauthorNetwork(author: AuthorDetails): Subgraph {
  const nodes = new Map<string, GraphNode>([[author.id, { id: author.id, kind: 'AUTHOR', label: author.name, distance: 0 }]]);
  const edges: GraphEdge[] = [];
  for (const paper of author.papers) {
    nodes.set(paper.id, { id: paper.id, kind: 'PAPER', label: paper.title, distance: 1 });
    for (const writer of paper.authors) {
      if (!nodes.has(writer.id)) nodes.set(writer.id, { id: writer.id, kind: 'AUTHOR', label: writer.name, distance: 2 });
      edges.push({ type: 'AUTHORED', source: writer.id, target: paper.id, weight: 1 });
    }
  }
  return { nodes: [...nodes.values()], edges };
}

/**
 * How path mode looks for a path: ANY follows every relationship either way; CITATIONS follows only
 * CITES, from the citing paper (the first picked) to the cited one, so the path is a chain of papers
 * each building on the next.
 */
export type PathMode = 'ANY' | 'CITATIONS';

/** One shortest path between two papers or authors, as `mode` says; null when none is short enough. */
export async function shortestPath(from: string, to: string, mode: PathMode, signal?: AbortSignal): Promise<Path | null> {
  const data = await request<{ shortestPath: (Path & { nodes: WireNode[] }) | null }>(
    `query ExplorerPath($from: ID!, $to: ID!, $via: [RelationshipType!], $direction: PathDirection) {
      shortestPath(from: $from, to: $to, maxDepth: ${maxPathLength}, via: $via, direction: $direction) { length ${graphFields} }
    }`,
    { from, to, ...(mode === 'CITATIONS' ? { via: ['CITES'], direction: 'OUTGOING' } : {}) },
    signal,
  );
  return data.shortestPath && fromWire(data.shortestPath);
}
