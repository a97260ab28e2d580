/// <reference lib="dom" />
/**
 * The explorer's page: search, the details panel, path mode, the map's controls, the URL, and the
 * wiring between them and the graph.
 * Data comes only from api.ts (GraphQL); drawing is graph.ts.
 */
import {
  ApiError,
  apiCapabilities,
  authorPageSize,
  authorPapers,
  authorView,
  citationPage,
  coauthorNetwork,
  entityPageSize,
  entityPapers,
  linksAmong,
  listPageSize,
  maxCoauthors,
  maxPathLength,
  maxSearchLength,
  paperNode,
  paperView,
  priorAndDerivative,
  searchPapers,
  shortestPath,
  startingPapers,
  yearOf,
  type AuthorDetails,
  type EntityDetails,
  type EntityKind,
  type GraphEdge,
  type ListOrder,
  type NodeKind,
  type PaperDetails,
  type PaperItem,
  type PaperPage,
  type PaperSummary,
  type Path,
  type PathMode,
  type SearchHit,
  type Subgraph,
} from './api.ts';
import { GraphView, type ColourBy, type SizeBy, type TappedNode } from './graph.ts';
import { texNodes, texToText } from './tex.ts';

declare global {
  interface Window {
    /** For tests and the curious: the Cytoscape instance and the view around it. */
    __papergraph?: { cy: GraphView['cy']; view: GraphView; expand: (node: TappedNode) => Promise<void> };
  }
}

// ---------------------------------------------------------------------------------------------------
// DOM helpers

type Child = Node | string | null | undefined | false;

function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Record<string, string | undefined> = {},
  ...children: (Child | Child[])[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) if (value !== undefined) element.setAttribute(name, value);
  for (const child of children.flat()) if (child !== null && child !== undefined && child !== false) element.append(child);
  return element;
}

function button(label: Child | Child[], attributes: Record<string, string | undefined>, onClick: () => void): HTMLButtonElement {
  const element = h('button', { type: 'button', ...attributes }, ...[label].flat());
  element.addEventListener('click', onClick);
  return element;
}

function byTestId<T extends HTMLElement = HTMLElement>(testId: string): T {
  const element = document.querySelector<T>(`[data-testid="${testId}"]`);
  if (!element) throw new Error(`the page has no [data-testid="${testId}"]`);
  return element;
}

const spinner = () => h('span', { class: 'spinner', 'aria-hidden': 'true' });
const kindDot = (kind: NodeKind, stub = false) => h('span', { class: `dot ${kind.toLowerCase()}${stub ? ' stub' : ''}`, 'aria-hidden': 'true' });
const day = (iso: string | null) => (iso ? iso.slice(0, 10) : undefined);
/** A title or summary line with its inline LaTeX rendered (see tex.ts). */
const tex = (text: string) => texNodes(text);
const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`;

// ---------------------------------------------------------------------------------------------------
// Requests: one channel per kind of request, so a newer request cancels an older one of its kind.

type Outcome<T> = { ok: true; value: T } | { ok: false; aborted: boolean };

let busyRequests = 0;

class Channel {
  private controller: AbortController | undefined;

  constructor(private readonly onBusy: (busy: boolean) => void = () => {}) {}

  async run<T>(task: (signal: AbortSignal) => Promise<T>): Promise<Outcome<T>> {
    this.controller?.abort();
    const controller = new AbortController();
    this.controller = controller;
    this.onBusy(true);
    hideError();
    setBusy(+1);
    try {
      const value = await task(controller.signal);
      return controller.signal.aborted ? { ok: false, aborted: true } : { ok: true, value };
    } catch (error) {
      if (controller.signal.aborted) return { ok: false, aborted: true };
      showError(error);
      return { ok: false, aborted: false };
    } finally {
      setBusy(-1);
      if (this.controller === controller) {
        this.controller = undefined;
        this.onBusy(false);
      }
    }
  }

  abort(): void {
    this.controller?.abort();
  }
}

function setBusy(delta: number): void {
  busyRequests += delta;
  document.body.dataset.busy = String(busyRequests > 0);
}

// ---------------------------------------------------------------------------------------------------
// The page's parts

const searchForm = byTestId<HTMLFormElement>('search-form');
const searchInput = byTestId<HTMLInputElement>('search-input');
const pathToggle = byTestId<HTMLButtonElement>('path-mode-toggle');
const graphEmpty = byTestId('graph-empty');
const graphLoading = byTestId('graph-loading');
const graphStatus = byTestId('graph-status');
const hoverCard = byTestId('hover-card');
const errorBox = byTestId('error');
const errorMessage = byTestId('error-message');
const resultsPanel = byTestId('search-results');
const mapWorksPanel = byTestId('map-works');
const pathPanel = byTestId('path-panel');
const details = byTestId('details');
const legendBox = byTestId('legend');
const undoButton = byTestId<HTMLButtonElement>('undo-button');
const sizeBy = byTestId<HTMLSelectElement>('size-by');
const colourBy = byTestId<HTMLSelectElement>('colour-by');
const yearFrom = byTestId<HTMLInputElement>('year-from');
const yearTo = byTestId<HTMLInputElement>('year-to');
const linkTypes = [...document.querySelectorAll<HTMLInputElement>('.link-types input[type="checkbox"]')];

const graphAnnouncer = byTestId('graph-announcer');
const graph = new GraphView(
  byTestId('graph'),
  (node) => (pathMode ? pickPathEnd(node) : void expand(node)),
  (text) => (graphAnnouncer.textContent = text),
  showHoverCard,
);

const channels = {
  search: new Channel(),
  view: new Channel((busy) => {
    graphLoading.hidden = !busy;
    graphEmpty.hidden = busy || !graph.isEmpty;
  }),
  list: new Channel(),
  works: new Channel(),
  links: new Channel(),
  path: new Channel(),
  start: new Channel(),
};

function showError(error: unknown): void {
  const message = error instanceof ApiError ? error.message : `Something went wrong: ${error instanceof Error ? error.message : String(error)}`;
  errorMessage.textContent = message;
  errorBox.hidden = false;
}

function hideError(): void {
  errorBox.hidden = true;
}

function refreshGraphEmpty(): void {
  graphEmpty.hidden = !graph.isEmpty;
}

/** Says what the map just did (or did not do) where the reader looks, and to screen readers. */
function status(text: string): void {
  graphStatus.textContent = text;
  graphStatus.hidden = text === '';
}

/** On a narrow screen the panel is under the graph: bring what was asked for into view. */
function reveal(element: HTMLElement): void {
  if (window.matchMedia('(max-width: 760px)').matches) element.scrollIntoView({ block: 'start' });
}

/** After any change to the map: the legend, the undo button, the link to the map. */
function mapChanged(): void {
  preferAnalytics();
  renderLegend();
  undoButton.disabled = !graph.canUndo;
  saveLocation();
}

// ---------------------------------------------------------------------------------------------------
// Search

/** Words the full-text index leaves out (Lucene's English stop words): a query of only these finds nothing. */
const stopWords = new Set(
  'a an and are as at be but by for if in into is it no not of on or such that the their then there these they this to was will with'.split(' '),
);

async function search(text: string): Promise<void> {
  const query = text.trim();
  if (!query) return;
  resultsPanel.hidden = false;
  if (query.length > maxSearchLength) {
    resultsPanel.replaceChildren(
      h(
        'div',
        { class: 'empty', 'data-testid': 'search-too-long' },
        h('p', {}, h('strong', {}, `That search is ${query.length} characters long; the most it can be is ${maxSearchLength}.`)),
        h('p', {}, 'Search with a few words of the title instead.'),
      ),
    );
    reveal(resultsPanel);
    return;
  }
  resultsPanel.replaceChildren(h('p', { class: 'muted', 'data-testid': 'search-loading' }, spinner(), `Searching for “${query}”…`));
  const outcome = await channels.search.run((signal) => searchPapers(query, signal));
  if (!outcome.ok) {
    if (!outcome.aborted) resultsPanel.replaceChildren(h('p', { class: 'muted', 'data-testid': 'search-failed' }, `The search for “${query}” failed.`));
    return;
  }
  renderResults(query, outcome.value);
  reveal(resultsPanel);
}

function renderResults(query: string, hits: SearchHit[]): void {
  const heading = `${plural(hits.length, 'result')} for “${query}”`;
  if (hits.length === 0) {
    const words = query.toLowerCase().split(/\s+/).filter(Boolean);
    const onlyStopWords = words.length > 0 && words.every((word) => stopWords.has(word));
    resultsPanel.replaceChildren(
      h(
        'div',
        { class: 'empty', 'data-testid': 'search-empty' },
        h('p', {}, h('strong', {}, `No paper matches “${query}”.`)),
        onlyStopWords
          ? h(
              'p',
              { 'data-testid': 'search-stop-words' },
              `${words.length === 1 ? `“${words[0]}” is a word` : 'These are words'} too common to search for: the search leaves ${words.length === 1 ? 'it' : 'them'} out. Add a word that says what the paper is about.`,
            )
          : h('p', {}, 'Try fewer or other words. Titles, Japanese summaries and abstracts are searched in English and Japanese.'),
      ),
    );
    return;
  }
  const list = h(
    'ol',
    { class: 'hits' },
    hits.map((hit) =>
      h(
        'li',
        {},
        button(
          [
            h('span', { class: 'title', lang: 'en' }, ...tex(hit.paper.title)),
            hit.paper.titleJa ? h('span', { class: 'ja', lang: 'ja' }, ...tex(hit.paper.titleJa)) : null,
            hit.paper.authors.length > 0
              ? h('span', { class: 'authors', 'data-testid': 'search-result-authors' }, authorNames(hit.paper.authors.map((author) => author.name)))
              : null,
            h('span', { class: 'meta' }, [yearOf(hit.paper)?.toString(), `matched ${hit.matchedFields.map(fieldName).join(', ')}`].filter(Boolean).join(' · ')),
          ],
          { class: 'hit', 'data-testid': 'search-result', 'data-id': hit.paper.id },
          () => {
            collapsible.open = false;
            void openPaper(hit.paper.id);
          },
        ),
      ),
    ),
  );
  const collapsible = h('details', { open: '' }, h('summary', { 'data-testid': 'results-summary' }, heading), list);
  resultsPanel.replaceChildren(collapsible);
}

const authorNames = (names: string[]) => (names.length > 4 ? `${names.slice(0, 3).join(', ')} and ${names.length - 3} more` : names.join(', '));

function fieldName(field: string): string {
  return (
    (
      { TITLE: 'title', ABSTRACT: 'abstract', TITLE_JA: 'Japanese title', SUMMARY_JA: 'Japanese summary', ABSTRACT_JA: 'Japanese abstract' } as Record<
        string,
        string
      >
    )[field] ?? field
  );
}

// ---------------------------------------------------------------------------------------------------
// Papers and authors: opening one draws its surroundings afresh; tapping a node adds its surroundings.

type PaperView = { paper: PaperDetails; graph: Subgraph };
type AuthorView = { author: AuthorDetails; graph: Subgraph };

/** Views already fetched, by ID and list order: expanding and going back draw them again without asking. */
const paperViews = new Map<string, PaperView>();
const authorViews = new Map<string, AuthorView>();

/** How the reference and citing lists are ordered. */
let listOrder: ListOrder = 'CITED';
/** The paper, author or entity (venue, institution, topic) whose details are shown. */
let focus: { id: string; kind: NodeKind | EntityKind } | null = null;
/** How many co-authors the author's list shows. */
let coauthorsShown = authorPageSize;

async function loadPaper(id: string, signal: AbortSignal): Promise<PaperView | null> {
  const key = `${listOrder}:${id}`;
  const cached = paperViews.get(key);
  if (cached) return cached;
  const view = await paperView(id, listOrder, signal);
  if (view) paperViews.set(key, view);
  return view;
}

async function loadAuthor(id: string, signal: AbortSignal): Promise<AuthorView | null> {
  const cached = authorViews.get(id);
  if (cached && cached.author.coauthors.length >= Math.min(coauthorsShown, cached.author.coauthorCount, maxCoauthors)) return cached;
  const view = await authorView(id, coauthorsShown, signal);
  if (view) authorViews.set(id, view);
  return view;
}

type How = 'open' | 'expand';

async function openPaper(id: string, how: How = 'open', remember = true): Promise<void> {
  const outcome = await channels.view.run((signal) => loadPaper(id, signal));
  if (!outcome.ok) return;
  const view = outcome.value;
  if (!view) return showNotFound('paper');
  focus = { id, kind: 'PAPER' };
  if (how === 'open') {
    graph.replace(view.graph, id);
    if (remember) history.pushState(null, '', `#paper=${encodeURIComponent(id)}`);
    status(truncation(view.paper) ?? '');
    linkNew(graph.nodeIds());
  } else {
    const added = timed('explorer:graph', () => graph.add(view.graph, id, step(listOrder === 'NEWEST' ? 'E' : 'e', id)));
    graph.setFocus(id);
    graph.select(id);
    reportExpansion(texToText(view.paper.title), added.length, truncation(view.paper));
    linkNew(added);
  }
  refreshGraphEmpty();
  timed('explorer:panel', () => renderPaper(view.paper));
  timed('explorer:map-changed', mapChanged);
  reveal(details);
}

/** Runs `task` inside a performance measure of this name, so a profile (and bench/explorer.ts) can tell the parts of an expansion apart. */
function timed<T>(name: string, task: () => T): T {
  const start = performance.now();
  try {
    return task();
  } finally {
    performance.measure(name, { start, end: performance.now() });
  }
}

async function openAuthor(id: string, how: How = 'open', remember = true): Promise<void> {
  if (how === 'open' || focus?.id !== id) coauthorsShown = authorPageSize;
  const outcome = await channels.view.run((signal) => loadAuthor(id, signal));
  if (!outcome.ok) return;
  const view = outcome.value;
  if (!view) return showNotFound('author');
  focus = { id, kind: 'AUTHOR' };
  const more =
    view.author.paperCount > view.author.papers.length
      ? `the ${plural(view.author.papers.length, 'paper')} drawn are the newest ${view.author.papers.length} of ${view.author.paperCount}`
      : null;
  if (how === 'open') {
    graph.replace(view.graph, id);
    if (remember) history.pushState(null, '', `#author=${encodeURIComponent(id)}`);
    status(more ? `Drew ${view.author.name}'s co-author network: ${more}.` : '');
    linkNew(graph.nodeIds());
  } else {
    const added = graph.add(view.graph, id, step('u', id, coauthorsShown));
    graph.setFocus(id);
    graph.select(id);
    reportExpansion(view.author.name, added.length, more);
    linkNew(added);
  }
  refreshGraphEmpty();
  renderAuthor(view.author);
  mapChanged();
  reveal(details);
}

/** What an expansion added, in words; "nothing new" when every neighbour was drawn already. */
function reportExpansion(name: string, added: number, truncated: string | null): void {
  if (added === 0) {
    status(
      `Nothing new to add: everything “${name}” links to${truncated ? ' on the first pages of its lists' : ''} is already drawn.${truncated ? ` ${truncated}` : ''}`,
    );
  } else {
    status(`Added ${plural(added, 'node')} around “${name}”.${truncated ? ` ${truncated}` : ''}`);
  }
}

/** The lists a paper's view drew only the first page of, in words; null when it drew everything. */
function truncation(paper: PaperDetails): string | null {
  const parts: string[] = [];
  if (paper.references.total > paper.references.items.length) parts.push(`${paper.references.items.length} of ${paper.references.total} references`);
  if (paper.citedBy.total > paper.citedBy.items.length) parts.push(`${paper.citedBy.items.length} of ${paper.citedBy.total} citing papers`);
  if (paper.relatedTotal > paper.related.length) parts.push(`${paper.related.length} of ${paper.relatedTotal} related papers`);
  if (parts.length === 0) return null;
  return `Drawn: ${parts.join(', ')} (${listOrder === 'CITED' ? 'most cited first' : 'newest first'}); the details list the rest.`;
}

function showNotFound(kind: 'paper' | 'author' | 'venue' | 'institution' | 'topic'): void {
  details.replaceChildren(
    h(
      'div',
      { class: 'empty', 'data-testid': 'not-found' },
      h('p', {}, h('strong', {}, `No ${kind} has this ID.`)),
      h('p', {}, 'It may have been removed since the link was made; search for it instead.'),
    ),
  );
}

/**
 * Nodes drawn whose links to the rest of the map are not fetched yet. A view brings the links among
 * its own nodes; the ones to nodes drawn before (by other expansions, pages or a shared link) come from
 * linksAmong, one request at a time, so that a quick second expansion never cancels the first one's.
 */
const unlinked = new Set<string>();
let linking = false;

function linkNew(ids: string[]): void {
  for (const id of ids) unlinked.add(id);
  if (linking || unlinked.size === 0) return;
  linking = true;
  void channels.links
    .run(async (signal) => {
      while (unlinked.size > 0) {
        const touching = [...unlinked].filter((id) => graph.has(id));
        unlinked.clear();
        const edges = await linksAmong(graph.nodeIds(), touching, signal);
        if (graph.addEdges(edges) > 0) renderLegend();
      }
    })
    .then((outcome) => {
      linking = false;
      // Nodes drawn while the last answer was on its way are linked next; after a failure they are not.
      if (outcome.ok) linkNew([]);
      else unlinked.clear();
    });
}

async function expand(node: TappedNode): Promise<void> {
  await (node.kind === 'PAPER' ? openPaper(node.id, 'expand') : openAuthor(node.id, 'expand'));
}

/** What the paper is known from, when it is not its own summary page. */
function paperOrigin(paper: PaperDetails): Node | null {
  switch (paper.kind) {
    case 'PAGE':
      return null;
    case 'REFERENCE_STUB':
      return h(
        'p',
        { class: 'muted stub-note', 'data-testid': 'stub-note' },
        `Known only as a cited work: OpenAlex ${paper.openalexId ?? 'id'} is cited by papers here, but its own work was not loaded, so there is nothing more to show.`,
      );
    case 'WORK':
      return h('p', { class: 'muted', 'data-testid': 'no-page' }, 'An OpenAlex work: no summary page of its own was loaded.');
    default:
      return h('p', { class: 'muted', 'data-testid': 'no-page' }, 'Known only from other papers’ related lists: no page of its own was loaded.');
  }
}

const kindNames: Record<string, string> = { PAGE: 'Paper', WORK: 'OpenAlex work', RELATED_ENTRY: 'Related entry', REFERENCE_STUB: 'Cited work' };

const externalLink = (href: string, text: string, testId: string) =>
  h('a', { href, target: '_blank', rel: 'noopener noreferrer', 'data-testid': testId }, text);

function renderPaper(paper: PaperDetails): void {
  document.title = `${texToText(paper.title)} · papergraph`;
  const arxiv = paper.arxivId ? `arXiv ${paper.arxivId}${paper.version ? `v${paper.version}` : ''}` : undefined;
  const year = paper.publishedAt ? day(paper.publishedAt) : paper.publicationYear?.toString();
  const counts = [
    `Cited by ${plural(paper.citationCount, 'paper')} in this graph`,
    paper.openalexCitedByCount !== null ? `${paper.openalexCitedByCount.toLocaleString('en')} in OpenAlex` : null,
    paper.influence ? `influence: top ${Math.max(1, Math.round(100 - paper.influence.percentile))}%` : null,
  ].filter(Boolean);

  details.replaceChildren(
    h(
      'article',
      { class: 'card', 'data-testid': 'paper-details', 'data-id': paper.id, 'data-kind': paper.kind },
      h(
        'p',
        { class: 'kind', 'data-testid': 'paper-kind' },
        kindDot('PAPER', paper.kind === 'REFERENCE_STUB'),
        [kindNames[paper.kind] ?? 'Paper', paper.workType && paper.workType !== 'article' ? paper.workType : null, year, arxiv].filter(Boolean).join(' · '),
      ),
      h('h2', { lang: 'en', 'data-testid': 'paper-title' }, ...tex(paper.title)),
      paper.titleJa ? h('p', { class: 'title-ja', lang: 'ja', 'data-testid': 'paper-title-ja' }, ...tex(paper.titleJa)) : null,
      paper.venue
        ? h(
            'p',
            { class: 'venue', 'data-testid': 'paper-venue' },
            paper.venue.id ? entityButton('Venue', paper.venue.id, paper.venue.name, 'venue-link') : paper.venue.name,
            paper.venue.type ? ` · ${paper.venue.type}` : null,
          )
        : null,
      paper.topics.length > 0
        ? h(
            'p',
            { class: 'topics', 'data-testid': 'paper-topics' },
            'Topics: ',
            paper.topics.flatMap((topic, index) => [
              index > 0 ? ' · ' : null,
              entityButton('Topic', topic.id, topic.name, 'topic-link', {
                class: 'link topic',
                title: [topic.field, topic.score !== null ? `score ${topic.score.toFixed(2)}` : null].filter(Boolean).join(', '),
              }),
            ]),
          )
        : null,
      paper.kind === 'REFERENCE_STUB' ? null : h('p', { class: 'counts', 'data-testid': 'citation-counts' }, counts.join(' · ')),
      h(
        'div',
        { class: 'actions' },
        paper.url ? externalLink(paper.url, 'arXiv ↗', 'arxiv-link') : null,
        paper.doi ? externalLink(`https://doi.org/${paper.doi}`, `DOI ${paper.doi} ↗`, 'doi-link') : null,
        paper.openalexId ? externalLink(`https://openalex.org/${paper.openalexId}`, 'OpenAlex ↗', 'openalex-link') : null,
        button('Find a path from here', { 'data-testid': 'path-from-here' }, () =>
          startPathFrom({ id: paper.id, kind: 'PAPER', label: texToText(paper.title) }),
        ),
        button('Hide from the map', { 'data-testid': 'hide-node' }, () => hideNode(paper.id, texToText(paper.title))),
      ),
      paperOrigin(paper),
      paper.authors.length > 0
        ? [
            h('h3', {}, `Authors (${paper.authors.length})`),
            h(
              'ul',
              { class: 'people', 'data-testid': 'paper-authors' },
              paper.authors.map((author) =>
                h(
                  'li',
                  {},
                  button(
                    [kindDot('AUTHOR'), author.name],
                    { class: 'link', 'data-testid': 'author-link', 'data-id': author.id },
                    () => void openAuthor(author.id),
                  ),
                ),
              ),
            ),
          ]
        : null,
      paper.summaryJa
        ? [
            h('h3', { lang: 'ja' }, '要約'),
            h(
              'ul',
              { class: 'summary', lang: 'ja', 'data-testid': 'paper-summary-ja' },
              paper.summaryJa.split('\n').map((line) => h('li', {}, ...tex(line))),
            ),
          ]
        : null,
      paper.abstract ? h('details', { lang: 'en' }, h('summary', {}, 'Abstract'), h('p', { 'data-testid': 'paper-abstract' }, ...tex(paper.abstract))) : null,
      paper.abstractJa
        ? h(
            'details',
            { lang: 'ja' },
            h('summary', {}, 'アブストラクト (Japanese abstract)'),
            h('p', { 'data-testid': 'paper-abstract-ja' }, ...tex(paper.abstractJa.split('\n').join(''))),
          )
        : null,
      paper.references.total + paper.citedBy.total > 0 ? orderToggle() : null,
      citationList(paper, 'references'),
      citationList(paper, 'citedBy'),
      paper.related.length > 0
        ? [
            h('h3', {}, `Related papers (${paper.relatedTotal})`),
            h(
              'ol',
              { class: 'related', 'data-testid': 'related-list' },
              paper.related.map((item) =>
                h(
                  'li',
                  {},
                  button(
                    [kindDot('PAPER', item.kind === 'REFERENCE_STUB'), h('span', {}, ...tex(item.title))],
                    { class: 'link', 'data-testid': 'related-link', 'data-id': item.id },
                    () => void openPaper(item.id),
                  ),
                  h(
                    'span',
                    { class: 'score', title: item.listedHere ? 'similarity (listed by this paper)' : 'similarity (this paper is listed by it)' },
                    `${item.listedHere ? '→' : '←'} ${item.score === null ? 'OpenAlex' : item.score.toFixed(1)}`,
                  ),
                ),
              ),
            ),
            paper.relatedTotal > paper.related.length
              ? h('p', { class: 'muted more', 'data-testid': 'related-more' }, `Showing ${paper.related.length} of ${paper.relatedTotal}, most similar first.`)
              : null,
          ]
        : null,
      rankedList('Often cited together with it', paper.coCited, 'co-cited'),
      rankedList('Sharing its references', paper.coupled, 'coupled'),
      rankedList('Recommended', paper.recommended, 'recommended'),
    ),
  );
}

function orderToggle(): HTMLElement {
  const option = (value: ListOrder, label: string) => h('option', { value, ...(listOrder === value ? { selected: '' } : {}) }, label);
  const select = h('select', { 'data-testid': 'list-order' }, option('CITED', 'most cited first'), option('NEWEST', 'newest first'));
  select.addEventListener('change', () => {
    listOrder = select.value as ListOrder;
    if (focus?.kind === 'PAPER') void openPaper(focus.id, 'expand');
  });
  return h('label', { class: 'list-order' }, 'References and citing papers: ', select);
}

const listNames = {
  references: { title: 'References', testId: 'references', empty: 'It cites no paper in this graph.', noun: 'reference' },
  citedBy: { title: 'Cited by', testId: 'cited-by', empty: 'No paper in this graph cites it.', noun: 'citing paper' },
} as const;

/** A paged list of references or citing papers: the page drawn, the true total, and a button for the next page. */
function citationList(paper: PaperDetails, list: 'references' | 'citedBy'): Child[] | null {
  const page: PaperPage = paper[list];
  const names = listNames[list];
  // An empty list says something only of a paper in the citation graph (an OpenAlex work, not a stub).
  if (page.total === 0)
    return !paper.openalexId || paper.kind === 'REFERENCE_STUB'
      ? null
      : [h('h3', {}, `${names.title} (0)`), h('p', { class: 'muted', 'data-testid': `${names.testId}-empty` }, names.empty)];
  const shown = page.items.length;
  return [
    h('h3', {}, `${names.title} (${page.total})`),
    h(
      'ol',
      { class: 'related', 'data-testid': `${names.testId}-list` },
      page.items.map((item) => paperItem(item, `${names.testId}-link`)),
    ),
    shown < page.total
      ? h(
          'p',
          { class: 'muted more', 'data-testid': `${names.testId}-more` },
          `Showing ${shown} of ${page.total}. `,
          page.hasMore
            ? button(
                `Show ${Math.min(listPageSize, page.total - shown)} more`,
                { 'data-testid': `${names.testId}-more-button` },
                () => void moreCitations(paper, list),
              )
            : null,
        )
      : null,
  ];
}

function paperItem(item: PaperItem & { linked?: number }, testId: string, onClick?: () => void): HTMLElement {
  const year = yearOf(item);
  return h(
    'li',
    {},
    button(
      [kindDot('PAPER', item.kind === 'REFERENCE_STUB'), h('span', {}, ...tex(item.title))],
      { class: 'link', 'data-testid': testId, 'data-id': item.id },
      onClick ?? (() => void openPaper(item.id)),
    ),
    h(
      'span',
      { class: 'score' },
      [item.linked !== undefined ? `${item.linked}×` : null, year?.toString(), `${item.citationCount} cit.`].filter(Boolean).join(' · '),
    ),
  );
}

function rankedList(title: string, entries: PaperDetails['coCited'], testId: string): Node[] | null {
  if (entries.length === 0) return null;
  return [
    h('h3', {}, title),
    h(
      'ol',
      { class: 'related', 'data-testid': testId },
      entries.map((entry) =>
        h(
          'li',
          {},
          button(
            [kindDot('PAPER'), h('span', {}, ...tex(entry.paper.title))],
            { class: 'link', 'data-testid': `${testId}-link`, 'data-id': entry.paper.id },
            () => void openPaper(entry.paper.id),
          ),
          h('span', { class: 'score' }, entry.note),
        ),
      ),
    ),
  ];
}

/**
 * Takes a paged list back to how it is now: what undoing the next page, which the caller is about to
 * add, does to the details (so that the list, its count and the next "show more" agree with the map).
 */
function pageRestorer(page: { items: unknown[]; endCursor: string | null; hasMore: boolean; total: number }): () => void {
  const { length } = page.items;
  const { endCursor, hasMore, total } = page;
  return () => Object.assign(page, { items: page.items.slice(0, length), endCursor, hasMore, total });
}

/** The next page of a paper's references or citing papers: listed, and drawn next to the paper. */
async function moreCitations(paper: PaperDetails, list: 'references' | 'citedBy'): Promise<void> {
  const page = paper[list];
  const outcome = await channels.list.run((signal) => citationPage(paper.id, list, listOrder, page.endCursor, signal));
  if (!outcome.ok) return;
  const next = outcome.value;
  const restore = pageRestorer(page);
  page.items.push(...next.items);
  page.endCursor = next.endCursor;
  page.hasMore = next.hasMore;
  page.total = next.total;
  const edges: GraphEdge[] = next.items.map((item) =>
    list === 'references' ? { type: 'CITES', source: paper.id, target: item.id, weight: 1 } : { type: 'CITES', source: item.id, target: paper.id, weight: 1 },
  );
  const letter = list === 'references' ? 'r' : 'c';
  const added = graph.add(
    { nodes: next.items.map((item) => paperNode(item, 1)), edges },
    paper.id,
    step(listOrder === 'NEWEST' ? letter.toUpperCase() : letter, paper.id),
    () => {
      restore();
      if (focus?.id === paper.id) renderPaper(paper);
    },
  );
  status(`Added ${plural(added.length, listNames[list].noun)}; showing ${page.items.length} of ${page.total}.`);
  linkNew(added);
  if (focus?.id === paper.id) renderPaper(paper);
  mapChanged();
}

/** 2017, or 2016–2023: the years an author signed from an institution. */
const yearSpan = (years: number[]) => (years.length === 1 ? String(years[0]) : `${years[0]}–${years.at(-1)}`);

function renderAuthor(author: AuthorDetails): void {
  document.title = `${author.name} · papergraph`;
  const listed = author.coauthors.length;
  details.replaceChildren(
    h(
      'article',
      { class: 'card', 'data-testid': 'author-details', 'data-id': author.id },
      h(
        'p',
        { class: 'kind', 'data-testid': 'author-kind' },
        kindDot('AUTHOR'),
        `Author · ${plural(author.paperCount, 'paper')} · ${plural(author.coauthorCount, 'co-author')}`,
      ),
      h('h2', { 'data-testid': 'author-name' }, author.name),
      author.institutions.length > 0
        ? h(
            'ul',
            { class: 'institutions', 'data-testid': 'author-institutions' },
            author.institutions.map((entry) =>
              h(
                'li',
                {},
                entityButton('Institution', entry.id, [entry.name, entry.country].filter(Boolean).join(', '), 'institution-link'),
                entry.years.length > 0 ? h('span', { class: 'score' }, yearSpan(entry.years)) : null,
              ),
            ),
          )
        : null,
      h(
        'div',
        { class: 'actions' },
        button('Find a path from here', { 'data-testid': 'path-from-here' }, () => startPathFrom({ id: author.id, kind: 'AUTHOR', label: author.name })),
        button('Hide from the map', { 'data-testid': 'hide-node' }, () => hideNode(author.id, author.name)),
      ),
      h('h3', {}, `Co-authors (${author.coauthorCount})`),
      author.coauthors.length === 0
        ? h('p', { class: 'muted', 'data-testid': 'no-coauthors' }, 'No co-authors: every paper of theirs here has them as its only author.')
        : h(
            'ul',
            { class: 'people', 'data-testid': 'coauthors' },
            author.coauthors.map((coauthor) =>
              h(
                'li',
                {},
                button(
                  [kindDot('AUTHOR'), coauthor.author.name],
                  { class: 'link', 'data-testid': 'coauthor', 'data-id': coauthor.author.id },
                  () => void openAuthor(coauthor.author.id),
                ),
                h('span', { class: 'score' }, plural(coauthor.sharedPaperCount, 'shared paper')),
              ),
            ),
          ),
      listed < author.coauthorCount
        ? h(
            'p',
            { class: 'muted more', 'data-testid': 'coauthors-more' },
            `Showing ${listed} of ${author.coauthorCount}, most shared papers first. `,
            listed < maxCoauthors
              ? button(
                  `Show ${Math.min(authorPageSize, maxCoauthors - listed, author.coauthorCount - listed)} more`,
                  { 'data-testid': 'coauthors-more-button' },
                  () => {
                    coauthorsShown = Math.min(maxCoauthors, listed + authorPageSize);
                    void openAuthor(author.id, 'expand');
                  },
                )
              : `The list stops at ${maxCoauthors}; the graph draws the co-authors of every paper listed.`,
          )
        : null,
      h('h3', {}, `Papers (${author.paperCount})`),
      h(
        'ul',
        { class: 'papers', 'data-testid': 'author-papers' },
        author.papers.map((paper: PaperSummary) =>
          h(
            'li',
            {},
            button(
              [kindDot('PAPER'), h('span', {}, ...tex(paper.title))],
              { class: 'link', 'data-testid': 'author-paper', 'data-id': paper.id },
              () => void openPaper(paper.id),
            ),
            paper.titleJa ? h('span', { class: 'ja', lang: 'ja' }, ...tex(paper.titleJa)) : null,
          ),
        ),
      ),
      author.papers.length < author.paperCount
        ? h(
            'p',
            { class: 'muted more', 'data-testid': 'author-papers-more' },
            `Showing ${author.papers.length} of ${author.paperCount}, newest first. `,
            author.papersCursor
              ? button(
                  `Show ${Math.min(authorPageSize, author.paperCount - author.papers.length)} more`,
                  { 'data-testid': 'author-papers-more-button' },
                  () => void moreAuthorPapers(author),
                )
              : null,
          )
        : null,
    ),
  );
}

async function moreAuthorPapers(author: AuthorDetails): Promise<void> {
  const cursor = author.papersCursor;
  if (!cursor) return;
  const outcome = await channels.list.run((signal) => authorPapers(author.id, cursor, signal));
  if (!outcome.ok) return;
  const { length } = author.papers;
  author.papers.push(...outcome.value.papers);
  author.papersCursor = outcome.value.cursor;
  const added = graph.add(coauthorNetwork({ id: author.id, name: author.name, papers: outcome.value.papers }), author.id, step('w', author.id), () => {
    author.papers = author.papers.slice(0, length);
    author.papersCursor = cursor;
    if (focus?.id === author.id) renderAuthor(author);
  });
  status(`Added ${plural(added.length, 'node')}; showing ${author.papers.length} of ${author.paperCount} papers.`);
  linkNew(added);
  if (focus?.id === author.id) renderAuthor(author);
  mapChanged();
}

// ---------------------------------------------------------------------------------------------------
// A venue's, institution's or topic's map: its most cited papers and the links among them

/** The URL's name of each kind of entity (`#topic=ID`). */
const entityHashKeys = { Venue: 'venue', Institution: 'institution', Topic: 'topic' } as const satisfies Record<EntityKind, string>;

/** The entity whose map is drawn, to show its details again after a shared link's expansions. */
let entityShown: EntityDetails | null = null;

/** A venue, institution or topic in the details panel: a click draws its papers as the map. */
function entityButton(kind: EntityKind, id: string, label: string, testId: string, attributes: Record<string, string> = {}): HTMLButtonElement {
  return button(
    label,
    { class: 'link', title: `Draw the ${kind.toLowerCase()}'s most cited papers as a map`, ...attributes, 'data-testid': testId, 'data-id': id },
    () => void openEntity(kind, id),
  );
}

async function openEntity(kind: EntityKind, id: string, remember = true): Promise<void> {
  const outcome = await channels.view.run((signal) => entityPapers(kind, id, null, signal));
  if (!outcome.ok) return;
  const entity = outcome.value;
  if (!entity) return showNotFound(entityHashKeys[kind]);
  focus = { id, kind };
  entityShown = entity;
  // The papers only: the links among them come from linksAmong, as after any addition.
  graph.replace({ nodes: entity.papers.items.map((item) => paperNode(item, 1)), edges: [] }, id);
  if (remember) history.pushState(null, '', `#${entityHashKeys[kind]}=${encodeURIComponent(id)}`);
  status(
    entity.papers.total > entity.papers.items.length
      ? `Drew the ${entity.papers.items.length} most cited of the ${plural(entity.papers.total, 'paper')} of “${entity.name}”; the details list the rest.`
      : '',
  );
  linkNew(graph.nodeIds());
  refreshGraphEmpty();
  renderEntity(entity);
  mapChanged();
  reveal(details);
}

async function moreEntityPapers(entity: EntityDetails): Promise<void> {
  const outcome = await channels.list.run((signal) => entityPapers(entity.kind, entity.id, entity.papers.endCursor, signal));
  if (!outcome.ok || !outcome.value) return;
  const next = outcome.value.papers;
  const restore = pageRestorer(entity.papers);
  entity.papers.items.push(...next.items);
  entity.papers.endCursor = next.endCursor;
  entity.papers.hasMore = next.hasMore;
  entity.papers.total = next.total;
  const added = graph.add({ nodes: next.items.map((item) => paperNode(item, 1)), edges: [] }, entity.id, step('p', entity.id), () => {
    restore();
    if (focus?.id === entity.id) renderEntity(entity);
  });
  status(`Added ${plural(added.length, 'paper')}; showing ${entity.papers.items.length} of ${entity.papers.total}.`);
  linkNew(added);
  if (focus?.id === entity.id) renderEntity(entity);
  mapChanged();
}

function renderEntity(entity: EntityDetails): void {
  document.title = `${entity.name} · papergraph`;
  const { items, total, hasMore } = entity.papers;
  details.replaceChildren(
    h(
      'article',
      { class: 'card', 'data-testid': 'entity-details', 'data-id': entity.id, 'data-kind': entity.kind },
      h('p', { class: 'kind', 'data-testid': 'entity-kind' }, [entity.kind, entity.detail, plural(total, 'paper')].filter(Boolean).join(' · ')),
      h('h2', { 'data-testid': 'entity-name' }, entity.name),
      h('p', { class: 'muted' }, 'The map draws its most cited papers and the citations and related links among them.'),
      h('h3', {}, `Papers (${total})`),
      h(
        'ul',
        { class: 'papers', 'data-testid': 'entity-papers' },
        items.map((paper) =>
          h(
            'li',
            {},
            button(
              [kindDot('PAPER'), h('span', {}, ...tex(paper.title))],
              { class: 'link', 'data-testid': 'entity-paper', 'data-id': paper.id },
              () => void openPaper(paper.id),
            ),
          ),
        ),
      ),
      items.length < total
        ? h(
            'p',
            { class: 'muted more', 'data-testid': 'entity-papers-more' },
            `Showing ${items.length} of ${total}, most cited first. `,
            hasMore
              ? button(
                  `Show ${Math.min(entityPageSize, total - items.length)} more`,
                  { 'data-testid': 'entity-papers-more-button' },
                  () => void moreEntityPapers(entity),
                )
              : null,
          )
        : null,
    ),
  );
}

// ---------------------------------------------------------------------------------------------------
// Prior and derivative works of the map (Connected Papers' two lists)

async function showMapWorks(): Promise<void> {
  const ids = graph.paperIds();
  mapWorksPanel.hidden = false;
  if (ids.length === 0) {
    mapWorksPanel.replaceChildren(
      h('p', { class: 'empty', 'data-testid': 'map-works-empty' }, 'Draw some papers first: their prior and derivative works are listed here.'),
    );
    return;
  }
  mapWorksPanel.replaceChildren(h('p', { class: 'muted', 'data-testid': 'map-works-loading' }, spinner(), 'Looking at what the map cites and what cites it…'));
  const outcome = await channels.works.run((signal) => priorAndDerivative(ids.slice(0, 500), signal));
  if (!outcome.ok) {
    if (!outcome.aborted) mapWorksPanel.replaceChildren(h('p', { class: 'muted' }, 'Could not list the prior and derivative works.'));
    return;
  }
  const { prior, derivative } = outcome.value;
  const section = (title: string, note: string, items: typeof prior, testId: string) => [
    h('h3', {}, `${title} (${items.length})`),
    h('p', { class: 'muted small' }, note),
    items.length === 0
      ? h('p', { class: 'muted', 'data-testid': `${testId}-empty` }, 'None outside the map.')
      : h(
          'ol',
          { class: 'related', 'data-testid': testId },
          items.map((item) => paperItem(item, `${testId}-link`, () => void addFromList(item.id))),
        ),
  ];
  mapWorksPanel.replaceChildren(
    h(
      'div',
      { class: 'card' },
      h(
        'div',
        { class: 'heading' },
        h('h2', {}, 'Prior and derivative works'),
        button('×', { class: 'close', 'aria-label': 'Close', 'data-testid': 'map-works-close' }, () => (mapWorksPanel.hidden = true)),
      ),
      ...section(
        'Prior works',
        `Papers not on the map that most of its ${plural(ids.length, 'paper')} cite: its foundations. Click one to add it.`,
        prior,
        'prior-works',
      ),
      ...section('Derivative works', 'Papers not on the map that cite most of it: what builds on it. Click one to add it.', derivative, 'derivative-works'),
    ),
  );
  reveal(mapWorksPanel);
}

/** A paper of the prior or derivative lists joins the map with its surroundings, and the lists are asked again. */
async function addFromList(id: string): Promise<void> {
  await openPaper(id, 'expand');
  if (!mapWorksPanel.hidden) void showMapWorks();
}

// ---------------------------------------------------------------------------------------------------
// The map's controls: encoding, filters, hiding, undo, reset, the hover card, the legend.

function hideNode(id: string, name: string): void {
  if (graph.hide(id, step('h', id))) {
    status(`Hid “${name}” from the map. Undo brings it back.`);
    mapChanged();
  } else {
    status('The last node stays on the map.');
  }
}

function applyEncoding(): void {
  graph.setEncoding(sizeBy.value as SizeBy, colourBy.value as ColourBy);
  renderLegend();
  saveLocation();
}

function applyFilters(): void {
  const year = (input: HTMLInputElement) => (input.value.trim() === '' || !Number.isFinite(input.valueAsNumber) ? null : Math.trunc(input.valueAsNumber));
  graph.setFilters({
    fromYear: year(yearFrom),
    toYear: year(yearTo),
    types: new Set(
      linkTypes
        .filter((box) => box.checked)
        .map((box) => box.value)
        .concat('SIMILAR_TO'),
    ),
  });
  saveLocation();
}

function renderLegend(): void {
  const legend = graph.legend();
  const item = (swatch: string, text: string, style?: string) => h('li', {}, h('span', { class: `swatch ${swatch}`, ...(style ? { style } : {}) }), text);
  const colours: Node[] = [];
  if (legend.colourBy === 'year' && legend.years) {
    colours.push(
      h(
        'li',
        { 'data-testid': 'legend-years' },
        `${legend.years.from}`,
        h('span', { class: 'swatch ramp', style: `background: linear-gradient(to right, ${legend.years.ramp.join(', ')})` }),
        `${legend.years.to}`,
      ),
    );
  } else if (legend.colourBy === 'community') {
    for (const community of legend.communities.slice(0, 8))
      colours.push(item('paper', `${community.label} (${community.papers})`, `background: ${community.colour}`));
    if (legend.communities.length > 8) colours.push(item('paper', 'other communities', 'background: #94a3b8'));
  } else {
    colours.push(item('paper', 'Paper'));
  }
  const sizeNote = { citations: 'size: citations in this graph', openalex: 'size: citations in OpenAlex', influence: 'size: influence' }[legend.sizeBy];
  legendBox.replaceChildren(
    h(
      'ul',
      { 'data-testid': 'legend-items' },
      ...colours,
      item('author', 'Author'),
      item('paper stub', 'Cited work (not loaded)'),
      item('related', 'Related (width: score)'),
      item('authored', 'Authored'),
      item('cites', 'Cites'),
      h('li', { class: 'size-note' }, sizeNote),
    ),
  );
}

function showHoverCard(node: import('cytoscape').NodeSingular | null): void {
  if (!node) {
    hoverCard.hidden = true;
    return;
  }
  const data = node.data() as Record<string, unknown>;
  const lines: (string | null)[] =
    data.kind === 'AUTHOR'
      ? ['Author']
      : [
          [data.stub ? 'Cited work' : (kindNames[data.paperKind as string] ?? 'Paper'), data.year ? String(data.year) : null].filter(Boolean).join(' · '),
          (data.authors as string | null) ?? null,
          data.stub
            ? null
            : [
                typeof data.citations === 'number' ? `${plural(data.citations, 'citation')} here` : null,
                typeof data.openalexCitations === 'number' ? `${(data.openalexCitations as number).toLocaleString('en')} in OpenAlex` : null,
                data.communityLabel ? `community: ${data.communityLabel as string}` : null,
              ]
                .filter(Boolean)
                .join(' · ') || null,
        ];
  hoverCard.replaceChildren(h('strong', { 'data-testid': 'hover-title' }, String(data.label)), ...lines.filter(Boolean).map((line) => h('span', {}, line!)));
  const position = node.renderedPosition();
  const area = hoverCard.parentElement!.getBoundingClientRect();
  hoverCard.style.left = `${Math.min(Math.max(8, position.x + 16), Math.max(8, area.width - 260))}px`;
  hoverCard.style.top = `${Math.min(Math.max(8, position.y + 12), Math.max(8, area.height - 120))}px`;
  hoverCard.hidden = false;
}

sizeBy.addEventListener('change', applyEncoding);
colourBy.addEventListener('change', applyEncoding);
for (const input of [yearFrom, yearTo]) input.addEventListener('input', applyFilters);
for (const box of linkTypes) box.addEventListener('change', applyFilters);
undoButton.addEventListener('click', () => {
  const done = graph.undo();
  if (done) status(done);
  mapChanged();
});
// Reset: the map as first opened (the paper or author the URL starts from), without the expansions.
byTestId('reset-button').addEventListener('click', () => {
  const where = readLocation();
  if (where === 'bad' || where === null) return;
  void (where.kind === 'paper' ? openPaper(where.id, 'open', false) : openAuthor(where.id, 'open', false)).then(() => saveLocation());
});
byTestId('map-works-button').addEventListener('click', () => void showMapWorks());

// What the server can say beyond the base schema decides which encodings are offered.
void apiCapabilities().then((caps) => {
  const offer = (select: HTMLSelectElement, value: string, available: boolean, label: string) => {
    const option = select.querySelector<HTMLOptionElement>(`option[value="${value}"]`);
    if (!option) return;
    option.disabled = !available;
    option.textContent = label;
  };
  offer(sizeBy, 'influence', caps.influence, caps.influence ? 'influence' : 'influence (needs analytics)');
  offer(colourBy, 'community', caps.community, caps.community ? 'community' : 'community (needs analytics)');
  analyticsOffered = caps.influence || caps.community;
  preferAnalytics();
});

/** Whether the schema has the analytics fields, and whether the reader chose an encoding themselves. */
let analyticsOffered = false;
let encodingChosen = false;
sizeBy.addEventListener('change', () => (encodingChosen = true));
colourBy.addEventListener('change', () => (encodingChosen = true));

/**
 * With analytics computed for the papers drawn, the map says most by influence and community; a graph
 * never analysed (every value null) keeps citations and kind. The reader's own choice always stands.
 */
function preferAnalytics(): void {
  if (!analyticsOffered || encodingChosen) return;
  const analysed = graph.cy.nodes('[kind = "PAPER"]').filter((node) => node.data('communityId') != null || node.data('influence') != null);
  if (analysed.empty()) return;
  const influence = sizeBy.querySelector<HTMLOptionElement>('option[value="influence"]');
  const community = colourBy.querySelector<HTMLOptionElement>('option[value="community"]');
  if (influence && !influence.disabled) sizeBy.value = 'influence';
  if (community && !community.disabled) colourBy.value = 'community';
  applyEncoding();
}

// ---------------------------------------------------------------------------------------------------
// Path mode: pick two nodes in the graph, see the shortest path between them highlighted.

let pathMode = false;
let pathEnds: TappedNode[] = [];
/** What a path may follow (see api.ts PathMode). */
let pathFollows: PathMode = 'ANY';
type PathState = { state: 'idle' } | { state: 'loading' } | { state: 'failed' } | { state: 'done'; path: Path | null };
let pathState: PathState = { state: 'idle' };

function setPathMode(on: boolean): void {
  pathMode = on;
  pathToggle.setAttribute('aria-pressed', String(on));
  document.body.classList.toggle('path-mode', on);
  pathPanel.hidden = !on;
  if (!on) {
    channels.path.abort();
    pathEnds = [];
    pathState = { state: 'idle' };
    graph.clearPath();
  }
  renderPathPanel();
}

function startPathFrom(node: TappedNode): void {
  setPathMode(true);
  pathEnds = [];
  pickPathEnd(node);
  pathPanel.scrollIntoView({ block: 'nearest' });
}

function pickPathEnd(node: TappedNode): void {
  if (pathEnds.length >= 2) pathEnds = [];
  if (pathEnds[0]?.id === node.id) return;
  pathEnds.push(node);
  pathState = { state: 'idle' };
  graph.clearPath();
  graph.markPicked(pathEnds.map((end) => end.id));
  graph.select(node.id);
  renderPathPanel();
  if (pathEnds.length === 2) void findPath();
}

async function findPath(): Promise<void> {
  const [from, to] = pathEnds;
  if (!from || !to) return;
  pathState = { state: 'loading' };
  renderPathPanel();
  const outcome = await channels.path.run((signal) => shortestPath(from.id, to.id, pathFollows, signal));
  if (!outcome.ok) {
    if (!outcome.aborted) {
      pathState = { state: 'failed' };
      renderPathPanel();
    }
    return;
  }
  if (outcome.value) linkNew(graph.highlightPath(outcome.value, step('P', from.id, to.id, pathFollows)));
  pathState = { state: 'done', path: outcome.value };
  renderPathPanel();
  mapChanged();
}

const pathFollowNames: Record<PathMode, string> = {
  ANY: 'any link, either way',
  CITATIONS: 'citations, from citing to cited',
  CITED_BY: 'citations, from cited to citing',
  RELATED: 'related links only',
};

/** Chooses what a path follows; a change looks again for a path between the two ends picked. */
function pathFollowsSelect(): HTMLSelectElement {
  const select = h(
    'select',
    { 'data-testid': 'path-follows' },
    (Object.keys(pathFollowNames) as PathMode[]).map((value) =>
      h('option', { value, ...(pathFollows === value ? { selected: '' } : {}) }, pathFollowNames[value]),
    ),
  );
  select.addEventListener('change', () => {
    pathFollows = select.value as PathMode;
    pathState = { state: 'idle' };
    graph.clearPath();
    if (pathEnds.length === 2) void findPath();
    else renderPathPanel();
  });
  return select;
}

const pathHints: Record<PathMode, string> = {
  ANY: 'Click a start node in the graph, then an end node. The shortest path may run against the arrows.',
  CITATIONS: 'Click the citing paper, then the cited one: the chain follows citations only, each paper citing the next.',
  CITED_BY: 'Click the cited paper, then one that builds on it: the chain follows citations only, each paper cited by the next.',
  RELATED: 'Click a start paper, then an end paper: the path follows related links only, either way.',
};

function renderPathPanel(): void {
  if (!pathMode) {
    pathPanel.replaceChildren();
    return;
  }
  const [from, to] = pathEnds;
  const end = (node: TappedNode | undefined, testId: string) =>
    h('strong', { 'data-testid': testId }, ...(node ? [kindDot(node.kind), node.label] : ['click a node in the graph']));
  pathPanel.replaceChildren(
    h('h2', {}, 'Path between two nodes'),
    h('p', { class: 'muted' }, pathHints[pathFollows], ' Escape leaves path mode.'),
    h('label', { class: 'path-follows' }, 'Follow ', pathFollowsSelect()),
    h('dl', { class: 'ends' }, h('dt', {}, 'From'), h('dd', {}, end(from, 'path-from')), h('dt', {}, 'To'), h('dd', {}, end(to, 'path-to'))),
    pathResult() ?? '',
    h(
      'div',
      { class: 'actions' },
      pathState.state === 'done' && pathState.path
        ? button('Show only the path', { 'data-testid': 'path-only' }, () => {
            if (pathState.state !== 'done' || !pathState.path) return;
            const [from, to] = pathEnds;
            graph.showOnly(pathState.path, from && to ? step('S', from.id, to.id, pathFollows) : undefined);
            status('Only the path is drawn. Undo brings the rest back.');
            mapChanged();
          })
        : null,
      button('Clear', { 'data-testid': 'path-clear' }, () => {
        pathEnds = [];
        pathState = { state: 'idle' };
        channels.path.abort();
        graph.clearPath();
        renderPathPanel();
      }),
      button('Done', { 'data-testid': 'path-done' }, () => setPathMode(false)),
    ),
  );
}

function pathResult(): Node | null {
  switch (pathState.state) {
    case 'idle':
      return null;
    case 'loading':
      return h('p', { class: 'muted', 'data-testid': 'path-loading' }, spinner(), 'Looking for the shortest path…');
    case 'failed':
      return h('p', { class: 'muted', 'data-testid': 'path-failed' }, 'Could not look for a path.');
    case 'done': {
      const path = pathState.path;
      if (!path) {
        return h(
          'p',
          { class: 'empty', 'data-testid': 'path-empty' },
          pathFollows === 'CITATIONS' || pathFollows === 'CITED_BY'
            ? `No chain of at most ${maxPathLength} citations leads from the first to the second.`
            : `No path of at most ${maxPathLength} steps joins them.`,
        );
      }
      return h(
        'div',
        { 'data-testid': 'path-result' },
        h('p', { 'data-testid': 'path-summary' }, `${plural(path.nodes.length, 'node')}, ${plural(path.length, 'step')}:`),
        h(
          'ol',
          { class: 'steps' },
          path.nodes.map((node, index) => {
            const edge = index > 0 ? path.edges[index - 1] : undefined;
            const via = edge ? `${edge.target === node.id ? '→' : '←'} ${edge.type.toLowerCase().replace('_', ' ')}` : null;
            return h(
              'li',
              { 'data-testid': 'path-step', 'data-id': node.id },
              via ? h('small', { class: 'via' }, via) : null,
              // A step opens its details, and stays in path mode.
              button([kindDot(node.kind, node.stub), h('span', {}, texToText(node.label))], { class: 'link step', 'data-testid': 'path-step-link' }, () => {
                graph.select(node.id);
                void (node.kind === 'PAPER' ? showPaperDetails(node.id) : showAuthorDetails(node.id));
              }),
            );
          }),
        ),
      );
    }
  }
}

/** A paper's or author's details in the panel, the map unchanged. */
async function showPaperDetails(id: string): Promise<void> {
  const outcome = await channels.view.run((signal) => loadPaper(id, signal));
  if (outcome.ok && outcome.value) {
    focus = { id, kind: 'PAPER' };
    renderPaper(outcome.value.paper);
    reveal(details);
  }
}

async function showAuthorDetails(id: string): Promise<void> {
  const outcome = await channels.view.run((signal) => loadAuthor(id, signal));
  if (outcome.ok && outcome.value) {
    focus = { id, kind: 'AUTHOR' };
    renderAuthor(outcome.value.author);
    reveal(details);
  }
}

// ---------------------------------------------------------------------------------------------------
// Start: an empty state with some papers to begin with, or the map named in the URL.

async function renderStart(notice?: Node): Promise<void> {
  document.title = 'papergraph explorer';
  details.replaceChildren(
    h(
      'div',
      { class: 'intro', 'data-testid': 'intro' },
      notice ?? null,
      h('h2', {}, 'Explore papers and authors'),
      h(
        'p',
        {},
        'Search in English or Japanese (“headless”, “ヘッドレス”), pick a paper, then click nodes to grow the map. Papers are rectangles sized by citations, authors orange circles; the wider a related link, the more similar the papers.',
      ),
      h('p', { class: 'muted', 'data-testid': 'start-loading' }, spinner(), 'Loading some papers to start from…'),
    ),
  );
  const outcome = await channels.start.run((signal) => startingPapers(signal));
  const intro = details.querySelector('[data-testid="intro"]');
  const placeholder = details.querySelector('[data-testid="start-loading"]');
  if (!intro || !placeholder) return; // something was opened meanwhile
  if (!outcome.ok) return placeholder.remove();
  const papers = outcome.value;
  placeholder.replaceWith(
    papers.length === 0
      ? h('p', { class: 'empty', 'data-testid': 'start-empty' }, 'The graph holds no papers yet: load some with `npm run seed`.')
      : h(
          'div',
          {},
          h('h3', {}, 'Start from'),
          h(
            'ul',
            { class: 'papers', 'data-testid': 'start-papers' },
            papers.map((paper) =>
              h(
                'li',
                {},
                button(
                  [kindDot('PAPER'), h('span', {}, ...tex(paper.title))],
                  { class: 'link', 'data-testid': 'start-paper', 'data-id': paper.id },
                  () => void openPaper(paper.id),
                ),
              ),
            ),
          ),
        ),
  );
}

/**
 * The map in the URL: `#paper=ID` (or `#author=ID`, `#topic=ID`…) is the focus, `&steps=` what was
 * done to the map after it was drawn and not undone, in order (expansions, pages of a list, hidden
 * nodes, paths), and `&size=`, `&colour=`, `&years=`, `&links=` the encoding and filters chosen, so a
 * link reproduces the map. Written on every change (replacing the history entry;
 * opening a new focus adds one). Links of the first form, `&expanded=ID,ID`, still open.
 */
type LocationKind = 'paper' | 'author' | (typeof entityHashKeys)[EntityKind];

interface MapLocation {
  kind: LocationKind;
  id: string;
  /** Nodes to expand, in order (the older form of links). */
  expanded: string[];
  /** Steps to replay, in order (see step). */
  steps: string[];
  /** The encoding and filters the reader chose (see viewParameters), by parameter. */
  view: Map<string, string>;
}

/** The URL's parameters of the map's encoding and filters. */
const viewKeys = ['size', 'colour', 'years', 'links'] as const;

/** The encoding and filters as the URL's parameters, only those the reader set: a plain link stays short. */
function viewParameters(): [string, string][] {
  const parameters: [string, string][] = [];
  if (encodingChosen) parameters.push(['size', sizeBy.value], ['colour', colourBy.value]);
  if (yearFrom.value.trim() !== '' || yearTo.value.trim() !== '') parameters.push(['years', `${yearFrom.value.trim()}-${yearTo.value.trim()}`]);
  if (linkTypes.some((box) => !box.checked)) {
    parameters.push([
      'links',
      linkTypes
        .filter((box) => box.checked)
        .map((box) => box.value)
        .join(','),
    ]);
  }
  return parameters;
}

/** Sets the controls as a link's parameters say; a value the page does not offer is left alone. */
function applyViewParameters(view: Map<string, string>): void {
  const choose = (select: HTMLSelectElement, value: string | undefined) => {
    if (value === undefined || !select.querySelector(`option[value="${CSS.escape(value)}"]`)) return;
    select.value = value;
    encodingChosen = true;
  };
  choose(sizeBy, view.get('size'));
  choose(colourBy, view.get('colour'));
  const [from = '', to = ''] = (view.get('years') ?? '-').split('-');
  yearFrom.value = /^\d{1,4}$/.test(from) ? from : '';
  yearTo.value = /^\d{1,4}$/.test(to) ? to : '';
  const links = view.get('links');
  for (const box of linkTypes) box.checked = links === undefined || links.split(',').includes(box.value);
  applyEncoding();
  applyFilters();
}

/** The URL's map; `bad` when the hash cannot be read (a link cut short or mangled); null when it names none. */
function readLocation(): MapLocation | 'bad' | null {
  const hash = location.hash.replace(/^#/, '');
  if (hash === '') return null;
  const values = new Map<string, string>();
  for (const part of hash.split('&')) {
    const at = part.indexOf('=');
    if (at < 0) continue;
    try {
      values.set(decodeURIComponent(part.slice(0, at)), decodeURIComponent(part.slice(at + 1)));
    } catch {
      return 'bad';
    }
  }
  const kinds: LocationKind[] = ['paper', 'author', ...Object.values(entityHashKeys)];
  const kind = kinds.find((name) => values.get(name));
  if (!kind) return values.size > 0 ? 'bad' : null;
  const expanded = (values.get('expanded') ?? '').split(',').filter(Boolean);
  const steps = (values.get('steps') ?? '').split('~').filter(Boolean);
  const view = new Map(viewKeys.flatMap((key) => (values.has(key) ? [[key, values.get(key)!] as const] : [])));
  return { kind, id: values.get(kind)!, expanded, steps, view };
}

let restoring = false;

function saveLocation(): void {
  if (restoring || !focus) return;
  const current = readLocation();
  if (current === 'bad' || current === null) return;
  const steps = graph.steps();
  const view = viewParameters()
    .map(([key, value]) => `&${key}=${encodeURIComponent(value)}`)
    .join('');
  const hash = `#${current.kind}=${encodeURIComponent(current.id)}${steps.length > 0 ? `&steps=${steps.map(encodeURIComponent).join('~')}` : ''}${view}`;
  if (hash !== location.hash) history.replaceState(null, '', hash);
}

/**
 * A step of the map as a link writes it: a letter, then its arguments, joined by dots (IDs are
 * base64url and hold no dot). e/E expand a paper (lists most cited / newest first), u an author
 * (with N co-authors), r/R and c/C draw the next page of a paper's references or citing papers,
 * w of an author's papers, p of a venue's, institution's or topic's; h hides a node; P draws the
 * path between two nodes, S keeps only it.
 */
function step(letter: string, ...args: (string | number)[]): string {
  return [letter, ...args].join('.');
}

/** Does a step of a link again; a step that no longer applies (a node not drawn, an unknown letter) is skipped. */
async function replay(op: string): Promise<void> {
  const [letter = '', id = '', ...args] = op.split('.');
  if (id === '') return;
  switch (letter) {
    case 'e':
    case 'E':
      listOrder = letter === 'E' ? 'NEWEST' : 'CITED';
      return openPaper(id, 'expand');
    case 'u': {
      const shown = Number(args[0]);
      // The author in focus, so that openAuthor keeps the number of co-authors asked for.
      focus = { id, kind: 'AUTHOR' };
      coauthorsShown = Number.isInteger(shown) ? Math.min(maxCoauthors, Math.max(authorPageSize, shown)) : authorPageSize;
      return openAuthor(id, 'expand');
    }
    case 'r':
    case 'R':
    case 'c':
    case 'C': {
      listOrder = letter === 'R' || letter === 'C' ? 'NEWEST' : 'CITED';
      const outcome = await channels.view.run((signal) => loadPaper(id, signal));
      if (outcome.ok && outcome.value) await moreCitations(outcome.value.paper, letter.toLowerCase() === 'r' ? 'references' : 'citedBy');
      return;
    }
    case 'w': {
      const outcome = await channels.view.run((signal) => loadAuthor(id, signal));
      if (outcome.ok && outcome.value) await moreAuthorPapers(outcome.value.author);
      return;
    }
    case 'p':
      if (entityShown?.id === id) await moreEntityPapers(entityShown);
      return;
    case 'h':
      graph.hide(id, op);
      return;
    case 'P':
    case 'S': {
      const [to, follows] = args;
      if (!to || !follows || !(follows in pathFollowNames)) return;
      const outcome = await channels.path.run((signal) => shortestPath(id, to, follows as PathMode, signal));
      if (!outcome.ok || !outcome.value) return;
      if (letter === 'S') graph.showOnly(outcome.value, op);
      else {
        linkNew(graph.highlightPath(outcome.value, op));
        graph.clearPath();
      }
      return;
    }
  }
}

async function openFromLocation(): Promise<void> {
  const where = readLocation();
  if (where === 'bad' || where === null) {
    graph.cy.elements().remove();
    focus = null;
    refreshGraphEmpty();
    status('');
    void renderStart(
      where === 'bad'
        ? h(
            'div',
            { class: 'empty', 'data-testid': 'bad-link' },
            h('p', {}, h('strong', {}, 'This link does not name a paper, an author, a venue, an institution or a topic.')),
            h('p', {}, 'It may have been cut short or changed on the way. Search for the paper instead, or start from one below.'),
          )
        : undefined,
    );
    return;
  }
  refreshGraphEmpty();
  // The start view stays if what the URL names cannot be opened.
  if (graph.isEmpty) void renderStart();
  restoring = true;
  try {
    applyViewParameters(where.view);
    const entity = (Object.keys(entityHashKeys) as EntityKind[]).find((kind) => entityHashKeys[kind] === where.kind);
    await (where.kind === 'paper'
      ? openPaper(where.id, 'open', false)
      : where.kind === 'author'
        ? openAuthor(where.id, 'open', false)
        : openEntity(entity!, where.id, false));
    for (const id of where.expanded) {
      const kind = graph.kindOf(id);
      if (kind) await expand({ id, kind, label: '' });
    }
    for (const op of where.steps) await replay(op);
    if (where.expanded.length > 0 || where.steps.length > 0) {
      // The details show the focus the link named, as they did when it was made.
      const last = focus;
      if (last?.id !== where.id) {
        if (where.kind === 'paper') void showPaperDetails(where.id);
        else if (where.kind === 'author') void showAuthorDetails(where.id);
        else if (entityShown?.id === where.id) {
          focus = { id: where.id, kind: entityShown.kind };
          renderEntity(entityShown);
        }
      }
      graph.setFocus(where.id);
    }
  } finally {
    restoring = false;
  }
  renderLegend();
}

searchForm.addEventListener('submit', (event) => {
  event.preventDefault();
  void search(searchInput.value);
});
pathToggle.addEventListener('click', () => setPathMode(!pathMode));
document.addEventListener('keydown', (event) => {
  if (event.key === 'Escape' && pathMode) setPathMode(false);
});
byTestId('error-dismiss').addEventListener('click', hideError);
byTestId('fit-button').addEventListener('click', () => graph.fit());
window.addEventListener('popstate', () => void openFromLocation());
window.__papergraph = { cy: graph.cy, view: graph, expand };
renderLegend();
void openFromLocation();
