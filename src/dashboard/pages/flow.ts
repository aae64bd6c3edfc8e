import type { FlowGraph } from '../../flows/flow-graph';
import { html, SafeHtml } from '../html';
import { BASE, layout } from '../layout';

export function flowNodeHref(name: string): string {
  return `${BASE}/flow/nodes/${encodeURIComponent(name)}`;
}

/** `/dashboard/flow`: the diagram (server-rendered SVG, escaped by flow-svg.ts), then the same graph as a table. */
export function flowPage(graph: FlowGraph, svg: string, cookieSession: boolean): string {
  const unreachable = graph.nodes.filter((node) => !node.reachable);
  const body = html`<p>The voice flow of the config file. Each box is a node; each arrow a way out of it. Open a node for the TwiML it answers with.</p>
${unreachable.length > 0 && html`<p class="error" role="status">Unreachable from the start (${graph.start}): ${unreachable.map((n) => n.name).join(', ')}.</p>`}
<figure class="flow-figure">${new SafeHtml(svg)}</figure>
<h2 id="flow-nodes">Nodes and their ways out</h2>
<table aria-labelledby="flow-nodes">
<thead><tr><th scope="col">Node</th><th scope="col">Type</th><th scope="col">Summary</th><th scope="col">Ways out</th></tr></thead>
<tbody>
${graph.nodes.map((node) => {
  const exits = graph.edges.filter((edge) => edge.from === node.name);
  return html`<tr><th scope="row"><a href="${flowNodeHref(node.name)}">${node.name}</a>${node.start && ' (start)'}${!node.reachable && ' (unreachable)'}</th><td>${node.type}</td><td>${node.summary}</td><td>${
    exits.length === 0 ? 'none: the call ends or leaves the flow' : html`<ul class="exits">${exits.map((edge) => html`<li>${edge.label} → <a href="${flowNodeHref(edge.to)}">${edge.to}</a></li>`)}</ul>`
  }</td></tr>\n`;
})}</tbody>
</table>`;
  return layout({ title: 'Voice flow', section: 'flow', cookieSession, wide: true }, body);
}
