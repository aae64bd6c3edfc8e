import type Database from 'better-sqlite3';
import type { Clock } from '../clock';
import type { GroupCommit } from './group-commit';
import type { OptOutRecord, OptOutStore } from './types';

export interface OptOutRow {
  our_number: string;
  their_number: string;
  opted_out: 0 | 1;
  updated_at: string;
}

export function toOptOutRecord(row: OptOutRow): OptOutRecord {
  return { ourNumber: row.our_number, theirNumber: row.their_number, optedOut: row.opted_out === 1, updatedAt: row.updated_at };
}

export function sqliteOptOutStore(db: Database.Database, clock: Clock, writes: GroupCommit): OptOutStore {
  const insertEvent = db.prepare(
    `INSERT INTO opt_out_events (our_number, their_number, action, keyword, source, message_sid, created_at)
     VALUES (@ourNumber, @theirNumber, @action, @keyword, @source, @messageSid, @now)`,
  );
  const upsertState = db.prepare<Record<string, unknown>, OptOutRow>(
    `INSERT INTO opt_outs (our_number, their_number, opted_out, updated_at)
     VALUES (@ourNumber, @theirNumber, @optedOut, @now)
     ON CONFLICT (our_number, their_number) DO UPDATE SET opted_out = excluded.opted_out, updated_at = excluded.updated_at
     RETURNING *`,
  );
  const forPair = db.prepare<[string, string], { n: number }>(
    'SELECT count(*) AS n FROM opt_outs WHERE their_number = ? AND our_number = ? AND opted_out = 1',
  );
  const forAny = db.prepare<[string], { n: number }>('SELECT count(*) AS n FROM opt_outs WHERE their_number = ? AND opted_out = 1');
  const optedOut = db.prepare<[number], OptOutRow>(
    'SELECT * FROM opt_outs WHERE opted_out = 1 ORDER BY updated_at DESC, their_number LIMIT ?',
  );
  const apply = db.transaction((params: Record<string, unknown>) => {
    insertEvent.run(params);
    return upsertState.get(params) as OptOutRow;
  });

  return {
    async applyOptChange(change) {
      const params = { ...change, optedOut: change.action === 'opt-out' ? 1 : 0, now: clock.now().toISOString() };
      const row = await writes.run(() => apply(params));
      return toOptOutRecord(row);
    },
    async isOptedOut(theirNumber, ourNumber) {
      const row = ourNumber === undefined ? forAny.get(theirNumber) : forPair.get(theirNumber, ourNumber);
      return (row?.n ?? 0) > 0;
    },
    async listOptedOut({ limit }) {
      return optedOut.all(limit).map(toOptOutRecord);
    },
  };
}
