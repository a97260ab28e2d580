/// <reference lib="dom" />
/**
 * The explorer's page: search, the details panel, path mode, and the wiring between them and the graph.
 * Data comes only from api.ts (GraphQL); drawing is graph.ts.
 */
import {
  ApiError,
  authorView,
  maxPathLength,
  paperView,
  searchPapers,
  shortestPath,
  startingPapers,
  type AuthorDetails,
  type NodeKind,
  type PaperDetails,
  type PaperSummary,
  type Path,
  type PathMode,
  type SearchHit,
  type Subgraph,
} from './api.ts';
import { GraphView, type TappedNode } from './graph.ts';

declare global {
  interface Window {
    /** For tests and the curious: the Cytoscape instance and the view around it. */
    __papergraph?: { cy: GraphView['cy']; view: GraphView };
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
const errorBox = byTestId('error');
const errorMessage = byTestId('error-message');
const resultsPanel = byTestId('search-results');
const pathPanel = byTestId('path-panel');
const details = byTestId('details');

const graphAnnouncer = byTestId('graph-announcer');
const graph = new GraphView(
  byTestId('graph'),
  (node) => (pathMode ? pickPathEnd(node) : expand(node)),
  (text) => (graphAnnouncer.textContent = text),
);
window.__papergraph = { cy: graph.cy, view: graph };

const channels = {
  search: new Channel(),
  view: new Channel((busy) => {
    graphLoading.hidden = !busy;
    graphEmpty.hidden = busy || !graph.isEmpty;
  }),
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

// ---------------------------------------------------------------------------------------------------
// Search

async function search(text: string): Promise<void> {
  const query = text.trim();
  if (!query) return;
  resultsPanel.hidden = false;
  resultsPanel.replaceChildren(h('p', { class: 'muted', 'data-testid': 'search-loading' }, spinner(), `Searching for “${query}”…`));
  const outcome = await channels.search.run((signal) => searchPapers(query, signal));
  if (!outcome.ok) {
    if (!outcome.aborted) resultsPanel.replaceChildren(h('p', { class: 'muted', 'data-testid': 'search-failed' }, `The search for “${query}” failed.`));
    return;
  }
  renderResults(query, outcome.value);
}

function renderResults(query: string, hits: SearchHit[]): void {
  const heading = `${plural(hits.length, 'result')} for “${query}”`;
  if (hits.length === 0) {
    resultsPanel.replaceChildren(
      h(
        'div',
        { class: 'empty', 'data-testid': 'search-empty' },
        h('p', {}, h('strong', {}, `No paper matches “${query}”.`)),
        h('p', {}, 'Try fewer or other words. Titles, Japanese summaries and abstracts are searched in English and Japanese.'),
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
            h('span', { class: 'title', lang: 'en' }, hit.paper.title),
            hit.paper.titleJa ? h('span', { class: 'ja', lang: 'ja' }, hit.paper.titleJa) : null,
            h('span', { class: 'meta' }, [day(hit.paper.publishedAt), `matched ${hit.matchedFields.map(fieldName).join(', ')}`].filter(Boolean).join(' · ')),
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

function fieldName(field: string): string {
  return ({ TITLE: 'title', ABSTRACT: 'abstract', TITLE_JA: 'Japanese title', SUMMARY_JA: 'Japanese summary', ABSTRACT_JA: 'Japanese abstract' } as Record<string, string>)[field] ?? field;
}

// ---------------------------------------------------------------------------------------------------
// Papers and authors: opening one draws its surroundings afresh; tapping a node adds its surroundings.

type PaperView = { paper: PaperDetails; graph: Subgraph };
type AuthorView = { author: AuthorDetails; graph: Subgraph };

const paperViews = new Map<string, PaperView>();
const authorViews = new Map<string, AuthorView>();

async function loadPaper(id: string, signal: AbortSignal): Promise<PaperView | null> {
  const cached = paperViews.get(id);
  if (cached) return cached;
  const view = await paperView(id, signal);
  if (view) paperViews.set(id, view);
  return view;
}

async function loadAuthor(id: string, signal: AbortSignal): Promise<AuthorView | null> {
  const cached = authorViews.get(id);
  if (cached) return cached;
  const view = await authorView(id, signal);
  if (view) authorViews.set(id, view);
  return view;
}

type How = 'open' | 'expand';

async function openPaper(id: string, how: How = 'open', remember = true): Promise<void> {
  const outcome = await channels.view.run((signal) => loadPaper(id, signal));
  if (!outcome.ok) return;
  const view = outcome.value;
  if (!view) return showNotFound('paper');
  if (how === 'open') {
    graph.replace(view.graph, id);
    if (remember) history.pushState(null, '', `#paper=${encodeURIComponent(id)}`);
  } else {
    graph.add(view.graph, id);
    graph.select(id);
  }
  refreshGraphEmpty();
  renderPaper(view.paper, view.graph);
}

async function openAuthor(id: string, how: How = 'open', remember = true): Promise<void> {
  const outcome = await channels.view.run((signal) => loadAuthor(id, signal));
  if (!outcome.ok) return;
  const view = outcome.value;
  if (!view) return showNotFound('author');
  if (how === 'open') {
    graph.replace(view.graph, id);
    if (remember) history.pushState(null, '', `#author=${encodeURIComponent(id)}`);
  } else {
    graph.add(view.graph, id);
    graph.select(id);
  }
  refreshGraphEmpty();
  renderAuthor(view.author);
}

function showNotFound(kind: 'paper' | 'author'): void {
  details.replaceChildren(
    h('div', { class: 'empty', 'data-testid': 'not-found' }, h('p', {}, h('strong', {}, `No ${kind} has this ID.`)), h('p', {}, 'It may have been removed since the link was made; search for it instead.')),
  );
}

function expand(node: TappedNode): void {
  void (node.kind === 'PAPER' ? openPaper(node.id, 'expand') : openAuthor(node.id, 'expand'));
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
      return h('p', { class: 'muted', 'data-testid': 'no-page' }, 'From OpenAlex: no summary page of its own was loaded.');
    default:
      return h('p', { class: 'muted', 'data-testid': 'no-page' }, 'Known only from other papers’ related lists: no page of its own was loaded.');
  }
}

function renderPaper(paper: PaperDetails, neighbourhood: Subgraph): void {
  document.title = `${paper.title} · papergraph`;
  const labels = new Map(neighbourhood.nodes.map((node) => [node.id, node.label]));
  const related = neighbourhood.edges
    .filter((edge) => edge.type === 'RELATED_TO' && (edge.source === paper.id || edge.target === paper.id))
    .map((edge) => {
      const other = edge.source === paper.id ? edge.target : edge.source;
      return { id: other, title: labels.get(other) ?? other, score: edge.weight, listedHere: edge.source === paper.id };
    })
    .sort((a, b) => b.score - a.score);
  const arxiv = paper.arxivId ? `arXiv ${paper.arxivId}${paper.version ? `v${paper.version}` : ''}` : undefined;

  details.replaceChildren(
    h(
      'article',
      { class: 'card', 'data-testid': 'paper-details', 'data-id': paper.id },
      h('p', { class: 'kind' }, kindDot('PAPER', paper.kind === 'REFERENCE_STUB'), [paper.kind === 'REFERENCE_STUB' ? 'Cited work' : 'Paper', day(paper.publishedAt), arxiv].filter(Boolean).join(' · ')),
      h('h2', { lang: 'en', 'data-testid': 'paper-title' }, paper.title),
      paper.titleJa ? h('p', { class: 'title-ja', lang: 'ja', 'data-testid': 'paper-title-ja' }, paper.titleJa) : null,
      h(
        'div',
        { class: 'actions' },
        paper.url
          ? h('a', { href: paper.url, target: '_blank', rel: 'noopener noreferrer', 'data-testid': 'arxiv-link' }, 'Open on arXiv ↗')
          : null,
        button('Find a path from here', { 'data-testid': 'path-from-here' }, () => startPathFrom({ id: paper.id, kind: 'PAPER', label: paper.title })),
      ),
      paperOrigin(paper),
      paper.authors.length > 0
        ? [
            h('h3', {}, `Authors (${paper.authors.length})`),
            h(
              'ul',
              { class: 'people', 'data-testid': 'paper-authors' },
              paper.authors.map((author) =>
                h('li', {}, button([kindDot('AUTHOR'), author.name], { class: 'link', 'data-testid': 'author-link', 'data-id': author.id }, () => void openAuthor(author.id))),
              ),
            ),
          ]
        : null,
      paper.summaryJa
        ? [h('h3', { lang: 'ja' }, '要約'), h('ul', { class: 'summary', lang: 'ja', 'data-testid': 'paper-summary-ja' }, paper.summaryJa.split('\n').map((line) => h('li', {}, line)))]
        : null,
      paper.abstract ? h('details', { lang: 'en' }, h('summary', {}, 'Abstract'), h('p', { 'data-testid': 'paper-abstract' }, paper.abstract)) : null,
      paper.abstractJa
        ? h('details', { lang: 'ja' }, h('summary', {}, 'アブストラクト (Japanese abstract)'), h('p', { 'data-testid': 'paper-abstract-ja' }, paper.abstractJa.split('\n').join('')))
        : null,
      related.length > 0
        ? [
            h('h3', {}, `Related papers (${related.length})`),
            h(
              'ol',
              { class: 'related', 'data-testid': 'related-list' },
              related.map((item) =>
                h(
                  'li',
                  {},
                  button([kindDot('PAPER'), item.title], { class: 'link', 'data-testid': 'related-link', 'data-id': item.id }, () => void openPaper(item.id)),
                  h('span', { class: 'score', title: item.listedHere ? 'similarity (listed by this paper)' : 'similarity (this paper is listed by it)' }, `${item.listedHere ? '→' : '←'} ${item.score.toFixed(1)}`),
                ),
              ),
            ),
          ]
        : null,
    ),
  );
}

function renderAuthor(author: AuthorDetails): void {
  document.title = `${author.name} · papergraph`;
  details.replaceChildren(
    h(
      'article',
      { class: 'card', 'data-testid': 'author-details', 'data-id': author.id },
      h('p', { class: 'kind' }, kindDot('AUTHOR'), `Author · ${plural(author.paperCount, 'paper')} · ${plural(author.coauthors.length, 'co-author')}`),
      h('h2', { 'data-testid': 'author-name' }, author.name),
      h('div', { class: 'actions' }, button('Find a path from here', { 'data-testid': 'path-from-here' }, () => startPathFrom({ id: author.id, kind: 'AUTHOR', label: author.name }))),
      h('h3', {}, `Co-authors (${author.coauthors.length})`),
      author.coauthors.length === 0
        ? h('p', { class: 'muted', 'data-testid': 'no-coauthors' }, 'No co-authors: every paper of theirs here has them as its only author.')
        : h(
            'ul',
            { class: 'people', 'data-testid': 'coauthors' },
            author.coauthors.map((coauthor) =>
              h(
                'li',
                {},
                button([kindDot('AUTHOR'), coauthor.author.name], { class: 'link', 'data-testid': 'coauthor', 'data-id': coauthor.author.id }, () => void openAuthor(coauthor.author.id)),
                h('span', { class: 'score' }, plural(coauthor.sharedPaperCount, 'shared paper')),
              ),
            ),
          ),
      h('h3', {}, `Papers (${author.paperCount})`),
      h(
        'ul',
        { class: 'papers', 'data-testid': 'author-papers' },
        author.papers.map((paper: PaperSummary) =>
          h(
            'li',
            {},
            button([kindDot('PAPER'), paper.title], { class: 'link', 'data-testid': 'author-paper', 'data-id': paper.id }, () => void openPaper(paper.id)),
            paper.titleJa ? h('span', { class: 'ja', lang: 'ja' }, paper.titleJa) : null,
          ),
        ),
      ),
    ),
  );
}

// ---------------------------------------------------------------------------------------------------
// Path mode: pick two nodes in the graph, see the shortest path between them highlighted.

let pathMode = false;
let pathEnds: TappedNode[] = [];
/** ANY: the shortest path over every relationship, either way; CITATIONS: a citation chain from the first picked paper to the second. */
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
  if (outcome.value) graph.highlightPath(outcome.value);
  pathState = { state: 'done', path: outcome.value };
  renderPathPanel();
}

/** Chooses what a path follows; a change looks again for a path between the two ends picked. */
function pathFollowsSelect(): HTMLSelectElement {
  const option = (value: PathMode, label: string) => h('option', { value, ...(pathFollows === value ? { selected: '' } : {}) }, label);
  const select = h('select', { 'data-testid': 'path-follows' }, option('ANY', 'any link, either way'), option('CITATIONS', 'citations, from citing to cited'));
  select.addEventListener('change', () => {
    pathFollows = select.value as PathMode;
    pathState = { state: 'idle' };
    graph.clearPath();
    if (pathEnds.length === 2) void findPath();
    else renderPathPanel();
  });
  return select;
}

function renderPathPanel(): void {
  if (!pathMode) return pathPanel.replaceChildren();
  const [from, to] = pathEnds;
  const end = (node: TappedNode | undefined, testId: string) =>
    h('strong', { 'data-testid': testId }, ...(node ? [kindDot(node.kind), node.label] : ['click a node in the graph']));
  pathPanel.replaceChildren(
    h('h2', {}, 'Path between two nodes'),
    h(
      'p',
      { class: 'muted' },
      pathFollows === 'CITATIONS'
        ? 'Click the citing paper, then the cited one: the chain follows citations only, each paper citing the next.'
        : 'Click a start node in the graph, then an end node. The shortest path may run against the arrows.',
    ),
    h('label', { class: 'path-follows' }, 'Follow ', pathFollowsSelect()),
    h('dl', { class: 'ends' }, h('dt', {}, 'From'), h('dd', {}, end(from, 'path-from')), h('dt', {}, 'To'), h('dd', {}, end(to, 'path-to'))),
    pathResult() ?? '',
    h(
      'div',
      { class: 'actions' },
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
          pathFollows === 'CITATIONS'
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
              h('span', { class: 'step' }, kindDot(node.kind), h('span', {}, node.label)),
            );
          }),
        ),
      );
    }
  }
}

// ---------------------------------------------------------------------------------------------------
// Start: an empty state with some papers to begin with, or the paper or author named in the URL.

async function renderStart(): Promise<void> {
  document.title = 'papergraph explorer';
  details.replaceChildren(
    h(
      'div',
      { class: 'intro', 'data-testid': 'intro' },
      h('h2', {}, 'Explore papers and authors'),
      h('p', {}, 'Search in English or Japanese (“headless”, “ヘッドレス”), pick a paper, then click nodes to grow the graph. Papers are blue rectangles, authors orange circles; the wider a related link, the more similar the papers.'),
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
              h('li', {}, button([kindDot('PAPER'), paper.title], { class: 'link', 'data-testid': 'start-paper', 'data-id': paper.id }, () => void openPaper(paper.id))),
            ),
          ),
        ),
  );
}

function openFromLocation(): void {
  const match = /^#(paper|author)=(.+)$/.exec(location.hash);
  const id = match?.[2] ? decodeURIComponent(match[2]) : undefined;
  if (!match || !id) graph.cy.elements().remove();
  refreshGraphEmpty();
  // The start view stays if what the URL names cannot be opened.
  if (graph.isEmpty) void renderStart();
  if (match?.[1] === 'paper' && id) void openPaper(id, 'open', false);
  else if (match?.[1] === 'author' && id) void openAuthor(id, 'open', false);
}

searchForm.addEventListener('submit', (event) => {
  event.preventDefault();
  void search(searchInput.value);
});
pathToggle.addEventListener('click', () => setPathMode(!pathMode));
byTestId('error-dismiss').addEventListener('click', hideError);
byTestId('fit-button').addEventListener('click', () => graph.fit());
window.addEventListener('popstate', openFromLocation);
openFromLocation();
