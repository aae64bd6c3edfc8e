import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { MIGRATIONS, openSqliteStore, StoreError, type Store } from '../../src/store';
import { describeStoreContract } from './contract';

// The contract over SQLite: one file per test.
let contractDir: string;
let contractFile: string;
describeStoreContract('SQLite', () => ({
  async reset() {
    if (contractDir) fs.rmSync(contractDir, { recursive: true, force: true });
    contractDir = fs.mkdtempSync(path.join(os.tmpdir(), 'switchboard-contract-'));
    contractFile = path.join(contractDir, 'switchboard.db');
  },
  async open(clock) {
    return openSqliteStore(contractFile, clock);
  },
  async rows(sql) {
    const db = new Database(contractFile, { readonly: true });
    try {
      return db.prepare(sql).all() as Array<Record<string, unknown>>;
    } finally {
      db.close();
    }
  },
  async exec(sql) {
    const db = new Database(contractFile);
    try {
      db.exec(sql);
    } finally {
      db.close();
    }
  },
}));
afterAll(() => {
  if (contractDir) fs.rmSync(contractDir, { recursive: true, force: true });
});

// What only SQLite has: the file, WAL, user_version and its query plans.
const clock = { now: () => new Date('2026-03-04T05:06:07.000Z') };
let dir: string;
let file: string;
const open: Store[] = [];

function openStore(): Store {
  const store = openSqliteStore(file, clock);
  open.push(store);
  return store;
}

function inspect<T>(query: (db: Database.Database) => T): T {
  const db = new Database(file, { readonly: true });
  try {
    return query(db);
  } finally {
    db.close();
  }
}

describe('SQLite only', () => {
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'switchboard-store-'));
    file = path.join(dir, 'nested', 'switchboard.db');
  });

  afterEach(async () => {
    for (const store of open.splice(0)) await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

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

    const params = (to: string) => JSON.stringify({ to, from: '+15550000000', body: 'x' });
    test('migration 5 keeps every outbox row, its rowid and its fields, and allows not_sent', async () => {
      fs.mkdirSync(path.dirname(file), { recursive: true });
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

      const store = openStore();
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
});
