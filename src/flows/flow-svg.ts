import { html, type SafeHtml } from '../dashboard/html';
import { BOX_PAD_X, BOX_PAD_Y, LINE_PX, type FlowLayout, type PlacedEdge, type PlacedNode } from './flow-layout';

/**
 * The diagram's styles. The dashboard serves them in its stylesheet (its CSP allows no inline
 * style); a standalone SVG file carries them in its own `<style>`. Text is monospace because the
 * layout sized the boxes for it (flow-layout.ts).
 */
export const FLOW_SVG_CSS = `
svg.flow { font-family: "DejaVu Sans Mono", "Liberation Mono", ui-monospace, monospace; background: #fff; }
svg.flow .flow-node rect { fill: #f6f8fa; stroke: #57606a; stroke-width: 1.2; }
svg.flow .flow-node.start rect { fill: #e8f0fe; stroke: #0b57d0; stroke-width: 2.5; }
svg.flow .flow-node.unreachable rect { fill: #fff5f5; stroke: #a4161a; stroke-dasharray: 6 4; }
svg.flow .flow-node text { font-size: 12px; fill: #1b1f24; }
svg.flow .flow-node .flow-name { font-weight: 700; }
svg.flow .flow-node .flow-tag { fill: #4a5360; }
svg.flow .flow-node.unreachable .flow-tag { fill: #a4161a; }
svg.flow a:focus-visible rect, svg.flow a:hover rect { stroke: #1b1f24; stroke-width: 3; }
svg.flow .flow-edge path { fill: none; stroke: #57606a; stroke-width: 1.2; }
svg.flow .flow-arrowhead { fill: #57606a; }
svg.flow .flow-edge rect { fill: #fff; }
svg.flow .flow-edge text { font-size: 11px; fill: #4a5360; }
`;

export interface FlowSvgOptions {
  /** A file of its own: the XML declaration and the styles inside. */
  standalone: boolean;
  /** Each box links here; no links when absent (a file has no dashboard to link to). */
  nodeHref?: (name: string) => string;
  /** Id of the title element; unique on its page. */
  titleId?: string;
}

/** The laid-out flow as SVG markup, every text escaped. */
export function renderFlowSvg(layout: FlowLayout, options: FlowSvgOptions): string {
  const titleId = options.titleId ?? 'flow-title';
  const unreachable = layout.nodes.filter((node) => !node.reachable).length;
  const start = layout.nodes.find((node) => node.start)?.name ?? '';
  const title = `Voice flow: ${layout.nodes.length} nodes and ${layout.edges.length} exits, starting at ${start}${
    unreachable > 0 ? `; ${unreachable} unreachable` : ''
  }`;
  const svg = html`<svg xmlns="http://www.w3.org/2000/svg" class="flow" width="${layout.width}" height="${layout.height}" viewBox="0 0 ${layout.width} ${layout.height}" aria-labelledby="${titleId}">
<title id="${titleId}">${title}</title>
${options.standalone && html`<style>${FLOW_SVG_CSS}</style>\n`}<defs><marker id="${titleId}-arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="8" markerHeight="8" orient="auto-start-reverse"><path class="flow-arrowhead" d="M0,0 L10,5 L0,10 z"/></marker></defs>
<g class="flow-edges">
${layout.edges.map((edge) => edgeMarkup(edge, `${titleId}-arrow`))}</g>
<g class="flow-nodes">
${layout.nodes.map((node) => nodeMarkup(node, options.nodeHref))}</g>
</svg>`;
  return options.standalone ? `<?xml version="1.0" encoding="UTF-8"?>\n${svg.value}\n` : svg.value;
}

function edgeMarkup(edge: PlacedEdge, arrowId: string): SafeHtml {
  const d = edge.points.map((p, i) => `${i === 0 ? 'M' : 'L'}${p.x},${p.y}`).join(' ');
  const box = edge.labelBox;
  return html`<g class="flow-edge" data-from="${edge.from}" data-to="${edge.to}"><path d="${d}" marker-end="url(#${arrowId})"/><rect x="${box.x}" y="${box.y}" width="${box.width}" height="${box.height}"/><text x="${box.x + box.width / 2}" y="${box.y + box.height / 2}" text-anchor="middle" dominant-baseline="central">${edge.label}</text></g>\n`;
}

function nodeMarkup(node: PlacedNode, href: ((name: string) => string) | undefined): SafeHtml {
  const classes = ['flow-node', node.start && 'start', !node.reachable && 'unreachable'].filter(Boolean).join(' ');
  const line = (n: number) => node.y + BOX_PAD_Y + LINE_PX * n + LINE_PX / 2;
  const x = node.x + BOX_PAD_X;
  const box = html`<g class="${classes}" data-node="${node.name}"><rect x="${node.x}" y="${node.y}" width="${node.width}" height="${node.height}" rx="6"/><text class="flow-name" x="${x}" y="${line(0)}" dominant-baseline="central">${node.name}</text><text class="flow-tag" x="${x}" y="${line(1)}" dominant-baseline="central">${node.tag}</text><text class="flow-summary" x="${x}" y="${line(2)}" dominant-baseline="central">${node.summary}</text></g>`;
  if (href === undefined) return html`${box}\n`;
  return html`<a href="${href(node.name)}" aria-label="${node.name}, ${node.tag}: ${node.summary}">${box}</a>\n`;
}
