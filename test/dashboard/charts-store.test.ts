import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { MIGRATIONS, openSqliteStore } from '../../src/store';
import { CHART_SQL } from '../../src/store/sqlite-charts';
import { buildTestApp, type TestApp } from '../support/app';

let t: TestApp;
beforeEach(() => {
  t = buildTestApp();
});
afterEach(() => t.close());

const DAY = { since: '2026-01-02T00:00:00.000Z', until: '2026-01-03T00:00:00.000Z' };

// What the counts are as rows come and change is part of the store contract
// (test/store/contract/charts.ts), run over SQLite and PostgreSQL; here SQLite's plans and its
// migration's backfill.

describe('chart query plans', () => {
  test('each query searches its count table by primary key; none reads the history tables', () => {
    const db = new Database(t.config.databasePath, { readonly: true });
    try {
      const plan = (sql: string, params: Record<string, unknown>) =>
        db
          .prepare(`EXPLAIN QUERY PLAN ${sql}`)
          .all(params)
          .map((row) => (row as { detail: string }).detail);
      const range = { since: '2026-01-01', until: '2026-01-31' };
      const plans = {
        activity: plan(CHART_SQL.activity, { kind: 'call', since: '2026-01-01T00', until: '2026-01-02T00', length: 13 }),
        deliveryOutcomes: plan(CHART_SQL.deliveryOutcomes, range),
        topErrorCodes: plan(CHART_SQL.topErrorCodes, { ...range, limit: 10 }),
        jobProgress: plan(CHART_SQL.jobProgress, { jobId: 'job-1', length: 16 }),
      };
      expect(plans).toEqual({
        activity: ['SEARCH chart_activity USING INDEX sqlite_autoindex_chart_activity_1 (kind=? AND hour>? AND hour<?)', 'USE TEMP B-TREE FOR GROUP BY'],
        deliveryOutcomes: ['SEARCH chart_outcomes USING INDEX sqlite_autoindex_chart_outcomes_1 (day>? AND day<?)', 'USE TEMP B-TREE FOR GROUP BY'],
        topErrorCodes: ['SEARCH chart_errors USING INDEX sqlite_autoindex_chart_errors_1 (day>? AND day<?)', 'USE TEMP B-TREE FOR GROUP BY', 'USE TEMP B-TREE FOR ORDER BY'],
        jobProgress: ['SEARCH chart_job_progress USING INDEX sqlite_autoindex_chart_job_progress_1 (job_id=?)', 'USE TEMP B-TREE FOR GROUP BY'],
      });
      const all = Object.values(plans).flat();
      expect(all.filter((line) => /^SCAN /.test(line))).toEqual([]);
      expect(all.filter((line) => /\b(calls|messages|outbound_requests)\b/.test(line))).toEqual([]);
    } finally {
      db.close();
    }
  });
});

describe('migration 5', () => {
  test('counts the rows already in the history', async () => {
    const file = path.join(t.dir, 'old.db');
    const old = new Database(file);
    for (const sql of MIGRATIONS.slice(0, 4)) old.exec(sql);
    old.pragma('user_version = 4');
    const insertCall = old.prepare(`INSERT INTO calls (sid, direction, from_number, to_number, status, error_code, created_at, updated_at) VALUES (?, ?, '+1', '+2', 'completed', ?, ?, ?)`);
    insertCall.run('CA1', 'inbound', null, '2026-01-02T03:04:05.000Z', '2026-01-02T03:04:05.000Z');
    insertCall.run('CA2', 'outbound-dial', 31005, '2026-01-02T03:59:00.000Z', '2026-01-02T03:59:00.000Z');
    old
      .prepare(`INSERT INTO messages (sid, direction, from_number, to_number, body, status, error_code, created_at, updated_at) VALUES (?, 'outbound-api', '+1', '+2', 'x', ?, ?, ?, ?)`)
      .run('SM1', 'undelivered', 30005, '2026-01-02T07:00:00.000Z', '2026-01-02T07:00:00.000Z');
    old
      .prepare(`INSERT INTO outbound_requests (id, kind, params, state, job_id, created_at, updated_at) VALUES ('r1', 'message', '{}', 'sent', 'job-9', ?, ?)`)
      .run('2026-01-02T07:00:00.000Z', '2026-01-02T07:01:02.000Z');
    old.close();
    const store = openSqliteStore(file, t.clock);
    try {
      expect(await store.activity('calls', 'hour', DAY)).toEqual([{ bucket: '2026-01-02T03', direction: 'inbound', count: 1 }, { bucket: '2026-01-02T03', direction: 'outbound', count: 1 }]);
      expect(await store.deliveryOutcomes(DAY)).toEqual([{ status: 'undelivered', count: 1 }]);
      expect(await store.topErrorCodes(DAY, 10)).toEqual([{ code: 30005, calls: 0, messages: 1 }, { code: 31005, calls: 1, messages: 0 }]);
      expect(await store.jobProgress('job-9', 'minute')).toEqual([{ bucket: '2026-01-02T07:01', state: 'sent', count: 1 }]);
    } finally {
      await store.close();
    }
    expect(fs.existsSync(file)).toBe(true);
  });
});
