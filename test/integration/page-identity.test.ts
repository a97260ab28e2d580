import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { encodeGlobalId } from '../../src/graphql/lib/global-id.ts';
import { arxivPaperUid, paperUid, titleKey } from '../../src/domain/keys.ts';
import { defaultPagesDir, seedPages } from '../../src/load/pages.ts';
import { importOpenAlex } from '../../src/load/openalex.ts';
import { resetGraph } from '../helpers/database.ts';
import { graphFingerprint } from '../helpers/graph.ts';
import { graphql } from '../helpers/graphql.ts';
import { scratchGraph } from '../helpers/scratch-graph.ts';

const worksFile = path.join(import.meta.dirname, '..', 'fixtures', 'openalex', 'works.jsonl');
const quiet = { onFailure: () => {} };

const headlessFile = '001_04bf9b40e325e809.txt';
const trackingFile = '002_8774c888395d6313.txt';
const emoFile = '004_0f6f359123178173.txt';
const headlessTitle = 'Headless Language Models: Learning without Predicting with Contrastive Weight Tying';
const headlessTitleLines = 'Headless Language Models: Learning without Predicting with Contrastive\nWeight Tying';
const emoTitleLines = 'EMO: Earth Mover Distance Optimization for Auto-Regressive Language\nModeling';
const newTitle = 'Headless Language Models Revisited';

/** The page text with its title (both the 論文の概要 line and the Title field) replaced. */
function retitle(text: string, from: string, to: string): string {
  const edited = text.replace(`論文の概要: ${from}`, `論文の概要: ${to}`).replace(`- Title: ${from}`, `- Title: ${to}`);
  if (edited.split(to).length !== 3) throw new Error(`the page does not hold the title '${from}' twice`);
  return edited;
}

const graph = scratchGraph('identity');
beforeEach(async () => {
  await resetGraph(graph.database);
});

/** A copy of the five pages in a new directory, with the given files' texts edited. */
async function pagesDir(name: string, edits: Record<string, (text: string) => string> = {}): Promise<string> {
  const dir = path.join(graph.scratch, name);
  await mkdir(dir);
  for (const file of await readdir(defaultPagesDir)) {
    const text = await readFile(path.join(defaultPagesDir, file), 'utf8');
    await writeFile(path.join(dir, file), (edits[file] ?? ((t: string) => t))(text));
  }
  return dir;
}

async function editPage(dir: string, file: string, edit: (text: string) => string): Promise<void> {
  const target = path.join(dir, file);
  await writeFile(target, edit(await readFile(target, 'utf8')));
}

/** What hangs off the paper of an arXiv id, as comparable lists. */
async function linksOf(arxivId: string) {
  const rows = await graph.cypher.read<{ uid: string; title: string; openalexId: string | null } & Record<string, unknown>>(
    `MATCH (p:Paper {arxivId: $arxivId})
     RETURN p.uid AS uid, p.title AS title, p.openalexId AS openalexId,
            [(a:Author)-[r:AUTHORED]->(p) | [r.position, a.name, a.uid]] AS authors,
            [(p)-[r:RELATED_TO]->(q) | [r.rank, r.score, r.title, q.uid]] AS related,
            [(p)-[:CITES]->(q) | q.uid] AS references,
            [(q)-[:CITES]->(p) | q.uid] AS citedBy,
            [(q)-[r:RELATED_TO]->(p) WHERE r.score IS NULL | q.uid] AS openalexRelatedBy`,
    { arxivId },
  );
  expect(rows).toHaveLength(1);
  const sorted = (value: unknown) => [...(value as unknown[])].map((v) => JSON.stringify(v)).sort();
  const row = rows[0]!;
  return {
    ...row,
    authors: sorted(row.authors),
    related: sorted(row.related),
    references: sorted(row.references),
    citedBy: sorted(row.citedBy),
    openalexRelatedBy: sorted(row.openalexRelatedBy),
  };
}

async function globalIdOf(arxivId: string): Promise<string> {
  const response = await graphql<{ paper: { id: string } }>(graph.yoga, 'query ($a: String!) { paper(arxivId: $a) { id } }', { a: arxivId });
  expect(response.errors).toBeUndefined();
  return response.data!.paper.id;
}

describe('a page whose title changed', () => {
  // EMO's page mentions Headless's new title before the retitle (a stub until then), Tracking's page its old one.
  const mentions = {
    [trackingFile]: (text: string) =>
      text.replace('- Model-GLUE: Democratized LLM Scaling for A Large Model Zoo in the Wild [84.57103623507082]', `- ${headlessTitle} [84.57103623507082]`),
    [emoFile]: (text: string) =>
      text.replace('- Scaling Diffusion Language Models via Adaptation from Autoregressive Models [105.70889434492143]', `- ${newTitle} [105.70889434492143]`),
  };

  it('updates its paper in place: one paper, the new title, the same uid and ID, its authorships, related list and citations', async () => {
    const dir = await pagesDir('retitle', mentions);
    const loaded = await seedPages(graph.database, [dir]);
    expect(loaded.failed).toEqual([]);
    await importOpenAlex(graph.database, [worksFile], quiet);
    const links = await linksOf('2309.08351');
    const id = await globalIdOf('2309.08351');
    expect(links.uid).toBe(arxivPaperUid('2309.08351'));
    expect(id).toBe(encodeGlobalId('Paper', arxivPaperUid('2309.08351')));
    expect(links.openalexId).toBe('W104');
    expect(links.citedBy.length).toBeGreaterThan(0);
    expect(links.references.length).toBeGreaterThan(0);
    // The mention of the new title is a stub for now.
    expect(await graph.cypher.read('MATCH (q:Paper {titleKey: $key}) RETURN q.sourceHash IS NULL AS stub', { key: titleKey(newTitle) })).toEqual([
      { stub: true },
    ]);

    await editPage(dir, headlessFile, (text) => retitle(text, headlessTitleLines, newTitle));
    const summary = await seedPages(graph.database, [dir]);
    expect(summary).toMatchObject({ files: 5, written: 1, unchanged: 4, failed: [] });

    expect(await graph.cypher.read("MATCH (p:Paper) WHERE p.arxivId = '2309.08351' OR p.uid = $uid RETURN p.title AS title", { uid: links.uid })).toEqual([
      { title: newTitle },
    ]);
    expect(await linksOf('2309.08351')).toEqual({ ...links, title: newTitle });
    expect(await globalIdOf('2309.08351')).toBe(id);
    const node = await graphql<{ node: { title: string } }>(graph.yoga, 'query ($id: ID!) { node(id: $id) { ... on Paper { title } } }', { id });
    expect(node.data?.node.title).toBe(newTitle);

    // Mentions go by title: the new title's stub merged into the paper, the old title is a stub now.
    const mentionedBy = await graph.cypher.read<{ title: string; page: boolean; uid: string; by: string[] }>(
      `MATCH (q:Paper)<-[r:RELATED_TO]-(source:Paper) WHERE r.score IS NOT NULL AND q.titleKey IN $keys
       RETURN q.title AS title, q.sourceHash IS NOT NULL AS page, q.uid AS uid, collect(source.arxivId) AS by ORDER BY title`,
      { keys: [titleKey(newTitle), titleKey(headlessTitle)] },
    );
    expect(mentionedBy).toEqual([
      { title: newTitle, page: true, uid: links.uid, by: ['2310.04691'] },
      { title: headlessTitle, page: false, uid: paperUid(titleKey(headlessTitle)), by: ['2410.12391'] },
    ]);

    // The graph is the one a fresh load of the edited files gives.
    const incremental = await graphFingerprint(graph.database);
    await resetGraph(graph.database);
    await seedPages(graph.database, [dir]);
    await importOpenAlex(graph.database, [worksFile], quiet);
    expect(await graphFingerprint(graph.database)).toEqual(incremental);
  });

  it('gets its former title back when the edit is undone, as a fresh load of the original gives', async () => {
    const dir = await pagesDir('undo', mentions);
    const original = await readFile(path.join(dir, headlessFile), 'utf8');
    await seedPages(graph.database, [dir]);
    const fresh = await graphFingerprint(graph.database);
    await editPage(dir, headlessFile, (text) => retitle(text, headlessTitleLines, newTitle));
    expect(await seedPages(graph.database, [dir])).toMatchObject({ written: 1, failed: [] });
    await editPage(dir, headlessFile, () => original);
    expect(await seedPages(graph.database, [dir])).toMatchObject({ written: 1, failed: [] });
    expect(await graphFingerprint(graph.database)).toEqual(fresh);
  });

  it('keeps a title another page holds with that page and loads the retitled page without it', async () => {
    const dir = await pagesDir('shared');
    expect((await seedPages(graph.database, [dir])).failed).toEqual([]);
    await editPage(dir, emoFile, (text) => retitle(text, emoTitleLines, headlessTitle));
    expect(await seedPages(graph.database, [dir])).toMatchObject({ written: 1, failed: [] });
    const rows = await graph.cypher.read(
      'MATCH (p:Paper) WHERE p.title = $title RETURN p.arxivId AS arxivId, p.titleKey IS NOT NULL AS keyed ORDER BY arxivId',
      {
        title: headlessTitle,
      },
    );
    expect(rows).toEqual([
      { arxivId: '2309.08351', keyed: true },
      { arxivId: '2310.04691', keyed: false },
    ]);
    const incremental = await graphFingerprint(graph.database);
    await resetGraph(graph.database);
    await seedPages(graph.database, [dir]);
    expect(await graphFingerprint(graph.database)).toEqual(incremental);
  });
});

describe('one page per arXiv id', () => {
  it("takes the page of an arXiv id from another file in a later run as the paper's page now", async () => {
    const first = path.join(graph.scratch, 'first');
    const second = path.join(graph.scratch, 'second');
    await mkdir(first);
    await mkdir(second);
    const emo = await readFile(path.join(defaultPagesDir, emoFile), 'utf8');
    await writeFile(path.join(first, 'a.txt'), emo);
    await writeFile(
      path.join(second, 'b.txt'),
      retitle(emo, emoTitleLines, 'Another Title Entirely').replace('- Authors: Siyu Ren, Zhiyong Wu, Kenny Q. Zhu', '- Authors: Somebody Else'),
    );
    await seedPages(graph.database, [first]);
    const uid = (await linksOf('2310.04691')).uid;
    const summary = await seedPages(graph.database, [second]);
    expect(summary).toMatchObject({ written: 1, failed: [] });
    expect(await linksOf('2310.04691')).toMatchObject({ uid, title: 'Another Title Entirely' });
    expect(await graph.cypher.read("MATCH (a:Author)-[:AUTHORED]->(:Paper {arxivId: '2310.04691'}) RETURN a.name AS name")).toEqual([
      { name: 'Somebody Else' },
    ]);
    expect(await graph.cypher.read("MATCH (n) WHERE n.name = 'Siyu Ren' OR n.title STARTS WITH 'EMO:' RETURN n")).toEqual([]);
    // Both files in one run: the first one read is the page, the other is reported.
    const both = await seedPages(graph.database, [first, second]);
    expect(both.written).toBe(1);
    expect(both.failed.map((failure) => failure.message)).toEqual([
      `${path.join(second, 'b.txt')}: arXiv id 2310.04691 is the page of ${path.join(first, 'a.txt')}, read before in this run; this file is skipped`,
    ]);
    const incremental = await graphFingerprint(graph.database);
    await resetGraph(graph.database);
    await seedPages(graph.database, [first]);
    expect(await graphFingerprint(graph.database)).toEqual(incremental);
  });

  it('gives a paper loaded when its uid derived from its title the arXiv one on the next run', async () => {
    await seedPages(graph.database, [defaultPagesDir]);
    const fresh = await graphFingerprint(graph.database);
    await graph.cypher.write("MATCH (p:Paper {arxivId: '2309.08351'}) SET p.uid = $uid", { uid: paperUid(titleKey(headlessTitle)) });
    const summary = await seedPages(graph.database, [defaultPagesDir]);
    expect(summary).toMatchObject({ written: 1, unchanged: 4, failed: [] });
    expect(await graphFingerprint(graph.database)).toEqual(fresh);
  });
});

describe('a page whose related titles hold bracketed words', () => {
  it('loads, a wrapped title ending a line with [Re] or [CLS] included', async () => {
    const dir = path.join(graph.scratch, 'brackets');
    await mkdir(dir);
    const antlm = await readFile(path.join(defaultPagesDir, '000_727672f43cbe572e.txt'), 'utf8');
    const edited = antlm
      .replace(
        '- Can MLLMs Guide Weakly-Supervised Temporal Action Localization Tasks? [6.7065734065794835]',
        '- [Re]\nCan MLLMs Guide Weakly-Supervised Temporal Action Localization Tasks? [6.7065734065794835]',
      )
      .replace(
        '論文 参考訳(メタデータ) (2024-11-13T09:37:24Z) - LLaVA-KD: A Framework of Distilling Multimodal Large Language Models [70.19607283302712]',
        '論文 参考訳(メタデータ) (2024-11-13T09:37:24Z) - LLaVA-KD: Distilling the [CLS]\nToken of Multimodal Large Language Models [70.19607283302712]',
      );
    expect(edited).not.toBe(antlm);
    await writeFile(path.join(dir, 'antlm.txt'), edited);
    const summary = await seedPages(graph.database, [dir]);
    expect(summary).toMatchObject({ written: 1, failed: [] });
    const titles = await graph.cypher.read<{ title: string; score: number }>(
      "MATCH (:Paper {arxivId: '2412.03275'})-[r:RELATED_TO]->(q) WHERE r.rank <= 2 RETURN q.title AS title, r.score AS score ORDER BY r.rank",
    );
    expect(titles).toEqual([
      { title: '[Re] Can MLLMs Guide Weakly-Supervised Temporal Action Localization Tasks?', score: 6.7065734065794835 },
      { title: 'LLaVA-KD: Distilling the [CLS] Token of Multimodal Large Language Models', score: 70.19607283302712 },
    ]);
  });
});
