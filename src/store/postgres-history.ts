import type { Pool } from 'pg';
import { decodeCursor, encodeCursor, pageSize } from './cursor';
import { toCallRecord, type CallRow } from './sqlite-calls';
import { toEventRecord, type EventRow } from './sqlite-history';
import { toMessageRecord, type MessageRow } from './sqlite-messages';
import type { HistoryFilter, Page, StatusStore } from './status-types';

/** The same filter and keyset paging for both history tables (names are constants, never input). */
async function readPage<R extends { sid: string; created_at: string }, T>(
  pool: Pool,
  table: 'calls' | 'messages',
  filter: HistoryFilter,
  toRecord: (row: R) => T,
): Promise<Page<T>> {
  const limit = pageSize(filter.limit);
  const after = filter.cursor === undefined ? undefined : decodeCursor(filter.cursor);
  // One extra row tells whether a next page exists without a COUNT.
  const { rows } = await pool.query<R>(
    `SELECT * FROM ${table}
     WHERE ($1::text IS NULL OR status = $1)
       AND ($2::text IS NULL OR from_number = $2 OR to_number = $2)
       AND ($3::text IS NULL OR direction = $3)
       AND ($4::text IS NULL OR created_at >= $4)
       AND ($5::text IS NULL OR created_at < $5)
       AND ($6::text IS NULL OR (created_at, sid) < ($6, $7::text))
     ORDER BY created_at DESC, sid DESC
     LIMIT $8`,
    [
      filter.status ?? null,
      filter.number ?? null,
      filter.direction ?? null,
      filter.since?.toISOString() ?? null,
      filter.until?.toISOString() ?? null,
      after?.createdAt ?? null,
      after?.sid ?? null,
      limit + 1,
    ],
  );
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  const nextCursor = rows.length > limit && last ? encodeCursor({ createdAt: last.created_at, sid: last.sid }) : null;
  return { items: items.map(toRecord), nextCursor };
}

type HistoryStore = Pick<StatusStore, 'listCalls' | 'listMessages' | 'getCallHistory' | 'getMessageHistory' | 'listStatusEvents'>;

/** The read side of status history: pages of calls and messages, and their event timelines. */
export function postgresHistoryStore(pool: Pool): HistoryStore {
  return {
    async listCalls(filter = {}) {
      return readPage(pool, 'calls', filter, toCallRecord);
    },
    async listMessages(filter = {}) {
      return readPage(pool, 'messages', filter, toMessageRecord);
    },
    async getCallHistory(sid) {
      const { rows } = await pool.query<CallRow>('SELECT * FROM calls WHERE sid = $1', [sid]);
      if (!rows[0]) return undefined;
      const events = await pool.query<EventRow>(
        `SELECT * FROM status_events WHERE sid = $1 AND resource IN ('call', 'recording', 'transcription') ORDER BY id`,
        [sid],
      );
      return { call: toCallRecord(rows[0]), events: events.rows.map(toEventRecord) };
    },
    async getMessageHistory(sid) {
      const { rows } = await pool.query<MessageRow>('SELECT * FROM messages WHERE sid = $1', [sid]);
      if (!rows[0]) return undefined;
      const events = await pool.query<EventRow>(`SELECT * FROM status_events WHERE sid = $1 AND resource = 'message' ORDER BY id`, [sid]);
      return { message: toMessageRecord(rows[0]), events: events.rows.map(toEventRecord) };
    },
    async listStatusEvents(page = {}) {
      const { rows } = await pool.query<EventRow>('SELECT * FROM status_events WHERE id < $1 ORDER BY id DESC LIMIT $2', [
        page.before ?? Number.MAX_SAFE_INTEGER,
        pageSize(page.limit),
      ]);
      return rows.map(toEventRecord);
    },
  };
}
