// What counting costs a webhook (issue #16: "under 5 % of CPU per request"), end to end and in
// process, in the same run; bench/metrics-cost-report.ts shows the figures.
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
import { emptySides, fmt, metricsCostReport, SIDE_LABELS, type CostShape, type Counted, type ShapeRun, type SideFigures, type SideName } from './metrics-cost-report';
import { observeCost } from './metrics-observe';
import { median } from './stats';
import { VOICE_REQUEST, webhookBenchEnv, type SignedRequest } from './webhook-fixtures';
import { fire, pool, type Pool } from './webhooks';

/** Each session starts its own servers, so that a server's lasting state is one session's, not the result's. */
const SESSIONS = 3;
const ROUNDS_PER_SESSION = 4;
const REQUESTS_PER_ROUND = 20_000;
const WARMUP = 5_000;
const METRICS_TOKEN = 'bench-metrics-token-0123456789';
/** A server this many times the others' CPU per request through a session is not measuring counting (see slowServer). */
const SLOW_SERVER = 1.4;
const MAX_RERUNS = 2;

/** New calls the "new calls" shape sends to one server (two warm-ups, then the rounds): no call repeats on a server. */
export const METRICS_COST_NEW_CALLS = 2 * WARMUP + ROUNDS_PER_SESSION * REQUESTS_PER_ROUND;

/** How each side's server is started; the order is the one sessions rotate. */
const SIDES: ReadonlyArray<{ name: SideName; env: Record<string, string>; script?: string }> = [
  { name: 'on', env: { METRICS_TOKEN } },
  { name: 'defaults', env: { METRICS_ENABLED: 'false' }, script: path.join(__dirname, 'targets', 'default-metrics-only.js') },
  { name: 'off', env: { METRICS_ENABLED: 'false' } },
  { name: 'control', env: { METRICS_ENABLED: 'false' } },
];

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

async function healthCheck(target: Target): Promise<void> {
  const res = await fetch(`http://127.0.0.1:${target.port}/healthz`);
  await res.text();
  if (res.status !== 200) throw new Error(`/healthz answered ${res.status}`);
}

interface SessionFigures {
  sides: Record<SideName, SideFigures>;
  counted: Counted;
}

/**
 * Session `index` of one shape: four fresh servers, started in an order that moves on with
 * `index`, warmed up; then the rounds, in each of which the four take the load back to back, who
 * goes first moving on every round. The metrics-on server is scraped only between the two
 * warm-ups and after the last round: a scrape just before a round leaves work (the code it ran
 * compiled, and the webhook code compiled again) that the round would count.
 */
async function session(dir: string, shape: CostShape, index: number, progress: (line: string) => void): Promise<SessionFigures> {
  const figures: SessionFigures = { sides: emptySides(), counted: { sent: 0, webhooks: 0, commits: 0, series: 0 } };
  const targets = new Map<SideName, Target>();
  try {
    for (const side of rotate(SIDES, index)) targets.set(side.name, await startSwitchboard(dir, webhookBenchEnv(dir, side.env), side.script));
    const pools = new Map<SideName, Pool>(SIDES.map((side) => [side.name, pool(shape.requests)]));
    const load = (name: SideName, amount: number) => fire((targets.get(name) as Target).port, pools.get(name) as Pool, shape.connections, amount);
    const on = targets.get('on') as Target;
    for (const side of SIDES) await load(side.name, WARMUP);
    // Every server gets a health check, as behind a load balancer, and the metrics-on one its
    // scrape as well. A server's first request that is not a webhook (a health check, a scrape,
    // a 401) leaves Node's HTTP code and the request log optimized for two kinds of request,
    // and every later webhook costs a few per cent more: the one server that met such a request
    // would carry that cost alone, and it is not the cost of counting.
    for (const target of targets.values()) await healthCheck(target);
    const before = await scrapeCounts(on);
    for (const side of SIDES) await load(side.name, WARMUP);
    for (let round = 0; round < ROUNDS_PER_SESSION; round++) {
      for (const side of rotate(SIDES, index + round)) {
        const target = targets.get(side.name) as Target;
        const { cpuMicros, result } = await cpuDuring(target.child.pid as number, () => load(side.name, REQUESTS_PER_ROUND), 100, threadsCpuMicros);
        if (result.non2xx > 0 || result.errors > 0) throw new Error(`webhooks failed: ${result.non2xx} non-2xx, ${result.errors} errors`);
        const perRequest = cpuMicros / result.requests.total;
        figures.sides[side.name].cpu.push(perRequest);
        figures.sides[side.name].p99.push(result.latency.p99);
        if (side.name === 'on') figures.counted.sent += result.requests.total;
        progress(`  ${shape.title.slice(0, 13)} session ${index + 1} round ${round + 1}  ${side.name.padEnd(8)} ${fmt(perRequest).padStart(4)} µs/request`);
      }
    }
    const after = await scrapeCounts(on);
    // The second warm-up is inside the two scrapes: counted, and sent.
    figures.counted.sent += WARMUP;
    figures.counted.webhooks = after.webhooks - before.webhooks;
    figures.counted.commits = after.commits - before.commits;
    figures.counted.series = after.series;
    return figures;
  } finally {
    for (const target of targets.values()) await target.stop();
  }
}

/**
 * The side, if any, whose server ran at least SLOW_SERVER times the others' CPU per request
 * through its whole session. Now and then a server process runs like that for its whole life
 * (Node's worker threads busy; seen with every configuration, metrics on or off): it says
 * nothing about counting, and it would move the medians of its session's every ratio.
 */
function slowServer(figures: SessionFigures): { side: SideName; times: number } | undefined {
  const medians = SIDES.map((side) => [side.name, median(figures.sides[side.name].cpu)] as const);
  for (const [name, value] of medians) {
    const others = median(medians.filter(([other]) => other !== name).map(([, v]) => v));
    if (value >= SLOW_SERVER * others) return { side: name, times: value / others };
  }
  return undefined;
}

/** Sessions of a shape, each run again (at most twice) when one of its servers ran slow for its whole life; each rerun reported. */
async function sessions(dir: string, run: ShapeRun, index: number, progress: (line: string) => void): Promise<void> {
  for (let attempt = 0; attempt <= MAX_RERUNS; attempt++) {
    const figures = await session(dir, run.shape, index, progress);
    const slow = slowServer(figures);
    const last = attempt === MAX_RERUNS;
    if (slow !== undefined) {
      run.notes.push(
        `session ${index + 1}: the server "${SIDE_LABELS[slow.side]}" ran at ${fmt(slow.times, 1)}× the others' CPU per request in every round (${figures.sides[slow.side].cpu.map((v) => fmt(v)).join(', ')} µs); ${last ? 'kept, after two reruns' : 'run again with fresh servers'}`,
      );
      if (!last) continue;
    }
    for (const side of SIDES) {
      run.sides[side.name].cpu.push(...figures.sides[side.name].cpu);
      run.sides[side.name].p99.push(...figures.sides[side.name].p99);
    }
    run.counted.sent += figures.counted.sent;
    run.counted.webhooks += figures.counted.webhooks;
    run.counted.commits += figures.counted.commits;
    run.counted.series = Math.max(run.counted.series, figures.counted.series);
    return;
  }
}

export async function metricsCost(dir: string, newCalls: readonly SignedRequest[], progress: (line: string) => void = () => {}): Promise<string[]> {
  if (newCalls.length < METRICS_COST_NEW_CALLS) throw new Error(`${METRICS_COST_NEW_CALLS} new calls needed, ${newCalls.length} given`);
  // In process first, before the servers start: only this process runs it.
  const observe = await observeCost('/voice');
  const runs: ShapeRun[] = shapes(newCalls).map((shape) => ({
    shape,
    sides: emptySides(),
    counted: { sent: 0, webhooks: 0, commits: 0, series: 0 },
    notes: [],
  }));
  // The shapes take turns session by session, so that each meets the machine's busier moments.
  for (let i = 0; i < SESSIONS; i++) for (const run of runs) await sessions(dir, run, i, progress);
  return metricsCostReport(runs, observe, { sessions: SESSIONS, roundsPerSession: ROUNDS_PER_SESSION, requestsPerRound: REQUESTS_PER_ROUND, warmup: WARMUP });
}
