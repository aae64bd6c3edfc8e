// The operations bench (issue #16): what /metrics costs a webhook (bench/metrics-cost.ts), and
// what history retention costs the webhooks' latency while it deletes a million rows. Part of
// `npm run bench`; alone: `npm run bench:ops`. Every load is bounded (a request count, or a time
// limit) and stops by itself.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import Database from 'better-sqlite3';
import { startSwitchboard } from './harness';
import { METRICS_COST_NEW_CALLS, metricsCost } from './metrics-cost';
import { uniqueRequests, webhookBenchEnv, type SignedRequest } from './webhook-fixtures';
import { migrate } from '../src/store';

const CONNECTIONS = 50;
const OLD_ROWS = 1_000_000;

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
    /** Runs until `done()` says so (checked every 100 ms), at most `maxSeconds`. */
    until(port: number, done: () => boolean, maxSeconds: number): Promise<autocannon.Result> {
      return new Promise((resolve, reject) => {
        const instance = autocannon({ ...options(port), duration: maxSeconds }, (err, result) => (err ? reject(err) : resolve(result)));
        const poll = setInterval(() => {
          if (done()) {
            clearInterval(poll);
            instance.stop();
          }
        }, 100);
        instance.on('done', () => clearInterval(poll));
      });
    },
  };
}

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
  if (parts.includes('metrics')) lines.push('### /metrics cost', '', ...(await metricsCost(dir, pool, progress)), '');
  if (parts.includes('retention')) lines.push('### History retention', '', ...(await retentionCost(dir, pool)));
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
