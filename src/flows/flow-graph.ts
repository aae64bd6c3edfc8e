import { nodeExits, type Day, type FlowNode, type HoursNode, type Settings, type Speech } from '../settings';

export interface FlowGraphNode {
  readonly name: string;
  readonly type: FlowNode['type'];
  /** One line: what the caller hears or where the call goes. */
  readonly summary: string;
  readonly start: boolean;
  /** False when no path from the start leads here: the node can never run. */
  readonly reachable: boolean;
}

export interface FlowGraphEdge {
  readonly from: string;
  readonly to: string;
  readonly label: string;
  /** The field that names `to`, unique per `from`: `options.1`. */
  readonly field: string;
}

export interface FlowGraph {
  readonly start: string;
  /** In the config file's order (inline nodes after the named ones), so drawings are stable. */
  readonly nodes: readonly FlowGraphNode[];
  readonly edges: readonly FlowGraphEdge[];
}

/** Summaries longer than this are cut, so that a box stays one readable line. */
export const SUMMARY_MAX = 48;

/** The voice flow as nodes and labelled edges, for drawing. */
export function flowGraph(voice: Settings['voice']): FlowGraph {
  const edges: FlowGraphEdge[] = [];
  for (const [from, node] of Object.entries(voice.nodes)) {
    for (const exit of nodeExits(node)) {
      // Compiled settings name every reference (inline nodes were given names by the loader).
      if (typeof exit.to === 'string') edges.push({ from, to: exit.to, label: exit.label, field: exit.field });
    }
  }
  const reachable = reachableFrom(voice.start, edges);
  const nodes = Object.entries(voice.nodes).map(([name, node]) => ({
    name,
    type: node.type,
    summary: shorten(nodeSummary(node), SUMMARY_MAX),
    start: name === voice.start,
    reachable: reachable.has(name),
  }));
  return { start: voice.start, nodes, edges };
}

function reachableFrom(start: string, edges: readonly FlowGraphEdge[]): Set<string> {
  const seen = new Set([start]);
  const queue = [start];
  for (let current = queue.shift(); current !== undefined; current = queue.shift()) {
    for (const edge of edges) {
      if (edge.from === current && !seen.has(edge.to)) {
        seen.add(edge.to);
        queue.push(edge.to);
      }
    }
  }
  return seen;
}

/** The node's one-line description, before shortening. */
export function nodeSummary(node: FlowNode): string {
  switch (node.type) {
    case 'menu':
      return speechText(node.prompt);
    case 'forward':
      return `to ${node.to}`;
    case 'ring':
      return `rings ${node.numbers.join(', ')}`;
    case 'client':
      return `rings ${node.identities.map((identity) => `client:${identity}`).join(', ')}`;
    case 'voicemail':
      return `records up to ${node.maxLength ?? 120} s${node.transcribe ? ', transcribed' : ''}`;
    case 'say':
      return speechText(node.message);
    case 'conference':
      return `room ${node.room}`;
    case 'redirect':
      return `${node.method ?? 'POST'} ${node.url}`;
    case 'hangup':
      return node.message === undefined ? 'hangs up' : speechText(node.message);
    case 'hours':
      return hoursSummary(node);
  }
}

function speechText(speech: Speech): string {
  return 'say' in speech ? `"${speech.say}"` : `plays ${speech.play}`;
}

const DAYS: readonly Day[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

/** `mon-thu 09:00-17:00; fri 09:00-12:00 13:00-16:00`: runs of days with the same periods are joined. */
export function hoursSummary(node: Pick<HoursNode, 'schedule'>): string {
  const runs: Array<{ first: Day; last: Day; periods: string }> = [];
  for (const day of DAYS) {
    const periods = (node.schedule[day] ?? []).join(' ');
    const run = runs[runs.length - 1];
    if (periods === '') continue;
    if (run !== undefined && run.periods === periods && DAYS.indexOf(run.last) === DAYS.indexOf(day) - 1) run.last = day;
    else runs.push({ first: day, last: day, periods });
  }
  if (runs.length === 0) return 'always closed';
  return runs.map((run) => `${run.first}${run.last === run.first ? '' : `-${run.last}`} ${run.periods}`).join('; ');
}

/** Cuts at a word boundary when one is near, and marks the cut. */
export function shorten(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat.length <= max) return flat;
  const cut = flat.slice(0, max - 1);
  const space = cut.lastIndexOf(' ');
  return `${space > max * 0.6 ? cut.slice(0, space) : cut}…`;
}
