// History of calls and messages for the API: newest first with cursor paging, and one resource
// with the status callbacks Twilio posted about it. (Read-only; the status-callback writer owns
// status_events.)
import type Database from 'better-sqlite3';
import { toCallRecord } from './sqlite-calls';
import { toMessageRecord } from './sqlite-messages';
import type { CallRecord, MessageRecord } from './types';

export interface HistoryFilter {
  status?: string;
  /** Either party: matches `from` or `to`. */
  number?: string;
  limit: number;
  /** From the previous page's `nextCursor`. */
  cursor?: HistoryCursor;
}

export interface HistoryCursor {
  createdAt: string;
  sid: string;
}

export interface HistoryPage<T> {
  items: T[];
  next: HistoryCursor | null;
}

export interface StatusEvent {
  status: string | null;
  sequenceNumber: number | null;
  params: Record<string, unknown>;
  receivedAt: string;
}

export interface HistoryStore {
  listCalls(filter: HistoryFilter): Promise<HistoryPage<CallRecord>>;
  listMessages(filter: HistoryFilter): Promise<HistoryPage<MessageRecord>>;
  getCallWithEvents(sid: string): Promise<(CallRecord & { events: StatusEvent[] }) | undefined>;
  getMessageWithEvents(sid: string): Promise<(MessageRecord & { events: StatusEvent[] }) | undefined>;
}

interface EventRow {
  status: string | null;
  sequence_number: number | null;
  params: string;
  received_at: string;
}

function toEvent(row: EventRow): StatusEvent {
  return { status: row.status, sequenceNumber: row.sequence_number, params: JSON.parse(row.params) as Record<string, unknown>, receivedAt: row.received_at };
}

export function sqliteHistoryStore(db: Database.Database): HistoryStore {
  const events = db.prepare<[string, string], EventRow>(
    'SELECT status, sequence_number, params, received_at FROM status_events WHERE resource = ? AND sid = ? ORDER BY id',
  );

  // Built per filter combination; statements are cached by SQL text.
  const statements = new Map<string, Database.Statement>();
  function page<Row extends { created_at: string; sid: string }>(table: 'calls' | 'messages', filter: HistoryFilter): { rows: Row[]; next: HistoryCursor | null } {
    const where: string[] = [];
    const params: Record<string, unknown> = { limit: filter.limit + 1 };
    if (filter.status !== undefined) {
      where.push('status = @status');
      params.status = filter.status;
    }
    if (filter.number !== undefined) {
      where.push('(from_number = @number OR to_number = @number)');
      params.number = filter.number;
    }
    if (filter.cursor !== undefined) {
      where.push('(created_at, sid) < (@cursorCreatedAt, @cursorSid)');
      params.cursorCreatedAt = filter.cursor.createdAt;
      params.cursorSid = filter.cursor.sid;
    }
    const sql = `SELECT * FROM ${table} ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY created_at DESC, sid DESC LIMIT @limit`;
    let statement = statements.get(sql);
    if (statement === undefined) {
      statement = db.prepare(sql);
      statements.set(sql, statement);
    }
    const rows = statement.all(params) as Row[];
    const more = rows.length > filter.limit;
    const items = more ? rows.slice(0, filter.limit) : rows;
    const last = items[items.length - 1];
    return { rows: items, next: more && last ? { createdAt: last.created_at, sid: last.sid } : null };
  }

  const getCall = db.prepare<[string], Parameters<typeof toCallRecord>[0]>('SELECT * FROM calls WHERE sid = ?');
  const getMessage = db.prepare<[string], Parameters<typeof toMessageRecord>[0]>('SELECT * FROM messages WHERE sid = ?');

  return {
    async listCalls(filter) {
      const { rows, next } = page<Parameters<typeof toCallRecord>[0]>('calls', filter);
      return { items: rows.map(toCallRecord), next };
    },
    async listMessages(filter) {
      const { rows, next } = page<Parameters<typeof toMessageRecord>[0]>('messages', filter);
      return { items: rows.map(toMessageRecord), next };
    },
    async getCallWithEvents(sid) {
      const row = getCall.get(sid);
      return row && { ...toCallRecord(row), events: events.all('call', sid).map(toEvent) };
    },
    async getMessageWithEvents(sid) {
      const row = getMessage.get(sid);
      return row && { ...toMessageRecord(row), events: events.all('message', sid).map(toEvent) };
    },
  };
}
