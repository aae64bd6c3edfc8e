// What counting costs a webhook (issue #16: "under 5 % of CPU per request"), end to end and in
// process, in the same run.
//
// End to end: four servers take the same loads in interleaved rounds; server CPU per request from
// /proc (schedstat: the clock tick's rounding is as large as some of the effects). Metrics on
// against metrics off is the cost. A server with metrics off but prom-client's default metrics
// running (bench/targets/default-metrics-only.ts) splits it: what those cost apart from
// Switchboard's own counting. A second server with metrics off, identical to the first, is a
// control: how far two identical servers land apart in this run is the bench's own error, a few
// per cent from round to round, as much as the target.
//
// In process: the observer a request's `close` calls and the group commit's timing, in loops of a
// million calls (bench/metrics-observe.ts), each as often per webhook as the metrics-on server
// counted it under the load, as a share of the CPU a webhook costs with metrics off.
import path from 'node:path';
import { cpuDuring, threadsCpuMicros } from './cpu';
import { startSwitchboard, type Target } from './harness';
import { observeCost } from './metrics-observe';
import { median, pairedRatios, spread, type Spread } from './stats';
import { VOICE_REQUEST, webhookBenchEnv, type SignedRequest } from './webhook-fixtures';
import { fire, pool, type Pool } from './webhooks';

/** Each session starts its own servers: a server that runs slow for its whole life (it happens) is one session's, not the result. */
const SESSIONS = 3;
const ROUNDS_PER_SESSION = 4;
const REQUESTS_PER_ROUND = 20_000;
const WARMUP = 5_000;
const METRICS_TOKEN = 'bench-metrics-token-0123456789';

/** New calls the "new calls" shape sends to one server (two warm-ups, then the rounds): no call repeats on a server. */
export const METRICS_COST_NEW_CALLS = 2 * WARMUP + ROUNDS_PER_SESSION * REQUESTS_PER_ROUND;

interface CostShape {
  title: string;
  connections: number;
  requests: readonly SignedRequest[];
}

type SideName = 'on' | 'defaults' | 'off' | 'control';

const SIDES: ReadonlyArray<{ name: SideName; label: string; env: Record<string, string>; script?: string }> = [
  { name: 'on', label: 'metrics on', env: { METRICS_TOKEN } },
  {
    name: 'defaults',
    label: "metrics off, prom-client's default metrics running",
    env: { METRICS_ENABLED: 'false' },
    script: path.join(__dirname, 'targets', 'default-metrics-only.js'),
  },
  { name: 'off', label: 'metrics off (METRICS_ENABLED=false)', env: { METRICS_ENABLED: 'false' } },
  { name: 'control', label: 'metrics off, a second server (control)', env: { METRICS_ENABLED: 'false' } },
];

interface SideFigures {
  /** CPU µs per request, one per round, in order. */
  cpu: number[];
  p99: number[];
}

/** What the metrics-on servers counted over a shape's rounds. */
interface Counted {
  sent: number;
  webhooks: number;
  commits: number;
  /** Sample lines of the last scrape: nothing a request carried became a label. */
  series: number;
}

interface ShapeRun {
  shape: CostShape;
  sides: Record<SideName, SideFigures>;
  counted: Counted;
}

function shapes(newCalls: readonly SignedRequest[]): CostShape[] {
  return [
    { title: 'new calls: POST /voice, 50 connections, every POST a new call (a new row)', connections: 50, requests: newCalls },
    { title: 'repeated call: POST /voice, 20 connections, the same signed request (its CallSid repeated)', connections: 20, requests: [VOICE_REQUEST] },
  ];
}

/** `items` turned left by `by`: who goes first moves on by one each time. */
function rotate<T>(items: readonly T[], by: number): T[] {
  const at = by % items.length;
  return [...items.slice(at), ...items.slice(0, at)];
}

/** The counters a scrape shows, summed over their labels. */
async function scrapeCounts(target: Target): Promise<Omit<Counted, 'sent'>> {
  const res = await fetch(`http://127.0.0.1:${target.port}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
  if (res.status !== 200) throw new Error(`/metrics answered ${res.status}`);
  const lines = (await res.text()).split('\n');
  const sum = (name: string) =>
    lines.filter((l) => l.startsWith(`${name}{`) || l.startsWith(`${name} `)).reduce((total, l) => total + Number(l.slice(l.lastIndexOf(' ') + 1)), 0);
  return {
    webhooks: sum('switchboard_webhooks_total'),
    commits: sum('switchboard_db_commit_duration_seconds_count'),
    series: lines.filter((l) => l !== '' && !l.startsWith('#')).length,
  };
}

const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const percent = (ratio: number) => `${ratio >= 1 ? '+' : '−'}${fmt(Math.abs(ratio - 1) * 100, 1)} %`;
const share = (part: number, whole: number) => `${fmt((part / whole) * 100, 2)} %`;

/** A side's row: median and quartiles of its rounds, the rounds themselves session by session. */
function sideRow(label: string, side: SideFigures): string {
  const cpu = spread(side.cpu);
  const sessions = Array.from({ length: SESSIONS }, (_, i) => side.cpu.slice(i * ROUNDS_PER_SESSION, (i + 1) * ROUNDS_PER_SESSION));
  const rounds = sessions.map((session) => session.map((v) => fmt(v)).join(', ')).join(' · ');
  return `| ${label} | **${fmt(cpu.median)}** (${fmt(cpu.q1)}–${fmt(cpu.q3)}) | ${rounds} | ${fmt(median(side.p99))} |`;
}

function ratioLine(ratios: Spread): string {
  return `median **${percent(ratios.median)}**, middle half of the rounds ${percent(ratios.q1)} to ${percent(ratios.q3)}, all ${SESSIONS * ROUNDS_PER_SESSION} rounds ${percent(ratios.min)} to ${percent(ratios.max)}`;
}

/**
 * Session `index` of one shape: four fresh servers, started in an order that moves on with
 * `index`, warmed up; then the rounds, in each of which the four take the load back to back, who
 * goes first moving on every round. The metrics-on server is scraped only between the two
 * warm-ups and after the last round: a scrape just before a round leaves work (the code it ran
 * compiled and collected) that the round would count, a few per cent of it.
 */
async function session(dir: string, run: ShapeRun, index: number, progress: (line: string) => void): Promise<void> {
  const targets = new Map<SideName, Target>();
  try {
    for (const side of rotate(SIDES, index)) targets.set(side.name, await startSwitchboard(dir, webhookBenchEnv(dir, side.env), side.script));
    const pools = new Map<SideName, Pool>(SIDES.map((side) => [side.name, pool(run.shape.requests)]));
    const load = (name: SideName, amount: number) => fire((targets.get(name) as Target).port, pools.get(name) as Pool, run.shape.connections, amount);
    const on = targets.get('on') as Target;
    for (const side of SIDES) await load(side.name, WARMUP);
    const before = await scrapeCounts(on);
    for (const side of SIDES) await load(side.name, WARMUP);
    for (let round = 0; round < ROUNDS_PER_SESSION; round++) {
      for (const side of rotate(SIDES, index + round)) {
        const target = targets.get(side.name) as Target;
        const { cpuMicros, result } = await cpuDuring(target.child.pid as number, () => load(side.name, REQUESTS_PER_ROUND), 100, threadsCpuMicros);
        if (result.non2xx > 0 || result.errors > 0) throw new Error(`webhooks failed: ${result.non2xx} non-2xx, ${result.errors} errors`);
        const perRequest = cpuMicros / result.requests.total;
        run.sides[side.name].cpu.push(perRequest);
        run.sides[side.name].p99.push(result.latency.p99);
        if (side.name === 'on') run.counted.sent += result.requests.total;
        progress(`  ${run.shape.title.slice(0, 13)} session ${index + 1} round ${round + 1}  ${side.name.padEnd(8)} ${fmt(perRequest).padStart(4)} µs/request`);
      }
    }
    const after = await scrapeCounts(on);
    // The second warm-up is inside the two scrapes: counted, and sent.
    run.counted.sent += WARMUP;
    run.counted.webhooks += after.webhooks - before.webhooks;
    run.counted.commits += after.commits - before.commits;
    run.counted.series = Math.max(run.counted.series, after.series);
  } finally {
    for (const target of targets.values()) await target.stop();
  }
}

export async function metricsCost(dir: string, newCalls: readonly SignedRequest[], progress: (line: string) => void = () => {}): Promise<string[]> {
  if (newCalls.length < METRICS_COST_NEW_CALLS) throw new Error(`${METRICS_COST_NEW_CALLS} new calls needed, ${newCalls.length} given`);
  // In process first, before the servers start: only this process runs it.
  const observe = await observeCost('/voice');
  const observeNs = observe.observeNs - observe.observeBaselineNs;
  const commitNs = observe.commitNs - observe.commitBaselineNs;

  const runs: ShapeRun[] = shapes(newCalls).map((shape) => ({
    shape,
    sides: { on: { cpu: [], p99: [] }, defaults: { cpu: [], p99: [] }, off: { cpu: [], p99: [] }, control: { cpu: [], p99: [] } },
    counted: { sent: 0, webhooks: 0, commits: 0, series: 0 },
  }));
  // The shapes take turns session by session, so that each meets the machine's busier moments.
  for (let i = 0; i < SESSIONS; i++) for (const run of runs) await session(dir, run, i, progress);

  const lines = [
    `Four servers with the config menu: metrics on (METRICS_TOKEN set); metrics off (METRICS_ENABLED=false) but prom-client's default metrics running in the process as createMetrics starts them (bench/targets/default-metrics-only.ts); metrics off; and metrics off again, a control. Per load, ${SESSIONS} sessions, each with four fresh servers (started in a different order each time) warmed up with 2 × ${fmt(WARMUP)} requests, then ${ROUNDS_PER_SESSION} rounds of ${fmt(REQUESTS_PER_ROUND)} requests per server; in each round the four take the load back to back, and who goes first moves on every round. Server CPU per request is the time its threads spent on a CPU over the round (/proc/<pid>/task/*/schedstat, to the ns, not to the 10 ms clock tick) ÷ requests. A ratio is taken within each round (the servers shared the machine's moment), then its median and quartiles over the ${SESSIONS * ROUNDS_PER_SESSION} rounds. Control ÷ off is what two identical servers differ by in the same run: the bench's own error.`,
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
    const ratio = (a: SideName, b: SideName) => ratioLine(spread(pairedRatios(sides[a].cpu, sides[b].cpu)));
    lines.push(
      '',
      `#### ${run.shape.title}`,
      '',
      '| server | CPU µs per request: median (quartiles) | rounds (µs), in order, sessions apart | p99 ms (median round) |',
      '| --- | ---: | --- | ---: |',
      ...SIDES.map((side) => sideRow(side.label, sides[side.name])),
      '',
      `- **metrics on ÷ off**, per round: ${ratio('on', 'off')} (target < 5 %)`,
      `- of which prom-client's default metrics, defaults ÷ off: ${ratio('defaults', 'off')}`,
      `- and Switchboard's own counting, on ÷ defaults: ${ratio('on', 'defaults')}`,
      `- control ÷ off (two identical servers): ${ratio('control', 'off')}`,
      `- Switchboard's own counting in process: **${fmt(ownNs, 1)} ns** per webhook = observer ${fmt(observeNs, 1)} ns + commit timing ${fmt(commitNs, 1)} ns × ${fmt(commitsPerWebhook, 4)} commits per webhook: **${share(ownNs / 1000, offCpu)}** of the ${fmt(offCpu)} µs a webhook costs with metrics off`,
      `- /metrics counted ${fmt(counted.webhooks)} webhooks of the ${fmt(counted.sent)} sent to the metrics-on servers between their two scrapes, and ${fmt(counted.commits)} group commits; no scrape had more than ${fmt(counted.series)} series lines`,
    );
  }
  return lines;
}
