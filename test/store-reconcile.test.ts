// Migration 5 and the reconcile store (src/store/sqlite-reconcile.ts): the outbox table rebuilt
// for the `not_sent` state with its rows and rowids intact, one row per sid, and the notes.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { MIGRATIONS, openSqliteStore, type Store } from '../src/store';

const clock = { now: () => new Date('2026-03-04T05:06:07.000Z') };
let dir: string;
let file: string;
let store: Store | undefined;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'switchboard-reconcile-'));
  file = path.join(dir, 'switchboard.db');
});
afterEach(async () => {
  await store?.close();
  store = undefined;
  fs.rmSync(dir, { recursive: true, force: true });
});

const params = (to: string) => JSON.stringify({ to, from: '+15550000000', body: 'x' });

test('migration 5 keeps every outbox row, its rowid and its fields, and allows not_sent', async () => {
  const older = new Database(file);
  for (const sql of MIGRATIONS.slice(0, 4)) older.exec(sql);
  older.pragma('user_version = 4');
  const insert = older.prepare(
    `INSERT INTO outbound_requests (rowid, id, kind, params, state, attempts, twilio_sid, error_message, job_id, next_attempt_at, skip_reason, created_at, updated_at)
     VALUES (?, ?, 'message', ?, ?, ?, ?, ?, ?, ?, ?, 't0', 't1')`,
  );
  insert.run(7, 'b', params('+15550000002'), 'unknown', 1, null, 'outcome unknown (timeout)', 'job_1', null, null);
  insert.run(3, 'a', params('+15550000001'), 'sent', 1, 'SM1', null, 'job_1', null, null);
  insert.run(9, 'c', params('+15550000003'), 'failed', 0, null, 'recipient opted out; not sent', 'job_1', null, 'opted-out');
  expect(() => older.prepare("UPDATE outbound_requests SET state = 'not_sent' WHERE id = 'b'").run()).toThrow(/CHECK constraint failed/);
  older.close();

  store = openSqliteStore(file, clock);
  const db = new Database(file, { readonly: true });
  const rows = db.prepare('SELECT rowid, id, state, attempts, twilio_sid, error_message, job_id, skip_reason, created_at, updated_at, reconcile_checks FROM outbound_requests ORDER BY rowid').all();
  const indexes = db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'outbound_requests' AND sql IS NOT NULL ORDER BY name").all();
  db.close();
  expect(rows).toEqual([
    { rowid: 3, id: 'a', state: 'sent', attempts: 1, twilio_sid: 'SM1', error_message: null, job_id: 'job_1', skip_reason: null, created_at: 't0', updated_at: 't1', reconcile_checks: 0 },
    { rowid: 7, id: 'b', state: 'unknown', attempts: 1, twilio_sid: null, error_message: 'outcome unknown (timeout)', job_id: 'job_1', skip_reason: null, created_at: 't0', updated_at: 't1', reconcile_checks: 0 },
    { rowid: 9, id: 'c', state: 'failed', attempts: 0, twilio_sid: null, error_message: 'recipient opted out; not sent', job_id: 'job_1', skip_reason: 'opted-out', created_at: 't0', updated_at: 't1', reconcile_checks: 0 },
  ]);
  expect(indexes).toEqual([{ name: 'outbound_requests_by_job' }, { name: 'outbound_requests_by_sid' }, { name: 'outbound_requests_by_state' }]);

  const note = { checkedAt: '2026-03-04T05:06:07.000Z', candidates: [], outcome: 'gave-up' as const, message: 'not sent: gone' };
  expect(await store.markNotSent('b', 'not sent: gone', note)).toBe(true);
  expect(await store.getOutbound('b')).toMatchObject({ state: 'not_sent', errorMessage: 'not sent: gone', updatedAt: '2026-03-04T05:06:07.000Z' });
  // Only from unknown.
  expect(await store.markNotSent('a', 'not sent: gone', note)).toBe(false);
  expect(await store.getOutbound('a')).toMatchObject({ state: 'sent' });
});

test('a sid belongs to one row: claimedSids sees it, and a second row cannot take it', async () => {
  store = openSqliteStore(file, clock);
  for (const id of ['r1', 'r2']) await store.insertOutbound({ id, kind: 'message', params: { to: '+15550000001' } });
  const resource = { kind: 'message' as const, sid: 'SM1', from: '+1', to: '+2', status: 'queued', body: 'x', mediaUrls: [] };
  await store.markSent('r1', { sid: 'SM1' }, resource);

  expect(await store.claimedSids(['SM1', 'SM2'], 'r2')).toEqual(['SM1']);
  expect(await store.claimedSids(['SM1', 'SM2'], 'r1')).toEqual([]);
  expect(await store.claimedSids([], 'r2')).toEqual([]);
  // SQLite's error comes from another realm than the test's, so it is read by its message.
  const refused = await store.markSent('r2', { sid: 'SM1' }, resource).then(
    () => 'no error',
    (error: unknown) => (error as Error).message,
  );
  expect(refused).toBe('UNIQUE constraint failed: outbound_requests.twilio_sid');
  expect(await store.getOutbound('r2')).toMatchObject({ state: 'pending', twilioSid: null });
});

test('notes count look-ups and leave the state and updatedAt alone; listUnknown is oldest first; reopen only from not_sent', async () => {
  store = openSqliteStore(file, clock);
  for (const id of ['u1', 'u2', 'p1']) await store.insertOutbound({ id, kind: 'message', params: { to: '+15550000001' } });
  await store.markUnknown('u1', 'outcome unknown (timeout)');
  await store.markUnknown('u2', 'outcome unknown (timeout)');
  expect((await store.listUnknown(10)).map((r) => r.id)).toEqual(['u1', 'u2']);
  expect((await store.listUnknown(1)).map((r) => r.id)).toEqual(['u1']);
  expect(await store.getReconciliation('u1')).toBeUndefined();
  expect(await store.getReconciliation('missing')).toBeUndefined();

  const before = await store.getOutbound('u1');
  await store.noteReconciliation('u1', { checkedAt: 'T1', candidates: [], outcome: 'no-match', message: 'no match at Twilio yet' });
  await store.noteReconciliation('u1', { checkedAt: 'T2', candidates: ['SM1', 'SM2'], outcome: 'ambiguous', message: 'two' });
  expect(await store.getReconciliation('u1')).toEqual({ checkedAt: 'T2', checks: 2, candidates: ['SM1', 'SM2'], outcome: 'ambiguous', message: 'two' });
  expect(await store.getOutbound('u1')).toEqual(before);

  expect(await store.reopenNotSent('u2')).toBeUndefined();
  await store.markNotSent('u2', 'not sent', { checkedAt: 'T3', candidates: [], outcome: 'gave-up', message: 'not sent' });
  expect(await store.reopenNotSent('u2')).toMatchObject({ id: 'u2', state: 'pending', errorMessage: null, attempts: 0 });
  expect(await store.reopenNotSent('u2')).toBeUndefined();
  expect(await store.getReconciliation('u2')).toMatchObject({ checks: 1, outcome: 'gave-up' });
});
