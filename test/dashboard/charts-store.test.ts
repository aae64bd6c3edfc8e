import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { MIGRATIONS, openSqliteStore, type MessageStatusEvent, type Store } from '../../src/store';
import { CHART_SQL } from '../../src/store/sqlite-charts';
import { buildTestApp, type TestApp } from '../support/app';

let t: TestApp;
beforeEach(() => {
  t = buildTestApp();
});
afterEach(() => t.close());

const at = (iso: string) => t.clock.set(new Date(iso));
const DAY = { since: '2026-01-02T00:00:00.000Z', until: '2026-01-03T00:00:00.000Z' };

function messageEvent(sid: string, status: string, errorCode: number | null = null): MessageStatusEvent {
  return {
    messageSid: sid,
    status,
    sequenceNumber: null,
    dedupeKey: `${sid}:${status}`,
    direction: null,
    from: '+15550000001',
    to: '+15550000002',
    body: null,
    errorCode,
    price: null,
    priceUnit: null,
    params: {},
  };
}

/** An API message: outbox row, sent, then its status callbacks. */
async function apiMessage(store: Store, n: number, statuses: Array<[string, number?]>): Promise<void> {
  const sid = `SM${String(n).padStart(32, '0')}`;
  await store.insertOutbound({ id: `req-${n}`, kind: 'message', params: { to: '+15550000002' } });
  await store.markInFlight(`req-${n}`);
  await store.markSent(`req-${n}`, { sid }, { kind: 'message', sid, from: '+15550000001', to: '+15550000002', status: 'queued', body: 'hi', mediaUrls: [] });
  for (const [status, code] of statuses) await store.applyMessageStatus(messageEvent(sid, status, code ?? null));
}

describe('ChartStore (SQLite): counts kept by triggers as rows come and change', () => {
  test('activity per hour and per day, inbound and outbound, from every write path', async () => {
    at('2026-01-02T03:10:00.000Z');
    await t.store.recordInboundCall({ sid: 'CA1', from: '+1555', to: '+1666', status: 'ringing' });
    await t.store.recordInboundCall({ sid: 'CA1', from: '+1555', to: '+1666', status: 'ringing' }); // a retry: no new row, no count
    await t.store.recordInboundMessage({ sid: 'SMin1', from: '+1555', to: '+1666', body: 'hi', mediaUrls: [] });
    at('2026-01-02T05:59:59.999Z');
    await apiMessage(t.store, 1, []);
    await t.store.recordInboundCall({ sid: 'CA2', from: '+1555', to: '+1666', status: 'ringing' });
    expect(await t.store.activity('calls', 'hour', DAY)).toEqual([
      { bucket: '2026-01-02T03', direction: 'inbound', count: 1 },
      { bucket: '2026-01-02T05', direction: 'inbound', count: 1 },
    ]);
    expect(await t.store.activity('messages', 'hour', DAY)).toEqual([
      { bucket: '2026-01-02T03', direction: 'inbound', count: 1 },
      { bucket: '2026-01-02T05', direction: 'outbound', count: 1 },
    ]);
    expect(await t.store.activity('messages', 'day', DAY)).toEqual([
      { bucket: '2026-01-02', direction: 'inbound', count: 1 },
      { bucket: '2026-01-02', direction: 'outbound', count: 1 },
    ]);
    // The range's end is excluded.
    expect(await t.store.activity('calls', 'hour', { since: '2026-01-02T04:00:00.000Z', until: '2026-01-02T05:00:00.000Z' })).toEqual([]);
  });

  test('delivery outcomes follow each message to its last status; error codes count each message once', async () => {
    at('2026-01-02T10:00:00.000Z');
    await apiMessage(t.store, 1, [['sent'], ['delivered']]);
    await apiMessage(t.store, 2, [['sent'], ['undelivered', 30003]]);
    await apiMessage(t.store, 3, [['failed', 30007]]);
    await apiMessage(t.store, 4, [['sent']]);
    await apiMessage(t.store, 5, [['sent'], ['failed', 30007]]);
    await apiMessage(t.store, 6, [['delivered'], ['failed', 30005]]); // delivered is final: the store keeps it
    expect(await t.store.deliveryOutcomes(DAY)).toEqual([
      { status: 'delivered', count: 2 },
      { status: 'failed', count: 2 },
      { status: 'undelivered', count: 1 },
    ]);
    // A change between final statuses (written by hand here; the store never moves them) moves the count.
    const db = new Database(t.config.databasePath);
    db.prepare(`UPDATE messages SET status = 'undelivered' WHERE sid = ?`).run(`SM${'1'.padStart(32, '0')}`);
    db.close();
    expect(await t.store.deliveryOutcomes(DAY)).toEqual([
      { status: 'delivered', count: 1 },
      { status: 'failed', count: 2 },
      { status: 'undelivered', count: 2 },
    ]);
    await t.store.applyCallStatus({
      callSid: 'CA9', status: 'failed', sequenceNumber: 1, dedupeKey: 'CA9:failed', direction: 'outbound-api', from: '+1', to: '+2',
      duration: null, price: null, priceUnit: null, errorCode: 30007, recordingUrl: null, answeredBy: null, params: {},
    });
    expect(await t.store.topErrorCodes(DAY, 10)).toEqual([
      { code: 30007, calls: 1, messages: 2 },
      { code: 30003, calls: 0, messages: 1 },
      // The store fills in a code that comes with a refused status change, and so do the counts.
      { code: 30005, calls: 0, messages: 1 },
    ]);
    expect(await t.store.topErrorCodes(DAY, 1)).toEqual([{ code: 30007, calls: 1, messages: 2 }]);
    expect(await t.store.deliveryOutcomes({ since: '2026-01-03T00:00:00.000Z', until: '2026-01-04T00:00:00.000Z' })).toEqual([]);
  });

  test("a bulk job's recipients per minute, by outcome, when they finish", async () => {
    at('2026-01-02T03:00:00.000Z');
    const recipients = [1, 2, 3, 4].map((n) => ({ id: `job-r${n}`, kind: 'message' as const, params: { to: `+1555000000${n}` } }));
    await t.store.createBulkJob({ id: 'job-1', params: { body: 'x' }, recipients });
    at('2026-01-02T03:00:30.000Z');
    await t.store.markInFlight('job-r1');
    await t.store.markSent('job-r1', { sid: 'SMj1' }, { kind: 'message', sid: 'SMj1', from: '+1', to: '+2', status: 'queued', body: 'x', mediaUrls: [] });
    await t.store.markInFlight('job-r2');
    await t.store.markFailed('job-r2', { status: 400, code: 21211, message: 'invalid number' });
    at('2026-01-02T03:02:10.000Z');
    await t.store.markInFlight('job-r3');
    await t.store.markUnknown('job-r3', 'timed out');
    expect(await t.store.jobProgress('job-1', 'minute')).toEqual([
      { bucket: '2026-01-02T03:00', state: 'failed', count: 1 },
      { bucket: '2026-01-02T03:00', state: 'sent', count: 1 },
      { bucket: '2026-01-02T03:02', state: 'unknown', count: 1 },
    ]);
    expect(await t.store.jobProgress('job-1', 'hour')).toEqual([
      { bucket: '2026-01-02T03', state: 'failed', count: 1 },
      { bucket: '2026-01-02T03', state: 'sent', count: 1 },
      { bucket: '2026-01-02T03', state: 'unknown', count: 1 },
    ]);
    expect(await t.store.jobProgress('job-other', 'minute')).toEqual([]);
  });
});

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
