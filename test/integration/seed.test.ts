import { copyFile, mkdtemp, readFile, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { beforeEach, describe, expect, inject, it } from 'vitest';
import { projectRoot } from '../../src/config.ts';
import { readGraphStats } from '../../src/db/queries/stats.ts';
import { generatePages } from '../../seed/generate.ts';
import { defaultPagesDir, seedPages } from '../../src/load/pages.ts';
import { resetGraph } from '../helpers/database.ts';
import { scratchGraph } from '../helpers/scratch-graph.ts';
import { graphFingerprint } from '../helpers/graph.ts';

const badDir = path.join(import.meta.dirname, '..', 'fixtures', 'bad');
// The five real pages: 5 main papers, 41 related entries (8 + 9 + 11 + 7 + 6), all distinct papers,
// 22 authors; 46 papers in all.
const seededStats = {
  papers: 46,
  authors: 22,
  authorships: 22,
  relatedEdges: 41,
  citations: 0,
  venues: 0,
  institutions: 0,
  topics: 0,
  nodes: 68,
  relationships: 63,
};

describe('seeding the five real pages into Neo4j', () => {
  const graph = scratchGraph('seed');
  beforeEach(async () => {
    await resetGraph(graph.database);
  });

  it('loads every paper, author and related edge', async () => {
    const summary = await seedPages(graph.database, [defaultPagesDir]);
    expect(summary).toMatchObject({ files: 5, written: 5, unchanged: 0, failed: [] });
    expect(await readGraphStats(graph.cypher)).toEqual(seededStats);

    const [headless] = await graph.cypher.read<{ title: string; authors: string[]; related: number; license: string }>(
      `MATCH (p:Paper {arxivId: '2309.08351'})
       RETURN p.title AS title, p.license AS license, COUNT { (p)-[:RELATED_TO]->() } AS related,
              [(a)-[r:AUTHORED]->(p) | [r.position, a.name]] AS authors`,
    );
    expect(headless?.title).toBe('Headless Language Models: Learning without Predicting with Contrastive Weight Tying');
    expect(headless?.license).toBe('http://creativecommons.org/licenses/by-sa/4.0/');
    expect(headless?.related).toBe(9);
    expect([...(headless?.authors ?? [])].sort()).toEqual([
      [1, 'Nathan Godey'],
      [2, 'Éric de la Clergerie'],
      [3, 'Benoît Sagot'],
    ]);

    const [stub] = await graph.cypher.read<{ title: string; publishedAt: string; hasPage: boolean; score: number }>(
      `MATCH (:Paper {arxivId: '2412.03275'})-[r:RELATED_TO {rank: 1}]->(q:Paper)
       RETURN q.title AS title, q.publishedAt AS publishedAt, q.sourceHash IS NOT NULL AS hasPage, r.score AS score`,
    );
    expect(stub).toEqual({
      title: 'Can MLLMs Guide Weakly-Supervised Temporal Action Localization Tasks?',
      publishedAt: '2024-11-13T09:37:24.000Z',
      hasPage: false,
      score: 6.7065734065794835,
    });
  });

  it('changes nothing when the same files are loaded again', async () => {
    await seedPages(graph.database, [defaultPagesDir]);
    const before = await graphFingerprint(graph.database);
    const uidsBefore = await graph.cypher.read('MATCH (n) RETURN n.uid AS uid ORDER BY uid');
    const summary = await seedPages(graph.database, [defaultPagesDir]);
    expect(summary).toMatchObject({ files: 5, written: 0, unchanged: 5, failed: [] });
    expect(await graphFingerprint(graph.database)).toEqual(before);
    expect(await graph.cypher.read('MATCH (n) RETURN n.uid AS uid ORDER BY uid')).toEqual(uidsBefore);
  });

  it('gives the same graph whatever the order of the files', async () => {
    const files = (await readdir(defaultPagesDir)).sort().map((name) => path.join(defaultPagesDir, name));
    await seedPages(graph.database, files, { batchSize: 2 });
    const forward = await graphFingerprint(graph.database);
    await resetGraph(graph.database);
    for (const file of [...files].reverse()) await seedPages(graph.database, [file]);
    expect(await graphFingerprint(graph.database)).toEqual(forward);
  });

  it("merges a related entry with the paper's own page, in either order, even when a wrap swallowed a space", async () => {
    const dir = await mkdtemp(path.join(graph.scratch, 'overlap-'));
    const antlm = path.join(dir, 'antlm.txt');
    const mentions = path.join(dir, 'mentions.txt');
    await copyFile(path.join(defaultPagesDir, '000_727672f43cbe572e.txt'), antlm);
    const headless = await readFile(path.join(defaultPagesDir, '001_04bf9b40e325e809.txt'), 'utf8');
    await writeFile(
      mentions,
      headless.replace(
        '- Tokenizer Choice For LLM Training: Negligible or Crucial? [30.33170936148845]',
        '- AntLM: Bridging Causal and MaskedLanguage Models [30.33170936148845]',
      ),
    );

    await seedPages(graph.database, [antlm, mentions]);
    const pageFirst = await graphFingerprint(graph.database);
    await resetGraph(graph.database);
    await seedPages(graph.database, [mentions]);
    await seedPages(graph.database, [antlm]);
    expect(await graphFingerprint(graph.database)).toEqual(pageFirst);

    const rows = await graph.cypher.read<{ title: string; arxivId: string; mentionedBy: string[] }>(
      `MATCH (p:Paper {arxivId: '2412.03275'})
       RETURN p.title AS title, p.arxivId AS arxivId, [(q)-[:RELATED_TO]->(p) | q.arxivId] AS mentionedBy`,
    );
    expect(rows).toEqual([{ title: 'AntLM: Bridging Causal and Masked Language Models', arxivId: '2412.03275', mentionedBy: ['2309.08351'] }]);
    // AntLM with its 8 related papers, Headless with 8 others: the mention of AntLM is AntLM itself.
    expect((await readGraphStats(graph.cypher)).papers).toBe(1 + 8 + 1 + 8);
  });

  it("takes an author's spelling and a stub's fields from the files alone, not their order or history", async () => {
    const dir = await mkdtemp(path.join(graph.scratch, 'spellings-'));
    const antlm = path.join(dir, 'a.txt');
    const tracking = path.join(dir, 'b.txt');
    await copyFile(path.join(defaultPagesDir, '000_727672f43cbe572e.txt'), antlm);
    const original = (await readFile(path.join(defaultPagesDir, '002_8774c888395d6313.txt'), 'utf8'))
      .replace('- Authors: Niels Horn, Desmond Elliott,', '- Authors: Niels Horn, XINRU YU,')
      .replace(
        '- Model-GLUE: Democratized LLM Scaling for A Large Model Zoo in the Wild [84.57103623507082]',
        '- Knowledge Fusion of Large Language Models [12.5]',
      );
    const mentionDate = (text: string) => /Knowledge Fusion of Large Language Models \[12\.5\][\s\S]*?論文 参考訳\(メタデータ\) \(([^)]+)\)/.exec(text)?.[1];
    expect(mentionDate(original)).toBe('2024-10-07T15:55:55Z');
    await writeFile(tracking, original);

    await seedPages(graph.database, [antlm, tracking]);
    const forward = await graphFingerprint(graph.database);
    await resetGraph(graph.database);
    await seedPages(graph.database, [tracking]);
    await seedPages(graph.database, [antlm]);
    expect(await graphFingerprint(graph.database)).toEqual(forward);
    const authors = await graph.cypher.read<{ name: string; papers: number }>(
      "MATCH (a:Author {key: 'xinru yu'}) RETURN a.name AS name, COUNT { (a)-->() } AS papers",
    );
    expect(authors).toHaveLength(1);
    expect(authors[0]?.papers).toBe(2);

    // Edit the mention's date in b.txt: the graph must equal a fresh load of the edited files.
    await writeFile(tracking, original.replace('論文 参考訳(メタデータ) (2024-10-07T15:55:55Z)', '論文 参考訳(メタデータ) (2020-01-01T00:00:00Z)'));
    await seedPages(graph.database, [antlm, tracking]);
    const edited = await graphFingerprint(graph.database);
    await resetGraph(graph.database);
    await seedPages(graph.database, [tracking, antlm]);
    expect(await graphFingerprint(graph.database)).toEqual(edited);
  });

  it('replaces the author list and related list of a changed page, removing what only it referenced', async () => {
    const dir = await mkdtemp(path.join(graph.scratch, 'changed-'));
    const page = path.join(dir, 'tracking.txt');
    const original = await readFile(path.join(defaultPagesDir, '002_8774c888395d6313.txt'), 'utf8');
    await writeFile(page, original);
    await seedPages(graph.database, [page]);
    const uid = (await graph.cypher.read<{ uid: string }>("MATCH (p:Paper {arxivId: '2410.12391'}) RETURN p.uid AS uid"))[0]?.uid;

    await writeFile(
      page,
      original
        .replace('- Authors: Niels Horn, Desmond Elliott,', '- Authors: Niels Horn, Ada Lovelace,')
        .replace('- Model-GLUE: Democratized LLM Scaling for A Large Model Zoo in the Wild [84.57103623507082]', '- A Completely New Related Paper [1.5]'),
    );
    const summary = await seedPages(graph.database, [page]);
    expect(summary).toMatchObject({ written: 1, failed: [] });

    const [paper] = await graph.cypher.read<{ uid: string; authors: string[]; first: unknown }>(
      `MATCH (p:Paper {arxivId: '2410.12391'})
       RETURN p.uid AS uid,
              [(a)-[r:AUTHORED]->(p) | a.name] AS authors,
              [(p)-[r:RELATED_TO {rank: 1}]->(q) | [q.title, r.score]] AS first`,
    );
    expect(paper?.uid).toBe(uid);
    expect([...(paper?.authors ?? [])].sort()).toEqual(['Ada Lovelace', 'Niels Horn']);
    expect(paper?.first).toEqual([['A Completely New Related Paper', 1.5]]);
    const gone = await graph.cypher.read("MATCH (n) WHERE n.name = 'Desmond Elliott' OR n.title STARTS WITH 'Model-GLUE' RETURN n");
    expect(gone).toEqual([]);
    expect(await readGraphStats(graph.cypher)).toMatchObject({ papers: 12, authors: 2, relatedEdges: 11 });
  });

  it('removes an author and a stub that two changed pages of one batch both dropped', async () => {
    const dir = await mkdtemp(path.join(graph.scratch, 'dropped-'));
    const first = path.join(dir, 'a.txt');
    const second = path.join(dir, 'b.txt');
    const firstText = (await readFile(path.join(defaultPagesDir, '000_727672f43cbe572e.txt'), 'utf8'))
      .replace('- Authors: Xinru Yu, Bin Guo,', '- Authors: Ada Lovelace, Bin Guo,')
      .replace('- Can MLLMs Guide Weakly-Supervised Temporal Action Localization Tasks? [6.7065734065794835]', '- A Shared Stub Paper [2.5]');
    const secondText = (await readFile(path.join(defaultPagesDir, '002_8774c888395d6313.txt'), 'utf8'))
      .replace('- Authors: Niels Horn, Desmond Elliott,', '- Authors: Niels Horn, ADA LOVELACE,')
      .replace('- Model-GLUE: Democratized LLM Scaling for A Large Model Zoo in the Wild [84.57103623507082]', '- A Shared Stub Paper [3.5]');
    await writeFile(first, firstText);
    await writeFile(second, secondText);
    await seedPages(graph.database, [dir]);
    expect(await graph.cypher.read("MATCH (a:Author {key: 'ada lovelace'}) RETURN a.name AS name")).toEqual([{ name: 'Ada Lovelace' }]);
    expect(await graph.cypher.read("MATCH (:Paper)-[:RELATED_TO]->(q:Paper {title: 'A Shared Stub Paper'}) RETURN count(*) AS n")).toEqual([{ n: 2 }]);

    // Both pages drop Ada Lovelace and the shared stub, and are written in one transaction.
    await writeFile(first, firstText.replace('Ada Lovelace, ', '').replace('- A Shared Stub Paper [2.5]', '- Another Stub Paper [2.5]'));
    await writeFile(second, secondText.replace('ADA LOVELACE,', 'Desmond Elliott,').replace('- A Shared Stub Paper [3.5]', '- Yet Another Stub Paper [3.5]'));
    const summary = await seedPages(graph.database, [dir]);
    expect(summary).toMatchObject({ written: 2, failed: [] });
    expect(await graph.cypher.read("MATCH (n) WHERE n.key = 'ada lovelace' OR n.title = 'A Shared Stub Paper' RETURN n")).toEqual([]);
    const edited = await graphFingerprint(graph.database);
    await resetGraph(graph.database);
    await seedPages(graph.database, [dir]);
    expect(await graphFingerprint(graph.database)).toEqual(edited);
  });

  it('reports each bad file as file:line and still loads the good ones', async () => {
    const dir = await mkdtemp(path.join(graph.scratch, 'mixed-'));
    for (const name of await readdir(defaultPagesDir)) await copyFile(path.join(defaultPagesDir, name), path.join(dir, name));
    const badFiles = (await readdir(badDir)).sort();
    for (const name of badFiles) await copyFile(path.join(badDir, name), path.join(dir, `zz-${name}`));

    const summary = await seedPages(graph.database, [dir]);
    expect(summary.written).toBe(5);
    expect(summary.failed.map((failure) => path.basename(failure.source))).toEqual(badFiles.map((name) => `zz-${name}`));
    for (const failure of summary.failed) expect(failure.message).toMatch(new RegExp(`^${escapeRegExp(failure.source)}:\\d+: \\S`));
    expect(await readGraphStats(graph.cypher)).toEqual(seededStats);
  });

  it('refuses a page whose arXiv id another file of the same run already gave, writing nothing of it', async () => {
    const dir = await mkdtemp(path.join(graph.scratch, 'clash-'));
    const original = await readFile(path.join(defaultPagesDir, '004_0f6f359123178173.txt'), 'utf8');
    await writeFile(path.join(dir, 'a.txt'), original);
    await writeFile(
      path.join(dir, 'b.txt'),
      original
        .replace('- Title: EMO: Earth Mover Distance Optimization for Auto-Regressive Language\nModeling', '- Title: Another Title Entirely')
        .replace('論文の概要: EMO: Earth Mover Distance Optimization for Auto-Regressive Language\nModeling', '論文の概要: Another Title Entirely')
        .replace('- Authors: Siyu Ren, Zhiyong Wu, Kenny Q. Zhu', '- Authors: Somebody Else'),
    );
    const summary = await seedPages(graph.database, [dir]);
    expect(summary.written).toBe(1);
    expect(summary.failed).toHaveLength(1);
    expect(summary.failed[0]?.message).toMatch(/b\.txt: arXiv id 2310\.04691 is the page of .*a\.txt, read before in this run/);
    expect(await graph.cypher.read("MATCH (n) WHERE n.title = 'Another Title Entirely' OR n.name = 'Somebody Else' RETURN n")).toEqual([]);
    expect((await readGraphStats(graph.cypher)).papers).toBe(7);
  });
});

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

describe('a seed run killed in the middle', () => {
  const graph = scratchGraph('kill');

  it('ends, once run again, with exactly the graph of an uninterrupted run', { timeout: 300_000 }, async () => {
    const corpus = path.join(graph.scratch, 'pages');
    for await (const _ of generatePages({ papers: 1000, out: corpus, seed: 7 })) {
      // written one by one
    }
    await resetGraph(graph.database);
    const uninterrupted = await seedPages(graph.database, [corpus], { batchSize: 10 });
    expect(uninterrupted.failed).toEqual([]);
    const expected = await graphFingerprint(graph.database);
    const full = await readGraphStats(graph.cypher);

    await resetGraph(graph.database);
    const child = spawn(process.execPath, ['--import', 'tsx', 'seed/cli.ts', '--batch-size', '10', corpus], {
      cwd: projectRoot,
      env: { ...process.env, NEO4J_URI: inject('neo4jUri'), NEO4J_USER: inject('neo4jUser'), NEO4J_PASSWORD: inject('neo4jPassword') },
      stdio: 'ignore',
    });
    const exited = new Promise((resolve) => child.on('exit', resolve));
    let partial = 0;
    while (partial < 200) {
      partial = (await readGraphStats(graph.cypher)).papers;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    child.kill('SIGKILL');
    await exited;
    const killedAt = await readGraphStats(graph.cypher);
    expect(killedAt.papers).toBeLessThan(full.papers);

    const rerun = await seedPages(graph.database, [corpus], { batchSize: 10 });
    expect(rerun.failed).toEqual([]);
    expect(rerun.unchanged).toBeGreaterThan(0);
    expect(await graphFingerprint(graph.database)).toEqual(expected);
  });
});
