/// <reference lib="dom" />
/**
 * The explorer's only way to the data: GraphQL operations POSTed to /graphql. Every failure (network,
 * HTTP status, GraphQL error) becomes an ApiError with a message fit to show.
 */

export type NodeKind = 'PAPER' | 'AUTHOR';

/** What the map draws of a paper besides its label: the values behind node size and colour. */
export interface PaperTraits {
  /** Publication year (OpenAlex's, else the arXiv date's). */
  year?: number | null;
  /** Papers in this graph citing it. */
  citations?: number | null;
  /** OpenAlex's cited_by_count. */
  openalexCitations?: number | null;
  /** Influence percentile, 0 to 100, when the API has analytics (issue 20). */
  influence?: number | null;
  /** Research community, when the API has analytics. */
  community?: { id: string; label: string | null } | null;
  /** The first authors' names, for the hover card. */
  authors?: string | null;
}

export interface GraphNode extends PaperTraits {
  id: string;
  kind: NodeKind;
  label: string;
  distance: number | null;
  /** A paper known only as a cited work, by its OpenAlex id (the API's Paper.isStub). */
  stub?: boolean;
  /** The paper's kind (PaperKind), when known. */
  paperKind?: string;
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

/** A paper in a list of the details panel, with what the map needs to draw it. */
export interface PaperItem {
  id: string;
  title: string;
  kind: string;
  publishedAt: string | null;
  publicationYear: number | null;
  citationCount: number;
  openalexCitedByCount: number | null;
  influence?: { percentile: number } | null;
  community?: { id: string; label?: string | null } | null;
  authors?: { name: string }[];
}

/** One page of a paper list, with the whole list's size and where the next page starts. */
export interface PaperPage {
  total: number;
  items: PaperItem[];
  endCursor: string | null;
  hasMore: boolean;
}

export interface RelatedItem extends PaperItem {
  score: number | null;
  /** True when this paper lists the other one (its related list), false when the other lists this one. */
  listedHere: boolean;
}

export interface Ranked {
  paper: { id: string; title: string };
  /** Overlap, or the recommendation's reason. */
  note: string;
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
  doi: string | null;
  /** The venue's name (with its type when it is a node of the graph). */
  venue: { id: string | null; name: string; type: string | null } | null;
  /** OpenAlex topics (concepts in older files), highest score first. */
  topics: { id: string; name: string; field: string | null; score: number | null }[];
  workType: string | null;
  publicationYear: number | null;
  openalexCitedByCount: number | null;
  citationCount: number;
  relatedCount: number;
  authors: AuthorRef[];
  references: PaperPage;
  citedBy: PaperPage;
  related: RelatedItem[];
  relatedTotal: number;
  coCited: Ranked[];
  coupled: Ranked[];
  recommended: Ranked[];
  influence?: { percentile: number } | null;
  community?: { id: string; label?: string | null } | null;
}

export interface SearchHit {
  score: number;
  matchedFields: string[];
  paper: PaperSummary & { publicationYear: number | null; authors: AuthorRef[] };
}

export interface AuthorDetails {
  id: string;
  name: string;
  paperCount: number;
  coauthorCount: number;
  papers: (PaperSummary & { authors: AuthorRef[] })[];
  papersCursor: string | null;
  coauthors: { author: AuthorRef; sharedPaperCount: number }[];
  /** Institutions the author signed OpenAlex works from, most recent first. */
  institutions: { id: string; name: string; country: string | null; years: number[] }[];
}

export class ApiError extends Error {
  constructor(
    message: string,
    readonly code?: string,
  ) {
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

/** The longest search text the API takes (SearchHit.ts maxSearchLength). */
export const maxSearchLength = 200;

/** How many papers of a reference or citing list come in one page. */
export const listPageSize = 20;

/** How many related papers (each way) a paper's view draws. */
const relatedPageSize = 25;

/** The API's cap on an author's co-author list. */
export const maxCoauthors = 100;

const paperSummary = 'id arxivId title titleJa publishedAt';

/**
 * What this API can say about papers beyond the base schema: influence and community come with the
 * analytics (issue 20). Asked once, by introspection; a server without them (or without
 * introspection) gets the year and citation encodings only.
 */
export interface Capabilities {
  influence: boolean;
  community: boolean;
  communityLabel: boolean;
  /** Venues, institutions and topics as nodes (Paper.venue an object, Paper.topics, Author.institutions). */
  entities: boolean;
}

let capabilities: Promise<Capabilities> | undefined;

export function apiCapabilities(): Promise<Capabilities> {
  capabilities ??= request<{ paper: { fields: { name: string }[] } | null; community: { fields: { name: string }[] } | null }>(
    `query ExplorerCapabilities { paper: __type(name: "Paper") { fields { name } } community: __type(name: "Community") { fields { name } } }`,
    {},
  ).then(
    (data) => {
      const paperFields = new Set(data.paper?.fields.map((field) => field.name) ?? []);
      const communityFields = new Set(data.community?.fields.map((field) => field.name) ?? []);
      return {
        influence: paperFields.has('influence'),
        community: paperFields.has('community') && communityFields.has('id'),
        communityLabel: communityFields.has('label'),
        entities: paperFields.has('topics'),
      };
    },
    () => ({ influence: false, community: false, communityLabel: false, entities: false }),
  );
  return capabilities;
}

/** The fields of a paper the map draws it by (size and colour). */
function traitFields(caps: Capabilities): string {
  return [
    'kind publishedAt publicationYear citationCount openalexCitedByCount',
    caps.influence ? 'influence { percentile }' : '',
    caps.community ? `community { id${caps.communityLabel ? ' label' : ''} }` : '',
  ].join(' ');
}

const itemFields = (caps: Capabilities) => `id title ${traitFields(caps)} authors { name }`;

const graphFields = (caps: Capabilities) => `nodes { id kind label distance paper { isStub ${traitFields(caps)} } } edges { type source target weight }`;

type WireNode = Omit<GraphNode, 'stub'> & { paper?: (Omit<PaperItem, 'id' | 'title'> & { isStub: boolean }) | null };

export const yearOf = (item: { publicationYear?: number | null; publishedAt?: string | null }): number | null =>
  item.publicationYear ?? (item.publishedAt ? Number(item.publishedAt.slice(0, 4)) : null);

const namesOf = (authors: { name: string }[]) =>
  authors.length > 3
    ? `${authors
        .slice(0, 3)
        .map((author) => author.name)
        .join(', ')} et al.`
    : authors.map((author) => author.name).join(', ');

/** The traits of a paper as the graph keeps them on its node. */
export function traitsOf(item: Omit<PaperItem, 'id' | 'title'>): PaperTraits {
  return {
    year: yearOf(item),
    citations: item.citationCount,
    openalexCitations: item.openalexCitedByCount,
    influence: item.influence?.percentile ?? null,
    community: item.community ? { id: item.community.id, label: item.community.label ?? null } : null,
    authors: item.authors && item.authors.length > 0 ? namesOf(item.authors) : null,
  };
}

/** The API's nodes as the graph draws them: a paper's kind and traits flattened onto the node. */
function fromWire<T extends { nodes: WireNode[] }>(graph: T): Omit<T, 'nodes'> & { nodes: GraphNode[] } {
  return {
    ...graph,
    nodes: graph.nodes.map(({ paper, ...node }) =>
      paper ? { ...node, ...traitsOf(paper), paperKind: paper.kind, stub: paper.isStub === true } : { ...node, stub: false },
    ),
  };
}

/** A paper of a list as a node of the graph. */
export function paperNode(item: PaperItem, distance: number): GraphNode {
  return { id: item.id, kind: 'PAPER', label: item.title, distance, stub: item.kind === 'REFERENCE_STUB', paperKind: item.kind, ...traitsOf(item) };
}

export async function searchPapers(text: string, signal?: AbortSignal): Promise<SearchHit[]> {
  const data = await request<{ search: SearchHit[] }>(
    `query ExplorerSearch($query: String!) {
      search(query: $query, first: 20) { score matchedFields paper { ${paperSummary} publicationYear authors { id name } } }
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

/** How a reference or citing list is ordered: most cited first, or newest first. */
export type ListOrder = 'CITED' | 'NEWEST';

const orderBy = (order: ListOrder) => ({ field: order === 'CITED' ? 'CITATION_COUNT' : 'PUBLISHED_AT', direction: 'DESC' });

interface WireConnection {
  totalCount: number;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  edges: { node: PaperItem }[];
}

const connectionFields = (caps: Capabilities) => `totalCount pageInfo { hasNextPage endCursor } edges { node { ${itemFields(caps)} } }`;

const pageOf = (connection: WireConnection): PaperPage => ({
  total: connection.totalCount,
  items: connection.edges.map((edge) => edge.node),
  endCursor: connection.pageInfo.endCursor,
  hasMore: connection.pageInfo.hasNextPage,
});

type WireRelated = { totalCount: number; edges: { score: number | null; node: PaperItem }[] };

/**
 * A paper's details and its surroundings to draw: its authors, the first page of its references and
 * of its citing papers (each with its true total), its related papers both ways, and every link among
 * them the first 200 of its neighbourhood show. References and citing papers are paged apart, so many
 * citing papers never crowd out the references. Null when the ID names no paper.
 */
export async function paperView(id: string, order: ListOrder, signal?: AbortSignal): Promise<{ paper: PaperDetails; graph: Subgraph } | null> {
  const caps = await apiCapabilities();
  type Wire = Omit<PaperDetails, 'references' | 'citedBy' | 'related' | 'relatedTotal' | 'coCited' | 'coupled' | 'recommended' | 'venue' | 'topics'> & {
    /** A string from a server without venue nodes. */
    venue: { id: string; name: string; type: string | null } | string | null;
    venueName?: string | null;
    topics?: { score: number | null; topic: { id: string; name: string; field: string | null } }[];
    references: WireConnection;
    citedBy: WireConnection;
    related: WireRelated;
    relatedBy: WireRelated;
    coCitations: { overlap: number; paper: { id: string; title: string } }[];
    bibliographicCoupling: { overlap: number; paper: { id: string; title: string } }[];
    recommendations: { reason: string; paper: { id: string; title: string } }[];
    neighborhood: { edges: GraphEdge[] };
  };
  const data = await request<{ paper: Wire | null }>(
    `query ExplorerPaper($id: ID!, $first: Int!, $order: PaperOrder) {
      paper(id: $id) {
        ${paperSummary} version url summaryJa abstract abstractJa score hasPage kind openalexId doi workType
        ${caps.entities ? 'venueName venue { id name type } topics { score topic { id name field } }' : 'venue'}
        publicationYear openalexCitedByCount citationCount relatedCount
        ${caps.influence ? 'influence { percentile }' : ''} ${caps.community ? `community { id${caps.communityLabel ? ' label' : ''} }` : ''}
        authors { id name }
        references(first: $first, orderBy: $order) { ${connectionFields(caps)} }
        citedBy(first: $first, orderBy: $order) { ${connectionFields(caps)} }
        related(first: ${relatedPageSize}) { totalCount edges { score node { ${itemFields(caps)} } } }
        relatedBy(first: ${relatedPageSize}) { totalCount edges { score node { ${itemFields(caps)} } } }
        coCitations(first: 5) { overlap paper { id title } }
        bibliographicCoupling(first: 5) { overlap paper { id title } }
        recommendations(first: 5) { reason paper { id title } }
        neighborhood(depth: 1, limit: 200, via: [AUTHORED, RELATED_TO, CITES]) { edges { type source target weight } }
      }
    }`,
    { id, first: listPageSize, order: orderBy(order) },
    signal,
  );
  const wire = data.paper;
  if (!wire) return null;
  const { references, citedBy, related, relatedBy, coCitations, bibliographicCoupling, recommendations, neighborhood, venue, venueName, topics, ...rest } =
    wire;
  const relatedItems: RelatedItem[] = [
    ...related.edges.map((edge) => ({ ...edge.node, score: edge.score, listedHere: true })),
    ...relatedBy.edges.map((edge) => ({ ...edge.node, score: edge.score, listedHere: false })),
  ].sort((a, b) => (b.score ?? -1) - (a.score ?? -1));
  const paper: PaperDetails = {
    ...rest,
    venue: typeof venue === 'string' ? { id: null, name: venue, type: null } : (venue ?? (venueName ? { id: null, name: venueName, type: null } : null)),
    topics: (topics ?? []).map((entry) => ({ id: entry.topic.id, name: entry.topic.name, field: entry.topic.field, score: entry.score })),
    references: pageOf(references),
    citedBy: pageOf(citedBy),
    related: relatedItems,
    relatedTotal: related.totalCount + relatedBy.totalCount,
    coCited: coCitations.map((entry) => ({ paper: entry.paper, note: `cited together ${plural(entry.overlap, 'time')}` })),
    coupled: bibliographicCoupling.map((entry) => ({ paper: entry.paper, note: `${plural(entry.overlap, 'shared reference')}` })),
    recommended: recommendations.map((entry) => ({ paper: entry.paper, note: entry.reason })),
  };
  const nodes = new Map<string, GraphNode>([
    [
      paper.id,
      { id: paper.id, kind: 'PAPER', label: paper.title, distance: 0, stub: paper.kind === 'REFERENCE_STUB', paperKind: paper.kind, ...traitsOf(paper) },
    ],
  ]);
  const edges: GraphEdge[] = [];
  for (const author of paper.authors) {
    nodes.set(author.id, { id: author.id, kind: 'AUTHOR', label: author.name, distance: 1 });
    edges.push({ type: 'AUTHORED', source: author.id, target: paper.id, weight: 1 });
  }
  for (const item of paper.references.items) {
    if (!nodes.has(item.id)) nodes.set(item.id, paperNode(item, 1));
    edges.push({ type: 'CITES', source: paper.id, target: item.id, weight: 1 });
  }
  for (const item of paper.citedBy.items) {
    if (!nodes.has(item.id)) nodes.set(item.id, paperNode(item, 1));
    edges.push({ type: 'CITES', source: item.id, target: paper.id, weight: 1 });
  }
  for (const item of relatedItems) {
    if (!nodes.has(item.id)) nodes.set(item.id, paperNode(item, 1));
    edges.push({ type: 'RELATED_TO', source: item.listedHere ? paper.id : item.id, target: item.listedHere ? item.id : paper.id, weight: item.score ?? 1 });
  }
  // The neighbourhood adds the links among the papers drawn (two references citing each other, say).
  for (const edge of neighborhood.edges) if (nodes.has(edge.source) && nodes.has(edge.target)) edges.push(edge);
  return { paper, graph: { nodes: [...nodes.values()], edges: dedupe(edges) } };
}

function dedupe(edges: GraphEdge[]): GraphEdge[] {
  const seen = new Map<string, GraphEdge>();
  for (const edge of edges) seen.set(`${edge.type}:${edge.source}->${edge.target}`, edge);
  return [...seen.values()];
}

const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`;

/** The next page of a paper's references or citing papers. */
export async function citationPage(
  id: string,
  list: 'references' | 'citedBy',
  order: ListOrder,
  after: string | null,
  signal?: AbortSignal,
): Promise<PaperPage> {
  const caps = await apiCapabilities();
  const data = await request<{ paper: Record<string, WireConnection> | null }>(
    `query ExplorerCitations($id: ID!, $first: Int!, $after: String, $order: PaperOrder) {
      paper(id: $id) { list: ${list}(first: $first, after: $after, orderBy: $order) { ${connectionFields(caps)} } }
    }`,
    { id, first: listPageSize, after, order: orderBy(order) },
    signal,
  );
  const connection = data.paper?.list;
  if (!connection) throw new ApiError('The paper is no longer in the graph.');
  return pageOf(connection);
}

/** A venue, institution or topic: what its map is drawn around. */
export type EntityKind = 'Venue' | 'Institution' | 'Topic';

export interface EntityDetails {
  id: string;
  kind: EntityKind;
  name: string;
  /** The venue's or institution's type and country, the topic's field. */
  detail: string | null;
  /** Its papers, most cited first: the pages fetched so far, and the true total. */
  papers: PaperPage;
}

/** Papers an entity's map draws at a time. */
export const entityPageSize = 30;

/**
 * A page of a venue's, institution's or topic's papers, most cited first (the first page when
 * `after` is null). Null when the ID names no entity of that kind, or is no papergraph ID at all.
 */
export async function entityPapers(kind: EntityKind, id: string, after: string | null, signal?: AbortSignal): Promise<EntityDetails | null> {
  const caps = await apiCapabilities();
  if (!caps.entities) return null;
  const papers = `papers(first: $first, after: $after, orderBy: $order) { ${connectionFields(caps)} }`;
  type Wire = { __typename: string; name: string; type?: string | null; country?: string | null; field?: string | null; papers: WireConnection };
  let data: { node: Wire | null };
  try {
    data = await request<{ node: Wire | null }>(
      `query ExplorerEntity($id: ID!, $first: Int!, $after: String, $order: PaperOrder) {
        node(id: $id) {
          __typename
          ... on Venue { name type ${papers} }
          ... on Institution { name type country ${papers} }
          ... on Topic { name field ${papers} }
        }
      }`,
      { id, first: entityPageSize, after, order: orderBy('CITED') },
      signal,
    );
  } catch (error) {
    if (error instanceof ApiError && error.code === 'INVALID_ID') return null;
    throw error;
  }
  const node = data.node;
  if (!node || node.__typename !== kind) return null;
  const detail = kind === 'Topic' ? node.field : [node.type, node.country?.toUpperCase()].filter(Boolean).join(', ');
  return { id, kind, name: node.name, detail: detail || null, papers: pageOf(node.papers) };
}

/** Connected Papers' two lists for the papers drawn: what most of them cite, and what cites most of them. */
export async function priorAndDerivative(
  ids: string[],
  signal?: AbortSignal,
): Promise<{ prior: (PaperItem & { linked: number })[]; derivative: (PaperItem & { linked: number })[] }> {
  const caps = await apiCapabilities();
  type Wire = { linkedCount: number; paper: PaperItem }[];
  const data = await request<{ prior: Wire; derivative: Wire }>(
    `query ExplorerPriorDerivative($ids: [ID!]!) {
      prior: priorWorks(ids: $ids, first: 10) { linkedCount paper { ${itemFields(caps)} } }
      derivative: derivativeWorks(ids: $ids, first: 10) { linkedCount paper { ${itemFields(caps)} } }
    }`,
    { ids },
    signal,
  );
  const flat = (list: Wire) => list.map((entry) => ({ ...entry.paper, linked: entry.linkedCount }));
  return { prior: flat(data.prior), derivative: flat(data.derivative) };
}

/** How many papers and co-authors of an author come at first, and with each "show more". */
export const authorPageSize = 50;

/** An author, their papers and co-authors, and the co-author network to draw: author → paper ← co-author. */
export async function authorView(id: string, coauthors: number, signal?: AbortSignal): Promise<{ author: AuthorDetails; graph: Subgraph } | null> {
  const caps = await apiCapabilities();
  const data = await request<{
    author: {
      id: string;
      name: string;
      coauthorCount: number;
      papers: { totalCount: number; pageInfo: { endCursor: string | null; hasNextPage: boolean }; edges: { node: PaperSummary & { authors: AuthorRef[] } }[] };
      coauthors: { author: AuthorRef; sharedPaperCount: number }[];
      institutions?: { years: number[]; institution: { id: string; name: string; country: string | null } }[];
    } | null;
  }>(
    `query ExplorerAuthor($id: ID!, $papers: Int!, $coauthors: Int!) {
      author(id: $id) {
        id name coauthorCount ${caps.entities ? 'institutions { years institution { id name country } }' : ''}
        papers(first: $papers) { totalCount pageInfo { endCursor hasNextPage } edges { node { ${paperSummary} authors { id name } } } }
        coauthors(first: $coauthors) { sharedPaperCount author { id name } }
      }
    }`,
    { id, papers: authorPageSize, coauthors: Math.min(coauthors, maxCoauthors) },
    signal,
  );
  if (!data.author) return null;
  const { papers, coauthors: list, institutions, ...rest } = data.author;
  const author: AuthorDetails = {
    ...rest,
    institutions: (institutions ?? []).map((entry) => ({
      id: entry.institution.id,
      name: entry.institution.name,
      country: entry.institution.country,
      years: entry.years,
    })),
    paperCount: papers.totalCount,
    papers: papers.edges.map((edge) => edge.node),
    papersCursor: papers.pageInfo.hasNextPage ? papers.pageInfo.endCursor : null,
    coauthors: list,
  };
  return { author, graph: coauthorNetwork(author) };
}

/** The next page of an author's papers. */
export async function authorPapers(
  id: string,
  after: string,
  signal?: AbortSignal,
): Promise<{ papers: (PaperSummary & { authors: AuthorRef[] })[]; cursor: string | null }> {
  const data = await request<{
    author: { papers: { pageInfo: { endCursor: string | null; hasNextPage: boolean }; edges: { node: PaperSummary & { authors: AuthorRef[] } }[] } } | null;
  }>(
    `query ExplorerAuthorPapers($id: ID!, $first: Int!, $after: String) {
      author(id: $id) { papers(first: $first, after: $after) { pageInfo { endCursor hasNextPage } edges { node { ${paperSummary} authors { id name } } } } }
    }`,
    { id, first: authorPageSize, after },
    signal,
  );
  if (!data.author) throw new ApiError('The author is no longer in the graph.');
  const { papers } = data.author;
  return { papers: papers.edges.map((edge) => edge.node), cursor: papers.pageInfo.hasNextPage ? papers.pageInfo.endCursor : null };
}

export function coauthorNetwork(author: Pick<AuthorDetails, 'id' | 'name' | 'papers'>): Subgraph {
  const nodes = new Map<string, GraphNode>([[author.id, { id: author.id, kind: 'AUTHOR', label: author.name, distance: 0 }]]);
  const edges: GraphEdge[] = [];
  for (const paper of author.papers) {
    nodes.set(paper.id, { id: paper.id, kind: 'PAPER', label: paper.title, distance: 1, year: yearOf(paper) });
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
 * each building on the next; CITED_BY the same chain read the other way (from a cited paper to a
 * paper building on it); RELATED only related links, either way.
 */
export type PathMode = 'ANY' | 'CITATIONS' | 'CITED_BY' | 'RELATED';

const pathArguments: Record<PathMode, Record<string, unknown>> = {
  ANY: {},
  CITATIONS: { via: ['CITES'], direction: 'OUTGOING' },
  CITED_BY: { via: ['CITES'], direction: 'INCOMING' },
  RELATED: { via: ['RELATED_TO'] },
};

/** One shortest path between two papers or authors, as `mode` says; null when none is short enough. */
export async function shortestPath(from: string, to: string, mode: PathMode, signal?: AbortSignal): Promise<Path | null> {
  const caps = await apiCapabilities();
  const data = await request<{ shortestPath: (Path & { nodes: WireNode[] }) | null }>(
    `query ExplorerPath($from: ID!, $to: ID!, $via: [RelationshipType!], $direction: PathDirection) {
      shortestPath(from: $from, to: $to, maxDepth: ${maxPathLength}, via: $via, direction: $direction) { length ${graphFields(caps)} }
    }`,
    { from, to, ...pathArguments[mode] },
    signal,
  );
  return data.shortestPath && fromWire(data.shortestPath);
}

/** Most IDs one linksAmong request may name (GraphEdge.ts maxLinkSetSize). */
const maxLinkSetSize = 1000;

/**
 * The links between `touching` (nodes just drawn) and every node of `ids` (the map), so that papers
 * drawn by separate expansions, pages or a shared link show the citations, related links and
 * authorships between them. A map too large for one request is asked for in parts.
 */
export async function linksAmong(ids: string[], touching: string[], signal?: AbortSignal): Promise<GraphEdge[]> {
  if (touching.length === 0) return [];
  const fresh = new Set(touching);
  const others = ids.filter((id) => !fresh.has(id));
  const touchingPart = Math.min(touching.length, maxLinkSetSize / 4);
  const edges: GraphEdge[] = [];
  for (let at = 0; at < touching.length; at += touchingPart) {
    const part = touching.slice(at, at + touchingPart);
    // Links within the touching part come back with each part of the map; dedupe keeps one.
    const room = maxLinkSetSize - part.length;
    for (let from = 0; from === 0 || from < others.length; from += room) {
      const data = await request<{ linksAmong: GraphEdge[] }>(
        `query ExplorerLinks($ids: [ID!]!, $touching: [ID!]!) { linksAmong(ids: $ids, touching: $touching) { type source target weight } }`,
        { ids: others.slice(from, from + room), touching: part },
        signal,
      );
      edges.push(...data.linksAmong);
    }
  }
  return dedupe(edges);
}
