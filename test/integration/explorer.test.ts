import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/driver.ts';
import { createPapergraphYoga } from '../../src/yoga.ts';
import { defaultPagesDir, seedPages } from '../../src/load/pages.ts';
import { importOpenAlex } from '../../src/load/openalex.ts';
import { workUid } from '../../src/domain/openalex.ts';
import { encodeGlobalId } from '../../src/graphql/lib/global-id.ts';
import { connectTestDatabase, resetGraph } from '../helpers/database.ts';

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
  await testId(page, 'search-result').filter({ has: page.getByText(title, { exact: true }) }).click();
  await idle(page);
  await expect.poll(() => testId(page, 'paper-title').textContent()).toBe(title);
}

const nodeCount = (page: Page) => page.evaluate(() => window.__papergraph!.cy.nodes().length);

/** Clicks a node where Cytoscape drew it on the canvas, as a person would. */
async function clickNode(page: Page, label: string): Promise<void> {
  const point = await page.evaluate((label) => {
    const cy = window.__papergraph!.cy;
    const node = cy.nodes().toArray().find((candidate) => candidate.data('label') === label);
    if (!node) return null;
    const box = cy.container()!.getBoundingClientRect();
    const position = node.renderedPosition();
    return { x: box.left + position.x, y: box.top + position.y };
  }, label);
  if (!point) throw new Error(`no node labelled ${label} in the graph`);
  await page.mouse.click(point.x, point.y);
  await idle(page);
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
    expect(await page.evaluate((label) => window.__papergraph!.cy.nodes().filter((node) => node.data('label') === label).hasClass('expanded'), antlm)).toBe(true);
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
      await expect.poll(() => held.length).toBe(1);
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
    await idle(page);
    expect(await testId(page, 'graph-loading').isVisible()).toBe(false);
    expect(await nodeCount(page)).toBe(13);
  });

  it('shows the API\'s errors and unreachable servers in the page, and recovers', async () => {
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
      const look = (node: any) => ({ stub: node.data('stub') === true, short: node.data('short') as string, background: node.style('background-color') as string });
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
