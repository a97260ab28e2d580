/// <reference lib="dom" />
/**
 * The graph view: Cytoscape.js drawing papers and authors and the typed, directed edges among them.
 * It knows nothing of GraphQL or the panels; it draws what it is given, encodes papers by size and
 * colour, and reports taps and hovers.
 */
import cytoscape from 'cytoscape';
import fcose from 'cytoscape-fcose';
import type { GraphEdge, GraphNode, NodeKind, Path, Subgraph } from './api.ts';
import { texToText } from './tex.ts';

cytoscape.use(fcose);

export interface TappedNode {
  id: string;
  kind: NodeKind;
  label: string;
}

const colours = {
  paper: '#2f6bd8',
  author: '#e07a2e',
  related: '#8eaee8',
  authored: '#f0b27a',
  cites: '#64748b',
  path: '#d62839',
  selected: '#f5c400',
  text: '#1f2937',
  stub: '#cbd5e1',
  unknown: '#94a3b8',
};

/** Years run from dark blue (oldest drawn) to yellow (newest drawn): viridis, readable by most colour-blind readers. */
const yearRamp = ['#440154', '#3b528b', '#21918c', '#5ec962', '#fde725'];

/** Communities get Tableau's ten categorical colours, the largest drawn community first; the rest share grey. */
const communityPalette = ['#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac'];

/** What a paper's size says. `influence` needs the analytics (issue 20). */
export type SizeBy = 'citations' | 'openalex' | 'influence';
/** What a paper's colour says. `community` needs the analytics (issue 20). */
export type ColourBy = 'kind' | 'year' | 'community';

export interface Legend {
  colourBy: ColourBy;
  sizeBy: SizeBy;
  years: { from: number; to: number; ramp: string[] } | null;
  communities: { id: string; label: string; colour: string; papers: number }[];
}

/**
 * Edge styles by relationship type, so a new type needs one entry here.
 * Every edge is directed: an arrow at its target.
 */
const edgeTypeStyles: Record<string, cytoscape.Css.Edge> = {
  AUTHORED: { 'line-color': colours.authored, 'target-arrow-color': colours.authored, width: 1.5, 'line-style': 'dashed' },
  // Width grows with the similarity score the site gave the pair (scores run from 0 to about 120).
  RELATED_TO: { 'line-color': colours.related, 'target-arrow-color': colours.related, width: 'mapData(weight, 0, 120, 1, 9)' },
  CITES: { 'line-color': colours.cites, 'target-arrow-color': colours.cites, width: 2, 'target-arrow-shape': 'vee' },
};

const edgeCaptions: Record<string, (weight: number) => string> = {
  AUTHORED: () => 'authored',
  RELATED_TO: (weight) => `related · ${weight.toFixed(1)}`,
  CITES: () => 'cites',
};

const style: cytoscape.StylesheetJson = [
  {
    selector: 'node',
    style: {
      label: 'data(short)',
      'font-size': 10,
      color: colours.text,
      'text-valign': 'bottom',
      'text-margin-y': 4,
      'text-wrap': 'wrap',
      'text-max-width': '130px',
      'text-background-color': '#ffffff',
      'text-background-opacity': 0.75,
      'text-background-padding': '1px',
      // Labels by zoom level: below this rendered size they are not drawn, so a large map stays legible and fast.
      'min-zoomed-font-size': 8,
      'border-width': 2,
      'border-color': '#ffffff',
    },
  },
  {
    selector: 'node[kind = "PAPER"]',
    style: {
      shape: 'round-rectangle',
      'background-color': 'data(colour)',
      width: 'mapData(size, 0, 1, 20, 56)',
      height: 'mapData(size, 0, 1, 14, 40)',
    },
  },
  { selector: 'node[kind = "AUTHOR"]', style: { shape: 'ellipse', 'background-color': colours.author, width: 20, height: 20 } },
  // A paper known only as a cited work (its label is its OpenAlex id): greyed, so it does not pass for a paper with details.
  { selector: 'node[?stub]', style: { 'background-color': colours.stub, 'border-style': 'dashed', 'border-color': '#94a3b8', color: '#64748b' } },
  // The focus always stands out: a dark ring and a halo, its label always drawn.
  {
    selector: 'node.focus',
    style: {
      'font-weight': 'bold',
      'font-size': 12,
      'min-zoomed-font-size': 0,
      'border-color': colours.text,
      'border-width': 3,
      'underlay-color': colours.selected,
      'underlay-opacity': 0.55,
      'underlay-padding': 6,
      'underlay-shape': 'ellipse',
      'z-index': 20,
    },
  },
  { selector: 'node[kind = "PAPER"].focus', style: { width: 'mapData(size, 0, 1, 40, 64)', height: 'mapData(size, 0, 1, 28, 44)' } },
  { selector: 'node[kind = "AUTHOR"].focus', style: { width: 30, height: 30 } },
  { selector: 'node.expanded', style: { 'border-color': '#1f2937', 'border-width': 2 } },
  {
    selector: 'edge',
    style: {
      // Straight and opaque: a 500-node map draws in about half the time bezier, translucent edges take.
      'curve-style': 'straight',
      'target-arrow-shape': 'triangle',
      'arrow-scale': 0.9,
      'line-color': '#94a3b8',
      'target-arrow-color': '#94a3b8',
      width: 1.5,
      'font-size': 9,
      'text-rotation': 'autorotate',
      'text-background-color': '#ffffff',
      'text-background-opacity': 0.85,
    },
  },
  ...Object.entries(edgeTypeStyles).map(([type, css]) => ({ selector: `edge[type = "${type}"]`, style: css })),
  { selector: 'edge:selected', style: { label: 'data(caption)', 'line-color': colours.selected, 'target-arrow-color': colours.selected } },
  { selector: 'node:selected', style: { 'border-color': colours.selected, 'border-width': 4 } },
  { selector: '.faded', style: { opacity: 0.18 } },
  // Filtered out by year or link type: not drawn, still there for when the filter changes.
  { selector: '.filtered', style: { display: 'none' } },
  { selector: 'node.picked', style: { 'border-color': colours.path, 'border-width': 4, 'border-style': 'dashed' } },
  { selector: 'node.on-path', style: { 'border-color': colours.path, 'border-width': 4, 'border-style': 'solid', 'z-index': 10 } },
  {
    selector: 'edge.on-path',
    style: { 'line-color': colours.path, 'target-arrow-color': colours.path, 'line-style': 'solid', width: 5, opacity: 1, 'z-index': 10 },
  },
];

const maxFitZoom = 1.2;

/** Distance between a parent and the first ring of the nodes it brings, and between rings. */
const ringGap = 70;
/** Room per node along a ring. */
const ringSpacing = 42;

/**
 * A step the user can undo: nodes added by an expansion, or elements hidden. `op` says how to do the
 * step again (the page's words for it, kept opaque here), so that the steps since the map was drawn
 * can be written into a link and replayed.
 */
type UndoStep = ({ kind: 'added'; ids: string[]; expanded: string } | { kind: 'hidden'; elements: cytoscape.CollectionReturnValue }) & {
  op?: string;
  /** What the page undoes beside the map (a list's page taken back). */
  onUndo?: () => void;
};

export interface Filters {
  /** Papers of these years only (papers of unknown year stay). */
  fromYear: number | null;
  toYear: number | null;
  /** Relationship types drawn. */
  types: Set<string>;
}

export class GraphView {
  readonly cy: cytoscape.Core;
  /**
   * How an expansion places what it adds: `incremental` puts the new nodes in rings next to their
   * parent and leaves every other node where it is (no frame-long layout of the whole map);
   * `full` lays the whole graph out again with fcose (kept for the bench to compare).
   */
  layoutMode: 'incremental' | 'full' = 'incremental';
  private sizeBy: SizeBy = 'citations';
  private colourBy: ColourBy = 'kind';
  private filters: Filters = { fromYear: null, toYear: null, types: new Set(['AUTHORED', 'RELATED_TO', 'CITES', 'SIMILAR_TO']) };
  private undoSteps: UndoStep[] = [];
  /**
   * The value drawn at full size. It grows only when a paper passes it, and then with room to spare,
   * so that an expansion rarely resizes (and restyles) every paper of the map.
   */
  private sizeReference = 1;

  constructor(
    container: HTMLElement,
    onNodeTap: (node: TappedNode) => void,
    announce: (text: string) => void = () => {},
    onHover: (node: cytoscape.NodeSingular | null) => void = () => {},
  ) {
    this.cy = cytoscape({
      container,
      style,
      minZoom: 0.1,
      maxZoom: 3,
      boxSelectionEnabled: false,
      selectionType: 'single',
      // While panning and zooming a large map, draw a still image rather than every element each frame.
      textureOnViewport: true,
      hideEdgesOnViewport: true,
    });
    this.cy.on('tap', 'node', (event) => {
      const data = (event.target as cytoscape.NodeSingular).data() as TappedNode;
      onNodeTap({ id: data.id, kind: data.kind, label: data.label });
    });
    // Nodes are buttons: a pointer over them, and a card saying what they are.
    this.cy.on('mouseover', 'node', (event) => {
      container.style.cursor = 'pointer';
      onHover(event.target as cytoscape.NodeSingular);
    });
    this.cy.on('mouseout', 'node', () => {
      container.style.cursor = '';
      onHover(null);
    });
    this.cy.on('pan zoom', () => onHover(null));
    // The keyboard reaches every node too: arrows move the selection in reading order (top to bottom,
    // left to right), Enter or Space does what a tap does.
    container.tabIndex = 0;
    container.setAttribute('role', 'application');
    container.setAttribute('aria-roledescription', 'graph');
    container.setAttribute('aria-label', 'Graph. Arrow keys move between nodes; Enter opens the selected node.');
    container.addEventListener('keydown', (event) => {
      const nodes = this.cy
        .nodes(':visible')
        .toArray()
        .sort((a, b) => a.position('y') - b.position('y') || a.position('x') - b.position('x'));
      if (nodes.length === 0) return;
      const current = this.cy.nodes(':selected').first();
      const at = current.nonempty() ? nodes.findIndex((node) => node.id() === current.id()) : -1;
      if (event.key === 'Enter' || event.key === ' ') {
        if (current.empty()) return;
        event.preventDefault();
        const data = current.data() as TappedNode;
        onNodeTap({ id: data.id, kind: data.kind, label: data.label });
        return;
      }
      const step = { ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1 }[event.key];
      if (step === undefined) return;
      event.preventDefault();
      const next = nodes[(at + step + nodes.length) % nodes.length]!;
      this.select(next.id());
      announce(
        `${next.data('kind') === 'AUTHOR' ? 'Author' : next.data('stub') ? 'Paper known only as a cited work' : 'Paper'}: ${next.data('label') as string}`,
      );
    });
  }

  get isEmpty(): boolean {
    return this.cy.nodes().empty();
  }

  has(id: string): boolean {
    return this.cy.getElementById(id).nonempty();
  }

  /** IDs of the papers drawn (for the prior and derivative works of the map). */
  paperIds(): string[] {
    return this.cy.nodes('[kind = "PAPER"]').map((node) => node.id());
  }

  /** How to redo each step taken since the map was drawn and not undone, in order (for a link that reproduces the map). */
  steps(): string[] {
    return this.undoSteps.flatMap((step) => (step.op ? [step.op] : []));
  }

  kindOf(id: string): NodeKind | null {
    const node = this.cy.getElementById(id);
    return node.nonempty() ? (node.data('kind') as NodeKind) : null;
  }

  /**
   * Draws a new graph around `focusId`: in rings by distance when every edge touches the focus (a
   * paper's neighbourhood), force-directed (fcose) otherwise.
   */
  replace(graph: Subgraph, focusId: string): void {
    this.undoSteps = [];
    this.sizeReference = 1;
    this.cy.batch(() => {
      this.cy.elements().remove();
      this.addElements(graph);
      this.markExpanded(focusId);
      this.cy.getElementById(focusId).addClass('focus');
      this.encode();
      this.applyFilters();
    });
    const star = graph.edges.every((edge) => edge.source === focusId || edge.target === focusId);
    const layout = star
      ? ({
          name: 'concentric',
          concentric: (node) => -(node.data('distance') ?? 3),
          levelWidth: () => 1,
          minNodeSpacing: 36,
          animate: false,
          fit: false,
        } as cytoscape.ConcentricLayoutOptions)
      : fcoseLayout(true);
    this.cy.layout(layout).run();
    this.fit();
    this.select(focusId);
  }

  /**
   * Adds what is not drawn yet next to `aroundId` and marks it expanded. Returns the IDs of the new
   * nodes. Only the new nodes are placed (see layoutMode): the map the reader has in mind stays put.
   */
  add(graph: Subgraph, aroundId: string, op?: string, onUndo?: () => void): string[] {
    const around = this.cy.getElementById(aroundId);
    const origin = around.nonempty() ? { ...around.position() } : { x: 0, y: 0 };
    let fresh: string[] = [];
    this.cy.batch(() => {
      const before = this.cy.elements();
      fresh = this.addElements(graph, origin);
      if (around.nonempty()) this.markExpanded(aroundId);
      this.encode();
      this.applyFilters(this.cy.elements().difference(before));
    });
    if (fresh.length > 0) {
      this.undoSteps.push({ kind: 'added', ids: fresh, expanded: aroundId, op, onUndo });
      if (this.layoutMode === 'full') this.cy.layout(fcoseLayout(false)).run();
      this.fit();
    }
    return fresh;
  }

  /**
   * Adds the edges whose ends are both drawn and that are not drawn yet (links found after their nodes
   * were placed); nothing moves. Returns how many were added.
   */
  addEdges(edges: GraphEdge[]): number {
    let added = this.cy.collection();
    this.cy.batch(() => {
      added = this.cy.add(edges.filter((edge) => !this.has(edgeId(edge)) && this.has(edge.source) && this.has(edge.target)).map(edgeElement));
      this.applyFilters(added);
      // While a path is highlighted, what is not on it stays faded.
      if (this.cy.edges('.on-path').nonempty()) added.addClass('faded');
    });
    return added.length;
  }

  /** IDs of every node drawn. */
  nodeIds(): string[] {
    return this.cy.nodes().map((node) => node.id());
  }

  select(id: string): void {
    this.cy.elements().unselect();
    this.cy.getElementById(id).select();
  }

  /** Makes `id` the focus (the paper or author whose details are shown). */
  setFocus(id: string): void {
    this.cy.nodes('.focus').removeClass('focus');
    this.cy.getElementById(id).addClass('focus');
  }

  /** Fits the graph to the view, without zooming a small graph in so far that its labels crowd. */
  fit(): void {
    this.cy.fit(this.cy.elements(':visible'), 40);
    if (this.cy.zoom() > maxFitZoom) {
      this.cy.zoom(maxFitZoom);
      this.cy.center();
    }
  }

  // -------------------------------------------------------------------------------------------------
  // Encoding: size and colour of papers.

  setEncoding(sizeBy: SizeBy, colourBy: ColourBy): void {
    this.sizeBy = sizeBy;
    this.colourBy = colourBy;
    this.sizeReference = 1;
    this.cy.batch(() => this.encode());
  }

  /** What the colours and sizes mean now, for the legend. */
  legend(): Legend {
    const papers = this.cy.nodes('[kind = "PAPER"][!stub]');
    const years = papers.map((node) => node.data('year') as number | null).filter((year): year is number => typeof year === 'number');
    return {
      colourBy: this.colourBy,
      sizeBy: this.sizeBy,
      years: years.length > 0 ? { from: Math.min(...years), to: Math.max(...years), ramp: yearRamp } : null,
      communities: this.communityColours().map(([id, entry]) => ({ id, label: entry.label, colour: entry.colour, papers: entry.papers })),
    };
  }

  /**
   * Size (0 to 1) and colour of every paper, from the encoding chosen: sizes on a log scale up to the
   * largest drawn. Only nodes whose values change are touched: every change restyles its node and
   * edges, and restyling a whole 500-node map on each expansion blocked the page for hundreds of ms.
   */
  private encode(): void {
    const papers = this.cy.nodes('[kind = "PAPER"]');
    const measure = (node: cytoscape.NodeSingular): number => {
      const value = node.data(this.sizeBy === 'citations' ? 'citations' : this.sizeBy === 'openalex' ? 'openalexCitations' : 'influence') as
        | number
        | null
        | undefined;
      return typeof value === 'number' && value > 0 ? value : 0;
    };
    let largest = 0;
    let from = Infinity;
    let to = -Infinity;
    papers.forEach((node) => {
      largest = Math.max(largest, measure(node));
      const year = node.data('year') as number | null;
      if (typeof year === 'number') {
        from = Math.min(from, year);
        to = Math.max(to, year);
      }
    });
    if (largest > this.sizeReference) this.sizeReference = this.sizeBy === 'influence' ? 100 : Math.max(largest, Math.ceil(largest * 1.5));
    const reference = this.sizeReference;
    const communities = this.colourBy === 'community' ? new Map(this.communityColours()) : new Map();
    papers.forEach((node) => {
      const value = measure(node);
      const size = Math.min(1, Math.max(0, this.sizeBy === 'influence' ? value / 100 : Math.log1p(value) / Math.log1p(reference)));
      let colour = colours.paper;
      if (this.colourBy === 'year') {
        const year = node.data('year') as number | null;
        colour = typeof year === 'number' ? ramp(yearRamp, to === from ? 1 : (year - from) / (to - from)) : colours.unknown;
      } else if (this.colourBy === 'community') {
        const community = node.data('communityId') as string | null;
        colour = (community && communities.get(community)?.colour) || colours.unknown;
      }
      if (Math.abs((node.data('size') as number) - size) > 0.01 || node.data('colour') !== colour) node.data({ size, colour });
    });
  }

  /** Communities drawn, largest first, with their colours. */
  private communityColours(): [string, { label: string; colour: string; papers: number }][] {
    const counts = new Map<string, { label: string; papers: number }>();
    this.cy.nodes('[kind = "PAPER"]').forEach((node) => {
      const id = node.data('communityId') as string | null;
      if (!id) return;
      const entry = counts.get(id) ?? { label: (node.data('communityLabel') as string | null) ?? `Community ${counts.size + 1}`, papers: 0 };
      entry.papers += 1;
      counts.set(id, entry);
    });
    return [...counts.entries()]
      .sort((a, b) => b[1].papers - a[1].papers || a[0].localeCompare(b[0]))
      .map(([id, entry], index) => [id, { ...entry, colour: communityPalette[index] ?? colours.unknown }]);
  }

  // -------------------------------------------------------------------------------------------------
  // Control: filters, hiding, undo.

  setFilters(filters: Filters): void {
    this.filters = filters;
    this.cy.batch(() => this.applyFilters());
  }

  /** Filters `elements` (all by default); a class is changed only where it must be, as each change restyles. */
  private applyFilters(elements: cytoscape.CollectionReturnValue = this.cy.elements()): void {
    const { fromYear, toYear, types } = this.filters;
    elements.nodes().forEach((node) => {
      const year = node.data('year') as number | null | undefined;
      const outside =
        node.data('kind') === 'PAPER' && typeof year === 'number' && ((fromYear !== null && year < fromYear) || (toYear !== null && year > toYear));
      const filtered = outside && !node.hasClass('focus');
      if (filtered !== node.hasClass('filtered')) node.toggleClass('filtered', filtered);
    });
    elements.edges().forEach((edge) => {
      const filtered = !types.has(edge.data('type') as string);
      if (filtered !== edge.hasClass('filtered')) edge.toggleClass('filtered', filtered);
    });
  }

  /** Takes a node (and its edges) off the map; undo brings it back. The last node stays. */
  hide(id: string, op?: string): boolean {
    const node = this.cy.getElementById(id);
    if (node.empty() || this.cy.nodes().length === 1) return false;
    const removed = node.union(node.connectedEdges()).remove();
    this.undoSteps.push({ kind: 'hidden', elements: removed, op });
    return true;
  }

  /** Keeps only the path's nodes and edges on the map; undo brings the rest back. */
  showOnly(path: Path, op?: string): void {
    const keep = this.cy.collection();
    for (const node of path.nodes) keep.merge(this.cy.getElementById(node.id));
    for (const edge of path.edges) keep.merge(this.cy.getElementById(edgeId(edge)));
    const removed = this.cy.elements().not(keep).remove();
    this.undoSteps.push({ kind: 'hidden', elements: removed, op });
    this.fit();
  }

  get canUndo(): boolean {
    return this.undoSteps.length > 0;
  }

  /** Undoes the last expansion or hiding; returns what it did, in words, or null when there is nothing to undo. */
  undo(): string | null {
    const step = this.undoSteps.pop();
    if (!step) return null;
    if (step.kind === 'hidden') {
      step.elements.restore();
      this.cy.batch(() => {
        this.encode();
        this.applyFilters();
      });
      return `Brought back ${plural(step.elements.nodes().length, 'node')}.`;
    }
    this.cy.batch(() => {
      for (const id of step.ids) this.cy.getElementById(id).remove();
      this.cy.getElementById(step.expanded).removeClass('expanded');
      this.encode();
    });
    step.onUndo?.();
    return `Took back ${plural(step.ids.length, 'node')}.`;
  }

  // -------------------------------------------------------------------------------------------------
  // Path mode

  /** Marks the nodes picked as the ends of a path (before the path is known). */
  markPicked(ids: string[]): void {
    this.cy.nodes().removeClass('picked');
    for (const id of ids) this.cy.getElementById(id).addClass('picked');
  }

  /** Adds the path's nodes and edges if missing, highlights them and fades the rest. Returns the IDs of the nodes added. */
  highlightPath(path: Path, op?: string): string[] {
    const first = path.nodes[0];
    const expanded = first ? this.cy.getElementById(first.id).hasClass('expanded') : false;
    const fresh = this.add(path, first ? first.id : '', op);
    if (fresh.length > 0) this.fit();
    // Drawing a path does not expand its first node.
    if (first && !expanded) this.cy.getElementById(first.id).removeClass('expanded');
    this.clearPath();
    const onPath = this.cy.collection();
    for (const node of path.nodes) onPath.merge(this.cy.getElementById(node.id));
    for (const edge of path.edges) onPath.merge(this.cy.getElementById(edgeId(edge)));
    this.cy.batch(() => {
      this.cy.elements().not(onPath).addClass('faded');
      onPath.addClass('on-path');
    });
    return fresh;
  }

  clearPath(): void {
    this.cy.elements().removeClass('on-path faded picked');
  }

  // -------------------------------------------------------------------------------------------------

  private markExpanded(id: string): void {
    const node = this.cy.getElementById(id);
    if (!node.hasClass('expanded')) node.addClass('expanded');
  }

  /** Adds the nodes not drawn yet (placed in rings around `origin`, facing away from the rest of the map) and the edges between drawn nodes. */
  private addElements(graph: Subgraph, origin?: cytoscape.Position): string[] {
    const fresh = graph.nodes.filter((node) => !this.has(node.id));
    const positions =
      origin && fresh.length > 0
        ? ringPositions(
            origin,
            this.awayFrom(origin),
            fresh.length,
            this.cy.nodes().map((node) => node.position()),
          )
        : [];
    fresh.forEach((node, index) => {
      this.cy.add({ group: 'nodes', data: nodeData(node), position: positions[index] });
    });
    for (const edge of graph.edges) {
      if (this.has(edgeId(edge)) || !this.has(edge.source) || !this.has(edge.target)) continue;
      this.cy.add(edgeElement(edge));
    }
    return fresh.map((node) => node.id);
  }

  /** The direction from the middle of the map to `origin`: new nodes grow outwards. */
  private awayFrom(origin: cytoscape.Position): number {
    const nodes = this.cy.nodes();
    if (nodes.length < 2) return 0;
    let x = 0;
    let y = 0;
    nodes.forEach((node) => {
      x += node.position('x');
      y += node.position('y');
    });
    const dx = origin.x - x / nodes.length;
    const dy = origin.y - y / nodes.length;
    return dx === 0 && dy === 0 ? 0 : Math.atan2(dy, dx);
  }
}

/**
 * Positions for `count` nodes in rings around `origin`, on free spots only (none within a node's room of
 * a drawn node), the spots facing `direction` (away from the map) first: new nodes sit next to their
 * parent without covering what is drawn.
 */
function ringPositions(origin: cytoscape.Position, direction: number, count: number, taken: cytoscape.Position[]): cytoscape.Position[] {
  const cell = ringSpacing;
  const grid = new Map<string, cytoscape.Position[]>();
  const key = (x: number, y: number) => `${Math.floor(x / cell)}:${Math.floor(y / cell)}`;
  const occupy = (position: cytoscape.Position) => {
    const at = key(position.x, position.y);
    grid.set(at, [...(grid.get(at) ?? []), position]);
  };
  const free = (position: cytoscape.Position) => {
    const [cx, cy] = [Math.floor(position.x / cell), Math.floor(position.y / cell)];
    for (let dx = -1; dx <= 1; dx += 1) {
      for (let dy = -1; dy <= 1; dy += 1) {
        for (const other of grid.get(`${cx + dx}:${cy + dy}`) ?? []) {
          if (Math.hypot(other.x - position.x, other.y - position.y) < cell * 0.9) return false;
        }
      }
    }
    return true;
  };
  taken.forEach(occupy);
  const positions: cytoscape.Position[] = [];
  for (let ring = 1; positions.length < count && ring < 200; ring += 1) {
    const radius = ringGap * ring;
    const slots = Math.max(6, Math.floor((2 * Math.PI * radius) / ringSpacing));
    // Slots by their angle from `direction`: 0, +1, -1, +2, -2, …
    for (let step = 0; step < slots && positions.length < count; step += 1) {
      const offset = step % 2 === 0 ? step / 2 : -(step + 1) / 2;
      const angle = direction + (2 * Math.PI * offset) / slots;
      const position = { x: origin.x + radius * Math.cos(angle), y: origin.y + radius * Math.sin(angle) };
      if (!free(position)) continue;
      occupy(position);
      positions.push(position);
    }
  }
  return positions;
}

function fcoseLayout(randomize: boolean): cytoscape.LayoutOptions {
  return {
    name: 'fcose',
    quality: 'default',
    randomize,
    animate: false,
    fit: false,
    nodeDimensionsIncludeLabels: false,
    idealEdgeLength: () => 80,
    nodeRepulsion: () => 8000,
    packComponents: true,
  } as cytoscape.LayoutOptions;
}

function ramp(stops: string[], t: number): string {
  const at = Math.min(1, Math.max(0, t)) * (stops.length - 1);
  const low = Math.floor(at);
  const high = Math.min(stops.length - 1, low + 1);
  const mix = at - low;
  const rgb = (hex: string) => [1, 3, 5].map((offset) => parseInt(hex.slice(offset, offset + 2), 16));
  const [a, b] = [rgb(stops[low]!), rgb(stops[high]!)];
  return `#${a
    .map((value, index) =>
      Math.round(value + (b[index]! - value) * mix)
        .toString(16)
        .padStart(2, '0'),
    )
    .join('')}`;
}

function nodeData(node: GraphNode) {
  const label = texToText(node.label);
  const short = shorten(label, 48);
  return {
    id: node.id,
    kind: node.kind,
    label,
    short: node.stub ? `${short} (cited work)` : short,
    distance: node.distance,
    stub: node.stub === true,
    paperKind: node.paperKind ?? null,
    year: node.year ?? null,
    citations: node.citations ?? null,
    openalexCitations: node.openalexCitations ?? null,
    influence: node.influence ?? null,
    communityId: node.community?.id ?? null,
    communityLabel: node.community?.label ?? null,
    authors: node.authors ?? null,
    size: 0,
    colour: colours.paper,
  };
}

function edgeElement(edge: GraphEdge): cytoscape.ElementDefinition {
  return { group: 'edges', data: { id: edgeId(edge), ...edge, caption: (edgeCaptions[edge.type] ?? (() => edge.type.toLowerCase()))(edge.weight) } };
}

export function edgeId(edge: GraphEdge): string {
  return `${edge.type}:${edge.source}->${edge.target}`;
}

function shorten(text: string, length: number): string {
  return text.length <= length ? text : `${text.slice(0, length - 1).trimEnd()}…`;
}

const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`;
