import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { Clock } from '../clock';
import { MIGRATIONS } from './migrations';
import type { CallRecord, InboundCall, InboundMessage, MessageRecord, Store } from './types';

export class StoreError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StoreError';
  }
}

/** Opens (creating when needed) the SQLite file and brings its schema up to date. */
export function openSqliteStore(file: string, clock: Clock): Store {
  if (file !== ':memory:') fs.mkdirSync(path.dirname(file), { recursive: true });
  let db: Database.Database;
  try {
    db = new Database(file);
  } catch (err) {
    throw new StoreError(`cannot open database ${file}: ${(err as Error).message}`, { cause: err });
  }
  try {
    db.pragma('journal_mode = WAL');
    // NORMAL is durable across application crashes in WAL mode; only an OS crash can lose the
    // last transactions, which is the trade-off SQLite recommends for WAL.
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    migrate(db);
  } catch (err) {
    db.close();
    if (err instanceof StoreError) throw err;
    throw new StoreError(`cannot open database ${file}: ${(err as Error).message}`, { cause: err });
  }
  return new SqliteStore(db, clock);
}

export function migrate(db: Database.Database): number {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > MIGRATIONS.length) {
    throw new StoreError(
      `database schema version ${current} is newer than this Switchboard knows (${MIGRATIONS.length}); upgrade Switchboard`,
    );
  }
  const apply = db.transaction((version: number, sql: string) => {
    db.exec(sql);
    db.pragma(`user_version = ${version}`);
  });
  for (let version = current + 1; version <= MIGRATIONS.length; version++) {
    apply(version, MIGRATIONS[version - 1] as string);
  }
  return MIGRATIONS.length;
}

interface CallRow {
  sid: string;
  direction: CallRecord['direction'];
  from_number: string;
  to_number: string;
  status: string;
  duration: number | null;
  price: string | null;
  price_unit: string | null;
  error_code: number | null;
  recording_url: string | null;
  answered_by: string | null;
  created_at: string;
  updated_at: string;
}

interface MessageRow {
  sid: string;
  direction: MessageRecord['direction'];
  from_number: string;
  to_number: string;
  body: string;
  num_media: number;
  media_urls: string;
  status: string;
  error_code: number | null;
  price: string | null;
  price_unit: string | null;
  created_at: string;
  updated_at: string;
}

class SqliteStore implements Store {
  private readonly statements;

  constructor(
    private readonly db: Database.Database,
    private readonly clock: Clock,
  ) {
    this.statements = {
      ping: db.prepare('SELECT 1'),
      insertCall: db.prepare(
        `INSERT INTO calls (sid, direction, from_number, to_number, status, created_at, updated_at)
         VALUES (@sid, 'inbound', @from, @to, @status, @now, @now)
         ON CONFLICT (sid) DO NOTHING`,
      ),
      insertMessage: db.prepare(
        `INSERT INTO messages (sid, direction, from_number, to_number, body, num_media, media_urls, status, created_at, updated_at)
         VALUES (@sid, 'inbound', @from, @to, @body, @numMedia, @mediaUrls, 'received', @now, @now)
         ON CONFLICT (sid) DO NOTHING`,
      ),
      getCall: db.prepare<[string], CallRow>('SELECT * FROM calls WHERE sid = ?'),
      getMessage: db.prepare<[string], MessageRow>('SELECT * FROM messages WHERE sid = ?'),
    };
  }

  async ping(): Promise<void> {
    this.statements.ping.get();
  }

  async recordInboundCall(call: InboundCall): Promise<void> {
    this.statements.insertCall.run({ ...call, now: this.now() });
  }

  async recordInboundMessage(message: InboundMessage): Promise<void> {
    this.statements.insertMessage.run({
      sid: message.sid,
      from: message.from,
      to: message.to,
      body: message.body,
      numMedia: message.mediaUrls.length,
      mediaUrls: JSON.stringify(message.mediaUrls),
      now: this.now(),
    });
  }

  async getCall(sid: string): Promise<CallRecord | undefined> {
    const row = this.statements.getCall.get(sid);
    return row && {
      sid: row.sid,
      direction: row.direction,
      from: row.from_number,
      to: row.to_number,
      status: row.status,
      duration: row.duration,
      price: row.price,
      priceUnit: row.price_unit,
      errorCode: row.error_code,
      recordingUrl: row.recording_url,
      answeredBy: row.answered_by,
      createdAt: row.created_at,
      updatedAt: row.updated_at,
    };
  }

  async getMessage(sid: string): Promise<MessageRecord | undefined> {
    const row = this.statements.getMessage.get(sid);
    return row && {
      sid: row.sid,
      direction: row.direction,
      from: row.from_number,
      to: row.to_number,
      body: row.body,
      numMedia: row.num_media,
      mediaUrls: JSON.parse(row.media_urls) as string[],
      status: row.status,
      errorCode: row.error_code,
      price: row.price,
      priceUnit: row.price_unit,
      createdAt: row.created_at,
      updatedAt: row.updated_at,
    };
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }

  private now(): string {
    return this.clock.now().toISOString();
  }
}
