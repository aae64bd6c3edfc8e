// `switchboard migrate-store`: a SQLite store, seeded through the Store API with every kind of
// row, copied into PostgreSQL by the real CLI; everything read back through the PostgreSQL store
// equals what the SQLite store answers.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { openPostgresStore, openSqliteStore, type Store } from '../../src/store';
import { settableClock } from '../support/app';
import { runCli } from '../support/cli';
import { APP_PASSWORD, startPostgres, type PostgresCluster } from '../support/postgres';
import { describeNeeding, postgresPart } from '../support/system-parts';

const US = '+15005550006';
const THEM = '+15551230001';
const OTHER = '+15551230002';
const OLD = '2000-01-01T00:00:00.000Z';
/** The day seed() writes in, for the charts. */
const SEEDED_DAY = { since: '2026-03-01T00:00:00.000Z', until: '2026-03-02T00:00:00.000Z' };

/** Every row of the dashboard's count tables, in one order on both databases. */
const CHART_QUERIES = [
  'SELECT kind, hour, direction, count FROM chart_activity ORDER BY kind, hour, direction',
  'SELECT day, status, count FROM chart_outcomes ORDER BY day, status',
  'SELECT day, kind, code, count FROM chart_errors ORDER BY day, kind, code',
  'SELECT job_id, minute, state, count FROM chart_job_progress ORDER BY job_id, minute, state',
];

async function seed(store: Store, clock: ReturnType<typeof settableClock>): Promise<void> {
  let t = Date.parse('2026-03-01T10:00:00.000Z');
  const tick = () => clock.set(new Date((t += 1_000)));
  const call = (sid: string, status: string, seq: number, extra: Record<string, unknown> = {}) => ({
    callSid: sid, status, sequenceNumber: seq, dedupeKey: `${sid}-${status}`, direction: null, from: null, to: null, duration: null,
    price: null, priceUnit: null, errorCode: null, recordingUrl: null, answeredBy: null, params: { CallSid: sid, CallStatus: status }, ...extra,
  });
  tick(); await store.recordInboundCall({ sid: 'CA1', from: THEM, to: US, status: 'ringing' });
  tick(); await store.applyCallStatus(call('CA1', 'completed', 3, { duration: 42, price: '-0.0085', priceUnit: 'USD', answeredBy: 'human' }));
  tick(); await store.applyCallStatus(call('CA2', 'busy', 1, { direction: 'outbound-api', from: US, to: OTHER, errorCode: 31486 }));
  tick(); await store.recordInboundMessage({ sid: 'SM1', from: THEM, to: US, body: 'héllo ☎ "quoted"\nline', mediaUrls: ['https://example.com/m/1'] });
  tick();
  await store.applyMessageStatus({
    messageSid: 'SM1', status: 'received', sequenceNumber: null, dedupeKey: 'SM1-received', direction: null, from: null, to: null, body: null,
    errorCode: null, price: '-0.0079', priceUnit: 'USD', params: { MessageSid: 'SM1', SmsStatus: 'received' },
  });
  tick(); await store.recordRecording({ callSid: 'CA1', recordingSid: 'RE1', status: 'completed', recordingUrl: 'https://example.com/RE1', duration: 12, dedupeKey: 'RE1-completed', params: { RecordingSid: 'RE1' } });
  tick(); await store.recordTranscription({ callSid: 'CA1', recordingSid: 'RE1', status: 'completed', dedupeKey: 'RE1-tx', params: { TranscriptionText: 'hi' } });
  tick(); await store.saveVoicemail({ callSid: 'CA1', recordingSid: 'RE1', from: THEM, to: US, recordingUrl: 'https://example.com/RE1', duration: 12, source: 'node:voicemail' });
  tick(); await store.saveTranscription({ recordingSid: 'RE1', callSid: 'CA1', from: THEM, to: US, recordingUrl: 'https://example.com/RE1', text: 'call me back', status: 'completed', source: 'node:voicemail' });
  tick(); await store.saveTranscription({ recordingSid: 'RE2', callSid: 'CA2', from: OTHER, to: US, recordingUrl: null, text: null, status: 'failed', source: 'twimlet:voicemail' });
  tick(); await store.applyOptChange({ ourNumber: US, theirNumber: THEM, action: 'opt-out', keyword: 'STOP', source: 'inbound-sms', messageSid: 'SM9' });
  tick(); await store.applyOptChange({ ourNumber: US, theirNumber: THEM, action: 'opt-in', keyword: 'START', source: 'inbound-sms', messageSid: null });
  tick(); await store.applyOptChange({ ourNumber: US, theirNumber: OTHER, action: 'opt-out', keyword: '21610', source: 'twilio-error', messageSid: null });

  const single = (id: string, key?: string) =>
    store.insertOutbound({ id, kind: id.endsWith('c') ? 'call' : 'message', params: { to: THEM, body: `b ${id}` } }, key === undefined ? undefined : { key, fingerprint: `fp-${key}`, since: OLD });
  tick(); await single('req-sent', 'key-1');
  tick(); await store.markInFlight('req-sent');
  tick(); await store.markSent('req-sent', { sid: 'SM2', status: 'queued' }, { kind: 'message', sid: 'SM2', from: US, to: THEM, status: 'queued', body: 'b req-sent', mediaUrls: [] });
  tick(); await store.saveIdempotentResponse('key-1', 201, { sid: 'SM2', status: 'queued' });
  tick(); await single('req-failed'); await store.markInFlight('req-failed');
  tick(); await store.markFailed('req-failed', { status: 400, code: 21211, message: 'invalid To', moreInfo: 'https://www.twilio.com/docs/errors/21211' });
  tick(); await single('req-unknown-c', 'key-2'); await store.markInFlight('req-unknown-c');
  tick(); await store.markUnknown('req-unknown-c', 'connection reset');
  tick(); await store.noteReconciliation('req-unknown-c', { checkedAt: '2026-03-01T10:30:00.000Z', candidates: ['CA7', 'CA8'], outcome: 'ambiguous', message: 'two calls fit' });
  tick(); await single('req-not-sent'); await store.markInFlight('req-not-sent');
  tick(); await store.markUnknown('req-not-sent', 'timed out');
  tick(); await store.markNotSent('req-not-sent', 'no such message at Twilio', { checkedAt: '2026-03-01T10:40:00.000Z', candidates: [], outcome: 'gave-up', message: 'none in 24 h' });
  tick(); await single('req-pending');
  tick(); await single('req-later'); await store.markInFlight('req-later');
  tick(); await store.reschedule('req-later', '2026-03-01T11:00:00.000Z', 'Twilio answered 429');
  tick(); await single('req-flight'); await store.markInFlight('req-flight');

  const recipients = (job: string, n: number) => Array.from({ length: n }, (_, i) => ({ id: `${job}-r${i}`, kind: 'message' as const, params: { to: `+1555999000${i}`, body: 'bulk' } }));
  tick(); await store.createBulkJob({ id: 'job-done', params: { body: 'bulk', count: 2 }, recipients: recipients('job-done', 2) });
  for (const id of ['job-done-r0', 'job-done-r1']) {
    tick(); await store.markInFlight(id);
    await store.markSent(id, { sid: `SM-${id}` }, { kind: 'message', sid: `SM-${id}`, from: US, to: THEM, status: 'sent', body: 'bulk', mediaUrls: [] });
  }
  tick(); await store.completeFinishedJobs();
  tick(); await store.createBulkJob({ id: 'job-running', params: { body: 'bulk' }, recipients: recipients('job-running', 4) }, { key: 'key-3', fingerprint: 'fp-3', since: OLD });
  tick(); await store.markInFlight('job-running-r0'); await store.markFailed('job-running-r0', { status: null, code: null, message: 'opted out', skipReason: 'opted-out' });
  tick(); await store.markInFlight('job-running-r1'); await store.reschedule('job-running-r1', '2026-03-01T12:00:00.000Z', '429');
}

/** Everything the Store API answers about the seeded rows. */
async function snapshot(store: Store): Promise<Record<string, unknown>> {
  const calls = (await store.listCalls({ limit: 200 })).items;
  const messages = (await store.listMessages({ limit: 200 })).items;
  const outboxIds = ['req-sent', 'req-failed', 'req-unknown-c', 'req-not-sent', 'req-pending', 'req-later', 'req-flight', 'job-done-r0', 'job-done-r1', ...[0, 1, 2, 3].map((i) => `job-running-r${i}`)];
  return {
    calls,
    callHistories: await Promise.all(calls.map((c) => store.getCallHistory(c.sid))),
    messages,
    messageHistories: await Promise.all(messages.map((m) => store.getMessageHistory(m.sid))),
    statusEvents: await store.listStatusEvents({ limit: 200 }),
    voicemails: await store.listVoicemails({ limit: 200 }),
    optedOut: await store.listOptedOut({ limit: 200 }),
    optStates: await Promise.all([THEM, OTHER].map((n) => store.isOptedOut(n, US))),
    outbox: await Promise.all(outboxIds.map((id) => store.getOutbound(id))),
    reconciliation: await Promise.all(outboxIds.map((id) => store.getReconciliation(id))),
    unknown: await store.listUnknown(100),
    idempotency: await Promise.all(['key-1', 'key-2', 'key-3'].map((key) => store.findIdempotency(key, OLD))),
    pendingSingles: await store.listPendingSingles(100),
    bulkJobs: await store.listBulkJobs({ limit: 100 }),
    bulkProgress: await Promise.all(['job-done', 'job-running'].map((id) => store.getBulkJob(id))),
    due: await store.dueJobRecipients('2026-03-01T13:00:00.000Z', 100),
    nextAttempt: await store.nextJobAttemptAt(),
    charts: {
      calls: await store.activity('calls', 'hour', SEEDED_DAY),
      messages: await store.activity('messages', 'day', SEEDED_DAY),
      outcomes: await store.deliveryOutcomes(SEEDED_DAY),
      errorCodes: await store.topErrorCodes(SEEDED_DAY, 10),
      jobs: await Promise.all(['job-done', 'job-running'].map((id) => store.jobProgress(id, 'minute'))),
    },
  };
}

describeNeeding(postgresPart())('switchboard migrate-store --from sqlite:… --to postgres://…', () => {
  let cluster: PostgresCluster;
  let dir: string;
  let file: string;
  let expected: Record<string, unknown>;
  let ledger: unknown[];
  let charts: unknown[][];
  const clock = settableClock();
  beforeAll(async () => {
    cluster = await startPostgres();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'switchboard-migrate-'));
    file = path.join(dir, 'switchboard.db');
    const store = openSqliteStore(file, clock);
    await seed(store, clock);
    expected = await snapshot(store);
    await store.close();
    const db = new Database(file, { readonly: true });
    ledger = db.prepare('SELECT * FROM opt_out_events ORDER BY id').all();
    charts = CHART_QUERIES.map((sql) => db.prepare(sql).all());
    db.close();
  }, 60_000);
  afterAll(async () => {
    await cluster?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('copies every row in one go; the PostgreSQL store answers exactly as the SQLite one; new ids follow the copied ones', async () => {
    const url = await cluster.createDatabase();
    const run = await runCli(['migrate-store', '--from', `sqlite:${file}`, '--to', url]);
    const where = `127.0.0.1:${cluster.port}/${url.split('/').pop()}`;
    expect(run).toEqual({
      code: 0,
      stderr: '',
      stdout:
        `copied sqlite:${file} to ${where}: calls 2, messages 4, status_events 5, voicemails 2, opt_outs 2, opt_out_events 3, ` +
        'outbound_requests 13, bulk_jobs 2, api_idempotency 3, chart_activity 4, chart_outcomes 0, chart_errors 1, chart_job_progress 2\n',
    });
    expect(run.stdout).not.toContain(APP_PASSWORD);

    const store = await openPostgresStore({ url, poolSize: 2 }, clock);
    try {
      expect(await snapshot(store)).toEqual(expected);
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        const { rows } = await client.query('SELECT CAST(id AS INTEGER) AS id, our_number, their_number, action, keyword, source, message_sid, created_at FROM opt_out_events ORDER BY id');
        expect(rows).toEqual(ledger);
        // The dashboard's counts are SQLite's, not recounted by PostgreSQL's triggers.
        const copied = [];
        for (const sql of CHART_QUERIES) copied.push((await client.query(sql)).rows);
        expect(copied).toEqual(charts);
        expect(charts.flat().length).toBeGreaterThan(0);
      } finally {
        await client.end();
      }
      // The identity sequences were moved past the copied ids: a new row takes the next one.
      clock.set(new Date('2026-03-02T00:00:00.000Z'));
      const voicemail = await store.saveVoicemail({ callSid: 'CA9', recordingSid: 'RE9', from: THEM, to: US, recordingUrl: null, duration: 1, source: 'node:voicemail' });
      expect(voicemail.id).toBe(3);
      await store.insertOutbound({ id: 'after', kind: 'message', params: { to: OTHER, body: 'after' } });
      // In the order of insertion (the copied rowids, then the new row); req-later is due by now.
      expect((await store.listPendingSingles(100)).map((r) => r.id)).toEqual(['req-pending', 'req-later', 'after']);
    } finally {
      await store.close();
    }
  });

  test('a target that already holds rows is refused, and nothing is copied into it', async () => {
    const url = await cluster.createDatabase();
    const store = await openPostgresStore({ url, poolSize: 2 }, clock);
    await store.recordInboundCall({ sid: 'CA-existing', from: THEM, to: US, status: 'ringing' });
    await store.close();
    const run = await runCli(['migrate-store', '--from', `sqlite:${file}`, '--to', url]);
    const where = `127.0.0.1:${cluster.port}/${url.split('/').pop()}`;
    expect(run).toEqual({
      code: 1,
      stdout: '',
      stderr: `switchboard: ${where} already holds rows (calls 1); migrate-store copies into an empty database only; nothing was copied\n`,
    });
    const reopened = await openPostgresStore({ url, poolSize: 2 }, clock);
    try {
      expect((await reopened.listCalls()).items.map((c) => c.sid)).toEqual(['CA-existing']);
      expect((await reopened.listMessages()).items).toEqual([]);
    } finally {
      await reopened.close();
    }
  });

  test('a wrong password, a missing file and a wrong --from are one line each, never showing the password', async () => {
    const url = await cluster.createDatabase();
    const wrong = url.replace(APP_PASSWORD, 'not-the-Pa55word');
    const where = `127.0.0.1:${cluster.port}/${url.split('/').pop()}`;
    const denied = await runCli(['migrate-store', '--from', `sqlite:${file}`, '--to', wrong]);
    expect(denied).toEqual({
      code: 1,
      stdout: '',
      stderr: `switchboard: cannot open PostgreSQL database ${where}: password authentication failed for user "switchboard"\n`,
    });
    const missing = await runCli(['migrate-store', '--from', 'sqlite:/nonexistent/x.db', '--to', url]);
    expect(missing).toEqual({ code: 1, stdout: '', stderr: 'switchboard: cannot open SQLite database /nonexistent/x.db: Cannot open database because the directory does not exist\n' });
    const notSqlite = await runCli(['migrate-store', '--from', file, '--to', url]);
    expect(notSqlite.stderr).toBe(`switchboard: --from must be sqlite:<path> (got "${file.slice(0, 40)}")\n`);
    const notPostgres = await runCli(['migrate-store', '--from', `sqlite:${file}`, '--to', `mysql://u:${APP_PASSWORD}@h/db`]);
    expect(notPostgres).toEqual({ code: 1, stdout: '', stderr: 'switchboard: --to must be a postgres:// or postgresql:// URL (got "mysql:")\n' });
    for (const run of [denied, missing, notSqlite, notPostgres]) expect(run.stdout + run.stderr).not.toContain(APP_PASSWORD);
  });
});
