// Webhooks under two load shapes, each target's cost (server CPU per request, from /proc) beside
// its throughput and latency, every target measured in interleaved rounds of the same run.
import fs from 'node:fs';
import path from 'node:path';
import autocannon from 'autocannon';
import Database from 'better-sqlite3';
import { cpuDuring } from './cpu';
import { peakRss, SERVER_SCRIPT, startBaseline, startSwitchboard, type Target } from './harness';
import { median } from './stats';
import { BENCH_BASE_URL, BENCH_SETTINGS, BENCH_TOKEN, TWIMLET_REQUEST, uniqueRequests, VOICE_REQUEST, type SignedRequest } from './webhook-fixtures';

export type TargetName = 'bare' | 'bareBorn' | 'helper' | 'switchboard' | 'before';

/** Requests sent in turn; the cursor goes on from round to round, so a pool of new calls stays new. */
export interface Pool {
  requests: readonly SignedRequest[];
  next: number;
}

export interface Load {
  label: string;
  target: TargetName;
  pool: Pool;
  /** Whether this load is one of the three the ratios compare (bare, helper, Switchboard /voice). */
  kind?: 'ceiling' | 'helper' | 'voice' | 'before';
}

export interface Shape {
  title: string;
  /** What differs from the other shape, for the report. */
  description: string;
  connections: number;
  /** The document the baselines answer with: `say` (default greeting) or `menu` (the config's menu). */
  document: 'say' | 'menu';
  /** Switchboard's config file; none means its built-in defaults (the default greeting). */
  settings?: object;
  loads: Load[];
}

export interface Round {
  cpuPerRequest: number;
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
  requests: number;
}

export interface LoadFigures {
  load: Load;
  rounds: Round[];
  rssPeakMb: number;
}

export interface ShapeFigures {
  shape: Shape;
  loads: LoadFigures[];
  /** Rows in the calls table and 'request completed' log lines of Switchboard, after the shape. */
  check?: { calls: number; logLines: number; requests: number };
}

export interface WebhookOptions {
  requestsPerRound: number;
  warmupRequests: number;
  rounds: number;
  /** Another build's `dist/src/server.js`, measured beside this one as "before". */
  beforeScript?: string | undefined;
}

export function pool(requests: readonly SignedRequest[]): Pool {
  return { requests, next: 0 };
}

/**
 * autocannon notices that the last response of an `amount` has come only at its next sample, and
 * reports the duration up to then: with its default of one sample a second, a round's requests/s
 * came out as `amount` ÷ a whole number of seconds. A 20 ms sample bounds that error at 20 ms.
 */
const SAMPLE_MS = 20;

/** Sends exactly `amount` requests over `connections` connections, taking them from `source` in turn. */
export function fire(port: number, source: Pool, connections: number, amount: number): Promise<autocannon.Result> {
  const first = source.requests[0] as SignedRequest;
  const method = first.method ?? 'POST';
  const url = `http://127.0.0.1:${port}${first.path}`;
  if (method === 'GET') {
    return autocannon({ url, method, connections, amount, sampleInt: SAMPLE_MS, headers: { 'x-twilio-signature': first.signature } });
  }
  return autocannon({
    url,
    method,
    connections,
    amount,
    sampleInt: SAMPLE_MS,
    requests: [
      {
        setupRequest: (request) => {
          const signed = source.requests[source.next++ % source.requests.length] as SignedRequest;
          return {
            ...request,
            headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signed.signature },
            body: signed.body,
          };
        },
      },
    ],
  });
}

/**
 * The two shapes of issue #19. "repeated call": what the issue measured, a call's later webhooks
 * repeating its CallSid (so the row already exists), 20 connections, Switchboard on its default
 * greeting and the baselines answering the same one <Say>. "new calls": every POST a new call (a
 * new row), 50 connections (bigger group commits), the config's menu on all three.
 */
export function webhookShapes(requestsPerRound: number, rounds: number, before?: string): Shape[] {
  // Enough new calls for every round and the warm-up, so that no row is written twice.
  const fresh = uniqueRequests('voice', requestsPerRound * (rounds + 1) + 1000);
  const messages = uniqueRequests('sms', requestsPerRound * (rounds + 1) + 1000);
  const other = (requests: readonly SignedRequest[], label: string): Load[] =>
    before !== undefined ? [{ label: `${label}, ${before}`, target: 'before', pool: pool(requests), kind: 'before' }] : [];
  return [
    {
      title: 'repeated call: 20 connections, the same signed request every time',
      description:
        "A call's later webhooks repeat its CallSid, so its row is there already (INSERT … ON CONFLICT DO NOTHING still runs, in the group commit). Switchboard has no config file: it answers its default greeting, one <Say>; the ceiling sends that document as a fixed string and the helper builds one <Say> per request.",
      connections: 20,
      document: 'say',
      loads: [
        { label: 'bare Express 5, fixed <Say> (ceiling)', target: 'bare', pool: pool([VOICE_REQUEST]), kind: 'ceiling' },
        { label: 'bare Express 5, fixed <Say>, served by appServer (informative)', target: 'bareBorn', pool: pool([VOICE_REQUEST]) },
        { label: 'twilio helper: urlencoded + webhook() + VoiceResponse, one <Say>', target: 'helper', pool: pool([VOICE_REQUEST]), kind: 'helper' },
        { label: 'Switchboard POST /voice (signed, default greeting)', target: 'switchboard', pool: pool([VOICE_REQUEST]), kind: 'voice' },
        ...other([VOICE_REQUEST], 'Switchboard POST /voice'),
      ],
    },
    {
      title: 'new calls: 50 connections, every POST a new call',
      description:
        'Every POST is a new call or message, signed, so each one writes its row; 50 connections put more writes in each group commit. All three answer the config menu (greeting, <Gather> with a prompt, <Redirect>): the helper builds it per request, Switchboard renders it once.',
      connections: 50,
      document: 'menu',
      settings: BENCH_SETTINGS,
      loads: [
        { label: 'bare Express 5, fixed menu TwiML (ceiling)', target: 'bare', pool: pool(fresh), kind: 'ceiling' },
        { label: 'bare Express 5, fixed menu TwiML, served by appServer (informative)', target: 'bareBorn', pool: pool(fresh) },
        { label: 'twilio helper: webhook() + VoiceResponse, menu', target: 'helper', pool: pool(fresh), kind: 'helper' },
        { label: 'Switchboard POST /voice (signed, config menu)', target: 'switchboard', pool: pool(fresh), kind: 'voice' },
        ...other(fresh, 'Switchboard POST /voice'),
        { label: 'Switchboard POST /sms (signed, auto-reply)', target: 'switchboard', pool: pool(messages) },
        { label: 'Switchboard GET /twimlets/message (signed)', target: 'switchboard', pool: pool([TWIMLET_REQUEST]) },
      ],
    },
  ];
}

async function startTargets(shape: Shape, dir: string, beforeScript: string | undefined): Promise<Partial<Record<TargetName, Target>>> {
  fs.mkdirSync(dir, { recursive: true });
  const env: Record<string, string> = { TWILIO_AUTH_TOKEN: BENCH_TOKEN, PUBLIC_BASE_URL: BENCH_BASE_URL, LOG_LEVEL: 'info' };
  if (shape.settings !== undefined) {
    const settingsFile = path.join(dir, 'switchboard.config.json');
    fs.writeFileSync(settingsFile, JSON.stringify(shape.settings));
    env.CONFIG_PATH = settingsFile;
  }
  const needed = new Set(shape.loads.map((load) => load.target));
  const targets: Partial<Record<TargetName, Target>> = {};
  if (needed.has('bare')) targets.bare = await startBaseline('bare', [shape.document]);
  if (needed.has('bareBorn')) targets.bareBorn = await startBaseline('bare', [shape.document, 'born']);
  if (needed.has('helper')) targets.helper = await startBaseline('helper', [shape.document]);
  if (needed.has('switchboard')) targets.switchboard = await startSwitchboard(dir, env, SERVER_SCRIPT);
  if (needed.has('before') && beforeScript !== undefined) targets.before = await startSwitchboard(dir, env, beforeScript);
  return targets;
}

/** Rows in the calls table of a stopped server's database, and its 'request completed' lines. */
function behaviourCheck(target: Target): { calls: number; logLines: number } {
  const db = new Database(target.databaseFile as string, { readonly: true });
  try {
    const { n } = db.prepare('SELECT count(*) AS n FROM calls').get() as { n: number };
    const log = fs.readFileSync(target.logFile as string, 'utf8');
    let logLines = 0;
    for (let at = log.indexOf('"request completed"'); at !== -1; at = log.indexOf('"request completed"', at + 1)) logLines++;
    return { calls: n, logLines };
  } finally {
    db.close();
  }
}

/** Warms every load up, then runs `rounds` rounds in which the loads take turns. */
export async function measureShape(shape: Shape, dir: string, options: WebhookOptions, progress: (line: string) => void): Promise<ShapeFigures> {
  const targets = await startTargets(shape, dir, options.beforeScript);
  const loads = shape.loads.filter((load) => targets[load.target] !== undefined);
  const rounds = new Map<Load, Round[]>(loads.map((load) => [load, []]));
  try {
    for (const load of loads) await fire((targets[load.target] as Target).port, load.pool, shape.connections, options.warmupRequests);
    for (let round = 0; round < options.rounds; round++) {
      for (const load of loads) {
        const target = targets[load.target] as Target;
        const { cpuMicros, result } = await cpuDuring(target.child.pid as number, () =>
          fire(target.port, load.pool, shape.connections, options.requestsPerRound),
        );
        const requests = result.requests.total;
        const figures: Round = {
          cpuPerRequest: cpuMicros / requests,
          // autocannon's average is over whole-second samples, too coarse for rounds of a few seconds.
          rps: requests / result.duration,
          p50: result.latency.p50,
          p99: result.latency.p99,
          errors: result.errors + result.timeouts,
          non2xx: result.non2xx,
          requests,
        };
        rounds.get(load)?.push(figures);
        progress(
          `  round ${round + 1}  ${load.label.slice(0, 58).padEnd(58)} ${figures.cpuPerRequest.toFixed(0).padStart(5)} µs/req ${Math.round(figures.rps).toString().padStart(6)} req/s  p99 ${figures.p99} ms`,
        );
      }
    }
    const rss = new Map(Object.entries(targets).map(([name, target]) => [name, peakRss(target.child.pid)]));
    const figures: ShapeFigures = {
      shape,
      loads: loads.map((load) => ({ load, rounds: rounds.get(load) ?? [], rssPeakMb: rss.get(load.target) ?? 0 })),
    };
    const switchboard = targets.switchboard;
    await Promise.all(Object.values(targets).map((target) => target.stop()));
    if (switchboard !== undefined) {
      const sent = loads
        .filter((load) => load.target === 'switchboard')
        .reduce((sum, load) => sum + options.warmupRequests + (rounds.get(load) ?? []).reduce((s, r) => s + r.requests, 0), 0);
      figures.check = { ...behaviourCheck(switchboard), requests: sent };
    }
    return figures;
  } catch (err) {
    await Promise.all(Object.values(targets).map((target) => target.stop()));
    throw err;
  }
}

const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

/** The table of one shape: medians over rounds, CPU with its range. */
export function shapeTable(figures: ShapeFigures): string[] {
  const lines = [
    '| target | server CPU µs/request, median (range) | requests/s | p50 ms | p99 ms | errors | non-2xx | RSS peak MB |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const { load, rounds, rssPeakMb } of figures.loads) {
    const cpu = rounds.map((r) => r.cpuPerRequest);
    lines.push(
      `| ${load.label} | **${fmt(median(cpu))}** (${fmt(Math.min(...cpu))}–${fmt(Math.max(...cpu))}) | ${fmt(median(rounds.map((r) => r.rps)))} | ${fmt(median(rounds.map((r) => r.p50)))} | ${fmt(median(rounds.map((r) => r.p99)))} | ${rounds.reduce((s, r) => s + r.errors, 0)} | ${rounds.reduce((s, r) => s + r.non2xx, 0)} | ${fmt(rssPeakMb)} |`,
    );
  }
  return lines;
}

/** Per-round ratios of two loads of the same shape (rounds are paired: they ran in the same turn). */
function pairedRatio(a: Round[], b: Round[], pick: (r: Round) => number): { median: number; min: number; max: number } {
  const ratios = a.map((round, i) => pick(round) / pick(b[i] as Round));
  return { median: median(ratios), min: Math.min(...ratios), max: Math.max(...ratios) };
}

/** The targets of issue #19, as medians of per-round ratios with their range. */
export function shapeRatios(figures: ShapeFigures): string[] {
  const of = (kind: Load['kind']) => figures.loads.find((f) => f.load.kind === kind);
  const ceiling = of('ceiling');
  const helper = of('helper');
  const voice = of('voice');
  const before = of('before');
  if (ceiling === undefined || helper === undefined || voice === undefined) return [];
  const cpu = (r: Round) => r.cpuPerRequest;
  const rps = (r: Round) => r.rps;
  const show = ({ median: m, min, max }: { median: number; min: number; max: number }) => `**${m.toFixed(2)}×** (rounds ${min.toFixed(2)}–${max.toFixed(2)})`;
  const lines = [
    `- Switchboard /voice CPU per request ÷ ceiling's: ${show(pairedRatio(voice.rounds, ceiling.rounds, cpu))} (target ≤ 1.25×, i.e. ≥ 0.8× the ceiling's efficiency)`,
    `- twilio helper's CPU per request ÷ Switchboard /voice's: ${show(pairedRatio(helper.rounds, voice.rounds, cpu))} (target ≥ 1.3×)`,
    `- requests/s, Switchboard /voice ÷ ceiling: ${show(pairedRatio(voice.rounds, ceiling.rounds, rps))}; ÷ helper: ${show(pairedRatio(voice.rounds, helper.rounds, rps))}`,
    `- Switchboard peak RSS under load: **${fmt(voice.rssPeakMb)} MB** (target < 100 MB)`,
  ];
  if (before !== undefined) {
    lines.push(`- this build's CPU per request ÷ that of ${before.load.label}: ${show(pairedRatio(voice.rounds, before.rounds, cpu))}`);
  }
  if (figures.check !== undefined) {
    const { calls, logLines, requests } = figures.check;
    lines.push(`- behaviour kept: ${fmt(calls)} rows in \`calls\`, ${fmt(logLines)} "request completed" log lines for ${fmt(requests)} requests to Switchboard`);
  }
  return lines;
}
