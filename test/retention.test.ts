import Database from 'better-sqlite3';
import { Pruner } from '../src/retention/pruner';
import { buildTestApp, type TestApp } from './support/app';

const NOW = new Date('2026-03-01T00:00:00.000Z');
// Retention 30 days: the cut is 2026-01-30T00:00:00Z.
const OLD = '2026-01-29T23:59:59.999Z';
const NEW = '2026-01-30T00:00:00.000Z';

let t: TestApp;
let db: Database.Database;

beforeEach(() => {
  t = buildTestApp();
  t.clock.set(NOW);
  // A second connection, as any other reader of the file: the seed is written exactly as listed.
  db = new Database(t.config.databasePath);
  seed(db);
});

afterEach(async () => {
  db.close();
  await t.close();
});

function seed(db: Database.Database): void {
  const call = db.prepare(`INSERT INTO calls (sid, direction, from_number, to_number, status, created_at, updated_at) VALUES (?, 'inbound', '+15550001111', '+15550002222', 'completed', ?, ?)`);
  const message = db.prepare(`INSERT INTO messages (sid, direction, from_number, to_number, body, status, created_at, updated_at) VALUES (?, 'inbound', '+15550001111', '+15550002222', 'hi', 'received', ?, ?)`);
  const event = db.prepare(`INSERT INTO status_events (resource, sid, status, dedupe_key, params, received_at) VALUES ('call', 'CA-x', 'completed', ?, '{}', ?)`);
  const voicemail = db.prepare(`INSERT INTO voicemails (call_sid, recording_sid, from_number, to_number, source, created_at, updated_at) VALUES ('CA-x', ?, '+15550001111', '+15550002222', 'flow:vm', ?, ?)`);
  const request = db.prepare(`INSERT INTO outbound_requests (id, kind, params, state, job_id, created_at, updated_at) VALUES (?, 'message', '{}', ?, ?, ?, ?)`);
  const job = db.prepare(`INSERT INTO bulk_jobs (id, state, total, params, created_at, updated_at) VALUES (?, ?, 1, '{}', ?, ?)`);
  const key = db.prepare(`INSERT INTO api_idempotency (key, fingerprint, created_at) VALUES (?, 'f', ?)`);
  db.transaction(() => {
    for (const [sid, at] of [['CA-old-1', OLD], ['CA-old-2', OLD], ['CA-old-3', OLD], ['CA-new', NEW]]) call.run(sid, at, at);
    for (const [sid, at] of [['SM-old', OLD], ['SM-new', NEW]]) message.run(sid, at, at);
    for (const [dedupe, at] of [['ev-old-1', OLD], ['ev-old-2', OLD], ['ev-new', NEW]]) event.run(dedupe, at);
    for (const [recording, at] of [['RE-old', OLD], ['RE-new', NEW]]) voicemail.run(recording, at, at);
    const requests: Array<[string, string, string | null, string]> = [
      ['r-pending', 'pending', null, OLD],
      ['r-in-flight', 'in_flight', null, OLD],
      ['r-unknown', 'unknown', null, OLD],
      ['r-sent', 'sent', null, OLD],
      ['r-failed', 'failed', null, OLD],
      ['r-not-sent', 'not_sent', null, OLD],
      ['r-sent-new', 'sent', null, NEW],
      ['r-not-sent-new', 'not_sent', null, NEW],
      ['running-sent', 'sent', 'job-running', OLD],
      ['running-pending', 'pending', 'job-running', OLD],
      ['done-sent', 'sent', 'job-done', OLD],
      ['done-failed', 'failed', 'job-done', OLD],
      ['done-unknown', 'unknown', 'job-done-unknown', OLD],
    ];
    for (const [id, state, jobId, at] of requests) request.run(id, state, jobId, at, at);
    for (const [id, state, at] of [['job-running', 'running', OLD], ['job-done', 'completed', OLD], ['job-done-unknown', 'completed', OLD], ['job-done-new', 'completed', NEW]]) job.run(id, state, at, at);
    for (const [name, at] of [['key-old', OLD], ['key-new', NEW]]) key.run(name, at);
    db.prepare(`INSERT INTO opt_outs (our_number, their_number, opted_out, updated_at) VALUES ('+15550002222', '+15550001111', 1, ?)`).run(OLD);
    db.prepare(`INSERT INTO opt_out_events (our_number, their_number, action, keyword, source, created_at) VALUES ('+15550002222', '+15550001111', 'opt-out', 'STOP', 'inbound-sms', ?)`).run(OLD);
  })();
}

const column = (sql: string): unknown[] => db.prepare(sql).raw().all().map((row) => (row as unknown[])[0]);

// Which rows a prune deletes and keeps, batch by batch, is part of the store contract
// (test/store/contract/retention.ts), run over SQLite and PostgreSQL; here the Pruner's timer and
// SQLite's query plans.

test('on its timer: soon after start, one log line with what went, and stop() waits for the batch in progress', async () => {
  const logger = { info: jest.fn(), error: jest.fn() };
  const pruner = new Pruner({ store: t.store, clock: t.clock, logger, retentionDays: 30, firstRunMs: 0, intervalMs: 60_000 });
  pruner.start();
  for (let i = 0; i < 200 && logger.info.mock.calls.length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 10));
  await pruner.stop();
  expect(logger.info.mock.calls).toEqual([
    [{ deleted: { calls: 3, messages: 1, statusEvents: 2, voicemails: 1, outbox: 5, bulkJobs: 1, idempotency: 1 }, retentionDays: 30 }, 'old history pruned'],
  ]);
  expect(column('SELECT sid FROM calls')).toEqual(['CA-new']);
});

test('every batch finds its rows through an index, never a scan of the table', () => {
  const plans = [
    "SELECT rowid FROM calls WHERE created_at < '2026' LIMIT 500",
    "SELECT rowid FROM messages WHERE created_at < '2026' LIMIT 500",
    "SELECT id FROM status_events WHERE received_at < '2026' LIMIT 500",
    "SELECT id FROM voicemails WHERE created_at < '2026' LIMIT 500",
    "SELECT rowid FROM outbound_requests WHERE state IN ('sent', 'failed', 'not_sent') AND created_at < '2026' LIMIT 500",
    "SELECT rowid FROM api_idempotency WHERE created_at < '2026' LIMIT 500",
  ].map((sql) => [sql, db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all().map((row) => (row as { detail: string }).detail).join('; ')]);
  for (const [sql, plan] of plans) expect(`${sql}: ${plan}`).toMatch(/: SEARCH .* USING (COVERING )?INDEX/);
});
