/// <reference lib="dom" />
/**
 * The graph view: Cytoscape.js drawing papers and authors and the typed, directed edges among them.
 * It knows nothing of GraphQL or the panels; it draws what it is given and reports taps.
 */
import cytoscape from 'cytoscape';
import type { GraphEdge, GraphNode, NodeKind, Path, Subgraph } from './api.ts';

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
};

/**
 * Edge styles by relationship type, so a new type (CITES, when citations arrive) needs one entry here.
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
      'min-zoomed-font-size': 7,
      'border-width': 2,
      'border-color': '#ffffff',
    },
  },
  { selector: 'node[kind = "PAPER"]', style: { shape: 'round-rectangle', 'background-color': colours.paper, width: 28, height: 20 } },
  { selector: 'node[kind = "AUTHOR"]', style: { shape: 'ellipse', 'background-color': colours.author, width: 20, height: 20 } },
  // A paper known only as a cited work (its label is its OpenAlex id): greyed, so it does not pass for a paper with details.
  { selector: 'node[?stub]', style: { 'background-color': colours.stub, 'border-style': 'dashed', 'border-color': '#94a3b8', color: '#64748b' } },
  { selector: 'node.focus', style: { width: 40, height: 28, 'font-weight': 'bold', 'border-color': colours.text } },
  { selector: 'node[kind = "AUTHOR"].focus', style: { width: 30, height: 30 } },
  { selector: 'node.expanded', style: { 'border-color': '#1f2937', 'border-width': 2 } },
  {
    selector: 'edge',
    style: {
      'curve-style': 'bezier',
      'target-arrow-shape': 'triangle',
      'arrow-scale': 0.9,
      'line-color': '#94a3b8',
      'target-arrow-color': '#94a3b8',
      width: 1.5,
      opacity: 0.9,
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
  { selector: 'node.picked', style: { 'border-color': colours.path, 'border-width': 4, 'border-style': 'dashed' } },
  { selector: 'node.on-path', style: { 'border-color': colours.path, 'border-width': 4, 'border-style': 'solid', 'z-index': 10 } },
  {
    selector: 'edge.on-path',
    style: { 'line-color': colours.path, 'target-arrow-color': colours.path, 'line-style': 'solid', width: 5, opacity: 1, 'z-index': 10 },
  },
];

const maxFitZoom = 1.2;

const forceLayout: cytoscape.CoseLayoutOptions = {
  name: 'cose',
  animate: false,
  fit: false,
  nodeDimensionsIncludeLabels: true,
  idealEdgeLength: () => 70,
  nodeRepulsion: () => 9000,
};

export class GraphView {
  readonly cy: cytoscape.Core;

  constructor(container: HTMLElement, onNodeTap: (node: TappedNode) => void, announce: (text: string) => void = () => {}) {
    this.cy = cytoscape({
      container,
      style,
      minZoom: 0.15,
      maxZoom: 3,
      boxSelectionEnabled: false,
      selectionType: 'single',
    });
    this.cy.on('tap', 'node', (event) => {
      const data = (event.target as cytoscape.NodeSingular).data() as TappedNode;
      onNodeTap({ id: data.id, kind: data.kind, label: data.label });
    });
    // The keyboard reaches every node too: arrows move the selection in reading order (top to bottom,
    // left to right), Enter or Space does what a tap does.
    container.tabIndex = 0;
    container.setAttribute('role', 'application');
    container.setAttribute('aria-roledescription', 'graph');
    container.setAttribute('aria-label', 'Graph. Arrow keys move between nodes; Enter opens the selected node.');
    container.addEventListener('keydown', (event) => {
      const nodes = this.cy.nodes().toArray().sort((a, b) => a.position('y') - b.position('y') || a.position('x') - b.position('x'));
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
      announce(`${next.data('kind') === 'AUTHOR' ? 'Author' : next.data('stub') ? 'Paper known only as a cited work' : 'Paper'}: ${next.data('label') as string}`);
    });
  }

  get isEmpty(): boolean {
    return this.cy.nodes().empty();
  }

  has(id: string): boolean {
    return this.cy.getElementById(id).nonempty();
  }

  /**
   * Draws a new graph around `focusId`: in rings by distance when every edge touches the focus (a
   * paper's neighbourhood), force-directed otherwise (an author's co-author network).
   */
  replace(graph: Subgraph, focusId: string): void {
    this.cy.batch(() => {
      this.cy.elements().remove();
      this.addElements(graph);
      this.cy.getElementById(focusId).addClass('focus expanded');
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
      : { ...forceLayout, randomize: true };
    this.cy.layout(layout).run();
    this.fit();
    this.select(focusId);
  }

  /** Adds what is not drawn yet, starting new nodes next to `aroundId`, and lays the whole graph out again. Returns the number of new nodes. */
  add(graph: Subgraph, aroundId: string): number {
    const around = this.cy.getElementById(aroundId);
    const origin = around.nonempty() ? around.position() : { x: 0, y: 0 };
    let added = 0;
    this.cy.batch(() => {
      added = this.addElements(graph, origin);
    });
    this.cy.getElementById(aroundId).addClass('expanded');
    if (added > 0) {
      this.cy.layout({ ...forceLayout, randomize: false }).run();
      this.fit();
    }
    return added;
  }

  select(id: string): void {
    this.cy.elements().unselect();
    this.cy.getElementById(id).select();
  }

  /** Fits the graph to the view, without zooming a small graph in so far that its labels crowd. */
  fit(): void {
    this.cy.fit(undefined, 40);
    if (this.cy.zoom() > maxFitZoom) {
      this.cy.zoom(maxFitZoom);
      this.cy.center();
    }
  }

  /** Marks the nodes picked as the ends of a path (before the path is known). */
  markPicked(ids: string[]): void {
    this.cy.nodes().removeClass('picked');
    for (const id of ids) this.cy.getElementById(id).addClass('picked');
  }

  /** Adds the path's nodes and edges if missing, highlights them and fades the rest. */
  highlightPath(path: Path): void {
    const first = path.nodes[0];
    if (this.add(path, first ? first.id : '') > 0) this.fit();
    this.clearPath();
    const onPath = this.cy.collection();
    for (const node of path.nodes) onPath.merge(this.cy.getElementById(node.id));
    for (const edge of path.edges) onPath.merge(this.cy.getElementById(edgeId(edge)));
    this.cy.batch(() => {
      this.cy.elements().not(onPath).addClass('faded');
      onPath.addClass('on-path');
    });
  }

  clearPath(): void {
    this.cy.elements().removeClass('on-path faded picked');
  }

  private addElements(graph: Subgraph, origin?: cytoscape.Position): number {
    let added = 0;
    const fresh = graph.nodes.filter((node) => !this.has(node.id));
    fresh.forEach((node, index) => {
      // New nodes start on a small circle around the node they came from; the layout spreads them.
      const angle = (2 * Math.PI * index) / Math.max(fresh.length, 1);
      const position = origin ? { x: origin.x + 60 * Math.cos(angle), y: origin.y + 60 * Math.sin(angle) } : undefined;
      this.cy.add({ group: 'nodes', data: nodeData(node), position });
      added += 1;
    });
    for (const edge of graph.edges) {
      const id = edgeId(edge);
      if (this.has(id) || !this.has(edge.source) || !this.has(edge.target)) continue;
      this.cy.add({ group: 'edges', data: { id, ...edge, caption: (edgeCaptions[edge.type] ?? (() => edge.type.toLowerCase()))(edge.weight) } });
    }
    return added;
  }
}

function nodeData(node: GraphNode) {
  const short = shorten(node.label, 48);
  return { id: node.id, kind: node.kind, label: node.label, short: node.stub ? `${short} (cited work)` : short, distance: node.distance, stub: node.stub === true };
}

export function edgeId(edge: GraphEdge): string {
  return `${edge.type}:${edge.source}->${edge.target}`;
}

function shorten(text: string, length: number): string {
  return text.length <= length ? text : `${text.slice(0, length - 1).trimEnd()}…`;
}
