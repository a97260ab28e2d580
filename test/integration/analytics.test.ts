import { spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { AnalyticsLimitError, analyzeGraph } from '../../src/analytics/analyze.ts';
import { projectRoot } from '../../src/config.ts';
import { encodeGlobalId } from '../../src/graphql/lib/global-id.ts';
import { defaultPagesDir, seedPages } from '../../src/load/pages.ts';
import { importOpenAlex } from '../../src/load/openalex.ts';
import { authorUid } from '../../src/domain/keys.ts';
import { workUid } from '../../src/domain/openalex.ts';
import { resetGraph } from '../helpers/database.ts';
import { expectOk, graphql } from '../helpers/graphql.ts';
import { scratchGraph } from '../helpers/scratch-graph.ts';

/*
 * Small graphs whose answers are known by hand (a star and a chain, two cliques joined by one link, a
 * pair sharing all references), and the project's fixtures, loaded into the real Neo4j, analysed by
 * the real command and read back through the API. PageRank is checked against the plain power
 * iteration below, written from its definition, independent of graphology.
 */

const graph = scratchGraph('analytics', { debugExtensions: true });

const ok = <T = Record<string, any>>(query: string, variables: Record<string, unknown> = {}) => expectOk<T>(graph.yoga, query, variables);

interface WorkSpec {
  id: string;
  title: string;
  cites?: string[];
  authors?: string[];
}

/** Loads OpenAlex works (the importer the users run) into an empty graph. */
async function loadWorks(works: WorkSpec[], reset = true): Promise<void> {
  if (reset) await resetGraph(graph.database);
  const file = path.join(graph.scratch, `works-${Math.random().toString(36).slice(2)}.jsonl`);
  const lines = works.map((work) =>
    JSON.stringify({
      id: `https://openalex.org/${work.id}`,
      title: work.title,
      display_name: work.title,
      publication_year: 2020,
      authorships: (work.authors ?? []).map((author) => ({ author: { id: `https://openalex.org/${author}`, display_name: `Author ${author}` } })),
      referenced_works: (work.cites ?? []).map((id) => `https://openalex.org/${id}`),
      related_works: [],
    }),
  );
  await writeFile(file, `${lines.join('\n')}\n`);
  const summary = await importOpenAlex(graph.database, [file], { onFailure: (failure) => expect.fail(failure.message) });
  expect(summary.failedCount).toBe(0);
}

const paperId = (openalexId: string) => encodeGlobalId('Paper', workUid(openalexId));
const authorId = (openalexId: string) => encodeGlobalId('Author', authorUid(`openalex:${openalexId}`));

/** PageRank by its definition: rank flows along weighted out-links; a node without any spreads its rank over all. */
function referencePagerank(nodes: readonly string[], links: readonly [string, string, number][], alpha = 0.85): Map<string, number> {
  const n = nodes.length;
  const index = new Map(nodes.map((node, i) => [node, i]));
  const out = new Float64Array(n);
  for (const [from, , weight] of links) out[index.get(from)!]! += weight;
  let rank = new Float64Array(n).fill(1 / n);
  for (let iteration = 0; iteration < 10_000; iteration += 1) {
    let dangling = 0;
    for (let i = 0; i < n; i += 1) if (out[i] === 0) dangling += rank[i]!;
    const next = new Float64Array(n).fill((1 - alpha) / n + (alpha * dangling) / n);
    for (const [from, to, weight] of links) next[index.get(to)!]! += (alpha * rank[index.get(from)!]! * weight) / out[index.get(from)!]!;
    const change = next.reduce((sum, value, i) => sum + Math.abs(value - rank[i]!), 0);
    rank = next;
    if (change < 1e-15) break;
  }
  return new Map(nodes.map((node, i) => [node, rank[i]!]));
}

const paperInfluenceQuery = `query ($ids: [ID!]!) {
  nodes(ids: $ids) { ... on Paper { id title influence { score rank percentile } } }
}`;

async function influenceByTitle(ids: string[]) {
  const { data } = await ok<{ nodes: { title: string; influence: { score: number; rank: number; percentile: number } | null }[] }>(paperInfluenceQuery, {
    ids,
  });
  return new Map(data.nodes.map((node) => [node.title, node.influence]));
}

describe('influence: a star and a chain', () => {
  // S1–S4 cite S0 (a star); C1 cites C2, which cites C3 (a chain). Author X wrote S0 and C3.
  const works: WorkSpec[] = [
    { id: 'W10', title: 'Star centre', authors: ['A1'] },
    ...[1, 2, 3, 4].map((i) => ({ id: `W1${i}`, title: `Star leaf ${i}`, cites: ['W10'] })),
    { id: 'W21', title: 'Chain start', cites: ['W22'] },
    { id: 'W22', title: 'Chain middle', cites: ['W23'] },
    { id: 'W23', title: 'Chain end', authors: ['A1'] },
  ];
  const ids = works.map((work) => work.id);

  beforeAll(async () => {
    await loadWorks(works);
    await analyzeGraph(graph.database);
  });

  it('stores PageRank over CITES equal to the definition, with ranks (ties shared) and percentiles', async () => {
    const expected = referencePagerank(
      ids,
      works.flatMap((work) => (work.cites ?? []).map((cited) => [work.id, cited, 1] as [string, string, number])),
    );
    const byTitle = await influenceByTitle(ids.map(paperId));
    for (const work of works) expect(byTitle.get(work.title)!.score).toBeCloseTo(expected.get(work.id)!, 9);
    // The centre, then the chain's end, then its middle; the leaves and the chain's start (no citer) tie.
    expect(byTitle.get('Star centre')).toMatchObject({ rank: 1, percentile: 87.5 });
    expect(byTitle.get('Chain end')).toMatchObject({ rank: 2, percentile: 75 });
    expect(byTitle.get('Chain middle')).toMatchObject({ rank: 3, percentile: 62.5 });
    for (const title of ['Star leaf 1', 'Star leaf 2', 'Star leaf 3', 'Star leaf 4', 'Chain start']) {
      expect(byTitle.get(title)).toMatchObject({ rank: 4, percentile: 0 });
    }
    const total = [...byTitle.values()].reduce((sum, influence) => sum + influence!.score, 0);
    expect(total).toBeCloseTo(1, 10);
  });

  it('orders papers by INFLUENCE in one round-trip, and gives an author the sum of their papers', async () => {
    const { data, extensions } = await ok(`{
      papers(first: 3, orderBy: { field: INFLUENCE, direction: DESC }) { edges { node { title influence { rank } } } }
    }`);
    expect(data.papers.edges.map((edge: any) => [edge.node.title, edge.node.influence.rank])).toEqual([
      ['Star centre', 1],
      ['Chain end', 2],
      ['Chain middle', 3],
    ]);
    expect(extensions.cypherRoundTrips).toBe(1);

    const byTitle = await influenceByTitle([paperId('W10'), paperId('W23')]);
    const author = await ok(`query ($id: ID!) { node(id: $id) { ... on Author { name influence { score rank percentile } } } }`, { id: authorId('A1') });
    expect(author.data.node.influence.score).toBeCloseTo(byTitle.get('Star centre')!.score + byTitle.get('Chain end')!.score, 10);
    expect(author.data.node.influence).toMatchObject({ rank: 1, percentile: 0 }); // the only author
  });

  it('records the run: stats.analytics is fresh, over the counts it read', async () => {
    const { data } = await ok('{ stats { analytics { fresh staleBecause papers citations influenceOver communities ranAt } } }');
    expect(data.stats.analytics).toMatchObject({ fresh: true, staleBecause: null, papers: 8, citations: 6, influenceOver: 'CITES' });
  });
});

describe('communities: two cliques joined by one citation', () => {
  // In each clique every paper cites every earlier one; A4 also cites B1. Author X wrote the A papers.
  const clique = (prefix: string, base: number, title: string): WorkSpec[] =>
    [0, 1, 2, 3].map((i) => ({
      id: `W${base + i}`,
      title: `${title}: ${['Alpha', 'Beta', 'Gamma', 'Delta'][i]}`,
      cites: [0, 1, 2, 3].filter((j) => j < i).map((j) => `W${base + j}`),
      authors: prefix === 'A' ? ['A7'] : [`A${80 + i}`],
    }));
  const works = [...clique('A', 100, 'Graph Neural Networks'), ...clique('B', 200, 'Protein Folding Dynamics')];
  works[3]!.cites!.push('W200');
  const communityQuery = `query ($ids: [ID!]!) { nodes(ids: $ids) { ... on Paper { title community { id size label terms } } } }`;
  const allIds = works.map((work) => paperId(work.id));

  beforeAll(async () => {
    await loadWorks(works);
    await analyzeGraph(graph.database);
  });

  it('finds the two cliques, each labelled by its distinctive title words, linked to each other', async () => {
    const { data } = await ok(communityQuery, { ids: allIds });
    const communityOf = new Map<string, any>(data.nodes.map((node: any) => [node.title, node.community]));
    const a = communityOf.get('Graph Neural Networks: Alpha');
    const b = communityOf.get('Protein Folding Dynamics: Alpha');
    expect(a).toMatchObject({ size: 4, label: 'graph, networks, neural', terms: ['graph', 'networks', 'neural'] });
    expect(b).toMatchObject({ size: 4, label: 'dynamics, folding, protein', terms: ['dynamics', 'folding', 'protein'] });
    for (const work of works) expect(communityOf.get(work.title).id).toBe(work.id < 'W200' ? a.id : b.id);

    // Between them: the sum of the documented weights of the links from one to the other (citation 1,
    // related link 0.5, each of a paper's first three SIMILAR_TO links 0.5 × its score), recomputed from the stored links.
    const [between] = await graph.cypher.read<{ weight: number }>(
      `CALL () {
         MATCH (a:Paper)-[r:CITES|RELATED_TO]->(b:Paper) WHERE a.communityId <> b.communityId
         RETURN CASE type(r) WHEN 'CITES' THEN 1.0 ELSE 0.5 END AS weight
         UNION ALL
         MATCH (a:Paper)-[r:SIMILAR_TO]->(b:Paper)
         WITH a, r, b ORDER BY r.score DESC, b.uid
         WITH a, collect({ score: r.score, community: b.communityId })[..3] AS first
         UNWIND first AS similar
         WITH a, similar WHERE similar.community <> a.communityId
         RETURN 0.5 * similar.score AS weight
       }
       RETURN sum(weight) AS weight`,
    );
    expect(between!.weight).toBeGreaterThan(1);
    const listed = await ok(`{
      communities(first: 5) { totalCount edges { node { id size neighbours { weight community { id } } } } }
    }`);
    expect(listed.data.communities.totalCount).toBe(2);
    for (const edge of listed.data.communities.edges) {
      expect(edge.node.neighbours).toHaveLength(1);
      expect(edge.node.neighbours[0].weight).toBeCloseTo(between!.weight, 10);
      expect(edge.node.neighbours[0].community.id).toBe(edge.node.id === a.id ? b.id : a.id);
    }
  });

  it("serves a community's papers by influence, its top authors, the papers filter and an author's communities", async () => {
    const a = (await ok(communityQuery, { ids: [paperId('W100')] })).data.nodes[0].community;
    const { data, extensions } = await ok(
      `query ($id: ID!) {
        node(id: $id) { ... on Community { size papers(first: 2) { totalCount edges { node { title influence { score } } } } topAuthors(first: 3) { paperCount influence author { name } } } }
        papers(filter: { community: $id }) { totalCount }
      }`,
      { id: a.id },
    );
    const papers = data.node.papers.edges.map((edge: any) => edge.node);
    expect(data.node.papers.totalCount).toBe(4);
    // In a clique where each paper cites the earlier ones, the first is cited most.
    expect(papers.map((paper: any) => paper.title)).toEqual(['Graph Neural Networks: Alpha', 'Graph Neural Networks: Beta']);
    expect(papers[0].influence.score).toBeGreaterThan(papers[1].influence.score);
    expect(data.node.topAuthors).toHaveLength(1);
    expect(data.node.topAuthors[0]).toMatchObject({ paperCount: 4, author: { name: 'Author A7' } });
    expect(data.papers.totalCount).toBe(4);
    expect(extensions.cypherRoundTrips).toBeLessThanOrEqual(5);

    const author = await ok(`query ($id: ID!) { node(id: $id) { ... on Author { communities { paperCount community { id } } } } }`, { id: authorId('A7') });
    expect(author.data.node.communities).toEqual([{ paperCount: 4, community: { id: a.id } }]);
  });

  it('pages communities with after, in any order, and answers bad arguments with coded errors', async () => {
    const first = await ok(
      '{ communities(first: 1, orderBy: { field: LABEL, direction: ASC }) { edges { node { label } } pageInfo { hasNextPage endCursor } } }',
    );
    expect(first.data.communities.edges.map((edge: any) => edge.node.label)).toEqual(['dynamics, folding, protein']);
    expect(first.data.communities.pageInfo.hasNextPage).toBe(true);
    const next = await ok(
      'query ($after: String) { communities(first: 1, after: $after, orderBy: { field: LABEL, direction: ASC }) { edges { node { label } } pageInfo { hasNextPage } } }',
      {
        after: first.data.communities.pageInfo.endCursor,
      },
    );
    expect(next.data.communities.edges.map((edge: any) => edge.node.label)).toEqual(['graph, networks, neural']);
    expect(next.data.communities.pageInfo.hasNextPage).toBe(false);

    const codes = async (query: string, variables: Record<string, unknown> = {}) =>
      (await graphql(graph.yoga, query, variables)).errors?.map((error) => error.extensions?.code);
    expect(await codes('{ papers(filter: { community: "nonsense" }) { totalCount } }')).toEqual(['INVALID_ID']);
    expect(await codes('query ($id: ID!) { papers(filter: { community: $id }) { totalCount } }', { id: paperId('W100') })).toEqual(['INVALID_ID']);
    expect(await codes('query ($id: ID!) { paper(id: $id) { similar(first: 101) { score } } }', { id: paperId('W100') })).toEqual(['BAD_USER_INPUT']);
  });

  it("gives the same answers when run again on the unchanged graph, and keeps a community's id when it grows", async () => {
    const snapshot = () =>
      graph.cypher
        .read<{ line: string }>(
          `MATCH (p:Paper) RETURN p.uid + ' ' + p.influence + ' ' + p.influenceRank + ' ' + p.influencePercentile + ' ' + p.communityId AS line
         UNION ALL MATCH (c:Community) RETURN c.uid + ' ' + c.size + ' ' + c.label + ' ' + c.influence AS line
         UNION ALL MATCH (a)-[r:SIMILAR_TO|NEIGHBOUR_OF]->(b) RETURN a.uid + ' ' + type(r) + ' ' + b.uid + ' ' + coalesce(r.score, r.weight) AS line`,
        )
        .then((rows) => rows.map((row) => row.line).sort());
    const before = await snapshot();
    await analyzeGraph(graph.database);
    expect(await snapshot()).toEqual(before);

    const a = (await ok(communityQuery, { ids: [paperId('W100')] })).data.nodes[0].community;
    await loadWorks([{ id: 'W150', title: 'Graph Neural Networks: Epsilon', cites: ['W100', 'W101', 'W102'] }], false);
    await analyzeGraph(graph.database);
    const after = (await ok(communityQuery, { ids: [paperId('W100'), paperId('W150')] })).data.nodes;
    expect(after.map((node: any) => node.community)).toEqual([
      { ...a, size: 5 },
      { ...a, size: 5 },
    ]);
  });
});

describe('similar papers: a pair sharing all references', () => {
  // P and Q cite R1, R2 and R3; Z cites R1 only.
  const works: WorkSpec[] = [
    { id: 'W301', title: 'Reference one' },
    { id: 'W302', title: 'Reference two' },
    { id: 'W303', title: 'Reference three' },
    { id: 'W310', title: 'Paper P', cites: ['W301', 'W302', 'W303'] },
    { id: 'W311', title: 'Paper Q', cites: ['W301', 'W302', 'W303'] },
    { id: 'W312', title: 'Paper Z', cites: ['W301'] },
  ];
  const similarQuery = `query ($id: ID!) {
    node(id: $id) { ... on Paper { similar { score paper { title } reasons { sharedReferences sharedCiters sharedAuthors summary } } } }
  }`;

  beforeAll(async () => {
    await loadWorks(works);
  });

  it('ranks the pair sharing every reference first (Jaccard 1), and explains each link by what is shared', async () => {
    await analyzeGraph(graph.database);
    const p = (await ok(similarQuery, { id: paperId('W310') })).data.node.similar;
    expect(p.map((s: any) => s.paper.title)).toEqual(['Paper Q', 'Paper Z']);
    expect(p[0]).toMatchObject({ score: 1, reasons: { sharedReferences: 3, sharedCiters: 0, sharedAuthors: 0, summary: '3 shared references' } });
    expect(p[1].score).toBeCloseTo(1 / 3, 10);
    expect(p[1].reasons).toMatchObject({ sharedReferences: 1, summary: '1 shared reference' });

    // Co-citation: R2 and R3 are cited by the same two papers; R1 by those and Z.
    const r2 = (await ok(similarQuery, { id: paperId('W302') })).data.node.similar;
    expect(r2.map((s: any) => [s.paper.title, s.reasons.sharedCiters])).toEqual([
      ['Reference three', 2],
      ['Reference one', 2],
    ]);
    expect(r2[0].score).toBe(1);
    expect(r2[1].score).toBeCloseTo(2 / 3, 10);
  });

  it('leaves out what is shared only through a hub above the cap', async () => {
    // R1 is cited by three papers: above a cap of 2 it makes no candidates, so Z shares nothing countable with P.
    await analyzeGraph(graph.database, { hubCap: 2 });
    const p = (await ok(similarQuery, { id: paperId('W310') })).data.node.similar;
    expect(p.map((s: any) => [s.paper.title, s.score, s.reasons.sharedReferences])).toEqual([['Paper Q', 0.5, 2]]);
    await analyzeGraph(graph.database);
  });

  it('refuses, before reading anything, a graph over the memory cap', async () => {
    const before = await ok('{ stats { analytics { ranAt } } }');
    await expect(analyzeGraph(graph.database, { maxMemoryMb: 0.001 })).rejects.toThrow(AnalyticsLimitError);
    await expect(analyzeGraph(graph.database, { maxMemoryMb: 0.001 })).rejects.toThrow(
      /^analysing 6 papers and 7 links would take about \d+ MB, more than the cap of 0.001 MB/,
    );
    expect((await ok('{ stats { analytics { ranAt } } }')).data).toEqual(before.data);
  });
});

describe('the summary pages (no citations): influence over RELATED_TO', () => {
  beforeAll(async () => {
    await resetGraph(graph.database);
    await seedPages(graph.database, [defaultPagesDir]);
    await analyzeGraph(graph.database);
  });

  it('ranks papers by PageRank over the related links weighted by score, as defined', async () => {
    const links = await graph.cypher.read<{ from: string; to: string; score: number | null }>(
      'MATCH (a:Paper)-[r:RELATED_TO]->(b:Paper) WHERE a <> b RETURN a.uid AS from, b.uid AS to, r.score AS score',
    );
    const papers = await graph.cypher.read<{ uid: string; influence: number }>('MATCH (p:Paper) RETURN p.uid AS uid, p.influence AS influence');
    // A page's score 0–100 as a fraction, at least 0.01; an OpenAlex link (none here) 0.5.
    const expected = referencePagerank(
      papers.map((paper) => paper.uid),
      links.map((link) => [link.from, link.to, link.score === null ? 0.5 : Math.max(link.score, 1) / 100]),
    );
    expect(papers.length).toBeGreaterThan(20);
    for (const paper of papers) expect(paper.influence).toBeCloseTo(expected.get(paper.uid)!, 9);
    const { data } = await ok('{ stats { analytics { influenceOver fresh } } }');
    expect(data.stats.analytics).toEqual({ influenceOver: 'RELATED_TO', fresh: true });
  });
});

function run(script: string, args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], {
    cwd: projectRoot,
    env: { ...process.env, NEO4J_URI: inject('neo4jUri'), NEO4J_USER: inject('neo4jUser'), NEO4J_PASSWORD: inject('neo4jPassword'), ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, stderr })));
}

describe("the commands, on the project's fixtures", () => {
  const works = path.join(projectRoot, 'test', 'fixtures', 'openalex', 'works.jsonl');
  const status = async () => (await ok('{ stats { analytics { fresh staleBecause papers } } }')).data.stats.analytics;

  beforeAll(async () => {
    await resetGraph(graph.database);
  });

  it('import:openalex analyses the graph it changed, with progress and a summary line; PageRank as defined', { timeout: 120_000 }, async () => {
    const imported = await run('seed/openalex/cli.ts', [works]);
    expect(imported.code).toBe(0);
    expect(imported.stderr).toMatch(/^analyze: \[[\d.]+s\] 15 papers, 18 authors, 36 citations/m);
    expect(imported.stderr).toMatch(
      /^analyze: 15 papers \(influence over CITES\), \d+ communities over \d+ links \(modularity [\d.]+\), \d+ similar-paper links, 18 authors in [\d.]+s \(CPU [\d.]+s\), peak heap \d+ MB, peak RSS \d+ MB$/m,
    );
    expect(await status()).toEqual({ fresh: true, staleBecause: null, papers: 15 });

    const links = await graph.cypher.read<{ from: string; to: string }>('MATCH (a:Paper)-[:CITES]->(b:Paper) WHERE a <> b RETURN a.uid AS from, b.uid AS to');
    const papers = await graph.cypher.read<{ uid: string; influence: number }>('MATCH (p:Paper) RETURN p.uid AS uid, p.influence AS influence');
    const expected = referencePagerank(
      papers.map((paper) => paper.uid),
      links.map((link) => [link.from, link.to, 1]),
    );
    for (const paper of papers) expect(paper.influence).toBeCloseTo(expected.get(paper.uid)!, 9);
    // First: W901, a work outside the file cited by W101, the most cited work of the file, and by three others.
    const [topUid] = [...expected.entries()].sort((x, y) => y[1] - x[1])[0]!;
    const top = await ok('{ papers(first: 1, orderBy: { field: INFLUENCE }) { edges { node { id openalexId influence { rank } } } } }');
    expect(top.data.papers.edges[0].node).toEqual({ id: encodeGlobalId('Paper', topUid), openalexId: 'W901', influence: { rank: 1 } });

    const again = await run('seed/openalex/cli.ts', [works]);
    expect(again.code).toBe(0);
    expect(again.stderr).not.toMatch(/^analyze:/m); // nothing changed, nothing to analyse
  });

  it('seed --no-analyze leaves the analytics stale; analyze refuses over the cap (exit 3), then refreshes them', { timeout: 120_000 }, async () => {
    const seeded = await run('seed/cli.ts', ['--no-analyze', defaultPagesDir]);
    expect(seeded.code).toBe(0);
    expect(seeded.stderr).toMatch(/^analyze: skipped \(--no-analyze\)/m);
    expect(await status()).toMatchObject({ fresh: false, staleBecause: 'the graph was loaded into after the analysis', papers: 15 });

    const refused = await run('seed/analyze-cli.ts', ['--max-memory-mb', '0.01']);
    expect(refused.code).toBe(3);
    expect(refused.stderr).toMatch(/^analyze: refused: analysing \d+ papers and \d+ links would take about \d+ MB, more than the cap of 0.01 MB/m);
    expect(await status()).toMatchObject({ fresh: false });

    const analysed = await run('seed/analyze-cli.ts', []);
    expect(analysed.code).toBe(0);
    expect(analysed.stderr).toMatch(/^analyze: \[[\d.]+s\] wrote \d+\/\d+ papers$/m);
    expect(await status()).toMatchObject({ fresh: true });
  });
});
