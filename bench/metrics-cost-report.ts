// The figures of the /metrics cost bench (bench/metrics-cost.ts) and how RESULTS.md shows them:
// each server's CPU per request with its quartiles and every round, the ratios between servers
// with their spread, and the in-process figures beside their baselines.
import type { ObserveCost } from './metrics-observe';
import { median, pairedRatios, spread, type Spread } from './stats';
import type { SignedRequest } from './webhook-fixtures';

export type SideName = 'on' | 'defaults' | 'off' | 'control';

export const SIDE_LABELS: Readonly<Record<SideName, string>> = {
  on: 'metrics on',
  defaults: "metrics off, prom-client's default metrics running",
  off: 'metrics off (METRICS_ENABLED=false)',
  control: 'metrics off, a second server (control)',
};

export const SIDE_NAMES: readonly SideName[] = ['on', 'defaults', 'off', 'control'];

export interface CostShape {
  title: string;
  connections: number;
  requests: readonly SignedRequest[];
}

export interface SideFigures {
  /** CPU µs per request, one per round, in order. */
  cpu: number[];
  p99: number[];
}

/** What the metrics-on servers counted between their two scrapes. */
export interface Counted {
  sent: number;
  webhooks: number;
  commits: number;
  /** Sample lines of a scrape: nothing a request carried became a label. */
  series: number;
}

export interface ShapeRun {
  shape: CostShape;
  sides: Record<SideName, SideFigures>;
  counted: Counted;
  /** Sessions run again, and why. */
  notes: string[];
}

export interface Design {
  sessions: number;
  roundsPerSession: number;
  requestsPerRound: number;
  warmup: number;
}

export function emptySides(): Record<SideName, SideFigures> {
  return { on: { cpu: [], p99: [] }, defaults: { cpu: [], p99: [] }, off: { cpu: [], p99: [] }, control: { cpu: [], p99: [] } };
}

export const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const percent = (ratio: number) => `${ratio >= 1 ? '+' : '−'}${fmt(Math.abs(ratio - 1) * 100, 1)} %`;
const share = (part: number, whole: number) => `${fmt((part / whole) * 100, 2)} %`;

/** A side's row: median and quartiles of its rounds, the rounds themselves session by session. */
function sideRow(label: string, side: SideFigures, design: Design): string {
  const cpu = spread(side.cpu);
  const sessions = Array.from({ length: design.sessions }, (_, i) => side.cpu.slice(i * design.roundsPerSession, (i + 1) * design.roundsPerSession));
  const rounds = sessions.map((session) => session.map((v) => fmt(v)).join(', ')).join(' · ');
  return `| ${label} | **${fmt(cpu.median)}** (${fmt(cpu.q1)}–${fmt(cpu.q3)}) | ${rounds} | ${fmt(median(side.p99))} |`;
}

function ratioLine(ratios: Spread, rounds: number): string {
  return `median **${percent(ratios.median)}**, middle half of the rounds ${percent(ratios.q1)} to ${percent(ratios.q3)}, all ${rounds} rounds ${percent(ratios.min)} to ${percent(ratios.max)}`;
}

export function metricsCostReport(runs: readonly ShapeRun[], observe: ObserveCost, design: Design): string[] {
  const observeNs = observe.observeNs - observe.observeBaselineNs;
  const commitNs = observe.commitNs - observe.commitBaselineNs;
  const rounds = design.sessions * design.roundsPerSession;
  const lines = [
    `Four servers with the config menu: metrics on (METRICS_TOKEN set); metrics off (METRICS_ENABLED=false) but prom-client's default metrics running in the process as createMetrics starts them (bench/targets/default-metrics-only.ts); metrics off; and metrics off again, a control. Per load, ${design.sessions} sessions, each with four fresh servers (started in a different order each time) warmed up with ${fmt(design.warmup)} requests, a health check (GET /healthz, as from a load balancer: a server's first request that is not a webhook makes its later webhooks cost a few per cent more, so all four get one; the metrics-on server also its first scrape) and ${fmt(design.warmup)} requests more, then ${design.roundsPerSession} rounds of ${fmt(design.requestsPerRound)} requests per server; in each round the four take the load back to back, and who goes first moves on every round. Server CPU per request is the time its threads spent on a CPU over the round (/proc/<pid>/task/*/schedstat, to the ns, not to the 10 ms clock tick) ÷ requests. A ratio is taken within each round (the servers shared the machine's moment), then its median and quartiles over the ${rounds} rounds. Control ÷ off is what two identical servers differ by in the same run: the bench's own error.`,
    '',
    'In process (in the bench process, before the servers start), each figure beside its baseline measured with it:',
    '',
    `- the observer a request's \`close\` calls (route lookup, duration histogram, outcome counter; src/metrics/http.ts): ${fmt(observe.observeNs, 1)} ns per call, the same loop with an observer that does nothing ${fmt(observe.observeBaselineNs, 1)} ns: **${fmt(observeNs, 1)} ns** per webhook (median of ${observe.batches} loops of ${fmt(observe.iterations)} calls)`,
    `- timing a group commit (two clock reads, the commit histogram): ${fmt(observe.commitNs, 1)} ns per commit, the loop without ${fmt(observe.commitBaselineNs, 1)} ns: **${fmt(commitNs, 1)} ns** per commit`,
  ];
  for (const run of runs) {
    const { counted, sides } = run;
    const offCpu = median(sides.off.cpu);
    const commitsPerWebhook = counted.commits / counted.webhooks;
    const ownNs = observeNs + commitsPerWebhook * commitNs;
    const ratio = (a: SideName, b: SideName) => ratioLine(spread(pairedRatios(sides[a].cpu, sides[b].cpu)), rounds);
    lines.push(
      '',
      `#### ${run.shape.title}`,
      '',
      '| server | CPU µs per request: median (quartiles) | rounds (µs), in order, sessions apart | p99 ms (median round) |',
      '| --- | ---: | --- | ---: |',
      ...SIDE_NAMES.map((name) => sideRow(SIDE_LABELS[name], sides[name], design)),
      '',
      `- **metrics on ÷ off**, per round: ${ratio('on', 'off')} (target < 5 %)`,
      `- of which prom-client's default metrics, defaults ÷ off: ${ratio('defaults', 'off')}`,
      `- and Switchboard's own counting, on ÷ defaults: ${ratio('on', 'defaults')}`,
      `- control ÷ off (two identical servers): ${ratio('control', 'off')}`,
      `- Switchboard's own counting in process: **${fmt(ownNs, 1)} ns** per webhook = observer ${fmt(observeNs, 1)} ns + commit timing ${fmt(commitNs, 1)} ns × ${fmt(commitsPerWebhook, 4)} commits per webhook: **${share(ownNs / 1000, offCpu)}** of the ${fmt(offCpu)} µs a webhook costs with metrics off`,
      ...run.notes.map((note) => `- ${note}`),
      `- /metrics counted ${fmt(counted.webhooks)} webhooks of the ${fmt(counted.sent)} sent to the metrics-on servers between their two scrapes, and ${fmt(counted.commits)} group commits; no scrape had more than ${fmt(counted.series)} series lines`,
    );
  }
  return lines;
}
