import type Database from 'better-sqlite3';
import { decodeCursor, encodeCursor, pageSize } from './cursor';
import { toCallRecord, type CallRow } from './sqlite-calls';
import { toMessageRecord, type MessageRow } from './sqlite-messages';
import type { HistoryFilter, Page, StatusEventRecord, StatusResource, StatusStore } from './status-types';

export interface EventRow {
  id: number;
  resource: StatusResource;
  sid: string;
  status: string | null;
  sequence_number: number | null;
  params: string;
  received_at: string;
}

export function toEventRecord(row: EventRow): StatusEventRecord {
  return {
    id: row.id,
    resource: row.resource,
    sid: row.sid,
    status: row.status,
    sequenceNumber: row.sequence_number,
    params: JSON.parse(row.params) as Record<string, string>,
    receivedAt: row.received_at,
  };
}

/** The same filter and keyset paging for both history tables (names are constants, never input). */
function pageQuery(db: Database.Database, table: 'calls' | 'messages') {
  return db.prepare<Record<string, unknown>, { sid: string; created_at: string }>(
    `SELECT * FROM ${table}
     WHERE (@status IS NULL OR status = @status)
       AND (@number IS NULL OR from_number = @number OR to_number = @number)
       AND (@direction IS NULL OR direction = @direction)
       AND (@since IS NULL OR created_at >= @since)
       AND (@until IS NULL OR created_at < @until)
       AND (@afterCreated IS NULL OR (created_at, sid) < (@afterCreated, @afterSid))
     ORDER BY created_at DESC, sid DESC
     LIMIT @limit`,
  );
}

function readPage<R extends { sid: string; created_at: string }, T>(
  query: Database.Statement<Record<string, unknown>, { sid: string; created_at: string }>,
  filter: HistoryFilter,
  toRecord: (row: R) => T,
): Page<T> {
  const limit = pageSize(filter.limit);
  const after = filter.cursor === undefined ? undefined : decodeCursor(filter.cursor);
  // One extra row tells whether a next page exists without a COUNT.
  const rows = query.all({
    status: filter.status ?? null,
    number: filter.number ?? null,
    direction: filter.direction ?? null,
    since: filter.since?.toISOString() ?? null,
    until: filter.until?.toISOString() ?? null,
    afterCreated: after?.createdAt ?? null,
    afterSid: after?.sid ?? null,
    limit: limit + 1,
  }) as R[];
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  const nextCursor = rows.length > limit && last ? encodeCursor({ createdAt: last.created_at, sid: last.sid }) : null;
  return { items: items.map(toRecord), nextCursor };
}

type HistoryStore = Pick<StatusStore, 'listCalls' | 'listMessages' | 'getCallHistory' | 'getMessageHistory' | 'listStatusEvents'>;

/** The read side of status history: pages of calls and messages, and their event timelines. */
export function sqliteHistoryStore(db: Database.Database): HistoryStore {
  const getCall = db.prepare<[string], CallRow>('SELECT * FROM calls WHERE sid = ?');
  const getMessage = db.prepare<[string], MessageRow>('SELECT * FROM messages WHERE sid = ?');
  const callEvents = db.prepare<[string], EventRow>(
    `SELECT * FROM status_events WHERE sid = ? AND resource IN ('call', 'recording', 'transcription') ORDER BY id`,
  );
  const messageEvents = db.prepare<[string], EventRow>(`SELECT * FROM status_events WHERE sid = ? AND resource = 'message' ORDER BY id`);
  const recentEvents = db.prepare<[number, number], EventRow>('SELECT * FROM status_events WHERE id < ? ORDER BY id DESC LIMIT ?');
  const callPage = pageQuery(db, 'calls');
  const messagePage = pageQuery(db, 'messages');
  return {
    async listCalls(filter = {}) {
      return readPage(callPage, filter, toCallRecord);
    },
    async listMessages(filter = {}) {
      return readPage(messagePage, filter, toMessageRecord);
    },
    async getCallHistory(sid) {
      const row = getCall.get(sid);
      return row && { call: toCallRecord(row), events: callEvents.all(sid).map(toEventRecord) };
    },
    async getMessageHistory(sid) {
      const row = getMessage.get(sid);
      return row && { message: toMessageRecord(row), events: messageEvents.all(sid).map(toEventRecord) };
    },
    async listStatusEvents(page = {}) {
      return recentEvents.all(page.before ?? Number.MAX_SAFE_INTEGER, pageSize(page.limit)).map(toEventRecord);
    },
  };
}
