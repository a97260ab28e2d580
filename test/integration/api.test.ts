import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/driver.ts';
import { exampleOperations } from '../../src/graphql/examples.ts';
import { encodeGlobalId } from '../../src/graphql/lib/global-id.ts';
import { createPapergraphYoga, type PapergraphYoga } from '../../src/yoga.ts';
import { connectSeededDatabase } from '../helpers/database.ts';
import { expectOk, graphql } from '../helpers/graphql.ts';

let database: Database;
let yoga: PapergraphYoga;

beforeAll(async () => {
  database = await connectSeededDatabase();
  yoga = createPapergraphYoga({ database, debugExtensions: true });
});
afterAll(async () => {
  await database?.close();
});

const ok = <T = Record<string, any>>(query: string, variables?: Record<string, unknown>) => expectOk<T>(yoga, query, variables);

async function idOfArxiv(arxivId: string): Promise<string> {
  const { data } = await ok('query ($a: String!) { paper(arxivId: $a) { id } }', { a: arxivId });
  return data.paper.id;
}

async function idOfTitle(title: string): Promise<string> {
  const { data } = await ok('query ($t: String!) { papers(filter: { titleContains: $t }, first: 2) { edges { node { id title } } } }', { t: title });
  expect(data.papers.edges).toHaveLength(1);
  return data.papers.edges[0].node.id;
}

async function idOfAuthor(name: string): Promise<string> {
  const { data } = await ok('query ($n: String!) { author(name: $n) { id } }', { n: name });
  return data.author.id;
}

describe('papers', () => {
  it('gives every stored field of a paper looked up by arXiv id, authors in order', async () => {
    const { data } = await ok(`{
      paper(arxivId: "2309.08351") {
        arxivId version url title titleJa publishedAt status siteUpdatedAt score license hasPage
        summaryJa abstract abstractJa sourceFile
        authors { name }
        relatedCount
      }
    }`);
    const paper = data.paper;
    expect(paper).toMatchObject({
      arxivId: '2309.08351',
      version: 1,
      url: 'http://arxiv.org/abs/2309.08351v1',
      title: 'Headless Language Models: Learning without Predicting with Contrastive Weight Tying',
      titleJa: 'ヘッドレス言語モデル: 重み付けによる予測を伴わない学習',
      publishedAt: '2023-09-15T12:20:00.000Z',
      status: '処理完了',
      siteUpdatedAt: '2023-09-18T14:52:48.391Z',
      score: 0.11510009152620666,
      license: 'http://creativecommons.org/licenses/by-sa/4.0/',
      hasPage: true,
      relatedCount: 9,
      authors: [{ name: 'Nathan Godey' }, { name: 'Éric de la Clergerie' }, { name: 'Benoît Sagot' }],
    });
    expect(paper.sourceFile).toBe('001_04bf9b40e325e809.txt');
    expect(paper.summaryJa.split('\n')).toHaveLength(3);
    expect(paper.abstract).toMatch(/^Self-supervised pre-training of language models usually consists in predicting probability/);
    expect(paper.abstract).toMatch(/within similar compute budgets\.$/);
    expect(paper.abstractJa.split('\n')[0]).toBe('言語モデルの自己教師付き事前訓練は通常、広範囲なトークン語彙上の確率分布を予測する。');
  });

  it("lists a paper's related papers in page order with their scores", async () => {
    const { data } = await ok(`{
      paper(arxivId: "2412.03275v1") {
        related(first: 10) { totalCount edges { rank score node { title publishedAt hasPage } } }
      }
    }`);
    expect(data.paper.related.totalCount).toBe(8);
    expect(data.paper.related.edges.map((edge: any) => [edge.rank, edge.node.title, edge.score])).toEqual([
      [1, 'Can MLLMs Guide Weakly-Supervised Temporal Action Localization Tasks?', 6.7065734065794835],
      [2, 'LLaVA-KD: A Framework of Distilling Multimodal Large Language Models', 70.19607283302712],
      [3, '$γ-$MoD: Exploring Mixture-of-Depth Adaptation for Multimodal Large Language Models', 87.43596173378913],
      [4, 'LLaVA-MoD: Making LLaVA Tiny via MoE Knowledge Distillation', 41.05687297326706],
      [5, 'Extend Model Merging from Fine-Tuned to Pre-Trained Large Language Models via Weight Disentanglement', 72.97553348776425],
      [6, 'Delta-CoMe: Training-Free Delta-Compression with Mixed-Precision for Large Language Models', 79.46938238953916],
      [7, 'Knowledge Fusion of Large Language Models', 73.28202188100646],
      [8, 'LLM-Pruner: On the Structural Pruning of Large Language Models', 65.02607075556742],
    ]);
    expect(data.paper.related.edges[0].node).toEqual({
      title: 'Can MLLMs Guide Weakly-Supervised Temporal Action Localization Tasks?',
      publishedAt: '2024-11-13T09:37:24.000Z',
      hasPage: false,
    });
  });

  it('filters related links by minimum score and shows who lists a paper', async () => {
    const { data } = await ok(`{
      paper(arxivId: "2412.03275") { related(minScore: 72) { totalCount edges { rank } } }
      papers(filter: { titleContains: "Knowledge Fusion" }) {
        edges { node { relatedBy { edges { score node { arxivId } } } } }
      }
    }`);
    expect(data.paper.related).toEqual({ totalCount: 4, edges: [{ rank: 3 }, { rank: 5 }, { rank: 6 }, { rank: 7 }] });
    expect(data.papers.edges[0].node.relatedBy.edges).toEqual([{ score: 73.28202188100646, node: { arxivId: '2412.03275' } }]);
  });

  it('filters and orders the papers', async () => {
    const { data } = await ok(`{
      withPages: papers(filter: { hasAbstract: true }, orderBy: { field: SCORE, direction: DESC }) { totalCount edges { node { arxivId score } } }
      translated: papers(filter: { status: "翻訳完了", minScore: 15 }, orderBy: { field: PUBLISHED_AT, direction: ASC }) { edges { node { arxivId } } }
      byAuthor: papers(filter: { authorNameContains: "sagot" }) { edges { node { arxivId } } }
      late2024: papers(filter: { publishedAfter: "2024-12-01", publishedBefore: "2025-01-01T09:00:00+09:00", hasAbstract: true }) { edges { node { arxivId } } }
      ancient: papers(filter: { publishedBefore: "0099-06-30" }) { totalCount }
      mostLinked: papers(first: 1, orderBy: { field: RELATED_COUNT, direction: DESC }) { edges { node { arxivId relatedCount } } }
      all: papers { totalCount }
    }`);
    expect(data.withPages.totalCount).toBe(5);
    expect(data.withPages.edges.map((edge: any) => edge.node.arxivId)).toEqual(['2310.04691', '2410.18514', '2412.03275', '2410.12391', '2309.08351']);
    expect(data.translated.edges.map((edge: any) => edge.node.arxivId)).toEqual(['2412.03275', '2410.18514']);
    expect(data.byAuthor.edges.map((edge: any) => edge.node.arxivId)).toEqual(['2309.08351']);
    expect(data.late2024.edges.map((edge: any) => edge.node.arxivId)).toEqual(['2410.18514', '2412.03275']);
    expect(data.ancient.totalCount).toBe(0);
    expect(data.mostLinked.edges[0].node).toEqual({ arxivId: '2410.12391', relatedCount: 11 });
    expect(data.all.totalCount).toBe(46);
  });

  it('pages forward and backward through all papers with no gap and no duplicate', async () => {
    const { data: everything } = await ok('{ papers(first: 100) { edges { node { id } } } }');
    const all = everything.papers.edges.map((edge: any) => edge.node.id);
    expect(all).toHaveLength(46);

    for (const orderBy of [
      { field: 'PUBLISHED_AT', direction: 'DESC' },
      { field: 'TITLE', direction: 'ASC' },
      { field: 'SCORE', direction: 'ASC' },
    ]) {
      const forward: string[] = [];
      let after: string | null = null;
      for (let pages = 0; pages < 20; pages += 1) {
        const { data }: { data: any } = await ok<any>(
          'query ($after: String, $orderBy: PaperOrder) { papers(first: 7, after: $after, orderBy: $orderBy) { edges { node { id } } pageInfo { hasNextPage endCursor } } }',
          { after, orderBy },
        );
        forward.push(...data.papers.edges.map((edge: any) => edge.node.id));
        if (!data.papers.pageInfo.hasNextPage) break;
        after = data.papers.pageInfo.endCursor;
      }
      expect(new Set(forward).size).toBe(46);
      expect(forward).toHaveLength(46);

      const backward: string[] = [];
      let before: string | null = null;
      for (let pages = 0; pages < 20; pages += 1) {
        const { data }: { data: any } = await ok<any>(
          'query ($before: String, $orderBy: PaperOrder) { papers(last: 7, before: $before, orderBy: $orderBy) { edges { node { id } } pageInfo { hasPreviousPage startCursor } } }',
          { before, orderBy },
        );
        backward.unshift(...data.papers.edges.map((edge: any) => edge.node.id));
        if (!data.papers.pageInfo.hasPreviousPage) break;
        before = data.papers.pageInfo.startCursor;
      }
      expect(backward).toEqual(forward);
    }
  });

  it('keeps a cursor valid when papers are added before it', async () => {
    const { data: first } = await ok('{ papers(first: 3) { edges { node { id } } pageInfo { endCursor } } }');
    const { data: next } = await ok('query ($a: String) { papers(first: 3, after: $a) { edges { node { id } } } }', { a: first.papers.pageInfo.endCursor });
    const { Cypher } = await import('../../src/db/run.ts');
    const cypher = new Cypher(database);
    await cypher.write("CREATE (:Paper {uid: 'newest', titleKey: 'anewpaper', title: 'A New Paper', publishedAt: datetime('2030-01-01T00:00:00Z')})");
    try {
      const { data: again } = await ok('query ($a: String) { papers(first: 3, after: $a) { edges { node { id } } } }', { a: first.papers.pageInfo.endCursor });
      expect(again.papers.edges).toEqual(next.papers.edges);
    } finally {
      await cypher.write("MATCH (p:Paper {uid: 'newest'}) DELETE p");
    }
  });
});

describe('nodes and ids', () => {
  it('fetches papers and authors by global id, batched, null for unknown ids', async () => {
    const paperId = await idOfArxiv('2410.18514');
    const authorId = await idOfAuthor('Chongxuan Li');
    const unknown = encodeGlobalId('Paper', 'no-such-uid');
    const response = await ok(
      `query ($ids: [ID!]!, $one: ID!) {
        nodes(ids: $ids) { id ... on Paper { arxivId } ... on Author { name } }
        node(id: $one) { id }
      }`,
      { ids: [paperId, authorId, unknown], one: unknown },
    );
    expect(response.data.nodes).toEqual([{ id: paperId, arxivId: '2410.18514' }, { id: authorId, name: 'Chongxuan Li' }, null]);
    expect(response.data.node).toBeNull();
    const { data } = await ok('query ($id: ID!) { paper(id: $id) { arxivId } author(name: "nobody at all") { id } }', { id: unknown });
    expect(data).toEqual({ paper: null, author: null });
  });

  it('answers a malformed id, a wrong-type id or a bad cursor with a coded error', async () => {
    const authorId = await idOfAuthor('Niels Horn');
    const cases: [string, Record<string, unknown>, string][] = [
      ['query ($id: ID!) { paper(id: $id) { title } }', { id: 'not base64 at all!' }, 'INVALID_ID'],
      ['query ($id: ID!) { paper(id: $id) { title } }', { id: authorId }, 'INVALID_ID'],
      ['query ($id: ID!) { node(id: $id) { id } }', { id: '%%%' }, 'INVALID_ID'],
      ['{ papers(after: "garbage") { totalCount } }', {}, 'INVALID_CURSOR'],
      // A well-formed cursor whose sort value has the wrong type for its ordering.
      [
        'query ($a: String) { papers(after: $a) { totalCount } }',
        { a: Buffer.from('["PUBLISHED_AT:DESC","soon","x"]').toString('base64url') },
        'INVALID_CURSOR',
      ],
      ['{ papers(first: -1) { totalCount } }', {}, 'BAD_USER_INPUT'],
      ['{ papers(first: 1000) { totalCount } }', {}, 'BAD_USER_INPUT'],
      ['{ paper(arxivId: "2412.03275") { neighborhood(depth: 4) { nodes { id } } } }', {}, 'BAD_USER_INPUT'],
      ['{ paper { title } }', {}, 'BAD_USER_INPUT'],
      ['{ search(query: "   ") { score } }', {}, 'BAD_USER_INPUT'],
      ['{ papers(filter: { publishedAfter: "yesterday" }) { totalCount } }', {}, 'BAD_USER_INPUT'],
      ['{ papers(filter: { publishedAfter: "2024-02-30" }) { totalCount } }', {}, 'BAD_USER_INPUT'],
      ['{ papers(filter: { publishedAfter: "2024-12-01T10:00" }) { totalCount } }', {}, 'BAD_USER_INPUT'],
      ['{ papers(filter: { publishedAfter: "2024-01-01T24:00:00Z" }) { totalCount } }', {}, 'BAD_USER_INPUT'],
      ['query ($id: ID!) { node(id: $id) { id } }', { id: Buffer.from('Coauthor:x').toString('base64url') }, 'INVALID_ID'],
      ['query ($id: ID!) { nodes(ids: [$id]) { id } }', { id: Buffer.from('Foo:x').toString('base64url') }, 'INVALID_ID'],
      ['{ papers(first: 2, before: "x") { totalCount } }', {}, 'BAD_USER_INPUT'],
      ['{ papers(last: 2, after: "x") { totalCount } }', {}, 'BAD_USER_INPUT'],
    ];
    for (const [query, variables, code] of cases) {
      const response = await graphql(yoga, query, variables);
      expect(response.status, query).toBeLessThan(500);
      expect(response.errors?.[0]?.extensions?.code, query).toBe(code);
      expect(JSON.stringify(response.errors)).not.toMatch(/\.ts:\d+|stack|Neo4jError/);
    }
    const { data: firstPage } = await ok('{ papers(first: 1) { pageInfo { endCursor } } }');
    const mismatched = await graphql(yoga, 'query ($a: String) { papers(after: $a, orderBy: { field: TITLE }) { totalCount } }', {
      a: firstPage.papers.pageInfo.endCursor,
    });
    expect(mismatched.errors?.[0]?.extensions?.code).toBe('INVALID_CURSOR');
  });
});

describe('authors', () => {
  it("lists an author's papers, co-authors and collaboration distance", async () => {
    const sagot = await idOfAuthor('Benoît Sagot');
    const { data } = await ok(
      `query ($sagot: ID!) {
        author(name: "nathan godey") {
          name
          papers { totalCount edges { node { arxivId } } }
          coauthorCount
          firstCoauthor: coauthors(first: 1) { author { name } }
          coauthors { author { name } sharedPaperCount sharedPapers { arxivId } }
          toSagot: collaborationDistance(to: $sagot)
        }
      }`,
      { sagot },
    );
    expect(data.author).toEqual({
      name: 'Nathan Godey',
      papers: { totalCount: 1, edges: [{ node: { arxivId: '2309.08351' } }] },
      coauthors: [
        { author: { name: 'Benoît Sagot' }, sharedPaperCount: 1, sharedPapers: [{ arxivId: '2309.08351' }] },
        { author: { name: 'Éric de la Clergerie' }, sharedPaperCount: 1, sharedPapers: [{ arxivId: '2309.08351' }] },
      ],
      toSagot: 1,
      // The true total, however few co-authors the list is asked for.
      coauthorCount: 2,
      firstCoauthor: [{ author: { name: 'Benoît Sagot' } }],
    });
    const far = await ok('query ($to: ID!) { author(name: "Xinru Yu") { self: collaborationDistance(to: $to) } }', { to: await idOfAuthor('Xinru Yu') });
    expect(far.data.author.self).toBe(0);
    const none = await ok('query ($to: ID!) { author(name: "Xinru Yu") { collaborationDistance(to: $to) } }', { to: sagot });
    expect(none.data.author.collaborationDistance).toBeNull();
  });

  it('filters and orders authors', async () => {
    const { data } = await ok(`{
      authors(filter: { nameContains: "li" }, orderBy: { field: NAME, direction: ASC }) { totalCount edges { node { name } } }
    }`);
    expect(data.authors.edges.map((edge: any) => edge.node.name)).toEqual(['Chongxuan Li', 'Desmond Elliott', 'Min Lin', 'Qian Liu']);
    expect(data.authors.totalCount).toBe(4);
  });
});

describe('search', () => {
  it('finds a paper by a word of its Japanese title', async () => {
    const { data } = await ok('{ search(query: "ユニバーサル", language: JA) { score matchedFields paper { arxivId } } }');
    expect(data.search[0]).toEqual({ score: 1, matchedFields: ['TITLE_JA'], paper: { arxivId: '2410.12391' } });
    expect(data.search).toHaveLength(1);
  });

  it('finds English words in titles and abstracts, and merges both languages in one ranking', async () => {
    const { data } = await ok(`{
      en: search(query: "headless", language: EN) { matchedFields paper { arxivId } }
      any: search(query: "ヘッドレス headless", language: ANY) { matchedFields paper { arxivId } }
      special: search(query: "(AND \\"unbalanced") { score }
    }`);
    expect(data.en).toEqual([{ matchedFields: ['TITLE', 'ABSTRACT'], paper: { arxivId: '2309.08351' } }]);
    expect(data.any[0].paper.arxivId).toBe('2309.08351');
    expect([...data.any[0].matchedFields].sort()).toEqual(['ABSTRACT', 'ABSTRACT_JA', 'TITLE', 'TITLE_JA']);
    expect(data.special).toEqual([]);
  });
});

describe('traversals', () => {
  it("draws a paper's neighbourhood: itself, its authors and related papers, and the edges among them", async () => {
    const { data } = await ok(`{
      paper(arxivId: "2410.18514") {
        one: neighborhood(depth: 1) { nodes { kind label distance } edges { type weight } }
        two: neighborhood(depth: 2, minScore: 50) { nodes { kind distance } edges { type } }
      }
    }`);
    const one = data.paper.one;
    expect(one.nodes).toHaveLength(1 + 8 + 7);
    expect(one.nodes[0]).toEqual({ kind: 'PAPER', label: 'Scaling up Masked Diffusion Models on Text', distance: 0 });
    expect(one.nodes.filter((node: any) => node.kind === 'AUTHOR')).toHaveLength(8);
    expect(one.edges.filter((edge: any) => edge.type === 'AUTHORED')).toHaveLength(8);
    expect(
      one.edges
        .filter((edge: any) => edge.type === 'RELATED_TO')
        .map((edge: any) => edge.weight)
        .sort(),
    ).toEqual([77.02553707673418, 0.8388591755871735, 5.932787778915417, 55.03585818289934, 52.83811558753284, 71.59893315671997, 113.52575069030192].sort());
    // minScore 50 keeps 5 of the 7 related links; depth 2 reaches nothing more (no paper shares authors or neighbours here).
    expect(data.paper.two.nodes).toHaveLength(1 + 8 + 5);
  });

  it('reaches siblings at distance 2 from a related paper', async () => {
    const knowledgeFusion = await idOfTitle('Knowledge Fusion of Large Language Models');
    const { data } = await ok('query ($id: ID!) { paper(id: $id) { neighborhood(depth: 2) { nodes { distance kind } } } }', { id: knowledgeFusion });
    const distances = data.paper.neighborhood.nodes.map((node: any) => `${node.distance}${node.kind[0]}`);
    expect(distances.filter((d: string) => d === '0P')).toHaveLength(1);
    expect(distances.filter((d: string) => d === '1P')).toHaveLength(1);
    expect(distances.filter((d: string) => d === '2P')).toHaveLength(7);
    expect(distances.filter((d: string) => d === '2A')).toHaveLength(6);
  });

  it('finds the shortest path from an author to a paper listed as related to theirs, and none between unconnected papers', async () => {
    const from = await idOfAuthor('Xinru Yu');
    const to = await idOfTitle('Knowledge Fusion of Large Language Models');
    const other = await idOfArxiv('2309.08351');
    const { data } = await ok(
      `query ($from: ID!, $to: ID!, $other: ID!) {
        shortestPath(from: $from, to: $to) { length nodes { id kind label distance } edges { type source target weight } }
        onlyAuthorship: shortestPath(from: $from, to: $to, via: [AUTHORED]) { length }
        tooShort: shortestPath(from: $from, to: $to, maxDepth: 1) { length }
        none: shortestPath(from: $to, to: $other) { length }
        all: allShortestPaths(from: $from, to: $to, first: 5) { length }
      }`,
      { from, to, other },
    );
    const antlm = await idOfArxiv('2412.03275');
    expect(data.shortestPath).toEqual({
      length: 2,
      nodes: [
        { id: from, kind: 'AUTHOR', label: 'Xinru Yu', distance: 0 },
        { id: antlm, kind: 'PAPER', label: 'AntLM: Bridging Causal and Masked Language Models', distance: 1 },
        { id: to, kind: 'PAPER', label: 'Knowledge Fusion of Large Language Models', distance: 2 },
      ],
      edges: [
        { type: 'AUTHORED', source: from, target: antlm, weight: 1 },
        { type: 'RELATED_TO', source: antlm, target: to, weight: 73.28202188100646 },
      ],
    });
    expect(data.onlyAuthorship).toBeNull();
    expect(data.tooShort).toBeNull();
    expect(data.none).toBeNull();
    expect(data.all).toEqual([{ length: 2 }]);
  });

  it('gives graph nodes their paper and author records when the selection asks for them, in a path and a neighbourhood', async () => {
    const from = await idOfAuthor('Xinru Yu');
    const to = await idOfTitle('Knowledge Fusion of Large Language Models');
    const records = 'kind paper { id arxivId title } ... on GraphNode { author { id name } }';
    const { data } = await ok(
      `query ($from: ID!, $to: ID!) {
        shortestPath(from: $from, to: $to) { nodes { ${records} } }
        onlyPapers: shortestPath(from: $from, to: $to) { nodes { kind paper { title } } }
        paper(arxivId: "2412.03275") {
          folded: neighborhood(depth: 1, limit: 3) { nodes { ${records} } }
          alone: neighborhood(depth: 1, limit: 3) { nodes { kind author { name } } }
        }
      }`,
      { from, to },
    );
    const antlm = await idOfArxiv('2412.03275');
    expect(data.shortestPath.nodes).toEqual([
      { kind: 'AUTHOR', paper: null, author: { id: from, name: 'Xinru Yu' } },
      { kind: 'PAPER', paper: { id: antlm, arxivId: '2412.03275', title: 'AntLM: Bridging Causal and Masked Language Models' }, author: null },
      { kind: 'PAPER', paper: { id: to, arxivId: null, title: 'Knowledge Fusion of Large Language Models' }, author: null },
    ]);
    expect(data.onlyPapers.nodes.map((node: any) => node.paper?.title ?? null)).toEqual([
      null,
      'AntLM: Bridging Causal and Masked Language Models',
      'Knowledge Fusion of Large Language Models',
    ]);
    const { folded, alone } = data.paper;
    expect(folded.nodes[0]).toEqual({
      kind: 'PAPER',
      paper: { id: antlm, arxivId: '2412.03275', title: 'AntLM: Bridging Causal and Masked Language Models' },
      author: null,
    });
    for (const node of folded.nodes.slice(1)) {
      expect(node.kind === 'AUTHOR' ? node.author.name : node.paper.title).toEqual(expect.any(String));
    }
    expect(alone.nodes.map((node: any) => node.kind)).toEqual(folded.nodes.map((node: any) => node.kind));
    expect(alone.nodes.map((node: any) => node.author?.name ?? null)).toEqual(folded.nodes.map((node: any) => node.author?.name ?? null));
  });

  it('finds all shortest paths between two co-authors', async () => {
    const { data } = await ok('query ($a: ID!, $b: ID!) { allShortestPaths(from: $a, to: $b) { length nodes { label } } }', {
      a: await idOfAuthor('Shen Nie'),
      b: await idOfAuthor('Chongxuan Li'),
    });
    expect(data.allShortestPaths).toEqual([
      { length: 2, nodes: [{ label: 'Shen Nie' }, { label: 'Scaling up Masked Diffusion Models on Text' }, { label: 'Chongxuan Li' }] },
    ]);
  });

  it("recommends a related paper's siblings, with the reason", async () => {
    const id = await idOfTitle('Knowledge Fusion of Large Language Models');
    const { data } = await ok(
      'query ($id: ID!) { paper(id: $id) { recommendations(first: 3) { score reason sharedAuthors { name } sharedNeighbours { arxivId } paper { hasPage } } } }',
      { id },
    );
    expect(data.paper.recommendations).toHaveLength(3);
    for (const recommendation of data.paper.recommendations) {
      expect(recommendation).toEqual({
        score: 1,
        reason: 'is related to 1 paper this one is related to',
        sharedAuthors: [],
        sharedNeighbours: [{ arxivId: '2412.03275' }],
        paper: { hasPage: false },
      });
    }
  });
});

describe('batching', () => {
  const deepQuery = (first: number) => `{
    papers(first: ${first}) { edges { node { authors { papers(first: 5) { edges { node { related(first: 5) { edges { node { title } } } } } } } } } }
  }`;

  it('runs papers → authors → papers → related in one Cypher round-trip, whatever the page size', async () => {
    const big = await ok(deepQuery(50));
    const small = await ok(deepQuery(5));
    expect(big.data.papers.edges).toHaveLength(46);
    // The page with its papers' authors, their papers and those papers' related lists, in one query.
    expect(big.extensions.cypherRoundTrips).toBe(1);
    expect(small.extensions.cypherRoundTrips).toBe(1);
    const titles = big.data.papers.edges.flatMap((edge: any) =>
      edge.node.authors.flatMap((author: any) => author.papers.edges.flatMap((paper: any) => paper.node.related.edges.map((r: any) => r.node.title))),
    );
    expect(titles.length).toBeGreaterThan(22);
  });

  it('loads the same relation for many parents in one round-trip', async () => {
    const response = await ok(`{
      papers(first: 50) { edges { node { relatedCount neighborhood { nodes { id } } recommendations { score } relatedBy { totalCount } } } }
    }`);
    // papers with relatedCount and relatedBy folded in; neighborhood and recommendations: one each.
    expect(response.extensions.cypherRoundTrips).toBe(3);
  });
});

describe('folding', () => {
  const paperFields = `id title authors { id name }
    related(first: 3, minScore: 0.5) { totalCount edges { rank score cursor node { id title } } pageInfo { hasNextPage endCursor } }
    neighborhood(depth: 2, limit: 30) { nodes { id kind distance } edges { type source target weight } }`;

  it('fetches a looked-up paper with its authors, related page and neighbourhood in one round-trip, as node() does in four', async () => {
    const lookedUp = await ok(`{ paper(arxivId: "2410.12391") { ${paperFields} } }`);
    expect(lookedUp.extensions.cypherRoundTrips).toBe(1);
    const byNode = await ok(`query ($id: ID!) { node(id: $id) { ... on Paper { ${paperFields} } } }`, { id: lookedUp.data.paper.id });
    expect(byNode.extensions.cypherRoundTrips).toBe(4);
    expect(lookedUp.data.paper).toEqual(byNode.data.node);
    expect(lookedUp.data.paper.authors.length).toBeGreaterThan(0);
    expect(lookedUp.data.paper.related.edges.length).toBeGreaterThan(0);
    expect(lookedUp.data.paper.neighborhood.nodes.length).toBeGreaterThan(lookedUp.data.paper.authors.length);
  });

  it('folds through fragments and aliases, and gives each alias its own arguments', async () => {
    const response = await ok(
      `query ($withAuthors: Boolean!) {
      paper(arxivId: "2410.12391") { ...Parts a: related(first: 2) { edges { rank } } b: related(first: 4) { edges { rank } } }
    }
    fragment Parts on Paper { ... on Paper { authors @include(if: $withAuthors) { name } } }`,
      { withAuthors: true },
    );
    expect(response.data.paper.a.edges.map((edge: any) => edge.rank)).toEqual([1, 2]);
    expect(response.data.paper.b.edges.map((edge: any) => edge.rank)).toEqual([1, 2, 3, 4]);
    expect(response.data.paper.authors.length).toBeGreaterThan(0);
    // The paper with its authors and both related selections, each with its own arguments.
    expect(response.extensions.cypherRoundTrips).toBe(1);
  });

  it('fetches a looked-up author with co-authors, and a page of papers with authors, in one round-trip each', async () => {
    const coauthors = 'name coauthors(first: 5) { sharedPaperCount author { name } sharedPapers { title } }';
    const author = await ok(`{ author(name: "Nathan Godey") { id ${coauthors} } }`);
    expect(author.extensions.cypherRoundTrips).toBe(1);
    const byNode = await ok(`query ($id: ID!) { node(id: $id) { ... on Author { id ${coauthors} } } }`, { id: author.data.author.id });
    expect(author.data.author).toEqual(byNode.data.node);
    expect(author.data.author.coauthors.length).toBeGreaterThan(0);

    const page = await ok('{ papers(first: 10) { edges { node { title authors { name } } } } }');
    expect(page.extensions.cypherRoundTrips).toBe(1);
    const unfolded = await ok('{ papers(first: 10) { edges { node { title } } } }');
    const ids = await ok('{ papers(first: 10) { edges { node { id } } } }');
    const nodes = await ok('query ($ids: [ID!]!) { nodes(ids: $ids) { ... on Paper { title authors { name } } } }', {
      ids: ids.data.papers.edges.map((edge: any) => edge.node.id),
    });
    expect(page.data.papers.edges.map((edge: any) => edge.node)).toEqual(nodes.data.nodes);
    expect(unfolded.data.papers.edges.map((edge: any) => edge.node.title)).toEqual(nodes.data.nodes.map((node: any) => node.title));
  });

  it('leaves a child with bad arguments to report its own error, at its own path', async () => {
    const response = await graphql<any>(
      yoga,
      `{
      paper(arxivId: "2410.12391") { title authors { name } neighborhood(depth: 9) { nodes { id } } }
      author(name: "Nathan Godey") { name coauthors(first: 500) { sharedPaperCount } }
    }`,
    );
    // Both fields are non-null, so their parents become null, exactly as without folding.
    expect(response.data).toEqual({ paper: null, author: null });
    const errors = (response.errors ?? []).map((error) => ({ path: error.path, code: error.extensions?.code }));
    expect(errors).toEqual(
      expect.arrayContaining([
        { path: ['paper', 'neighborhood'], code: 'BAD_USER_INPUT' },
        { path: ['author', 'coauthors'], code: 'BAD_USER_INPUT' },
      ]),
    );
  });

  it('answers one document again with other variables: what hangs on a variable is read afresh, the rest is served the same', async () => {
    // The server keeps what it worked out of a compiled document's selections between requests, but
    // never what an @include or an argument's variable decides. (No string literal: such a document is
    // compiled, see src/graphql/compiled-execution.ts.)
    const document = `query ($arxivId: String!, $withAuthors: Boolean!, $n: Int!) {
      paper(arxivId: $arxivId) {
        authors @include(if: $withAuthors) { name }
        related(first: $n) { edges { rank node { title } } }
        fixed: related(first: 2) { edges { rank node { title } } }
      }
    }`;
    const ranks = (connection: any) => connection.edges.map((edge: any) => edge.rank);
    for (const [withAuthors, n] of [
      [true, 1],
      [false, 3],
      [true, 2],
      [false, 1],
    ] as const) {
      const { data } = await ok(document, { arxivId: '2410.12391', withAuthors, n });
      expect(data.paper.authors?.length > 0).toBe(withAuthors);
      expect('authors' in data.paper).toBe(withAuthors);
      expect(ranks(data.paper.related)).toEqual([1, 2, 3].slice(0, n));
      expect(ranks(data.paper.fixed)).toEqual([1, 2]);
      expect(data.paper.fixed.edges.every((edge: any) => typeof edge.node.title === 'string')).toBe(true);
    }
  });

  it('reads only the properties a selection needs, and never hands such a partial paper to another selection', async () => {
    const { data: ids } = await ok('{ paper(arxivId: "2410.12391") { id related(first: 1) { edges { node { id } } } } }');
    const relatedId = ids.paper.related.edges[0].node.id;
    // The folded query fetches the paper with its title only, and its first related paper with its id only;
    // node() then asks the same two papers for other fields, which must come complete.
    const response = await ok(
      `query ($paper: ID!, $related: ID!) {
      paper(arxivId: "2410.12391") { title related(first: 1) { edges { node { id } } } }
      samePaper: node(id: $paper) { ... on Paper { abstract titleJa hasPage sourceHash } }
      sameRelated: node(id: $related) { ... on Paper { title summaryJa publishedAt } }
    }`,
      { paper: ids.paper.id, related: relatedId },
    );
    expect(response.data.paper.title).toBeTruthy();
    expect(response.data.samePaper.abstract).toMatch(/^We study how features emerge/);
    expect(response.data.samePaper.titleJa).toBeTruthy();
    expect(response.data.samePaper.hasPage).toBe(true);
    expect(response.data.samePaper.sourceHash).toMatch(/^[0-9a-f]{64}$/);
    expect(response.data.sameRelated.title).toBeTruthy();
    expect(response.data.sameRelated.publishedAt).toBeTruthy();
    const search = await ok('{ search(query: "diffusion", first: 3) { paper { id title abstract } } }');
    const full = await ok('query ($ids: [ID!]!) { nodes(ids: $ids) { ... on Paper { id title abstract } } }', {
      ids: search.data.search.map((hit: any) => hit.paper.id),
    });
    expect(search.data.search.map((hit: any) => hit.paper)).toEqual(full.data.nodes);
  });

  it('keeps a folded value for its own place in the operation: the same paper reached deeper selects afresh', async () => {
    // The paper's related list is folded with ids only; through its authors' papers the same paper is
    // reached again, and there its related list asks for abstracts.
    const response = await ok(`{
      paper(arxivId: "2410.12391") {
        related(first: 3) { edges { node { id } } }
        authors { papers(first: 5) { edges { node { arxivId related(first: 3) { edges { node { id abstract summaryJa } } } } } } }
      }
    }`);
    const again = response.data.paper.authors
      .flatMap((author: any) => author.papers.edges.map((edge: any) => edge.node))
      .find((paper: any) => paper.arxivId === '2410.12391');
    const nested = again.related.edges.map((edge: any) => edge.node);
    expect(nested.map((node: any) => node.id)).toEqual(response.data.paper.related.edges.map((edge: any) => edge.node.id));
    const full = await ok('query ($ids: [ID!]!) { nodes(ids: $ids) { ... on Paper { id abstract summaryJa } } }', { ids: nested.map((node: any) => node.id) });
    expect(nested).toEqual(full.data.nodes);
    expect(nested.some((node: any) => node.summaryJa !== null)).toBe(true);
  });

  it('keeps what is folded apart from fields whose aliases look like slot names', async () => {
    const query = `query ($id: ID!) { Paper: paper(id: $id) { a: authors { name } authors: related(first: 2) { totalCount edges { node { title } } } } }`;
    const { data: ids } = await ok('{ paper(arxivId: "2412.03275") { id } }');
    const folded = await ok(query, { id: ids.paper.id });
    const byNode = await ok(`${query.replace('Paper: paper(id: $id) {', 'Paper: node(id: $id) { ... on Paper {')} }`, { id: ids.paper.id });
    expect(folded.data.Paper).toEqual(byNode.data.Paper);
    expect(folded.data.Paper.a.length).toBeGreaterThan(0);
  });

  it('folds a small neighbourhood and leaves a large one to its own query', async () => {
    const small = await ok('{ paper(arxivId: "2410.12391") { neighborhood(depth: 2, limit: 100) { nodes { id } } } }');
    expect(small.extensions.cypherRoundTrips).toBe(1);
    const large = await ok('{ paper(arxivId: "2410.12391") { neighborhood(depth: 3, limit: 100) { nodes { id } } } }');
    expect(large.extensions.cypherRoundTrips).toBe(2);
  });

  it('answers null for an unknown paper or author with folded children', async () => {
    const response = await ok(
      `query ($paper: ID!, $author: ID!) {
      paper(id: $paper) { authors { name } related { totalCount } }
      author(id: $author) { coauthors { sharedPaperCount } }
    }`,
      { paper: encodeGlobalId('Paper', 'nope'), author: encodeGlobalId('Author', 'nope') },
    );
    expect(response.data).toEqual({ paper: null, author: null });
  });
});

describe('lookups', () => {
  it('batches aliased lookups by arXiv id and by name into one round-trip each', async () => {
    const response = await ok(
      `query ($latex: String!) {
      a: paper(arxivId: "2412.03275") { arxivId }
      b: paper(arxivId: "arXiv:2309.08351v1") { arxivId }
      c: paper(arxivId: "http://arxiv.org/abs/2410.12391v1") { arxivId }
      d: paper(arxivId: "9999.99999") { arxivId }
      e: author(name: "Nathan  Godey") { name }
      f: author(name: $latex) { name }
      g: author(name: "BENOÎT SAGOT") { name }
    }`,
      { latex: "\\'Eric de la Clergerie" },
    );
    expect(response.data).toEqual({
      a: { arxivId: '2412.03275' },
      b: { arxivId: '2309.08351' },
      c: { arxivId: '2410.12391' },
      d: null,
      e: { name: 'Nathan Godey' },
      f: { name: 'Éric de la Clergerie' },
      g: { name: 'Benoît Sagot' },
    });
    expect(response.extensions.cypherRoundTrips).toBe(2);
  });

  it("pages through a related list and an author's papers with cursors", async () => {
    const { data: first } = await ok('{ paper(arxivId: "2410.12391") { related(first: 4) { edges { rank cursor } pageInfo { hasNextPage endCursor } } } }');
    expect(first.paper.related.edges.map((edge: any) => edge.rank)).toEqual([1, 2, 3, 4]);
    expect(first.paper.related.pageInfo.hasNextPage).toBe(true);
    const { data: next } = await ok(
      'query ($a: String) { paper(arxivId: "2410.12391") { related(first: 10, after: $a) { edges { rank } pageInfo { hasNextPage hasPreviousPage } } } }',
      {
        a: first.paper.related.pageInfo.endCursor,
      },
    );
    expect(next.paper.related.edges.map((edge: any) => edge.rank)).toEqual([5, 6, 7, 8, 9, 10, 11]);
    expect(next.paper.related.pageInfo).toEqual({ hasNextPage: false, hasPreviousPage: true });
    const { data: back } = await ok('{ paper(arxivId: "2410.12391") { related(last: 3) { edges { rank } } } }');
    expect(back.paper.related.edges.map((edge: any) => edge.rank)).toEqual([9, 10, 11]);
    const { data: author } = await ok('{ author(name: "Shen Nie") { papers(first: 1) { totalCount edges { node { arxivId } } pageInfo { hasNextPage } } } }');
    expect(author.author.papers).toEqual({ totalCount: 1, edges: [{ node: { arxivId: '2410.18514' } }], pageInfo: { hasNextPage: false } });
  });

  it('leaves out of recommendations a paper already linked, even when it shares an author', async () => {
    const { Cypher } = await import('../../src/db/run.ts');
    const cypher = new Cypher(database);
    await cypher.write(`
      MATCH (a:Author {name: 'Niels Horn'}), (p:Paper {arxivId: '2410.12391'})
      CREATE (a)-[:AUTHORED {position: 1}]->(linked:Paper {uid: 'linked', titleKey: 'linkedpaper', title: 'Linked Paper'}),
             (a)-[:AUTHORED {position: 1}]->(:Paper {uid: 'unlinked', titleKey: 'unlinkedpaper', title: 'Unlinked Paper'}),
             (p)-[:RELATED_TO {score: 1.0, rank: 12}]->(linked)`);
    try {
      const { data } = await ok('{ paper(arxivId: "2410.12391") { recommendations { score reason paper { title } } } }');
      expect(data.paper.recommendations).toEqual([{ score: 2, reason: 'shares 1 author (Niels Horn)', paper: { title: 'Unlinked Paper' } }]);
    } finally {
      await cypher.write("MATCH (p:Paper) WHERE p.uid IN ['linked', 'unlinked'] DETACH DELETE p");
    }
  });
});

describe('GraphiQL examples', () => {
  it('every example operation runs on the default pages without error and finds something', async () => {
    for (const example of exampleOperations) {
      const response = await graphql(yoga, example.query, example.variables ? JSON.parse(example.variables) : {});
      expect(response.errors, example.query).toBeUndefined();
      for (const [field, value] of Object.entries(response.data ?? {})) {
        expect(value, `${field} in ${example.query}`).not.toBeNull();
        if (Array.isArray(value)) expect(value.length, `${field} in ${example.query}`).toBeGreaterThan(0);
      }
    }
  });
});
