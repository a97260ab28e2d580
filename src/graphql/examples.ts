import { authorUid, authorKey, paperUid, titleKey } from '../domain/keys.ts';
import { encodeGlobalId } from './lib/global-id.ts';

// The IDs of papers known only from related lists derive from their titles, authors' from their names
// (see src/domain/keys.ts), so these examples work on any database loaded from the default pages.
const paperId = (title: string) => encodeGlobalId('Paper', paperUid(titleKey(title)));
const authorId = (name: string) => encodeGlobalId('Author', authorUid(authorKey(name)));

/** The tabs GraphiQL opens with: traversals that show what the graph can answer. */
export const exampleOperations = [
  {
    query: `# Papers, newest first, with their authors and the start of their related lists.
query LatestPapers {
  stats { papers authors relatedEdges }
  papers(first: 5, filter: { hasAbstract: true }) {
    totalCount
    edges {
      node {
        arxivId title titleJa publishedAt score
        authors { name }
        related(first: 3) { edges { score rank node { title } } }
      }
    }
    pageInfo { hasNextPage endCursor }
  }
}
`,
  },
  {
    query: `# An author's co-author network: who they wrote with, how often, and those people's other papers.
query CoauthorNetwork {
  author(name: "Shen Nie") {
    name
    papers { totalCount edges { node { title } } }
    coauthors(first: 10) {
      sharedPaperCount
      author { id name papers(first: 3) { edges { node { title publishedAt } } } }
    }
  }
}
`,
  },
  {
    query: `# A paper's 2-hop neighbourhood as a graph to draw: papers and authors, typed weighted edges.
query TwoHopNeighbourhood {
  paper(arxivId: "2412.03275") {
    title
    neighborhood(depth: 2, minScore: 10, limit: 50) {
      nodes { id kind label distance }
      edges { type source target weight }
    }
  }
}
`,
  },
  {
    query: `# The shortest path between two papers of the seed, and from an author to a paper.
query PathBetweenPapers($from: ID!, $to: ID!, $author: ID!) {
  shortestPath(from: $from, to: $to, maxDepth: 4) {
    length
    nodes { kind label }
    edges { type weight }
  }
  fromAuthor: shortestPath(from: $author, to: $to) { length nodes { label } }
}
`,
    variables: JSON.stringify(
      {
        from: paperId('Knowledge Fusion of Large Language Models'),
        to: paperId('LLM-Pruner: On the Structural Pruning of Large Language Models'),
        author: authorId('Xinru Yu'),
      },
      null,
      2,
    ),
  },
  {
    query: `# Full-text search in Japanese and English, merged in one ranking, with the fields that matched.
query JapaneseSearch {
  ja: search(query: "言語モデル", language: JA, first: 5) {
    score matchedFields
    paper { title titleJa }
  }
  any: search(query: "ヘッドレス headless", first: 3) { score matchedFields paper { arxivId title } }
}
`,
  },
  {
    query: `# What to read next: papers sharing authors or related papers with this one, and why.
query Recommendations($paper: ID!) {
  paper(id: $paper) {
    title
    recommendations(first: 5) { score reason paper { title publishedAt } }
  }
}
`,
    variables: JSON.stringify({ paper: paperId('Knowledge Fusion of Large Language Models') }, null, 2),
  },
  {
    query: `# Graph analytics (after npm run analyze, which the loaders run after a change): the most influential
# papers, the research communities with their top papers, authors and neighbours, and papers like one.
query Analytics($paper: ID!) {
  stats { analytics { ranAt fresh staleBecause influenceOver communities } }
  papers(first: 5, orderBy: { field: INFLUENCE, direction: DESC }) {
    edges { node { title influence { score rank percentile } community { label } } }
  }
  communities(first: 3) {
    totalCount
    edges {
      node {
        id size label terms
        papers(first: 3) { edges { node { title influence { rank } } } }
        topAuthors(first: 3) { paperCount author { name influence { rank } } }
        neighbours(first: 3) { weight community { label } }
      }
    }
  }
  paper(id: $paper) {
    title
    similar(first: 5) { score paper { title } reasons { sharedReferences sharedCiters sharedAuthors summary } }
  }
}
`,
    variables: JSON.stringify({ paper: paperId('Knowledge Fusion of Large Language Models') }, null, 2),
  },
];
