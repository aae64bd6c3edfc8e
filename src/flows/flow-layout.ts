import { graphlib, layout as dagreLayout, type EdgeLabel, type GraphLabel, type NodeLabel } from '@dagrejs/dagre';
import type { FlowGraph, FlowGraphEdge, FlowGraphNode } from './flow-graph';

export interface Point {
  readonly x: number;
  readonly y: number;
}

/** A node's box; x and y are its top-left corner. */
export interface PlacedNode extends FlowGraphNode {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
  /** The second line of the box: the type and the start/unreachable marks. */
  readonly tag: string;
}

export interface PlacedEdge extends FlowGraphEdge {
  readonly points: readonly Point[];
  /** The label's box, centred on the edge. */
  readonly labelBox: { readonly x: number; readonly y: number; readonly width: number; readonly height: number };
}

export interface FlowLayout {
  readonly width: number;
  readonly height: number;
  readonly rankdir: 'TB' | 'LR';
  readonly nodes: readonly PlacedNode[];
  readonly edges: readonly PlacedEdge[];
}

/**
 * Text is drawn in a monospace font, so a box's width follows from its longest line without a
 * font engine on the server: 12 px DejaVu Sans Mono / Liberation Mono advance 0.6 em (7.2 px); a
 * little more leaves room for fallback fonts.
 */
export const NODE_FONT_PX = 12;
export const EDGE_FONT_PX = 11;
const CHAR_EM = 0.62;
export const LINE_PX = 16;
export const BOX_PAD_X = 10;
export const BOX_PAD_Y = 8;
const NODE_LINES = 3;
const MIN_BOX_WIDTH = 110;
const LABEL_PAD_X = 4;
const MARGIN = 16;
/** The dashboard's content width: the rank direction is chosen to avoid scrolling sideways. */
export const FIT_WIDTH = 1160;

export function textWidth(text: string, fontPx: number): number {
  return Math.ceil([...text].length * fontPx * CHAR_EM);
}

export function nodeTag(node: Pick<FlowGraphNode, 'type' | 'start' | 'reachable'>): string {
  return [node.type, node.start && 'start', !node.reachable && 'unreachable'].filter(Boolean).join(' · ');
}

/**
 * Places the graph with dagre, both top-to-bottom and left-to-right, and keeps the one that fits
 * the page's width (the shorter of the two when both do); when neither fits, the narrower.
 */
export function layoutFlow(graph: FlowGraph, fitWidth = FIT_WIDTH): FlowLayout {
  return chooseLayout([place(graph, 'TB'), place(graph, 'LR')], fitWidth);
}

/** Of the candidate layouts, the shortest that fits `fitWidth`; when none fits, the narrowest. */
export function chooseLayout<T extends Pick<FlowLayout, 'width' | 'height'>>(candidates: readonly [T, ...T[]], fitWidth: number): T {
  const fits = candidates.filter((candidate) => candidate.width <= fitWidth);
  if (fits.length > 0) return fits.reduce((best, candidate) => (candidate.height < best.height ? candidate : best));
  return candidates.reduce((best, candidate) => (candidate.width < best.width ? candidate : best));
}

function boxSize(node: FlowGraphNode): { width: number; height: number } {
  const longest = Math.max(textWidth(node.name, NODE_FONT_PX), textWidth(nodeTag(node), NODE_FONT_PX), textWidth(node.summary, NODE_FONT_PX));
  return { width: Math.max(MIN_BOX_WIDTH, longest + 2 * BOX_PAD_X), height: NODE_LINES * LINE_PX + 2 * BOX_PAD_Y };
}

function place(graph: FlowGraph, rankdir: 'TB' | 'LR'): FlowLayout {
  // Nodes with no edge at all go in a row of their own below the drawing: dagre would rank them
  // beside the start, where the start's edges could pass under them and seem to connect them.
  const linked = new Set(graph.edges.flatMap((edge) => [edge.from, edge.to]));
  const isolated = (node: FlowGraphNode) => !node.start && !linked.has(node.name);
  const g = new graphlib.Graph<GraphLabel, NodeLabel, EdgeLabel>({ multigraph: true });
  g.setGraph({ rankdir, nodesep: 28, ranksep: 56, edgesep: 14, marginx: MARGIN, marginy: MARGIN });
  for (const node of graph.nodes) if (!isolated(node)) g.setNode(node.name, boxSize(node));
  for (const edge of graph.edges) {
    g.setEdge(edge.from, edge.to, { width: textWidth(edge.label, EDGE_FONT_PX) + 2 * LABEL_PAD_X, height: LINE_PX, labelpos: 'c' }, edge.field);
  }
  dagreLayout(g);
  const size = g.graph();
  let width = Math.ceil(size.width ?? 0);
  let height = Math.ceil(size.height ?? 0);
  let rowX = MARGIN;
  const rowY = height;
  const nodes = graph.nodes.map((node): PlacedNode => {
    if (isolated(node)) {
      const box = boxSize(node);
      const placed = { ...node, tag: nodeTag(node), x: rowX, y: rowY, ...box };
      rowX += box.width + MARGIN;
      width = Math.max(width, Math.ceil(rowX));
      height = Math.max(height, rowY + box.height + MARGIN);
      return placed;
    }
    const box = g.node(node.name);
    return { ...node, tag: nodeTag(node), x: round((box.x ?? 0) - box.width / 2), y: round((box.y ?? 0) - box.height / 2), width: box.width, height: box.height };
  });
  const edges = graph.edges.map((edge): PlacedEdge => {
    const label = g.edge({ v: edge.from, w: edge.to, name: edge.field });
    const [labelWidth, labelHeight] = [label.width ?? 0, label.height ?? 0];
    return {
      ...edge,
      points: (label.points ?? []).map((p: Point) => ({ x: round(p.x), y: round(p.y) })),
      labelBox: { x: round((label.x ?? 0) - labelWidth / 2), y: round((label.y ?? 0) - labelHeight / 2), width: labelWidth, height: labelHeight },
    };
  });
  return { width, height, rankdir, nodes, edges };
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}
