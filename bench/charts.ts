// `npm run bench:charts`: the dashboard's chart queries at 1,000,000 rows per table, through the
// real SQLite store (its pragmas, its migrations, its indexes), then through the real PostgreSQL
// store (charts-postgres.ts). Prints Markdown tables; the figures are copied into
// docs/dashboard-pictures.md by hand. CHART_STORES=sqlite or =postgres runs one of the two.
//
// Two spreads of the same 1,000,000 calls and 1,000,000 messages: over a year (a busy number's
// history) and all within the last 30 days (the worst case for the 30-day charts, which then
// count every row). The outbox holds 1,000,000 requests, of which one bulk job has 100,000.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { chartRanges } from '../src/dashboard/charts/ranges';
import { migrate, openSqliteStore } from '../src/store';
import { postgresBinDir } from '../test/support/postgres-cluster';
import { chartQueries, tableLines, CHART_RUNS, type Measured } from './chart-queries';
import { CHART_NOW as NOW, chartRows } from './chart-rows';
import { postgresChartLines } from './charts-postgres';

const ROWS = Number(process.env.CHART_ROWS ?? 1_000_000);
const JOB_SIZE = Math.min(100_000, ROWS);
/** `sqlite`, `postgres` or both (the default; PostgreSQL only where it is installed). */
const STORES = (process.env.CHART_STORES ?? 'sqlite,postgres').split(',');

function seed(file: string, spanDays: number): void {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = OFF');
  migrate(db);
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
  db.transaction(() => {
    for (const row of chartRows(ROWS, spanDays, JOB_SIZE)) {
      call.run(row.call.sid, row.call.direction, row.call.errorCode, row.call.createdAt, row.call.createdAt);
      message.run(row.message.sid, row.message.direction, row.message.status, row.message.errorCode, row.message.createdAt, row.message.createdAt);
      outbound.run(row.request.id, row.request.state, row.request.jobId, row.request.createdAt, row.request.updatedAt);
    }
  })();
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
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

async function sqliteLines(dir: string): Promise<string[]> {
  const lines: string[] = [];
  for (const [label, spanDays] of [['rows over 365 days', 365], ['all rows within the last 30 days (worst case)', 30]] as const) {
    const file = path.join(dir, `${spanDays}.db`);
    const seeding = Date.now();
    seed(file, spanDays);
    const seconds = ((Date.now() - seeding) / 1000).toFixed(1);
    process.stderr.write(`seeded ${label} in ${seconds} s\n`);
    lines.push(`### ${label}`, '', `Seeded in ${seconds} s (3 × ${ROWS.toLocaleString('en-US')} rows, one prepared insert per table, one transaction, triggers on).`, '');
    const store = openSqliteStore(file, { now: () => NOW });
    try {
      lines.push(...tableLines(await chartQueries(store, JOB_SIZE)));
    } finally {
      await store.close();
    }
    const history = await fromHistory(file);
    lines.push(`| ${history.query} (one run) | ${history.rows} | ${history.medianMs.toFixed(1)} | ${history.maxMs.toFixed(1)} |`, '');
    if (spanDays === 30) lines.push(insertCost(file), '');
  }
  return lines;
}

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'switchboard-bench-charts-'));
  const lines = [`Chart queries, ${ROWS.toLocaleString('en-US')} calls + messages + outbox rows; median and slowest of ${CHART_RUNS} runs (warm cache), ${os.cpus().length} CPUs.`, ''];
  try {
    if (STORES.includes('sqlite')) lines.push('## SQLite', '', ...(await sqliteLines(dir)));
    if (STORES.includes('postgres')) {
      if (postgresBinDir() === undefined) lines.push('## PostgreSQL', '', 'Skipped: PostgreSQL is not installed (apt-get install -y postgresql).', '');
      else lines.push('## PostgreSQL', '', ...(await postgresChartLines(ROWS, JOB_SIZE)));
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
