/**
 * The Neo4j GraphQL Library side of the API bench (`--library`): `@neo4j/graphql`'s own type definitions
 * for the labels, relationship types and properties papergraph's store holds, and per operation the
 * document a client of that library sends for the same answer, its variables made from papergraph's,
 * and its answer turned into the operation's canonical value (the one `Operation.server` gives), so the
 * bench checks both sides answer the same question before timing them. Served by
 * bench/api/library-server.ts with graphql-yoga over the same Neo4j.
 *
 * Only what the library's generated API expresses is written here: filters, sorts and `first` on
 * connections, relationship properties on edges. An operation that needs an aggregation, a
 * variable-length traversal or a full-text ranking it cannot state has a reason instead of a document.
 *
 * One departure, in the library's favour: it prints every DateTime with `apoc.date.convertFormat` (it
 * requires APOC), and the embedded Neo4j loads no APOC function but `apoc.version` (src/neo4j/README.md).
 * So the library is not asked for dates (`omitted`), and its answers are compared with the floor's
 * without them; filters and sorts on the DateTime property need no APOC and stay. It thus does less work
 * than papergraph, which prints every date asked. (A `@cypher` field printing the date instead is
 * evaluated for every matching node before the library sorts and pages: far more costly than APOC.)
 */
import { encodeGlobalId, uidFromGlobalId } from '../../src/graphql/lib/global-id.ts';

type Row = Record<string, any>;

/** The library's schema of papergraph's store: only the properties and relationships the bench reads. */
export const libraryTypeDefs = `
type Paper @node {
  uid: String!
  arxivId: String
  title: String
  titleJa: String
  publishedAt: DateTime
  score: Float
  "How often the paper is cited: the library sorts on a computed field only when it is declared with @cypher."
  citedByCount: Int! @cypher(statement: "RETURN COUNT { (this)<-[:CITES]-() } AS count", columnName: "count")
  authors: [Author!]! @relationship(type: "AUTHORED", direction: IN, properties: "Authored")
  related: [Paper!]! @relationship(type: "RELATED_TO", direction: OUT, properties: "Related")
  references: [Paper!]! @relationship(type: "CITES", direction: OUT)
  citedBy: [Paper!]! @relationship(type: "CITES", direction: IN)
}

type Author @node {
  uid: String!
  name: String
  papers: [Paper!]! @relationship(type: "AUTHORED", direction: OUT, properties: "Authored")
}

type Authored @relationshipProperties {
  position: Int
}

type Related @relationshipProperties {
  score: Float
  rank: Int
}
`;

export interface LibraryOperation {
  document: string;
  /** The library's variables for papergraph's variables of the same input. */
  variables(serverVariables: Record<string, any>): Record<string, unknown>;
  /** The canonical answer (as `Operation.server` gives it, less `omitted`) from the library response's `data`. */
  answer(data: any): unknown;
  /** Keys of the canonical answer the library is not asked for, at any depth. */
  omitted: readonly string[];
}

/** `value` with the entries named `keys` left out of every object in it. */
export function withoutKeys(value: unknown, keys: readonly string[]): unknown {
  if (keys.length === 0 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((item) => withoutKeys(item, keys));
  return Object.fromEntries(
    Object.entries(value)
      .filter(([key]) => !keys.includes(key))
      .map(([key, inner]) => [key, withoutKeys(inner, keys)]),
  );
}

/** Dates: the library prints them with APOC, which the embedded Neo4j does not load (see above). */
const DATES = ['publishedAt'];

/** An operation of the mix as the library states it, or why it cannot. */
export type LibraryForm = LibraryOperation | { unsupported: string };

const paperId = (uid: string) => encodeGlobalId('Paper', uid);
const authorId = (uid: string) => encodeGlobalId('Author', uid);
const paperUid = (variables: Record<string, any>) => uidFromGlobalId(variables.id, 'Paper').uid;
const authorUid = (variables: Record<string, any>) => uidFromGlobalId(variables.id, 'Author').uid;

/** A paper's authors in their order on the paper, as a connection sorted by the AUTHORED position. */
const AUTHORS = 'authorsConnection(sort: [{ edge: { position: ASC } }]) { edges { node { uid name } } }';
const authorList = (connection: Row) => connection.edges.map((edge: Row) => ({ id: authorId(edge.node.uid), name: edge.node.name }));
/**
 * Papergraph lists related papers scored first by rank, then unscored ones (OpenAlex's related works,
 * without rank), by uid. Only scored links have a rank, and Neo4j sorts nulls last in ascending order:
 * rank then uid is that order.
 */
const RELATED_ORDER = 'sort: [{ edge: { rank: ASC } }, { node: { uid: ASC } }]';
const SCORED = 'where: { NOT: { edge: { score: { eq: null } } } }';

const paper: LibraryOperation = {
  document: `query Paper($uid: String!) {
  papers(where: { uid: { eq: $uid } }) {
    uid arxivId title titleJa score
    ${AUTHORS}
    relatedConnection(first: 10, ${RELATED_ORDER}) { totalCount edges { properties { rank score } node { uid title } } }
  }
}`,
  omitted: DATES,
  variables: (variables) => ({ uid: paperUid(variables) }),
  answer: (data) => {
    const [p] = data.papers as Row[];
    return (
      p && {
        id: paperId(p.uid),
        arxivId: p.arxivId,
        title: p.title,
        titleJa: p.titleJa,
        score: p.score,
        authors: authorList(p.authorsConnection),
        related: {
          totalCount: p.relatedConnection.totalCount,
          edges: p.relatedConnection.edges.map((edge: Row) => ({
            rank: edge.properties.rank,
            score: edge.properties.score,
            node: { id: paperId(edge.node.uid), title: edge.node.title },
          })),
        },
      }
    );
  },
};

const papers: LibraryOperation = {
  document: `query Papers($before: DateTime!, $minScore: Float!) {
  papersConnection(
    first: 20
    where: { publishedAt: { lt: $before }, score: { gte: $minScore } }
    sort: [{ publishedAt: DESC }, { uid: DESC }]
  ) {
    pageInfo { hasNextPage endCursor }
    edges { node { uid title score ${AUTHORS} } }
  }
}`,
  omitted: DATES,
  variables: (variables) => ({ before: variables.filter.publishedBefore, minScore: variables.filter.minScore }),
  answer: (data) => ({
    hasNextPage: data.papersConnection.pageInfo.hasNextPage,
    nodes: data.papersConnection.edges.map(({ node }: Row) => ({
      id: paperId(node.uid),
      title: node.title,
      score: node.score,
      authors: authorList(node.authorsConnection),
    })),
  }),
};

const authorPapers: LibraryOperation = {
  document: `query AuthorPapers($uid: String!) {
  authors(where: { uid: { eq: $uid } }) {
    uid name
    papersConnection(first: 10, sort: [{ node: { publishedAt: DESC } }, { node: { uid: DESC } }]) {
      totalCount
      edges { node { uid title ${AUTHORS} } }
    }
  }
}`,
  omitted: DATES,
  variables: (variables) => ({ uid: authorUid(variables) }),
  answer: (data) => {
    const [a] = data.authors as Row[];
    return (
      a && {
        id: authorId(a.uid),
        name: a.name,
        papers: {
          totalCount: a.papersConnection.totalCount,
          edges: a.papersConnection.edges.map(({ node }: Row) => ({
            node: { id: paperId(node.uid), title: node.title, authors: authorList(node.authorsConnection) },
          })),
        },
      }
    );
  },
};

const relatedRelated: LibraryOperation = {
  document: `query RelatedRelated($uid: String!) {
  papers(where: { uid: { eq: $uid } }) {
    uid
    relatedConnection(first: 5, ${SCORED}, ${RELATED_ORDER}) {
      edges {
        properties { score }
        node { uid title relatedConnection(first: 5, ${SCORED}, ${RELATED_ORDER}) { edges { properties { score } node { uid title } } } }
      }
    }
  }
}`,
  omitted: [],
  variables: (variables) => ({ uid: paperUid(variables) }),
  answer: (data) => {
    const [p] = data.papers as Row[];
    const edges = (connection: Row, inner: (node: Row) => object) =>
      connection.edges.map((edge: Row) => ({
        score: edge.properties.score,
        node: { id: paperId(edge.node.uid), title: edge.node.title, ...inner(edge.node) },
      }));
    return (
      p && {
        id: paperId(p.uid),
        related: { edges: edges(p.relatedConnection, (q) => ({ related: { edges: edges(q.relatedConnection, () => ({})) } })) },
      }
    );
  },
};

/** The sort key, how often each reference is cited, is a @cypher field of the type definitions. */
const citations: LibraryOperation = {
  document: `query Citations($uid: String!) {
  papers(where: { uid: { eq: $uid } }) {
    uid
    referencesConnection(first: 10, sort: [{ node: { citedByCount: DESC } }, { node: { uid: DESC } }]) { totalCount edges { node { uid title } } }
  }
}`,
  omitted: [],
  variables: (variables) => ({ uid: paperUid(variables) }),
  answer: (data) => {
    const [p] = data.papers as Row[];
    return (
      p && {
        id: paperId(p.uid),
        references: {
          totalCount: p.referencesConnection.totalCount,
          edges: p.referencesConnection.edges.map(({ node }: Row) => ({ node: { id: paperId(node.uid), title: node.title } })),
        },
      }
    );
  },
};

/** Every operation of the mix (bench/api/operations.ts operationNames), as the library states it or why not. */
export const libraryForms: Record<string, LibraryForm> = {
  paper,
  papers,
  coauthors: { unsupported: 'groups a two-hop pattern by co-author and orders by the group size: no aggregation of that kind' },
  'author-papers': authorPapers,
  'related-related': relatedRelated,
  neighbourhood: { unsupported: 'a bounded breadth-first walk over two relationship types with the edges among the nodes found' },
  'search-en': { unsupported: 'full-text search over several indexes merged by weighted score (its @fulltext queries one index)' },
  'search-ja': { unsupported: 'full-text search over several indexes merged by weighted score (its @fulltext queries one index)' },
  path: { unsupported: 'no shortest path in the generated API' },
  citations,
};

export function libraryOperation(name: string): LibraryOperation | undefined {
  const form = libraryForms[name];
  return form && 'document' in form ? form : undefined;
}
