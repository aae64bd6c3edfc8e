// `npm run bench:charts`: the dashboard's chart queries at 1,000,000 rows per table, through the
// real SQLite store (its pragmas, its migrations, its indexes). Prints a Markdown table; the
// figures are copied into docs/dashboard-pictures.md by hand.
//
// Two spreads of the same 1,000,000 calls and 1,000,000 messages: over a year (a busy number's
// history) and all within the last 30 days (the worst case for the 30-day charts, which then
// count every row). The outbox holds 1,000,000 requests, of which one bulk job has 100,000.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { chartRanges } from '../src/dashboard/charts/ranges';
import { migrate, openSqliteStore, type Store } from '../src/store';

const ROWS = Number(process.env.CHART_ROWS ?? 1_000_000);
const JOB_SIZE = Math.min(100_000, ROWS);
const RUNS = 15;
const NOW = new Date('2026-06-30T12:34:56.000Z');
const DAY_MS = 86_400_000;
const ERROR_CODES = [30003, 30005, 30006, 30007, 30008, 21610, 21211, 13224, 13227, 31005, 32009, 11200];

/** Deterministic, so that every run counts the same rows. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

function seed(file: string, spanDays: number): void {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = OFF');
  migrate(db);
  const next = random(42);
  const at = () => new Date(NOW.getTime() - Math.floor(next() * spanDays * DAY_MS)).toISOString();
  const direction = () => (next() < 0.5 ? 'inbound' : next() < 0.8 ? 'outbound-api' : 'outbound-dial');
  const errorCode = () => (next() < 0.03 ? (ERROR_CODES[Math.floor(next() * ERROR_CODES.length)] as number) : null);
  const call = db.prepare(
    `INSERT INTO calls (sid, direction, from_number, to_number, status, error_code, created_at, updated_at)
     VALUES (?, ?, '+15550000001', '+15550000002', 'completed', ?, ?, ?)`,
  );
  const message = db.prepare(
    `INSERT INTO messages (sid, direction, from_number, to_number, body, status, error_code, created_at, updated_at)
     VALUES (?, ?, '+15550000001', '+15550000002', 'hello', ?, ?, ?, ?)`,
  );
  const outbound = db.prepare(
    `INSERT INTO outbound_requests (id, kind, params, state, job_id, created_at, updated_at) VALUES (?, 'message', '{}', ?, ?, ?, ?)`,
  );
  const states = ['sent', 'sent', 'sent', 'sent', 'sent', 'sent', 'failed', 'unknown', 'pending'];
  db.transaction(() => {
    for (let i = 0; i < ROWS; i++) {
      const created = at();
      call.run(`CA${String(i).padStart(32, '0')}`, direction(), errorCode(), created, created);
      const dir = direction();
      const outcome = dir === 'inbound' ? 'received' : next() < 0.9 ? 'delivered' : next() < 0.5 ? 'failed' : 'undelivered';
      message.run(`SM${String(i).padStart(32, '0')}`, dir, outcome, outcome === 'delivered' || outcome === 'received' ? null : errorCode() ?? 30003, created, created);
      // The job's recipients finish over two hours; the other requests belong to 90 other jobs or none.
      const inJob = i < JOB_SIZE;
      const finished = inJob ? new Date(NOW.getTime() - 2 * 3_600_000 + Math.floor((i / JOB_SIZE) * 2 * 3_600_000)).toISOString() : created;
      const job = inJob ? 'job-measured' : i % 10 === 0 ? null : `job-${i % 90}`;
      outbound.run(`req-${i}`, states[i % states.length], job, created, finished);
    }
  })();
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
}

interface Measured {
  query: string;
  rows: number;
  medianMs: number;
  maxMs: number;
}

async function measure(query: string, run: () => Promise<unknown[]>): Promise<Measured> {
  const rows = (await run()).length;
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const start = process.hrtime.bigint();
    await run();
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  times.sort((a, b) => a - b);
  return { query, rows, medianMs: times[Math.floor(times.length / 2)] as number, maxMs: times[times.length - 1] as number };
}

async function queries(store: Store): Promise<Measured[]> {
  const ranges = chartRanges(NOW);
  return [
    await measure('calls per hour, last 24 h', () => store.activity('calls', 'hour', ranges.day)),
    await measure('messages per hour, last 24 h', () => store.activity('messages', 'hour', ranges.day)),
    await measure('calls per day, last 30 days', () => store.activity('calls', 'day', ranges.month)),
    await measure('messages per day, last 30 days', () => store.activity('messages', 'day', ranges.month)),
    await measure('delivery outcomes, last 30 days', () => store.deliveryOutcomes(ranges.month)),
    await measure('top error codes, last 30 days', () => store.topErrorCodes(ranges.month, 10)),
    await measure(`bulk job progress (${JOB_SIZE.toLocaleString('en-US')} recipients), per minute`, () => store.jobProgress('job-measured', 'minute')),
  ];
}

/** What the 30-day chart would cost counted from the history itself (the query migration 5 replaced). */
async function fromHistory(file: string): Promise<Measured> {
  const db = new Database(file, { readonly: true });
  db.pragma('cache_size = -512');
  const { since, until } = chartRanges(NOW).month;
  const query = db.prepare(
    `SELECT substr(created_at, 1, 10) AS bucket, CASE WHEN direction = 'inbound' THEN 'inbound' ELSE 'outbound' END AS direction, count(*) AS count
     FROM calls WHERE created_at >= ? AND created_at < ? GROUP BY 1, 2`,
  );
  try {
    const rows = query.all(since, until).length;
    const start = process.hrtime.bigint();
    query.all(since, until);
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    return { query: 'for comparison: calls per day, 30 days, counted from the calls table', rows, medianMs: ms, maxMs: ms };
  } finally {
    db.close();
  }
}

/** The write side: inserts per second into calls with the count triggers, and without them. */
function insertCost(file: string): string {
  const db = new Database(file);
  db.pragma('synchronous = NORMAL');
  const insert = db.prepare(
    `INSERT INTO calls (sid, direction, from_number, to_number, status, created_at, updated_at) VALUES (?, 'inbound', '+1', '+2', 'ringing', ?, ?)`,
  );
  const batch = (prefix: string) => {
    const start = process.hrtime.bigint();
    db.transaction(() => {
      for (let i = 0; i < 20_000; i++) {
        const at = new Date(NOW.getTime() - i * 1000).toISOString();
        insert.run(`${prefix}${i}`, at, at);
      }
    })();
    return 20_000 / (Number(process.hrtime.bigint() - start) / 1e9);
  };
  try {
    const withTriggers = batch('CAwith');
    db.exec('DROP TRIGGER calls_chart_insert');
    const without = batch('CAwithout');
    return `Inserting 20,000 calls in one transaction: ${Math.round(withTriggers).toLocaleString('en-US')}/s with the count trigger, ${Math.round(without).toLocaleString('en-US')}/s without.`;
  } finally {
    db.close();
  }
}

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'switchboard-bench-charts-'));
  const lines = [`Chart queries, ${ROWS.toLocaleString('en-US')} calls + messages + outbox rows; median and slowest of ${RUNS} runs (warm cache), ${os.cpus().length} CPUs.`, ''];
  try {
    for (const [label, spanDays] of [['rows over 365 days', 365], ['all rows within the last 30 days (worst case)', 30]] as const) {
      const file = path.join(dir, `${spanDays}.db`);
      const seeding = Date.now();
      seed(file, spanDays);
      const seconds = ((Date.now() - seeding) / 1000).toFixed(1);
      process.stderr.write(`seeded ${label} in ${seconds} s\n`);
      lines.push(`### ${label}`, '', `Seeded in ${seconds} s (3 × ${ROWS.toLocaleString('en-US')} rows, one prepared insert per table, one transaction, triggers on).`, '');
      const store = openSqliteStore(file, { now: () => NOW });
      try {
        lines.push('| query | result rows | median ms | slowest ms |', '|---|---:|---:|---:|');
        for (const m of await queries(store)) lines.push(`| ${m.query} | ${m.rows} | ${m.medianMs.toFixed(1)} | ${m.maxMs.toFixed(1)} |`);
      } finally {
        await store.close();
      }
      const history = await fromHistory(file);
      lines.push(`| ${history.query} (one run) | ${history.rows} | ${history.medianMs.toFixed(1)} | ${history.maxMs.toFixed(1)} |`, '');
      if (spanDays === 30) lines.push(insertCost(file), '');
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  process.stdout.write(`${lines.join('\n')}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
