import type Database from 'better-sqlite3';
import type { Clock } from '../clock';
import type { GroupCommit } from './group-commit';
import type { CallRecord, CallStore } from './types';

export interface CallRow {
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

export function toCallRecord(row: CallRow): CallRecord {
  return {
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

export function sqliteCallStore(db: Database.Database, clock: Clock, writes: GroupCommit): CallStore {
  const insert = db.prepare(
    `INSERT INTO calls (sid, direction, from_number, to_number, status, created_at, updated_at)
     VALUES (@sid, 'inbound', @from, @to, @status, @now, @now)
     ON CONFLICT (sid) DO NOTHING`,
  );
  const get = db.prepare<[string], CallRow>('SELECT * FROM calls WHERE sid = ?');
  return {
    async recordInboundCall(call) {
      await writes.run(() => insert.run({ ...call, now: clock.now().toISOString() }));
    },
    async getCall(sid) {
      const row = get.get(sid);
      return row && toCallRecord(row);
    },
  };
}
