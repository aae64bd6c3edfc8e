import type { FlowGraph, FlowGraphNode } from '../../flows/flow-graph';
import { html } from '../html';
import { BASE, layout } from '../layout';
import { time } from '../view';
import { flowNodeHref } from './flow';

export interface FlowNodeView {
  node: FlowGraphNode;
  /** The summary without shortening. */
  fullSummary: string;
  graph: FlowGraph;
  /** What `switchboard twiml <node>` prints, evaluated at `at`. */
  twiml: string;
  at: string;
  cookieSession: boolean;
}

/** `/dashboard/flow/nodes/:name`: one node, its ways in and out, and its TwiML. */
export function flowNodePage(view: FlowNodeView): string {
  const { node, graph } = view;
  const out = graph.edges.filter((edge) => edge.from === node.name);
  const into = graph.edges.filter((edge) => edge.to === node.name);
  const body = html`<p><a href="${BASE}/flow">← The whole flow</a></p>
<dl class="fields">
<dt>Node</dt><dd>${node.name}</dd>
<dt>Type</dt><dd>${node.type}${node.start && ' (the start of every call)'}</dd>
<dt>Summary</dt><dd>${view.fullSummary}</dd>
<dt>Reachable</dt><dd>${node.reachable ? 'yes' : html`<span class="status bad">no</span>: no way from the start leads here`}</dd>
</dl>
<h2>Ways out</h2>
${out.length === 0 ? html`<p>None: the call ends here or leaves the flow.</p>` : html`<ul>${out.map((e) => html`<li>${e.label} → <a href="${flowNodeHref(e.to)}">${e.to}</a></li>`)}</ul>`}
<h2>Ways in</h2>
${into.length === 0 ? html`<p>None${node.start ? ': calls start here' : ''}.</p>` : html`<ul>${into.map((e) => html`<li><a href="${flowNodeHref(e.from)}">${e.from}</a>: ${e.label}</li>`)}</ul>`}
<h2>TwiML</h2>
<p class="note">What <code>switchboard twiml ${node.name}</code> prints, at ${time(view.at)}${
    node.type === 'hours' && ': a business-hours node answers with the TwiML of the branch it takes at that moment'
  }.</p>
<pre class="twiml"><code>${view.twiml}</code></pre>
<h2>Calls</h2>
<p>The call history does not record which steps of the flow a call passed, so calls cannot be listed by node: see <a href="${BASE}">all calls</a>${
    node.type === 'voicemail' && html`, or the <a href="${BASE}/voicemails">voicemails</a> (those taken here are marked flow:${node.name})`
  }.</p>`;
  return layout({ title: `Flow node ${node.name}`, section: 'flow', cookieSession: view.cookieSession }, body);
}
