// What history retention costs the webhooks (issue #16): their latency while the pruner deletes a
// million old rows, beside the same load on the same database without HISTORY_RETENTION_DAYS.
// Part of `npm run bench:ops`; alone: `node dist/bench/ops.js retention`. Every load stops by
// itself: when the pruner logs that it is done, or after a time limit.
import fs from 'node:fs';
import path from 'node:path';
import autocannon from 'autocannon';
import Database from 'better-sqlite3';
import { startSwitchboard, type Target } from './harness';
import { cpuDuring } from './cpu';
import { LogTail } from './log-tail';
import { median } from './stats';
import type { SignedRequest } from './webhook-fixtures';
import { migrate } from '../src/store';

const OLD_ROWS = 1_000_000;
/** Pairs of runs (pruning, then without) per load shape. */
const ROUNDS = 3;
const MAX_PRUNING_SECONDS = 240;

interface Shape {
  label: string;
  connections: number;
  /** Requests per second over all connections; unset: as fast as the server answers. */
  overallRate?: number;
}

/**
 * Two loads: one that keeps the server saturated, where any time the pruner takes is time a
 * webhook waits, and a steady one well below capacity, closer to a busy day in production.
 */
const SHAPES: readonly Shape[] = [
  { label: 'saturating: 50 connections, each sending as soon as answered', connections: 50 },
  { label: 'steady: 20 connections, 3,000 requests/s in all', connections: 20, overallRate: 3_000 },
];

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

/** POSTs `pool`'s requests to /voice in turn; the cursor runs on across calls, so each is a new call. */
function voiceLoad(pool: readonly SignedRequest[], shape: Shape) {
  let next = 0;
  return (port: number, limits: { amount: number } | { seconds: number }): autocannon.Options => ({
      url: `http://127.0.0.1:${port}/voice`,
      method: 'POST',
      connections: shape.connections,
      ...(shape.overallRate === undefined ? {} : { overallRate: shape.overallRate }),
      ...('amount' in limits ? { amount: limits.amount } : { duration: limits.seconds }),
      requests: [
        {
          setupRequest: (request) => {
            const signed = pool[next++ % pool.length] as SignedRequest;
            return { ...request, headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signed.signature }, body: signed.body };
          },
        },
      ],
    });
}

interface Run {
  result: autocannon.Result;
  cpuMicrosPerRequest: number;
  seconds: number;
  /** The pruner's report, when it finished during the run. */
  pruned?: Record<string, number>;
}

/**
 * Loads `target` until its log says the pruning is done, or for `seconds`. Both sides watch their
 * log the same way, so the generator does the same work whether the line ever comes or not.
 */
async function loadUntilPruned(target: Target, load: ReturnType<typeof voiceLoad>, seconds: number): Promise<Run> {
  const tail = LogTail.open(target.logFile as string);
  let pruned: Record<string, number> | undefined;
  const started = performance.now();
  let finished = started;
  try {
    const { cpuMicros, result } = await cpuDuring(target.child.pid as number, () => new Promise<autocannon.Result>((resolve, reject) => {
      const instance = autocannon(load(target.port, { seconds }), (err, result) => (err ? reject(err) : resolve(result)));
      const poll = setInterval(() => {
        const line = tail.find('"old history pruned"');
        if (line === undefined) return;
        pruned = (JSON.parse(line) as { deleted: Record<string, number> }).deleted;
        finished = performance.now();
        clearInterval(poll);
        instance.stop();
      }, 100);
      instance.on('done', () => clearInterval(poll));
    }));
    if (result.errors > 0 || result.non2xx > 0) throw new Error(`webhooks failed: ${result.non2xx} non-2xx, ${result.errors} errors`);
    const elapsed = ((pruned === undefined ? performance.now() : finished) - started) / 1000;
    return { result, cpuMicrosPerRequest: cpuMicros / result.requests.total, seconds: elapsed, ...(pruned && { pruned }) };
  } finally {
    tail.close();
  }
}

/** Webhook latency while the pruner deletes a million old rows, beside the same load without pruning. */
export async function retentionCost(dir: string, pool: readonly SignedRequest[], env: (extra: Record<string, string>) => Record<string, string>): Promise<string[]> {
  const seeded = path.join(dir, 'old-history.db');
  const seedStarted = performance.now();
  seedOldHistory(seeded);
  const seedSeconds = (performance.now() - seedStarted) / 1000;
  const copy = (name: string) => {
    const file = path.join(dir, name);
    fs.copyFileSync(seeded, file);
    return file;
  };

  const lines: string[] = [
    `${OLD_ROWS.toLocaleString('en-US')} rows a year old (half calls, three tenths messages, a fifth status events), seeded in ${seedSeconds.toFixed(1)} s. POST /voice, a new call per request. Each round: a server on a copy of that database with HISTORY_RETENTION_DAYS=30, under load from just before the pruner's first run until it logs that it is done; then a server on another copy without HISTORY_RETENTION_DAYS, under the same load for as long. ${ROUNDS} rounds per shape; the generator watches each server's log the same way. Latency from autocannon (ms); server CPU from /proc.`,
    '',
  ];
  for (const shape of SHAPES) {
    const load = voiceLoad(pool, shape);
    const pruning: Run[] = [];
    const without: Run[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const pruner = await startSwitchboard(dir, env({ DATABASE_PATH: copy(`prune-${round}.db`), HISTORY_RETENTION_DAYS: '30' }));
      try {
        // The pruner's first run is 5 s after start: warm up first, then load from just before it.
        const startedAt = performance.now();
        await autocannon(load(pruner.port, { amount: 5_000 }));
        await new Promise((resolve) => setTimeout(resolve, Math.max(0, 4_000 - (performance.now() - startedAt))));
        const run = await loadUntilPruned(pruner, load, MAX_PRUNING_SECONDS);
        if (run.pruned === undefined) throw new Error(`the pruner did not finish within ${MAX_PRUNING_SECONDS} s`);
        pruning.push(run);
      } finally {
        await pruner.stop();
      }
      const plain = await startSwitchboard(dir, env({ DATABASE_PATH: copy(`keep-${round}.db`) }));
      try {
        await autocannon(load(plain.port, { amount: 5_000 }));
        without.push(await loadUntilPruned(plain, load, Math.max(5, Math.round(pruning[round]?.seconds ?? 5))));
      } finally {
        await plain.stop();
      }
      for (const file of [`prune-${round}.db`, `keep-${round}.db`]) {
        for (const suffix of ['', '-wal', '-shm']) fs.rmSync(path.join(dir, file + suffix), { force: true });
      }
    }
    const deleted = pruning.map((run) => Object.values(run.pruned ?? {}).reduce((sum, n) => sum + n, 0));
    const ratios = pruning.map((run, i) => run.result.latency.p99 / (without[i] as Run).result.latency.p99);
    const row = (label: string, runs: readonly Run[]) => {
      const p99s = runs.map((run) => run.result.latency.p99);
      return `| ${label} | ${Math.round(median(runs.map((run) => run.result.requests.average))).toLocaleString('en-US')} | ${median(runs.map((run) => run.cpuMicrosPerRequest)).toFixed(0)} | ${median(runs.map((run) => run.result.latency.p50))} | **${median(p99s)}** | ${p99s.join(', ')} | ${median(runs.map((run) => run.result.latency.max))} |`;
    };
    lines.push(
      `**${shape.label}.** Pruning took ${pruning.map((run) => run.seconds.toFixed(1)).join(', ')} s and deleted ${[...new Set(deleted)].map((n) => n.toLocaleString('en-US')).join(' / ')} rows per round, 500 per transaction.`,
      '',
      '| load | requests/s | server CPU µs per request | p50 ms | p99 ms (median) | p99 per round | max ms |',
      '| --- | ---: | ---: | ---: | ---: | --- | ---: |',
      row('webhooks, no pruning (baseline)', without),
      row(`webhooks while pruning ${OLD_ROWS.toLocaleString('en-US')} rows`, pruning),
      '',
      `- p99 while pruning ÷ p99 without, per round: ${ratios.map((r) => `${r.toFixed(2)}×`).join(', ')}; median **${median(ratios).toFixed(2)}×** (target ≤ 2×)`,
      '',
    );
  }
  return lines;
}
