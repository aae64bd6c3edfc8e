import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { MIGRATIONS, openSqliteStore, StoreError, type Store } from '../src/store';

const clock = { now: () => new Date('2026-03-04T05:06:07.000Z') };
let dir: string;
let file: string;
const open: Store[] = [];

function openStore(): Store {
  const store = openSqliteStore(file, clock);
  open.push(store);
  return store;
}

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'switchboard-store-'));
  file = path.join(dir, 'nested', 'switchboard.db');
});

afterEach(async () => {
  for (const store of open.splice(0)) await store.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

function inspect<T>(query: (db: Database.Database) => T): T {
  const db = new Database(file, { readonly: true });
  try {
    return query(db);
  } finally {
    db.close();
  }
}

describe('migrations', () => {
  test('create the database file, its folder and every table on first open, in WAL mode', async () => {
    await openStore().ping();
    expect(fs.existsSync(file)).toBe(true);
    const { version, tables, mode } = inspect((db) => ({
      version: db.pragma('user_version', { simple: true }),
      mode: db.pragma('journal_mode', { simple: true }),
      tables: db
        .prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        .all()
        .map((row) => row.name),
    }));
    expect(version).toBe(MIGRATIONS.length);
    expect(mode).toBe('wal');
    expect(tables).toEqual(['api_idempotency', 'bulk_jobs', 'calls', 'chart_activity', 'chart_errors', 'chart_job_progress', 'chart_outcomes', 'messages', 'opt_out_events', 'opt_outs', 'outbound_requests', 'status_events', 'voicemails']);
  });

  test('opt-out questions use an index, with or without our number (never a scan of the ledger)', async () => {
    await openStore().ping();
    const plans = inspect((db) =>
      [
        'SELECT count(*) AS n FROM opt_outs WHERE their_number = ? AND our_number = ? AND opted_out = 1',
        'SELECT count(*) AS n FROM opt_outs WHERE their_number = ? AND opted_out = 1',
      ].map((sql) =>
        db
          .prepare(`EXPLAIN QUERY PLAN ${sql}`)
          .all(...(sql.includes('our_number') ? ['+15550001111', '+15550002222'] : ['+15550001111']))
          .map((row) => (row as { detail: string }).detail)
          .join('; '),
      ),
    );
    expect(plans).toEqual([
      'SEARCH opt_outs USING INDEX sqlite_autoindex_opt_outs_1 (our_number=? AND their_number=?)',
      'SEARCH opt_outs USING COVERING INDEX opt_outs_by_their_number (their_number=?)',
    ]);
  });

  test('leave an existing, current database and its rows as they are', async () => {
    const first = openStore();
    await first.recordInboundCall({ sid: 'CA1', from: '+15550001111', to: '+15550002222', status: 'ringing' });
    await first.close();

    const second = openStore();
    expect(await second.getCall('CA1')).toMatchObject({ sid: 'CA1', status: 'ringing' });
    expect(inspect((db) => db.pragma('user_version', { simple: true }))).toBe(MIGRATIONS.length);
  });

  test('apply only the missing migrations to a database at version 1', async () => {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const older = new Database(file);
    older.exec(MIGRATIONS[0] as string);
    older.pragma('user_version = 1');
    older
      .prepare(
        "INSERT INTO calls (sid, direction, from_number, to_number, status, created_at, updated_at) VALUES ('CA9', 'inbound', '+1', '+2', 'completed', 't', 't')",
      )
      .run();
    older.close();

    const store = openStore();
    expect(await store.getCall('CA9')).toMatchObject({ sid: 'CA9', status: 'completed' });
    expect(inspect((db) => db.pragma('user_version', { simple: true }))).toBe(MIGRATIONS.length);
    expect(inspect((db) => db.prepare('SELECT count(*) AS n FROM voicemails').get())).toEqual({ n: 0 });
  });

  test('refuse a database written by a newer Switchboard', () => {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const newer = new Database(file);
    newer.pragma(`user_version = ${MIGRATIONS.length + 1}`);
    newer.close();
    expect(() => openStore()).toThrow(
      new StoreError(
        `database schema version ${MIGRATIONS.length + 1} is newer than this Switchboard knows (${MIGRATIONS.length}); upgrade Switchboard`,
      ),
    );
  });

  test('refuse a file that is not a database with a clear error', () => {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, 'this is not sqlite '.repeat(100));
    expect(() => openStore()).toThrow(`cannot open database ${file}: file is not a database`);
  });
});

describe('inbound records', () => {
  test('store an inbound call once, whatever later webhooks say', async () => {
    const store = openStore();
    await store.recordInboundCall({ sid: 'CA1', from: '+15550001111', to: '+15550002222', status: 'ringing' });
    await store.recordInboundCall({ sid: 'CA1', from: '+1999', to: '+1888', status: 'in-progress' });
    const rows = inspect((db) => db.prepare('SELECT * FROM calls').all());
    expect(rows).toEqual([
      {
        sid: 'CA1',
        direction: 'inbound',
        from_number: '+15550001111',
        to_number: '+15550002222',
        status: 'ringing',
        duration: null,
        price: null,
        price_unit: null,
        error_code: null,
        recording_url: null,
        answered_by: null,
        created_at: '2026-03-04T05:06:07.000Z',
        updated_at: '2026-03-04T05:06:07.000Z',
      },
    ]);
  });

  test('store an inbound message with its media, once', async () => {
    const store = openStore();
    const message = { sid: 'SM1', from: '+15550001111', to: '+15550002222', body: 'héllo 👋', mediaUrls: ['https://m/1', 'https://m/2'] };
    await store.recordInboundMessage(message);
    await store.recordInboundMessage({ ...message, body: 'retry' });
    expect(inspect((db) => db.prepare('SELECT * FROM messages').all())).toEqual([
      {
        sid: 'SM1',
        direction: 'inbound',
        from_number: '+15550001111',
        to_number: '+15550002222',
        body: 'héllo 👋',
        num_media: 2,
        media_urls: '["https://m/1","https://m/2"]',
        status: 'received',
        error_code: null,
        price: null,
        price_unit: null,
        created_at: '2026-03-04T05:06:07.000Z',
        updated_at: '2026-03-04T05:06:07.000Z',
      },
    ]);
    expect(await store.getMessage('SM1')).toEqual({
      sid: 'SM1',
      direction: 'inbound',
      from: '+15550001111',
      to: '+15550002222',
      body: 'héllo 👋',
      numMedia: 2,
      mediaUrls: ['https://m/1', 'https://m/2'],
      status: 'received',
      errorCode: null,
      price: null,
      priceUnit: null,
      createdAt: '2026-03-04T05:06:07.000Z',
      updatedAt: '2026-03-04T05:06:07.000Z',
    });
  });

  test('answer undefined for unknown sids', async () => {
    const store = openStore();
    expect(await store.getCall('CAnope')).toBeUndefined();
    expect(await store.getMessage('SMnope')).toBeUndefined();
  });
});

describe('voicemails', () => {
  const base = { callSid: 'CA1', from: '+15550001111', to: '+15550002222', source: 'flow:voicemail' };

  test('are stored once per recording, filled in by later posts, never erased', async () => {
    const store = openStore();
    await store.saveVoicemail({ ...base, recordingSid: 'RE1', recordingUrl: null, duration: null });
    await store.saveVoicemail({ ...base, recordingSid: 'RE1', recordingUrl: 'https://api.twilio.com/RE1', duration: 12 });
    const again = await store.saveVoicemail({ ...base, recordingSid: 'RE1', recordingUrl: null, duration: null });
    expect(again).toEqual({
      id: 1,
      ...base,
      recordingSid: 'RE1',
      recordingUrl: 'https://api.twilio.com/RE1',
      duration: 12,
      transcription: null,
      transcriptionStatus: null,
      createdAt: '2026-03-04T05:06:07.000Z',
      updatedAt: '2026-03-04T05:06:07.000Z',
    });
    expect(inspect((db) => db.prepare('SELECT count(*) AS n FROM voicemails').get())).toEqual({ n: 1 });
  });

  test('take their transcription, whichever arrives first', async () => {
    const store = openStore();
    const early = await store.saveTranscription({ ...base, recordingSid: 'RE2', recordingUrl: 'https://r/RE2', text: 'call me back', status: 'completed' });
    expect(early).toMatchObject({ recordingSid: 'RE2', transcription: 'call me back', transcriptionStatus: 'completed', duration: null });
    const full = await store.saveVoicemail({ ...base, recordingSid: 'RE2', recordingUrl: 'https://r/RE2', duration: 7 });
    expect(full).toMatchObject({ transcription: 'call me back', duration: 7 });
    expect(await store.getVoicemailByRecording('RE2')).toEqual(full);
  });

  test('are listed newest first, a page at a time', async () => {
    const store = openStore();
    for (const sid of ['RE1', 'RE2', 'RE3']) await store.saveVoicemail({ ...base, recordingSid: sid, recordingUrl: null, duration: 1 });
    const first = await store.listVoicemails({ limit: 2 });
    expect(first.map((v) => v.recordingSid)).toEqual(['RE3', 'RE2']);
    const next = await store.listVoicemails({ limit: 2, before: first[1]?.id });
    expect(next.map((v) => v.recordingSid)).toEqual(['RE1']);
  });
});

describe('opt-out ledger', () => {
  const pair = { ourNumber: '+15550002222', theirNumber: '+15550001111' };

  test('records every change with its time and keeps the current state per pair', async () => {
    const store = openStore();
    expect(await store.isOptedOut(pair.theirNumber)).toBe(false);
    await store.applyOptChange({ ...pair, action: 'opt-out', keyword: 'STOP', source: 'inbound-sms', messageSid: 'SM1' });
    expect(await store.isOptedOut(pair.theirNumber, pair.ourNumber)).toBe(true);
    expect(await store.isOptedOut(pair.theirNumber)).toBe(true);
    expect(await store.isOptedOut(pair.theirNumber, '+15559999999')).toBe(false);
    const back = await store.applyOptChange({ ...pair, action: 'opt-in', keyword: 'START', source: 'inbound-sms', messageSid: 'SM2' });
    expect(back).toEqual({ ...pair, optedOut: false, updatedAt: '2026-03-04T05:06:07.000Z' });
    expect(await store.isOptedOut(pair.theirNumber)).toBe(false);
    expect(inspect((db) => db.prepare('SELECT our_number, their_number, action, keyword, source, message_sid, created_at FROM opt_out_events ORDER BY id').all())).toEqual([
      { our_number: '+15550002222', their_number: '+15550001111', action: 'opt-out', keyword: 'STOP', source: 'inbound-sms', message_sid: 'SM1', created_at: '2026-03-04T05:06:07.000Z' },
      { our_number: '+15550002222', their_number: '+15550001111', action: 'opt-in', keyword: 'START', source: 'inbound-sms', message_sid: 'SM2', created_at: '2026-03-04T05:06:07.000Z' },
    ]);
  });

  test('lists who is opted out now', async () => {
    const store = openStore();
    await store.applyOptChange({ ...pair, action: 'opt-out', keyword: 'STOP', source: 'inbound-sms', messageSid: null });
    await store.applyOptChange({ ourNumber: pair.ourNumber, theirNumber: '+15553334444', action: 'opt-out', keyword: '21610', source: 'twilio-error', messageSid: null });
    await store.applyOptChange({ ourNumber: pair.ourNumber, theirNumber: '+15553334444', action: 'opt-in', keyword: 'UNSTOP', source: 'inbound-sms', messageSid: null });
    expect(await store.listOptedOut({ limit: 10 })).toEqual([{ ...pair, optedOut: true, updatedAt: '2026-03-04T05:06:07.000Z' }]);
  });
});

describe('releaseIdempotency', () => {
  const since = '2026-03-04T00:00:00.000Z';
  const claim = (key: string) => ({ key, fingerprint: 'f', since });

  test('frees the key of that request only, and never a key with a saved answer', async () => {
    const store = openStore();
    await store.insertOutbound({ id: 'r1', kind: 'message', params: { to: '+15550000001' } }, claim('free-me'));
    await store.releaseIdempotency('free-me', 'someone-else');
    expect((await store.findIdempotency('free-me', since))?.requestId).toBe('r1');
    await store.releaseIdempotency('free-me', 'r1');
    expect(await store.findIdempotency('free-me', since)).toBeUndefined();

    await store.insertOutbound({ id: 'r2', kind: 'message', params: { to: '+15550000002' } }, claim('answered'));
    await store.saveIdempotentResponse('answered', 201, { sid: 'SM1' });
    await store.releaseIdempotency('answered', 'r2');
    expect(await store.findIdempotency('answered', since)).toMatchObject({ requestId: 'r2', responseStatus: 201, responseBody: { sid: 'SM1' } });
  });
});
