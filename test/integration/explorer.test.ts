import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { NodeSingular } from 'cytoscape';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/driver.ts';
import { createPapergraphYoga } from '../../src/yoga.ts';
import { defaultPagesDir, seedPages } from '../../src/load/pages.ts';
import { importOpenAlex } from '../../src/load/openalex.ts';
import { workUid } from '../../src/domain/openalex.ts';
import { encodeGlobalId } from '../../src/graphql/lib/global-id.ts';
import { Cypher } from '../../src/db/run.ts';
import { connectTestDatabase, resetGraph } from '../helpers/database.ts';
import { analyzeGraph } from '../../src/analytics/analyze.ts';
import { generateWorks } from '../../seed/openalex/generate.ts';

// End-to-end: the real server (yoga over node:http, real Neo4j with the default pages) and Debian's
// Chromium, headless, driven by playwright-core. Screenshots go to test-artifacts/explorer/.

const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];
const artifactsDir = fileURLToPath(new URL('../../test-artifacts/explorer/', import.meta.url));
const wide = { width: 1280, height: 800 };
const narrow = { width: 390, height: 844 };

const headless = {
  title: 'Headless Language Models: Learning without Predicting with Contrastive Weight Tying',
  titleJa: 'ヘッドレス言語モデル: 重み付けによる予測を伴わない学習',
  authors: ['Nathan Godey', 'Éric de la Clergerie', 'Benoît Sagot'],
  url: 'http://arxiv.org/abs/2309.08351v1',
};
const knowledgeFusion = 'Knowledge Fusion of Large Language Models';
const antlm = 'AntLM: Bridging Causal and Masked Language Models';

let database: Database;
let server: Server;
let base: string;
let userDataDir: string;
let context: BrowserContext;
const pages: Page[] = [];
/** Script errors thrown in any page, checked after each test. */
const pageErrors: string[] = [];
/** Every URL the browser asked for, to check the page reaches nothing but this server. */
const requested: string[] = [];

beforeAll(async () => {
  if (!existsSync(chromiumPath)) {
    throw new Error(`the explorer tests need Chromium at ${chromiumPath}: apt-get install chromium (or set CHROMIUM_PATH)`);
  }
  database = await connectTestDatabase();
  await resetGraph(database);
  await seedPages(database, [defaultPagesDir]);
  const yoga = createPapergraphYoga({ database });
  server = createServer(yoga.requestListener);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  await mkdir(artifactsDir, { recursive: true });
  userDataDir = await mkdtemp(path.join(os.tmpdir(), 'papergraph-chromium-'));
  context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: chromiumPath,
    headless: true,
    args: chromiumArgs,
    viewport: wide,
  });
  context.on('request', (request) => requested.push(request.url()));
});

afterAll(async () => {
  await context?.close();
  if (userDataDir) await rm(userDataDir, { recursive: true, force: true });
  if (server) {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
  await database?.close();
});

afterEach(async () => {
  for (const page of pages.splice(0)) await page.close();
  expect(pageErrors.splice(0), 'errors thrown in the page').toEqual([]);
});

/** A new tab at `viewport` (script errors in it fail the test). */
async function openPage(viewport = wide, hash = ''): Promise<Page> {
  const page = await context.newPage();
  pages.push(page);
  page.on('pageerror', (error) => pageErrors.push(error.message));
  await page.setViewportSize(viewport);
  await page.goto(`${base}/${hash}`);
  await page.waitForFunction(() => window.__papergraph !== undefined);
  await idle(page);
  return page;
}

const testId = (page: Page, id: string) => page.getByTestId(id);

async function idle(page: Page): Promise<void> {
  await page.waitForFunction(() => document.body.dataset.busy === 'false');
}

async function search(page: Page, text: string): Promise<void> {
  await testId(page, 'search-input').fill(text);
  await testId(page, 'search-input').press('Enter');
  await idle(page);
}

/** Searches and picks the hit with exactly this title; waits for its graph. */
async function openPaperBySearch(page: Page, text: string, title: string): Promise<void> {
  await search(page, text);
  await testId(page, 'search-result')
    .filter({ has: page.getByText(title, { exact: true }) })
    .click();
  await idle(page);
  await expect.poll(() => testId(page, 'paper-title').textContent()).toBe(title);
}

const nodeCount = (page: Page) => page.evaluate(() => window.__papergraph!.cy.nodes().length);
/** The IDs of the nodes drawn, sorted: what a link must reproduce. */
const drawnIds = (page: Page) =>
  page.evaluate(() =>
    window
      .__papergraph!.cy.nodes()
      .map((node) => node.id())
      .sort(),
  );

/** Clicks a node where Cytoscape drew it on the canvas, as a person would. */
async function clickNode(page: Page, label: string): Promise<void> {
  // On a narrow screen the panel is under the graph and may be in view: scroll the graph back first.
  await testId(page, 'graph').scrollIntoViewIfNeeded();
  const point = await page.evaluate((label) => {
    const cy = window.__papergraph!.cy;
    const node = cy
      .nodes()
      .toArray()
      .find((candidate) => candidate.data('label') === label);
    if (!node) return null;
    const box = cy.container()!.getBoundingClientRect();
    const position = node.renderedPosition();
    return { x: box.left + position.x, y: box.top + position.y };
  }, label);
  if (!point) throw new Error(`no node labelled ${label} in the graph`);
  await page.mouse.click(point.x, point.y);
  await idle(page);
}

/** The uid of the author with this OpenAlex id. */
async function authorUidOf(openalexId: string): Promise<string | undefined> {
  const [row] = await new Cypher(database).read<{ uid: string }>('MATCH (a:Author {openalexId: $openalexId}) RETURN a.uid AS uid', { openalexId });
  return row?.uid;
}

async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join(artifactsDir, `${name}.png`), fullPage: true });
}

describe('explorer page', () => {
  it('is served by the server itself: page, bundle and stylesheet, with cache headers and no third-party origin', async () => {
    const page = await fetch(`${base}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('cache-control')).toBe('no-cache');
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    const html = await page.text();
    expect(html).not.toMatch(/(src|href)="https?:/);
    const script = /src="(\/explorer\/app\.js\?v=[0-9a-f]+)"/.exec(html)?.[1];
    const stylesheet = /href="(\/explorer\/app\.css\?v=[0-9a-f]+)"/.exec(html)?.[1];
    expect(script).toBeDefined();
    expect(stylesheet).toBeDefined();

    const bundle = await fetch(`${base}${script}`);
    expect(bundle.status).toBe(200);
    expect(bundle.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(bundle.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(await bundle.text()).toContain('cytoscape');
    const css = await fetch(`${base}${stylesheet}`);
    expect(css.headers.get('content-type')).toBe('text/css; charset=utf-8');

    // Revalidation, and requests that are not the explorer's go on to yoga.
    const again = await fetch(`${base}${script}`, { headers: { 'if-none-match': bundle.headers.get('etag')! } });
    expect(again.status).toBe(304);
    expect((await fetch(`${base}/explorer/other.js`)).status).toBe(404);
    expect((await fetch(`${base}/health`)).status).toBe(200);
  });

  it('searches in English and Japanese, opens a paper, and shows its details and neighbourhood', async () => {
    const page = await openPage();
    await expect.poll(() => testId(page, 'graph-empty').isVisible()).toBe(true);
    await expect.poll(() => testId(page, 'start-paper').count()).toBe(5);

    await search(page, 'ヘッドレス');
    expect(await testId(page, 'search-result').allInnerTexts()).toEqual([expect.stringContaining(headless.title)]);

    await openPaperBySearch(page, 'Headless', headless.title);
    expect(await testId(page, 'graph-empty').isVisible()).toBe(false);
    expect(await testId(page, 'paper-title-ja').textContent()).toBe(headless.titleJa);
    expect(await testId(page, 'author-link').allInnerTexts()).toEqual(headless.authors);
    expect(await testId(page, 'arxiv-link').getAttribute('href')).toBe(headless.url);
    expect(await testId(page, 'related-link').count()).toBe(9);

    // The paper, its 3 authors and 9 related papers; papers and authors drawn differently; edges by type.
    expect(await nodeCount(page)).toBe(1 + 3 + 9);
    const drawn = await page.evaluate(() => {
      const cy = window.__papergraph!.cy;
      const look = (selector: string) => [...new Set(cy.$(selector).map((node) => `${node.style('shape')} ${node.style('background-color')}`))];
      const widths = cy.$('edge[type = "RELATED_TO"]').map((edge) => ({ weight: edge.data('weight') as number, width: parseFloat(edge.style('width')) }));
      widths.sort((a, b) => a.weight - b.weight);
      return {
        papers: look('node[kind = "PAPER"]'),
        authors: look('node[kind = "AUTHOR"]'),
        authored: cy.$('edge[type = "AUTHORED"]').length,
        related: widths.length,
        thinnest: widths[0]!.width,
        widest: widths[widths.length - 1]!.width,
        arrows: [...new Set(cy.edges().map((edge) => edge.style('target-arrow-shape')))],
      };
    });
    expect(drawn.papers).toEqual(['round-rectangle rgb(47,107,216)']);
    expect(drawn.authors).toEqual(['ellipse rgb(224,122,46)']);
    expect(drawn.authored).toBe(3);
    expect(drawn.related).toBe(9);
    expect(drawn.widest).toBeGreaterThan(drawn.thinnest * 2);
    expect(drawn.arrows).toEqual(['triangle']);
    await screenshot(page, 'wide-1-paper');

    // The author view: the author's papers and co-authors, in the panel and as a network.
    await testId(page, 'author-link').filter({ hasText: 'Benoît Sagot' }).click();
    await idle(page);
    expect(await testId(page, 'author-name').textContent()).toBe('Benoît Sagot');
    expect((await testId(page, 'coauthor').allInnerTexts()).sort()).toEqual(['Nathan Godey', 'Éric de la Clergerie'].sort());
    expect(await testId(page, 'author-paper').allInnerTexts()).toEqual([headless.title]);
    expect(await nodeCount(page)).toBe(1 + 1 + 2);
    await screenshot(page, 'wide-2-author');

    // The URL names what is open; going back shows the paper again.
    expect(new URL(page.url()).hash).toMatch(/^#author=/);
    await page.goBack();
    await idle(page);
    await expect.poll(() => testId(page, 'paper-title').textContent()).toBe(headless.title);
    expect(await nodeCount(page)).toBe(13);

    // Nothing was fetched from anywhere but this server.
    expect(requested.filter((url) => !url.startsWith(`${base}/`) && !url.startsWith('data:'))).toEqual([]);
  });

  it('expands a clicked node and highlights the shortest path between two picked nodes', async () => {
    const page = await openPage();
    await openPaperBySearch(page, 'Knowledge Fusion', knowledgeFusion);
    expect(await nodeCount(page)).toBe(2); // known only from AntLM's related list

    // Clicking AntLM adds its authors and its other related papers, and shows its details.
    await clickNode(page, antlm);
    await expect.poll(() => nodeCount(page)).toBe(2 + 6 + 7);
    expect(await testId(page, 'paper-title').textContent()).toBe(antlm);
    expect(
      await page.evaluate(
        (label) =>
          window
            .__papergraph!.cy.nodes()
            .filter((node) => node.data('label') === label)
            .hasClass('expanded'),
        antlm,
      ),
    ).toBe(true);
    await screenshot(page, 'wide-3-expanded');

    await testId(page, 'path-mode-toggle').click();
    expect(await testId(page, 'path-mode-toggle').getAttribute('aria-pressed')).toBe('true');
    await clickNode(page, 'Xinru Yu');
    expect(await testId(page, 'path-from').innerText()).toBe('Xinru Yu');
    await clickNode(page, knowledgeFusion);
    await expect.poll(() => testId(page, 'path-result').isVisible()).toBe(true);
    expect(await testId(page, 'path-step').allInnerTexts()).toEqual([
      'Xinru Yu',
      expect.stringMatching(new RegExp(`authored\\s+${antlm}$`)),
      expect.stringMatching(new RegExp(`related to\\s+${knowledgeFusion}$`)),
    ]);
    const highlighted = await page.evaluate(() => {
      const cy = window.__papergraph!.cy;
      return {
        nodes: cy.nodes('.on-path').map((node) => node.data('label') as string),
        edges: cy.edges('.on-path').map((edge) => edge.data('type') as string),
        faded: cy.nodes('.faded').length,
      };
    });
    expect(highlighted.nodes).toHaveLength(3);
    expect(highlighted.nodes.sort()).toEqual(['Xinru Yu', antlm, knowledgeFusion].sort());
    expect(highlighted.edges.sort()).toEqual(['AUTHORED', 'RELATED_TO']);
    expect(highlighted.faded).toBe(15 - 3);
    await screenshot(page, 'wide-4-path');

    // Only the path on the map, then undo brings the rest back.
    await testId(page, 'path-only').click();
    expect(await nodeCount(page)).toBe(3);
    expect(
      await page.evaluate(() =>
        window
          .__papergraph!.cy.edges()
          .map((edge) => edge.data('type') as string)
          .sort(),
      ),
    ).toEqual(['AUTHORED', 'RELATED_TO']);
    expect(await testId(page, 'graph-status').innerText()).toBe('Only the path is drawn. Undo brings the rest back.');
    await testId(page, 'undo-button').click();
    expect(await nodeCount(page)).toBe(15);

    // Leaving path mode clears the highlight.
    await testId(page, 'path-done').click();
    expect(await page.evaluate(() => window.__papergraph!.cy.elements('.on-path, .faded').length)).toBe(0);
  });

  it('reaches every node from the keyboard: arrows move the selection, Enter expands it', async () => {
    const page = await openPage();
    await openPaperBySearch(page, 'Knowledge Fusion', knowledgeFusion);
    expect(await nodeCount(page)).toBe(2);
    const canvas = testId(page, 'graph');
    await canvas.focus();
    expect(await canvas.getAttribute('aria-label')).toMatch(/arrow keys/i);
    const announced: string[] = [];
    for (let step = 0; step < 2; step += 1) {
      await canvas.press('ArrowRight');
      announced.push((await testId(page, 'graph-announcer').textContent()) ?? '');
    }
    // Two nodes, visited in turn, each announced by kind and label.
    expect(announced.sort()).toEqual([`Paper: ${antlm}`, `Paper: ${knowledgeFusion}`]);
    for (let tries = 0; tries < 4 && (await testId(page, 'graph-announcer').textContent()) !== `Paper: ${antlm}`; tries += 1) {
      await canvas.press('ArrowLeft');
    }
    await canvas.press('Enter');
    await idle(page);
    await expect.poll(() => nodeCount(page)).toBe(2 + 6 + 7);
    expect(await testId(page, 'paper-title').textContent()).toBe(antlm);
  });

  it('says so when no path joins the two picked nodes', async () => {
    const page = await openPage();
    await openPaperBySearch(page, 'Headless', headless.title);
    await testId(page, 'path-from-here').click();
    expect(await testId(page, 'path-mode-toggle').getAttribute('aria-pressed')).toBe('true');
    expect(await testId(page, 'path-from').innerText()).toBe(headless.title);
    // The start stays picked while another paper is opened; AntLM shares nothing with Headless.
    await openPaperBySearch(page, 'AntLM', antlm);
    await clickNode(page, antlm);
    expect(await testId(page, 'path-to').innerText()).toBe(antlm);
    await expect.poll(() => testId(page, 'path-empty').isVisible()).toBe(true);
    expect(await testId(page, 'path-empty').innerText()).toBe('No path of at most 6 steps joins them.');
    expect(await page.evaluate(() => window.__papergraph!.cy.elements('.on-path').length)).toBe(0);
  });

  it('works at 390 px wide: the panel stacks under the graph, nothing scrolls sideways', async () => {
    const page = await openPage(narrow);
    await openPaperBySearch(page, 'Headless', headless.title);
    expect(await nodeCount(page)).toBe(13);
    const graphBox = (await testId(page, 'graph').boundingBox())!;
    const detailsBox = (await testId(page, 'details').boundingBox())!;
    expect(graphBox.width).toBeGreaterThan(380);
    expect(detailsBox.y).toBeGreaterThanOrEqual(graphBox.y + graphBox.height);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(narrow.width);
    expect(await testId(page, 'author-link').allInnerTexts()).toEqual(headless.authors);
    await screenshot(page, 'narrow-1-paper');

    await openPaperBySearch(page, 'Knowledge Fusion', knowledgeFusion);
    await clickNode(page, antlm);
    await expect.poll(() => nodeCount(page)).toBe(15);
    await testId(page, 'path-mode-toggle').click();
    await clickNode(page, 'Xinru Yu');
    await clickNode(page, knowledgeFusion);
    await expect.poll(() => page.evaluate(() => window.__papergraph!.cy.nodes('.on-path').length)).toBe(3);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(narrow.width);
    await screenshot(page, 'narrow-2-path');
  });

  it('shows an empty state when a search finds nothing', async () => {
    const page = await openPage();
    await search(page, 'zyxwvut qqqq');
    expect(await testId(page, 'search-empty').innerText()).toContain('No paper matches “zyxwvut qqqq”.');
    expect(await testId(page, 'search-result').count()).toBe(0);
    expect(await testId(page, 'error').isVisible()).toBe(false);
    await screenshot(page, 'wide-5-no-hits');
  });

  it('shows loading states while the API is answering', async () => {
    const page = await openPage();
    // Hold each /graphql request until released.
    const held: (() => void)[] = [];
    await page.route('**/graphql', async (route) => {
      await new Promise<void>((resolve) => held.push(resolve));
      await route.continue();
    });
    const release = async () => {
      await expect.poll(() => held.length, { timeout: 30_000 }).toBe(1);
      held.shift()!();
    };

    await testId(page, 'search-input').fill('Headless');
    await testId(page, 'search-input').press('Enter');
    await expect.poll(() => testId(page, 'search-loading').isVisible()).toBe(true);
    expect(await page.evaluate(() => document.body.dataset.busy)).toBe('true');
    await release();
    await idle(page);
    expect(await testId(page, 'search-loading').count()).toBe(0);

    await testId(page, 'search-result').click();
    await expect.poll(() => testId(page, 'graph-loading').isVisible()).toBe(true);
    await screenshot(page, 'wide-7-loading');
    await release();
    // Then, the paper drawn, the links of its nodes to the rest of the map.
    await release();
    expect(await testId(page, 'graph-loading').isVisible()).toBe(false);
    expect(await nodeCount(page)).toBe(13);
    await idle(page);
  });

  it("shows the API's errors and unreachable servers in the page, and recovers", async () => {
    // A real error from the API: an ID that is not a papergraph ID.
    const page = await openPage(wide, '#paper=not-an-id');
    await expect.poll(() => testId(page, 'error').isVisible()).toBe(true);
    expect(await testId(page, 'error-message').innerText()).toBe('"not-an-id" is not a papergraph ID (INVALID_ID)');
    await screenshot(page, 'wide-6-error');

    // The API failing: a GraphQL error response, an HTTP error without GraphQL, no answer at all.
    await page.route('**/graphql', (route) =>
      route.fulfill({
        status: 503,
        contentType: 'application/json',
        body: JSON.stringify({ errors: [{ message: 'The database is unavailable; try again shortly.', extensions: { code: 'DATABASE_UNAVAILABLE' } }] }),
      }),
    );
    await search(page, 'Headless');
    expect(await testId(page, 'error-message').innerText()).toBe('The database is unavailable; try again shortly. (DATABASE_UNAVAILABLE)');
    expect(await testId(page, 'search-failed').isVisible()).toBe(true);
    await page.unroute('**/graphql');
    await page.route('**/graphql', (route) => route.fulfill({ status: 502, contentType: 'text/html', body: '<h1>Bad gateway</h1>' }));
    await search(page, 'Headless');
    expect(await testId(page, 'error-message').innerText()).toBe('The server answered 502 Bad Gateway.');
    await page.unroute('**/graphql');
    await page.route('**/graphql', (route) => route.abort('connectionrefused'));
    await search(page, 'Headless');
    expect(await testId(page, 'error-message').innerText()).toBe('Could not reach the server. Is papergraph running?');
    await page.unroute('**/graphql');

    await search(page, 'Headless');
    expect(await testId(page, 'error').isVisible()).toBe(false);
    expect(await testId(page, 'search-result').count()).toBe(1);
  });
});

describe('explorer: what was broken', () => {
  it('answers a malformed link with a friendly card and the start list, not a script error', async () => {
    const page = await openPage(wide, '#paper=%E0%A4%A');
    await expect.poll(() => testId(page, 'bad-link').isVisible()).toBe(true);
    expect(await testId(page, 'bad-link').innerText()).toContain('This link does not name a paper, an author, a venue, an institution or a topic.');
    await expect.poll(() => testId(page, 'start-paper').count()).toBe(5);
    // A hash that names nothing the explorer knows gets the same card.
    await page.goto(`${base}/#nothing=here`);
    await page.waitForFunction(() => window.__papergraph !== undefined);
    await expect.poll(() => testId(page, 'bad-link').isVisible()).toBe(true);
    await screenshot(page, 'wide-bad-link');
  });

  it('says so when a clicked node has nothing new to add', async () => {
    const page = await openPage();
    await openPaperBySearch(page, 'Knowledge Fusion', knowledgeFusion);
    expect(await nodeCount(page)).toBe(2);
    // Knowledge Fusion's only neighbour, AntLM, is drawn already.
    await clickNode(page, knowledgeFusion);
    await expect.poll(() => testId(page, 'graph-status').isVisible()).toBe(true);
    expect(await testId(page, 'graph-status').innerText()).toMatch(
      /^Nothing new to add: everything “Knowledge Fusion of Large Language Models” links to is already drawn\./,
    );
    expect(await nodeCount(page)).toBe(2);
  });

  it('renders inline LaTeX in titles and summaries, and shows broken markup as readable text', async () => {
    const page = await openPage();
    await openPaperBySearch(page, 'AntLM', antlm);
    // The site's related list names "$γ-$MoD: …": rendered as math in the panel, plain text on the canvas.
    const gammaMod = testId(page, 'related-link').filter({ hasText: 'MoD: Exploring Mixture-of-Depth' });
    expect(await gammaMod.count()).toBe(1);
    expect(await gammaMod.locator('math').count()).toBe(1);
    expect(await gammaMod.innerText()).not.toContain('$');
    // "$bfAntLM$" (a backslash lost): the word, in bold, no dollar signs.
    const summary = testId(page, 'paper-summary-ja');
    expect(await summary.innerText()).not.toContain('$');
    expect(await summary.locator('strong', { hasText: /^AntLM$/ }).count()).toBeGreaterThan(0);
    // "$AntLM_{BabyLlama}$" and "$\\textbf{AntLM}$" in the Japanese abstract: MathML.
    expect(await testId(page, 'paper-abstract-ja').locator('math').count()).toBe(3);
    expect(await testId(page, 'paper-abstract-ja').textContent()).not.toContain('$');
    const labels = await page.evaluate(() => window.__papergraph!.cy.nodes().map((node) => node.data('short') as string));
    expect(labels.filter((label) => label.includes('$'))).toEqual([]);
    expect(labels.filter((label) => label.startsWith('γ-MoD: Exploring Mixture-of-Depth'))).toHaveLength(1);
    await screenshot(page, 'wide-latex');
  });
});

describe('explorer: search, path mode and small screens', () => {
  it('shows authors and year in results, says why a stop word finds nothing, and refuses an over-long query in the page', async () => {
    const page = await openPage();
    await search(page, 'Headless');
    expect(await testId(page, 'search-result-authors').allInnerTexts()).toEqual([headless.authors.join(', ')]);
    expect(await testId(page, 'search-result').innerText()).toMatch(/\b2023 · matched title/);

    await search(page, 'the');
    expect(await testId(page, 'search-stop-words').innerText()).toBe(
      '“the” is a word too common to search for: the search leaves it out. Add a word that says what the paper is about.',
    );

    let asked = 0;
    page.on('request', (request) => {
      if (request.url().endsWith('/graphql')) asked += 1;
    });
    await search(page, 'language '.repeat(30));
    expect(await testId(page, 'search-too-long').innerText()).toContain('the most it can be is 200.');
    expect(asked).toBe(0);
    expect(await testId(page, 'error').isVisible()).toBe(false);
    await screenshot(page, 'wide-search-too-long');
  });

  it('in path mode: steps open their details, related links only can be chosen, and Escape leaves', async () => {
    const page = await openPage();
    await openPaperBySearch(page, 'Knowledge Fusion', knowledgeFusion);
    await clickNode(page, antlm);
    await testId(page, 'path-mode-toggle').click();
    await clickNode(page, 'Xinru Yu');
    await clickNode(page, knowledgeFusion);
    await expect.poll(() => testId(page, 'path-step').count()).toBe(3);
    // A step is a button: its details open, and path mode stays.
    await testId(page, 'path-step-link').filter({ hasText: 'Xinru Yu' }).click();
    await idle(page);
    await expect.poll(() => testId(page, 'author-name').textContent()).toBe('Xinru Yu');
    expect(await testId(page, 'path-mode-toggle').getAttribute('aria-pressed')).toBe('true');
    // Related links only: no path leads from an author.
    await testId(page, 'path-follows').selectOption('RELATED');
    await idle(page);
    await expect.poll(() => testId(page, 'path-empty').isVisible(), { timeout: 10_000 }).toBe(true);
    await page.keyboard.press('Escape');
    expect(await testId(page, 'path-mode-toggle').getAttribute('aria-pressed')).toBe('false');
    expect(await testId(page, 'path-panel').isVisible()).toBe(false);
  });

  it('on a phone, brings the results and then the details into view after a tap', async () => {
    const page = await openPage(narrow);
    const inView = (id: string) =>
      page.evaluate((id) => {
        const box = document.querySelector(`[data-testid="${id}"]`)!.getBoundingClientRect();
        return box.top >= -1 && box.top < window.innerHeight;
      }, id);
    await search(page, 'Headless');
    expect(await inView('search-results')).toBe(true);
    await testId(page, 'search-result').click();
    await idle(page);
    await expect.poll(() => inView('details')).toBe(true);
  });
});

// Last: it adds the OpenAlex fixture to the pages, which the tests above do not expect.
describe('explorer over citations', () => {
  const workHash = (openalexId: string) => `#paper=${encodeURIComponent(encodeGlobalId('Paper', workUid(openalexId)))}`;
  const dpo = 'Direct Preference Optimization: Your Language Model is Secretly a Reward Model';
  const chainOfThought = 'Chain-of-Thought Prompting Elicits Reasoning in Large Language Models';

  beforeAll(async () => {
    const works = fileURLToPath(new URL('../fixtures/openalex/works.jsonl', import.meta.url));
    await importOpenAlex(database, [works], { onFailure: () => {} });
  });

  it('shows a paper known only as a cited work greyed, and says so in its details', async () => {
    const page = await openPage();
    await openPaperBySearch(page, 'Headless', headless.title);
    // Headless (a page and the work W104) cites W901, which is known only by its OpenAlex id.
    const drawn = await page.evaluate(() => {
      const cy = window.__papergraph!.cy;
      const look = (node: any) => ({
        stub: node.data('stub') === true,
        short: node.data('short') as string,
        background: node.style('background-color') as string,
      });
      const stub = cy.nodes().filter((node) => node.data('label') === 'W901');
      const work = cy.nodes().filter((node) => node.data('label') === 'Attention Is All You Need');
      return { stub: stub.length === 1 ? look(stub[0]) : null, work: work.length === 1 ? look(work[0]) : null };
    });
    expect(drawn.stub).toEqual({ stub: true, short: 'W901 (cited work)', background: 'rgb(203,213,225)' });
    expect(drawn.work).toMatchObject({ stub: false, short: 'Attention Is All You Need' });
    expect(drawn.work!.background).not.toBe(drawn.stub!.background);

    const stubPage = await openPage(wide, workHash('W901'));
    await expect.poll(() => testId(stubPage, 'paper-title').textContent()).toBe('W901');
    expect(await testId(stubPage, 'stub-note').innerText()).toMatch(/^Known only as a cited work: OpenAlex W901/);
    expect(await testId(stubPage, 'no-page').count()).toBe(0);
    await screenshot(stubPage, 'wide-stub');
  });

  it('lists the prior and derivative works of the map, and adds one to it on a click', async () => {
    const page = await openPage(wide, workHash('W111'));
    await expect.poll(() => testId(page, 'paper-title').textContent()).toBe(chainOfThought);
    await testId(page, 'map-works-button').click();
    await idle(page);
    const entries = async (testIdOf: string) => (await testId(page, testIdOf).locator('li').allInnerTexts()).map((text) => text.replace(/\s+/g, ' ').trim());
    const prior = await entries('prior-works');
    const derivative = await entries('derivative-works');
    // Chain-of-Thought cites W104, W105, W110 and the stub W903, and DPO cites it: what those cite most,
    // and what cites most of them (BERT cites W903), papers not on the map, with how many of the map.
    expect(prior).toEqual([
      'Attention Is All You Need 3× · 2017 · 8 cit.',
      'BERT: Pre-training of Deep Bidirectional Transformers for Language Understanding 2× · 2018 · 6 cit.',
      'Language Models are Unsupervised Multitask Learners 2× · 2019 · 4 cit.',
      'Deep Residual Learning for Image Recognition 1× · 2016 · 2 cit.',
      'Graph Attention Networks 1× · 2018 · 1 cit.',
    ]);
    expect(derivative).toEqual(['BERT: Pre-training of Deep Bidirectional Transformers for Language Understanding 1× · 2018 · 6 cit.']);
    await screenshot(page, 'wide-prior-derivative');

    const before = await nodeCount(page);
    await testId(page, 'prior-works-link').filter({ hasText: 'Attention Is All You Need' }).click();
    await idle(page);
    expect(await nodeCount(page)).toBeGreaterThan(before);
    expect(await page.evaluate(() => window.__papergraph!.cy.nodes().some((node) => node.data('label') === 'Attention Is All You Need'))).toBe(true);
    // The lists are asked again for the grown map: Attention Is All You Need is on it now.
    await expect.poll(async () => (await entries('prior-works')).some((entry) => entry.startsWith('Attention Is All You Need'))).toBe(false);
  });

  it('follows a citation chain in path mode, from the citing paper to the cited one only', async () => {
    const page = await openPage(wide, workHash('W112'));
    await expect.poll(() => testId(page, 'paper-title').textContent()).toBe(dpo);
    await testId(page, 'path-from-here').click();
    await testId(page, 'path-follows').selectOption('CITATIONS');
    // DPO cites Chain-of-Thought: a chain of one citation.
    await clickNode(page, chainOfThought);
    await expect.poll(() => testId(page, 'path-result').isVisible()).toBe(true);
    expect(await testId(page, 'path-step').allInnerTexts()).toEqual([dpo, expect.stringMatching(new RegExp(`→ cites\\s+${chainOfThought}$`))]);

    // The other way round no citation leads: Chain-of-Thought does not cite DPO.
    await testId(page, 'path-clear').click();
    await clickNode(page, chainOfThought);
    await clickNode(page, dpo);
    await expect.poll(() => testId(page, 'path-empty').isVisible()).toBe(true);
    expect(await testId(page, 'path-empty').innerText()).toBe('No chain of at most 6 citations leads from the first to the second.');
    // Any link, either way, joins them.
    await testId(page, 'path-follows').selectOption('ANY');
    await expect.poll(() => testId(page, 'path-result').isVisible()).toBe(true);
    expect(await testId(page, 'path-step').allInnerTexts()).toEqual([chainOfThought, expect.stringMatching(new RegExp(`← cites\\s+${dpo}$`))]);
  });
});

// Last of all: a larger citation graph, made here: a hub work cited by 330 works and citing 7, and an
// author with 69 papers and 138 co-authors.
describe('explorer as a literature map', () => {
  const hub = 'W7000';
  const hubTitle = 'A Hub of the Field: Citations Everywhere';
  const prolific = 'A7000';
  let scratch: string;

  const work = (id: string, fields: Record<string, unknown>) =>
    JSON.stringify({
      id: `https://openalex.org/${id}`,
      type: 'article',
      publication_year: 2020,
      publication_date: '2020-01-01',
      authorships: [],
      cited_by_count: 0,
      referenced_works: [],
      related_works: [],
      ...fields,
    });
  const author = (id: string, name: string) => ({ author: { id: `https://openalex.org/${id}`, display_name: name } });

  beforeAll(async () => {
    const lines: string[] = [];
    const references = Array.from({ length: 7 }, (_, index) => `W${7001 + index}`);
    lines.push(
      work(hub, {
        title: hubTitle,
        doi: 'https://doi.org/10.5555/hub.2019',
        publication_year: 2019,
        publication_date: '2019-05-01',
        cited_by_count: 119,
        primary_location: { source: { id: 'https://openalex.org/S7900', display_name: 'Journal of Hubs', type: 'journal' } },
        topics: [
          { id: 'https://openalex.org/T7901', display_name: 'Hub Studies', score: 0.98, field: { display_name: 'Network Science' } },
          { id: 'https://openalex.org/T7902', display_name: 'Citation Analysis', score: 0.71 },
        ],
        authorships: [
          { ...author('A7900', 'Hana Hub'), institutions: [{ id: 'https://openalex.org/I7900', display_name: 'Institute of Hubs', country_code: 'jp' }] },
        ],
        referenced_works: references.map((id) => `https://openalex.org/${id}`),
      }),
    );
    references.forEach((id, index) => {
      lines.push(work(id, { title: `Foundation ${index + 1}`, publication_year: 2000 + index, publication_date: `${2000 + index}-01-01` }));
    });
    for (let index = 0; index < 330; index += 1) {
      const year = 2020 + (index % 5);
      // The prolific author wrote the first 69 citing works, each with two co-authors of their own.
      const authorships =
        index < 69
          ? [
              {
                ...author(prolific, 'Pat Prolific'),
                institutions: [{ id: 'https://openalex.org/I7901', display_name: 'University of Many Papers', country_code: 'jp' }],
              },
              author(`A${8000 + 2 * index}`, `Coauthor ${2 * index}`),
              author(`A${8001 + 2 * index}`, `Coauthor ${2 * index + 1}`),
            ]
          : [];
      lines.push(
        work(`W${7100 + index}`, {
          title: `Citing Work ${index}`,
          publication_year: year,
          publication_date: `${year}-01-01`,
          authorships,
          // Every tenth and the one after it share the hub's second topic: 66 works, and the hub.
          ...(index % 10 <= 1 ? { topics: [{ id: 'https://openalex.org/T7902', display_name: 'Citation Analysis', score: 0.5 }] } : {}),
          // Every tenth citing work is cited by the one after it, so the most cited come first.
          referenced_works: [`https://openalex.org/${hub}`, ...(index % 10 === 1 ? [`https://openalex.org/W${7100 + index - 1}`] : [])],
        }),
      );
    }
    scratch = await mkdtemp(path.join(os.tmpdir(), 'papergraph-explorer-map-'));
    const file = path.join(scratch, 'works.jsonl');
    await writeFile(file, `${lines.join('\n')}\n`);
    await importOpenAlex(database, [file], { onFailure: () => {} });
  });
  afterAll(async () => {
    if (scratch) await rm(scratch, { recursive: true, force: true });
  });

  const hubHash = () => `#paper=${encodeURIComponent(encodeGlobalId('Paper', workUid(hub)))}`;

  it('draws every reference of a much-cited paper, announces the citing papers left out, and pages through them', async () => {
    const page = await openPage(wide, hubHash());
    await expect.poll(() => testId(page, 'paper-title').textContent()).toBe(hubTitle);
    const drawn = () =>
      page.evaluate((hubTitle) => {
        const cy = window.__papergraph!.cy;
        const focus = cy.nodes().filter((node) => node.data('label') === hubTitle);
        return { references: focus.outgoers('edge[type = "CITES"]').length, citers: focus.incomers('edge[type = "CITES"]').length };
      }, hubTitle);
    // All 7 references, never crowded out by the 330 citing papers; a first page of those.
    expect(await drawn()).toEqual({ references: 7, citers: 20 });
    expect(await testId(page, 'references-link').count()).toBe(7);
    expect(await testId(page, 'cited-by-link').count()).toBe(20);
    expect(await testId(page, 'cited-by-more').innerText()).toMatch(/^Showing 20 of 330\./);
    expect(await testId(page, 'graph-status').innerText()).toContain('20 of 330 citing papers');
    // Most cited first: the works cited by another (every tenth) come before the rest.
    const citedOnce = (title: string) => Number(/\d+$/.exec(title)![0]) % 10 === 0;
    expect((await testId(page, 'cited-by-link').allInnerTexts()).every(citedOnce)).toBe(true);

    await testId(page, 'cited-by-more-button').click();
    await idle(page);
    expect(await drawn()).toEqual({ references: 7, citers: 40 });
    expect(await testId(page, 'cited-by-link').count()).toBe(40);
    expect(await testId(page, 'cited-by-more').innerText()).toMatch(/^Showing 40 of 330\./);

    // Newest first, on request.
    await testId(page, 'list-order').selectOption('NEWEST');
    await idle(page);
    await expect.poll(async () => (await testId(page, 'cited-by-link').allInnerTexts())[0]).toMatch(/^Citing Work \d+$/);
    const years = await page.evaluate(() => window.__papergraph!.cy.nodes().map((node) => node.data('year') as number | null));
    expect(years).toContain(2024);
  });

  /** The links drawn, as `source TYPE target` by label. */
  const drawnLinks = (page: Page) =>
    page.evaluate(() =>
      window
        .__papergraph!.cy.edges()
        .map((edge) => `${edge.source().data('label')} ${edge.data('type')} ${edge.target().data('label')}`)
        .sort(),
    );

  /** The links the database holds among the nodes drawn, the same way. */
  async function linksAmongDrawn(page: Page): Promise<string[]> {
    const ids = await page.evaluate(() => window.__papergraph!.cy.nodes().map((node) => node.id()));
    const uids = ids.map((id) =>
      Buffer.from(id, 'base64url')
        .toString('utf8')
        .replace(/^(Paper|Author):/, ''),
    );
    const rows = await new Cypher(database).read<{ link: string }>(
      `MATCH (a)-[r:AUTHORED|CITES|RELATED_TO]->(b:Paper) WHERE a.uid IN $uids AND b.uid IN $uids
       RETURN coalesce(a.title, a.name) + ' ' + type(r) + ' ' + b.title AS link`,
      { uids },
    );
    return rows.map((row) => row.link).sort();
  }

  it('links papers drawn separately: a citing paper of a later page to the one it cites, an author to the papers drawn before', async () => {
    const page = await openPage(wide, hubHash());
    await expect.poll(() => testId(page, 'paper-title').textContent()).toBe(hubTitle);
    const drawn = (label: string) => page.evaluate((label) => window.__papergraph!.cy.nodes().some((node) => node.data('label') === label), label);
    // Citing Work 0 is cited (by Citing Work 1), so it is on the first page of the hub's citing papers,
    // most cited first; Citing Work 1, cited by none, comes on a later page.
    expect(await drawn('Citing Work 0')).toBe(true);
    while (!(await drawn('Citing Work 1'))) {
      await testId(page, 'cited-by-more-button').click();
      await idle(page);
    }
    await expect.poll(() => drawnLinks(page)).toContain('Citing Work 1 CITES Citing Work 0');
    // Expanding Citing Work 10 draws its author Pat Prolific, who also wrote Citing Work 0, drawn before.
    await clickNode(page, 'Citing Work 10');
    await expect.poll(() => drawnLinks(page)).toContain('Pat Prolific AUTHORED Citing Work 0');
    await clickNode(page, 'Foundation 1');
    expect(await drawnLinks(page)).toEqual(await linksAmongDrawn(page));

    // A link that reproduces the map draws the same links.
    const copy = await openPage(wide, new URL(page.url()).hash);
    await expect.poll(() => testId(copy, 'paper-title').textContent()).toBe(hubTitle);
    await idle(copy);
    expect(await drawnLinks(copy)).toEqual(await linksAmongDrawn(copy));
  });

  it("shows what an OpenAlex work has: DOI, venue, topics, OpenAlex link, both citation counts, and its authors' institutions", async () => {
    const page = await openPage(wide, hubHash());
    await expect.poll(() => testId(page, 'paper-title').textContent()).toBe(hubTitle);
    expect(await testId(page, 'paper-kind').innerText()).toBe('OpenAlex work · 2019-05-01');
    expect(await testId(page, 'doi-link').getAttribute('href')).toBe('https://doi.org/10.5555/hub.2019');
    expect(await testId(page, 'openalex-link').getAttribute('href')).toBe(`https://openalex.org/${hub}`);
    expect(await testId(page, 'paper-venue').innerText()).toBe('Journal of Hubs · journal');
    expect(await testId(page, 'paper-topics').innerText()).toBe('Topics: Hub Studies · Citation Analysis');
    expect(await testId(page, 'citation-counts').innerText()).toBe('Cited by 330 papers in this graph · 119 in OpenAlex');
    expect(await testId(page, 'no-page').innerText()).toBe('An OpenAlex work: no summary page of its own was loaded.');
    await screenshot(page, 'wide-openalex-work');
    await testId(page, 'author-link').filter({ hasText: 'Hana Hub' }).click();
    await expect.poll(() => testId(page, 'author-name').textContent()).toBe('Hana Hub');
    expect(await testId(page, 'author-institutions').innerText()).toMatch(/^Institute of Hubs, JP\s*2019$/);
  });

  /** How many papers the database holds of a topic (HAS_TOPIC) or an institution (the works its affiliations name). */
  async function papersOf(relation: 'HAS_TOPIC' | 'AFFILIATED', openalexId: string): Promise<number> {
    const [row] = await new Cypher(database).read<{ count: number }>(
      relation === 'HAS_TOPIC'
        ? 'MATCH (p:Paper)-[:HAS_TOPIC]->(:Topic {openalexId: $openalexId}) RETURN count(DISTINCT p) AS count'
        : 'MATCH (:Institution {openalexId: $openalexId})<-[affiliation:AFFILIATED_WITH]-(:Author) MATCH (p:Paper {openalexId: affiliation.work}) RETURN count(DISTINCT p) AS count',
      { openalexId },
    );
    return Number(row!.count);
  }

  it("draws a topic's papers as a map from a paper's details: the most cited first page, the links among them, a header card, and a link that reproduces it", async () => {
    const page = await openPage(wide, hubHash());
    await expect.poll(() => testId(page, 'paper-title').textContent()).toBe(hubTitle);
    const topic = testId(page, 'topic-link').filter({ hasText: 'Citation Analysis' });
    const topicId = (await topic.getAttribute('data-id'))!;
    await topic.click();
    await idle(page);
    await expect.poll(() => testId(page, 'entity-name').textContent()).toBe('Citation Analysis');
    const total = await papersOf('HAS_TOPIC', 'T7902');
    expect(total).toBe(67);
    expect(await testId(page, 'entity-kind').innerText()).toBe(`Topic · ${total} papers`);
    expect(await nodeCount(page)).toBe(30);
    expect(await testId(page, 'entity-paper').count()).toBe(30);
    expect(await testId(page, 'entity-papers-more').innerText()).toMatch(new RegExp(`^Showing 30 of ${total}, most cited first\\.`));
    expect(await testId(page, 'graph-status').innerText()).toContain(`the 30 most cited of the ${total} papers`);
    // Most cited first: the hub, then works cited once (every tenth), all drawn with their citations of the hub.
    expect(await testId(page, 'entity-paper').first().innerText()).toBe(hubTitle);
    await idle(page);
    const links = await drawnLinks(page);
    expect(links.filter((link) => link.endsWith(`CITES ${hubTitle}`))).toHaveLength(29);
    expect(links).toEqual(await linksAmongDrawn(page));
    expect(new URL(page.url()).hash).toBe(`#topic=${encodeURIComponent(topicId)}`);
    await screenshot(page, 'topic-map');

    await testId(page, 'entity-papers-more-button').click();
    await idle(page);
    expect(await nodeCount(page)).toBe(60);
    expect(await testId(page, 'entity-papers-more').innerText()).toMatch(new RegExp(`^Showing 60 of ${total}`));
    // The second page brings works of the topic cited by none, each citing the hub and a work of the first page.
    const betweenWorks = async () => (await drawnLinks(page)).filter((link) => /^Citing Work \d*1 CITES Citing Work \d*0$/.test(link)).length;
    await expect.poll(betweenWorks).toBeGreaterThan(0);
    expect(await drawnLinks(page)).toEqual(await linksAmongDrawn(page));

    // The link reproduces the map, its second page included; a mangled or unknown one says so.
    const copy = await openPage(wide, new URL(page.url()).hash);
    await expect.poll(() => testId(copy, 'entity-name').textContent()).toBe('Citation Analysis');
    expect(await nodeCount(copy)).toBe(60);
    const unknown = await openPage(wide, '#topic=nonsense');
    await expect.poll(() => testId(unknown, 'not-found').isVisible()).toBe(true);
    expect(await testId(unknown, 'not-found').innerText()).toContain('No topic has this ID.');
    expect(await testId(unknown, 'error').isVisible()).toBe(false);
  });

  it("draws an institution's papers as a map from an author's details", async () => {
    const id = encodeGlobalId('Author', (await authorUidOf(prolific))!);
    const page = await openPage(wide, `#author=${encodeURIComponent(id)}`);
    await expect.poll(() => testId(page, 'author-name').textContent()).toBe('Pat Prolific');
    const institution = testId(page, 'institution-link').filter({ hasText: 'University of Many Papers' });
    const institutionId = (await institution.getAttribute('data-id'))!;
    await institution.click();
    await idle(page);
    await expect.poll(() => testId(page, 'entity-name').textContent()).toBe('University of Many Papers');
    const total = await papersOf('AFFILIATED', 'I7901');
    expect(total).toBe(69);
    expect(await testId(page, 'entity-kind').innerText()).toBe(`Institution · JP · ${total} papers`);
    expect(await nodeCount(page)).toBe(30);
    expect(await testId(page, 'entity-papers-more').innerText()).toMatch(new RegExp(`^Showing 30 of ${total}`));
    await idle(page);
    expect(await drawnLinks(page)).toEqual(await linksAmongDrawn(page));
    expect(new URL(page.url()).hash).toBe(`#institution=${encodeURIComponent(institutionId)}`);
    // The hub's venue draws its one paper.
    await page.goto(`${base}/${hubHash()}`);
    await page.waitForFunction(() => window.__papergraph !== undefined);
    await expect.poll(() => testId(page, 'paper-title').textContent()).toBe(hubTitle);
    await testId(page, 'venue-link').click();
    await idle(page);
    await expect.poll(() => testId(page, 'entity-kind').textContent()).toBe('Venue · journal · 1 paper');
    expect(await nodeCount(page)).toBe(1);
  });

  /** Grows the hub's map by paging through its citing papers until it holds at least `nodes` nodes. */
  async function growHubMap(page: Page, nodes: number): Promise<void> {
    while ((await nodeCount(page)) < nodes) {
      await testId(page, 'cited-by-more-button').click();
      await idle(page);
    }
  }

  it('draws a 300-node map coloured by year and sized by citations, with its legend, when the graph has no analytics', async () => {
    const page = await openPage(wide, hubHash());
    await expect.poll(() => testId(page, 'paper-title').textContent()).toBe(hubTitle);
    // This graph was never analysed: the map keeps citations and kind until the reader chooses.
    expect(await testId(page, 'size-by').inputValue()).toBe('citations');
    expect(await testId(page, 'colour-by').inputValue()).toBe('kind');
    await growHubMap(page, 300);
    await testId(page, 'controls').locator('summary').click();
    await testId(page, 'colour-by').selectOption('year');
    expect(await testId(page, 'legend-years').innerText()).toMatch(/^2000\s*2024$/);
    const look = await page.evaluate(() => {
      const cy = window.__papergraph!.cy;
      const colourOf = (year: number) => new Set(cy.nodes(`[year = ${year}]`).map((node) => node.style('background-color') as string));
      const widths = (selector: string) => cy.nodes(selector).map((node) => node.width());
      return {
        oldest: [...colourOf(2000)],
        newest: [...colourOf(2024)],
        focusHalo: [cy.nodes('.focus').style('underlay-color'), cy.nodes('.focus').style('underlay-opacity')],
        citedWidth: Math.min(...widths('[kind = "PAPER"][citations > 0][!stub]')),
        uncitedWidth: Math.max(...widths('[kind = "PAPER"][citations = 0][!stub]')),
      };
    });
    expect(look.oldest).toEqual(['rgb(68,1,84)']);
    expect(look.newest).toEqual(['rgb(253,231,37)']);
    expect(look.focusHalo).toEqual(['rgb(245,196,0)', '0.55']);
    expect(look.citedWidth).toBeGreaterThan(look.uncitedWidth);
    await testId(page, 'controls').locator('summary').click();
    await screenshot(page, 'wide-map-300-year-citations');
  });

  it('filters by year and link type, hides a node, undoes, resets, and shows a hover card', async () => {
    const page = await openPage(wide, hubHash());
    await expect.poll(() => testId(page, 'paper-title').textContent()).toBe(hubTitle);
    const visible = () =>
      page.evaluate(() => {
        const cy = window.__papergraph!.cy;
        // Drawn: not filtered out, and for an edge, both its ends drawn.
        const nodes = cy.nodes().not('.filtered');
        const cites = cy
          .edges('[type = "CITES"]')
          .not('.filtered')
          .filter((edge: any) => nodes.contains(edge.source()) && nodes.contains(edge.target()));
        return { nodes: nodes.length, cites: cites.length };
      });
    expect(await visible()).toEqual({ nodes: 29, cites: 27 });
    await testId(page, 'controls').locator('summary').click();
    // The references are from 2000 to 2006, the citing papers from 2020 on.
    await testId(page, 'year-to').fill('2010');
    expect(await visible()).toEqual({ nodes: 9, cites: 7 });
    await testId(page, 'year-to').fill('');
    await testId(page, 'show-CITES').uncheck();
    expect((await visible()).cites).toBe(0);
    await testId(page, 'show-CITES').check();
    expect(await visible()).toEqual({ nodes: 29, cites: 27 });

    // Expand a citing paper (it brings Citing Work 11, which cites it, and its three authors), hide it from its details, bring it back, undo the expansion; reset after another.
    await clickNode(page, 'Citing Work 10');
    expect(await testId(page, 'paper-title').textContent()).toBe('Citing Work 10');
    const expanded = await nodeCount(page);
    expect(expanded).toBe(29 + 4);
    const drawnCiting10 = () => page.evaluate(() => window.__papergraph!.cy.nodes().some((node) => node.data('label') === 'Citing Work 10'));
    await testId(page, 'hide-node').click();
    expect(await nodeCount(page)).toBe(expanded - 1);
    expect(await drawnCiting10()).toBe(false);
    expect(await testId(page, 'graph-status').innerText()).toBe('Hid “Citing Work 10” from the map. Undo brings it back.');
    await testId(page, 'undo-button').click();
    expect(await nodeCount(page)).toBe(expanded);
    expect(await drawnCiting10()).toBe(true);
    await testId(page, 'undo-button').click();
    expect(await nodeCount(page)).toBe(29);
    expect(await testId(page, 'undo-button').isDisabled()).toBe(true);
    await clickNode(page, 'Citing Work 20');
    expect(await nodeCount(page)).toBe(29 + 4);
    await testId(page, 'reset-button').click();
    await idle(page);
    expect(await nodeCount(page)).toBe(29);

    // The hover card, and a pointer over nodes.
    const point = await page.evaluate((label) => {
      const cy = window.__papergraph!.cy;
      const node = cy.nodes().filter((candidate) => candidate.data('label') === label);
      const box = cy.container()!.getBoundingClientRect();
      return { x: box.left + node.renderedPosition().x, y: box.top + node.renderedPosition().y };
    }, hubTitle);
    await page.mouse.move(point.x, point.y);
    await expect.poll(() => testId(page, 'hover-card').isVisible()).toBe(true);
    expect(await testId(page, 'hover-card').innerText()).toBe(`${hubTitle}\nOpenAlex work · 2019\nHana Hub\n330 citations here · 119 in OpenAlex`);
    expect(await testId(page, 'graph').evaluate((element) => element.style.cursor)).toBe('pointer');
    await screenshot(page, 'wide-hover-card');
  });

  it('keeps the map in the URL: a link reproduces the focus and the expanded nodes', async () => {
    const page = await openPage(wide, hubHash());
    await expect.poll(() => testId(page, 'paper-title').textContent()).toBe(hubTitle);
    await clickNode(page, 'Citing Work 10');
    await clickNode(page, 'Hana Hub');
    // Hana Hub brings nothing new (her only paper is drawn): no step for her.
    expect(new URL(page.url()).hash).toMatch(/^#paper=[^&]+&steps=e\.[^~]+$/);
    const original = await drawnIds(page);
    const copy = await openPage(wide, new URL(page.url()).hash);
    await expect.poll(() => drawnIds(copy)).toEqual(original);
    expect(await testId(copy, 'paper-title').textContent()).toBe(hubTitle);
  });

  it('keeps every step in the URL: a link reproduces the pages shown, the nodes hidden and the order of expansions', async () => {
    const page = await openPage(wide, hubHash());
    await expect.poll(() => testId(page, 'paper-title').textContent()).toBe(hubTitle);
    // A second page of the hub's citing papers, an expansion, a hidden node.
    await testId(page, 'cited-by-more-button').click();
    await idle(page);
    expect(await nodeCount(page)).toBe(29 + 20);
    await clickNode(page, 'Citing Work 10');
    expect(await testId(page, 'paper-title').textContent()).toBe('Citing Work 10');
    await testId(page, 'hide-node').click();
    const drawnLabels = await page.evaluate(() => window.__papergraph!.cy.nodes().map((node) => node.data('label') as string));
    expect(drawnLabels).not.toContain('Citing Work 10');
    expect(drawnLabels).toContain('Pat Prolific');
    const original = await drawnIds(page);

    // Reloaded from its URL, and opened from it in another tab: the same nodes.
    await page.reload();
    await page.waitForFunction(() => window.__papergraph !== undefined);
    await idle(page);
    await expect.poll(() => drawnIds(page)).toEqual(original);
    const copy = await openPage(wide, new URL(page.url()).hash);
    await expect.poll(() => drawnIds(copy)).toEqual(original);
    expect(await testId(copy, 'paper-title').textContent()).toBe(hubTitle);

    // Undo takes the last step out of the link too: the hidden paper comes back in a copy.
    await testId(copy, 'undo-button').click();
    const copied = await openPage(wide, new URL(copy.url()).hash);
    await expect
      .poll(() => drawnIds(copied))
      .toEqual(
        [
          ...original,
          await copy.evaluate(() =>
            window
              .__papergraph!.cy.nodes()
              .filter((node) => node.data('label') === 'Citing Work 10')
              .id(),
          ),
        ].sort(),
      );
  });

  it('keeps the encoding and filters chosen in the URL: a link draws the map sized, coloured and filtered alike', async () => {
    const page = await openPage(wide, hubHash());
    await expect.poll(() => testId(page, 'paper-title').textContent()).toBe(hubTitle);
    await testId(page, 'controls').locator('summary').click();
    await testId(page, 'colour-by').selectOption('year');
    await testId(page, 'size-by').selectOption('openalex');
    await testId(page, 'year-from').fill('2019');
    await testId(page, 'show-AUTHORED').uncheck();
    const shown = (target: Page) =>
      target.evaluate(() => {
        const cy = window.__papergraph!.cy;
        return {
          filteredNodes: cy
            .nodes('.filtered')
            .map((node) => node.id())
            .sort(),
          filteredEdges: cy.edges('.filtered').length,
          sizes: cy
            .nodes()
            .map((node) => `${node.id()}:${node.style('width')}:${node.style('background-color')}`)
            .sort(),
        };
      });
    const original = await shown(page);
    expect(original.filteredNodes.length).toBeGreaterThan(0);
    expect(original.filteredEdges).toBeGreaterThan(0);
    const copy = await openPage(wide, new URL(page.url()).hash);
    await expect.poll(() => testId(copy, 'paper-title').textContent()).toBe(hubTitle);
    expect(await testId(copy, 'colour-by').inputValue()).toBe('year');
    expect(await testId(copy, 'size-by').inputValue()).toBe('openalex');
    expect(await testId(copy, 'year-from').inputValue()).toBe('2019');
    expect(await testId(copy, 'show-AUTHORED').isChecked()).toBe(false);
    await expect.poll(() => shown(copy)).toEqual(original);
  });

  it("takes a list's page back on undo: the list, its count and the next page agree with the map and its link", async () => {
    const page = await openPage(wide, hubHash());
    await expect.poll(() => testId(page, 'paper-title').textContent()).toBe(hubTitle);
    const firstPage = await testId(page, 'cited-by-more').innerText();
    const listed = await testId(page, 'cited-by-link').count();
    await testId(page, 'cited-by-more-button').click();
    await idle(page);
    expect(await testId(page, 'cited-by-link').count()).toBeGreaterThan(listed);
    await testId(page, 'undo-button').click();
    await idle(page);
    expect(await testId(page, 'cited-by-more').innerText()).toBe(firstPage);
    expect(await testId(page, 'cited-by-link').count()).toBe(listed);
    // The next page is the second again, as a link replaying the steps draws it.
    await testId(page, 'cited-by-more-button').click();
    await idle(page);
    const live = await drawnIds(page);
    const copy = await openPage(wide, new URL(page.url()).hash);
    await expect.poll(() => drawnIds(copy)).toEqual(live);
  });

  it('gives an author true totals: co-authors and papers beyond the first fifty are counted, announced and reachable', async () => {
    const id = encodeGlobalId('Author', (await authorUidOf(prolific))!);
    const page = await openPage(wide, `#author=${encodeURIComponent(id)}`);
    await expect.poll(() => testId(page, 'author-name').textContent()).toBe('Pat Prolific');
    expect(await testId(page, 'author-kind').innerText()).toBe('Author · 69 papers · 138 co-authors');
    expect(await testId(page, 'coauthor').count()).toBe(50);
    expect(await testId(page, 'coauthors-more').innerText()).toMatch(/^Showing 50 of 138/);
    expect(await testId(page, 'author-papers-more').innerText()).toMatch(/^Showing 50 of 69/);
    await testId(page, 'coauthors-more-button').click();
    await idle(page);
    expect(await testId(page, 'coauthor').count()).toBe(100);
    expect(await testId(page, 'coauthors-more').innerText()).toMatch(/^Showing 100 of 138/);
    await testId(page, 'author-papers-more-button').click();
    await idle(page);
    expect(await testId(page, 'author-paper').count()).toBe(69);
    expect(await testId(page, 'author-papers-more').count()).toBe(0);
    // Every paper is drawn now, with both co-authors of each.
    expect(await nodeCount(page)).toBe(1 + 69 + 138);
  });
});

// After every other test: a generated corpus of OpenAlex works, loaded with the importer and analysed
// with the analysis `npm run analyze` runs, so the map shows the communities and influence it found.
describe('explorer over an analysed corpus', () => {
  let scratch: string;
  let start: string;

  beforeAll(async () => {
    scratch = await mkdtemp(path.join(os.tmpdir(), 'papergraph-explorer-analysed-'));
    for await (const _part of generateWorks({ works: 1200, seed: 11, out: path.join(scratch, 'works') })) {
      // written
    }
    await importOpenAlex(database, [path.join(scratch, 'works')], { onFailure: () => {} });
    await analyzeGraph(database);
    const [row] = await new Cypher(database).read<{ uid: string }>(
      // A paper of few authors, so that the map is mostly papers.
      // (Generated works have ids from W4000000000 on, apart from the fixtures' works loaded above.)
      `MATCH (p:Paper) WHERE p.openalexId STARTS WITH 'W4' AND size(p.openalexId) >= 11 AND p.openalexHash IS NOT NULL
         AND p.communityId IS NOT NULL AND COUNT { (p)<-[:AUTHORED]-() } <= 4
       RETURN p.uid AS uid ORDER BY COUNT { (p)<-[:CITES]-() } DESC, p.uid LIMIT 1`,
    );
    start = encodeGlobalId('Paper', row!.uid);
  });
  afterAll(async () => {
    if (scratch) await rm(scratch, { recursive: true, force: true });
  });

  it('colours a 300-node citation map by the communities the analysis found and sizes it by influence, with a legend of them', async () => {
    // The first view of the most cited paper, on a cold database, may take longer than a wait's default.
    await fetch(`${base}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        query:
          'query ($id: ID!) { paper(id: $id) { citedBy(first: 20) { totalCount } neighborhood(limit: 200, via: [CITES, RELATED_TO, AUTHORED]) { edges { type } } } }',
        variables: { id: start },
      }),
    });
    const page = await openPage(wide, `#paper=${encodeURIComponent(start)}`);
    // With analytics, the map is coloured by community and sized by influence from the start.
    await expect.poll(() => testId(page, 'colour-by').inputValue()).toBe('community');
    expect(await testId(page, 'size-by').inputValue()).toBe('influence');
    // Grown as a reader would, to 300 papers: the papers with most links drawn are expanded in turn.
    const paperCount = () => page.evaluate(() => window.__papergraph!.cy.nodes('[kind = "PAPER"]').length);
    while ((await paperCount()) < 300) {
      const next = await page.evaluate(
        () =>
          window
            .__papergraph!.cy.nodes('[kind = "PAPER"][!stub]')
            .filter((node) => !node.hasClass('expanded'))
            .sort((a, b) => (b as NodeSingular).connectedEdges().length - (a as NodeSingular).connectedEdges().length)
            .map((node) => node.id())[0],
      );
      if (!next) throw new Error(`the map stopped growing at ${await nodeCount(page)} nodes`);
      await page.evaluate((id) => window.__papergraph!.expand({ id, kind: 'PAPER', label: '' }), next);
      await idle(page);
    }
    const drawn = (
      await page.evaluate(() =>
        window.__papergraph!.cy.nodes('[kind = "PAPER"]').map((node) => ({
          id: node.id(),
          community: node.data('communityId') as string | null,
          influence: node.data('influence') as number | null,
          colour: node.style('background-color') as string,
          width: node.width(),
          stub: node.data('stub') as boolean,
        })),
      )
    ).map(({ id, ...rest }) => ({ uid: Buffer.from(id, 'base64url').toString('utf8').slice('Paper:'.length), ...rest }));
    // The values drawn are the analysis' own, as Neo4j holds them.
    const stored = new Map(
      (
        await new Cypher(database).read<{ uid: string; community: string | null; influence: number | null }>(
          'UNWIND $uids AS uid MATCH (p:Paper {uid: uid}) RETURN uid, p.communityId AS community, p.influencePercentile AS influence',
          { uids: drawn.map((node) => node.uid) },
        )
      ).map((row) => [row.uid, row]),
    );
    for (const node of drawn) {
      expect(node.community && Buffer.from(node.community, 'base64url').toString('utf8')).toBe(
        stored.get(node.uid)?.community ? `Community:${stored.get(node.uid)!.community}` : null,
      );
      expect(node.influence).toBe(stored.get(node.uid)?.influence ?? null);
    }
    // One colour per community (the largest eight or more drawn), a different one for each.
    const coloursOf = new Map<string, Set<string>>();
    for (const node of drawn.filter((candidate) => candidate.community && !candidate.stub)) {
      coloursOf.set(node.community!, (coloursOf.get(node.community!) ?? new Set()).add(node.colour));
    }
    const ranked = [...coloursOf.entries()].sort((a, b) => b[1].size - a[1].size);
    expect(ranked.length).toBeGreaterThanOrEqual(3);
    expect(ranked.every(([, colours]) => colours.size === 1)).toBe(true);
    const legend = await testId(page, 'legend-items').innerText();
    expect(legend).toContain('size: influence');
    expect(legend).toMatch(/\(\d+\)$/m);
    // More influence, a larger paper.
    const analysed = drawn.filter((node) => !node.stub && typeof node.influence === 'number');
    const most = analysed.reduce((a, b) => (b.influence! > a.influence! ? b : a));
    const least = analysed.reduce((a, b) => (b.influence! < a.influence! ? b : a));
    expect(most.width).toBeGreaterThan(least.width);
    expect(await testId(page, 'citation-counts').innerText()).toMatch(/influence: top \d+%/);
    await screenshot(page, 'wide-map-300-community-influence');
  }, 300_000);
});
