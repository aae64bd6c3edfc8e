import type { Settings } from '../settings';
import { flowGraph, type FlowGraph } from './flow-graph';
import { layoutFlow, type FlowLayout } from './flow-layout';
import { renderFlowSvg, type FlowSvgOptions } from './flow-svg';

export interface FlowDiagram {
  graph: FlowGraph;
  layout: FlowLayout;
  svg: string;
}

/** The voice flow drawn: graph, layout and SVG, for the dashboard and `switchboard flow --svg`. */
export function flowDiagram(voice: Settings['voice'], options: FlowSvgOptions): FlowDiagram {
  const graph = flowGraph(voice);
  const layout = layoutFlow(graph);
  return { graph, layout, svg: renderFlowSvg(layout, options) };
}
