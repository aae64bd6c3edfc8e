// The operations bench (issue #16): what /metrics costs a webhook (bench/metrics-cost.ts), and
// what history retention costs the webhooks' latency while it deletes a million rows. Part of
// `npm run bench`; alone: `npm run bench:ops`. Every load is bounded (a request count, or a time
// limit) and stops by itself.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
<<<<<<< HEAD
import { startSwitchboard, type Target } from './harness';
import { cpuDuring } from './cpu';
import { BENCH_BASE_URL, BENCH_SETTINGS, BENCH_TOKEN, uniqueRequests, type SignedRequest } from './webhook-fixtures';
import { retentionCost } from './retention';

const CONNECTIONS = 50;
const METRICS_ROUNDS = 5;
const REQUESTS_PER_ROUND = 20_000;
const METRICS_TOKEN = 'bench-metrics-token-0123456789';
=======
import Database from 'better-sqlite3';
import { startSwitchboard } from './harness';
import { METRICS_COST_NEW_CALLS, metricsCost } from './metrics-cost';
import { uniqueRequests, webhookBenchEnv, type SignedRequest } from './webhook-fixtures';
import { migrate } from '../src/store';

const CONNECTIONS = 50;
const OLD_ROWS = 1_000_000;
>>>>>>> metricscost

/** Sends `pool`'s requests in turn from `cursor` on; the cursor runs on across calls, so each POST is a new call. */
function loader(pool: readonly SignedRequest[]) {
  let next = 0;
  const options = (port: number): autocannon.Options => ({
    url: `http://127.0.0.1:${port}/voice`,
    method: 'POST',
    connections: CONNECTIONS,
    requests: [
      {
        setupRequest: (request) => {
          const signed = pool[next++ % pool.length] as SignedRequest;
          return { ...request, headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signed.signature }, body: signed.body };
        },
      },
    ],
  });
  return {
    amount: (port: number, amount: number) => autocannon({ ...options(port), amount }),
  };
}

<<<<<<< HEAD
function env(dir: string, extra: Record<string, string>): Record<string, string> {
  const settingsFile = path.join(dir, 'switchboard.config.json');
  fs.writeFileSync(settingsFile, JSON.stringify(BENCH_SETTINGS));
  return { TWILIO_AUTH_TOKEN: BENCH_TOKEN, PUBLIC_BASE_URL: BENCH_BASE_URL, CONFIG_PATH: settingsFile, ...extra };
}

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;

/** Server CPU per webhook with metrics counted and without, the same load, rounds taking turns. */
async function metricsCost(dir: string, pool: readonly SignedRequest[]): Promise<string[]> {
  const on = await startSwitchboard(dir, env(dir, { METRICS_TOKEN }));
  const off = await startSwitchboard(dir, env(dir, { METRICS_ENABLED: 'false' }));
  const sides: Array<[string, Target, ReturnType<typeof loader>, number[], number[]]> = [
    ['metrics on', on, loader(pool), [], []],
    ['metrics off (METRICS_ENABLED=false)', off, loader(pool), [], []],
  ];
  try {
    for (const [, target, load] of sides) await load.amount(target.port, 5_000);
    for (let round = 0; round < METRICS_ROUNDS; round++) {
      for (const [, target, load, cpu, p99] of sides) {
        const { cpuMicros, result } = await cpuDuring(target.child.pid as number, () => load.amount(target.port, REQUESTS_PER_ROUND));
        if (result.non2xx > 0 || result.errors > 0) throw new Error(`webhooks failed: ${result.non2xx} non-2xx, ${result.errors} errors`);
        cpu.push(cpuMicros / result.requests.total);
        p99.push(result.latency.p99);
      }
    }
    // A scrape after the load: the counters saw every webhook.
    const scrape = await fetch(`http://127.0.0.1:${on.port}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
    const text = await scrape.text();
    const counted = /switchboard_webhooks_total\{route="\/voice",outcome="ok"\} (\d+)/.exec(text)?.[1];
    // Rounds taking turns share the machine's moment: the ratio per round, then its median.
    const onRounds = sides[0]?.[3] ?? [];
    const offRounds = sides[1]?.[3] ?? [];
    const ratios = onRounds.map((on, i) => on / (offRounds[i] as number)).sort((a, b) => a - b);
    const percent = (ratio: number) => `${((ratio - 1) * 100).toFixed(1)} %`;
    return [
      `POST /voice, new call per request (signed, config menu), ${CONNECTIONS} connections, ${METRICS_ROUNDS} rounds of ${REQUESTS_PER_ROUND.toLocaleString('en-US')} requests per side, taking turns; server CPU from /proc (user + system), median round.`,
      '',
      '| server | CPU µs per request | rounds (µs) | p99 ms (median round) |',
      '| --- | ---: | --- | ---: |',
      ...sides.map(([label, , , cpu, p99]) => `| ${label} | ${median(cpu).toFixed(0)} | ${cpu.map((v) => v.toFixed(0)).join(', ')} | ${median(p99)} |`),
      '',
      `- metrics cost: **${percent(median(ratios))}** CPU per webhook, median of the per-round ratios (range ${percent(ratios[0] as number)} to ${percent(ratios[ratios.length - 1] as number)}; target < 5 %); /metrics counted ${counted ?? '?'} webhooks, ${text.split('\n').filter((l) => l && !l.startsWith('#')).length} series lines`,
    ];
  } finally {
    await on.stop();
    await off.stop();
  }
=======
/** A database with `OLD_ROWS` rows of history a year old: one prepared insert per table, one transaction. */
function seedOldHistory(file: string): void {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  migrate(db);
  const at = new Date(Date.now() - 365 * 86_400_000).toISOString();
  const calls = db.prepare(`INSERT INTO calls (sid, direction, from_number, to_number, status, created_at, updated_at) VALUES (?, 'inbound', ?, '+15005550001', 'completed', ?, ?)`);
  const messages = db.prepare(`INSERT INTO messages (sid, direction, from_number, to_number, body, status, created_at, updated_at) VALUES (?, 'inbound', ?, '+15005550001', 'Hello there', 'received', ?, ?)`);
  const events = db.prepare(`INSERT INTO status_events (resource, sid, status, dedupe_key, params, received_at) VALUES ('call', ?, 'completed', ?, '{}', ?)`);
  db.transaction(() => {
    for (let i = 0; i < OLD_ROWS; i++) {
      // An f first: never the sid of a webhook the load sends.
      const hex = 'f' + i.toString(16).padStart(31, '0');
      const from = `+1555${String(i % 10_000_000).padStart(7, '0')}`;
      // Half calls, three tenths messages, a fifth status events.
      if (i % 10 < 5) calls.run(`CA${hex}`, from, at, at);
      else if (i % 10 < 8) messages.run(`SM${hex}`, from, at, at);
      else events.run(`CA${hex}`, `old-${i}`, at);
    }
  })();
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
}

/** Webhook latency while the pruner deletes a million old rows, beside the same load without pruning. */
async function retentionCost(dir: string, pool: readonly SignedRequest[]): Promise<string[]> {
  const seeded = path.join(dir, 'old-history.db');
  const seedStarted = performance.now();
  seedOldHistory(seeded);
  const seedSeconds = (performance.now() - seedStarted) / 1000;
  const copy = (name: string) => {
    const file = path.join(dir, name);
    fs.copyFileSync(seeded, file);
    return file;
  };

  // The pruner's first run is 5 s after start: the load begins just before and runs until its log line.
  const pruning = await startSwitchboard(dir, webhookBenchEnv(dir, { DATABASE_PATH: copy('prune.db'), HISTORY_RETENTION_DAYS: '30' }));
  const startedAt = performance.now();
  const load = loader(pool);
  let pruned: { deleted: Record<string, number> } | undefined;
  let prunedSeconds = 0;
  let withPruning: autocannon.Result;
  try {
    await load.amount(pruning.port, 5_000);
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, 4_000 - (performance.now() - startedAt))));
    const loadStarted = performance.now();
    withPruning = await load.until(
      pruning.port,
      () => {
        const line = fs.readFileSync(pruning.logFile as string, 'utf8').split('\n').find((l) => l.includes('"old history pruned"'));
        if (line !== undefined && pruned === undefined) {
          pruned = JSON.parse(line) as { deleted: Record<string, number> };
          prunedSeconds = (performance.now() - loadStarted) / 1000;
        }
        return pruned !== undefined;
      },
      240,
    );
  } finally {
    await pruning.stop();
  }
  if (pruned === undefined) throw new Error('the pruner did not finish within 240 s');

  const plain = await startSwitchboard(dir, webhookBenchEnv(dir, { DATABASE_PATH: copy('keep.db') }));
  let without: autocannon.Result;
  try {
    await load.amount(plain.port, 5_000);
    without = await load.until(plain.port, () => false, Math.max(5, Math.round(withPruning.duration)));
  } finally {
    await plain.stop();
  }
  const deleted = Object.values(pruned.deleted).reduce((sum, n) => sum + n, 0);
  const row = (label: string, r: autocannon.Result) =>
    `| ${label} | ${Math.round(r.requests.average).toLocaleString('en-US')} | ${r.latency.p50} | ${r.latency.p99} | ${r.latency.max} | ${r.non2xx + r.errors} |`;
  return [
    `${OLD_ROWS.toLocaleString('en-US')} rows a year old (calls, messages, status events) seeded in ${seedSeconds.toFixed(1)} s (one prepared insert per table, one transaction). POST /voice, new call per request, ${CONNECTIONS} connections, for as long as the pruning took (${prunedSeconds.toFixed(1)} s; it deleted ${deleted.toLocaleString('en-US')} rows, 500 per transaction), then the same load for as long on a copy of the database without HISTORY_RETENTION_DAYS.`,
    '',
    '| load | requests/s | p50 ms | p99 ms | max ms | errors + non-2xx |',
    '| --- | ---: | ---: | ---: | ---: | ---: |',
    row('webhooks, no pruning (baseline)', without),
    row('webhooks while pruning 1,000,000 rows', withPruning),
    '',
    `- p99 while pruning ÷ p99 without: **${(withPruning.latency.p99 / without.latency.p99).toFixed(2)}×** (target ≤ 2×)`,
  ];
>>>>>>> metricscost
}

/** Both parts, or one: `node dist/bench/ops.js metrics` or `… retention`. */
export async function measureOps(
  dir: string,
  parts: ReadonlyArray<'metrics' | 'retention'> = ['metrics', 'retention'],
  progress: (line: string) => void = () => {},
): Promise<string[]> {
  // Enough for every round of the metrics bench without a call repeating on a server.
  const pool = uniqueRequests('voice', Math.max(160_000, METRICS_COST_NEW_CALLS));
  const lines: string[] = [];
<<<<<<< HEAD
  if (parts.includes('metrics')) lines.push('### /metrics cost', '', ...(await metricsCost(dir, pool)), '');
  if (parts.includes('retention')) lines.push('### History retention', '', ...(await retentionCost(dir, pool, (extra) => env(dir, extra))));
=======
  if (parts.includes('metrics')) lines.push('### /metrics cost', '', ...(await metricsCost(dir, pool, progress)), '');
  if (parts.includes('retention')) lines.push('### History retention', '', ...(await retentionCost(dir, pool)));
>>>>>>> metricscost
  return lines;
}

if (require.main === module) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'switchboard-bench-ops-'));
  const only = process.argv[2];
  measureOps(dir, only === 'metrics' || only === 'retention' ? [only] : undefined, (line) => console.error(line))
    .then((lines) => console.log(lines.join('\n')))
    .catch((err: unknown) => {
      console.error(err);
      process.exitCode = 1;
    })
    .finally(() => fs.rmSync(dir, { recursive: true, force: true }));
}
