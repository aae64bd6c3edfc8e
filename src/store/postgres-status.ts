import type { Pool, PoolClient } from 'pg';
import type { Clock } from '../clock';
import { initialCallState, nextCallState } from '../status/call-status';
import { initialMessageState, nextMessageState } from '../status/message-status';
import { recordingIsUsable } from '../status/recording';
import type { PgGroupCommit } from './postgres-commit';
import { postgresHistoryStore } from './postgres-history';
import { toCallRecord, type CallRow } from './sqlite-calls';
import { toMessageRecord, type MessageRow } from './sqlite-messages';
import { callState } from './sqlite-status';
import type { ApplyResult, CallStatusEvent, MessageStatusEvent, RawParams, StatusResource, StatusStore } from './status-types';
import type { CallRecord, MessageRecord } from './types';

interface NewEvent {
  resource: StatusResource;
  sid: string;
  status: string | null;
  sequenceNumber: number | null;
  dedupeKey: string;
  params: RawParams;
}

/** The new event's id, or undefined when the same event was stored before (by any instance). */
async function storeEvent(client: PoolClient, event: NewEvent, now: string): Promise<number | undefined> {
  const { rows } = await client.query<{ id: number }>(
    `INSERT INTO status_events (resource, sid, status, sequence_number, dedupe_key, params, received_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7)
     ON CONFLICT (dedupe_key) DO NOTHING
     RETURNING id`,
    [event.resource, event.sid, event.status, event.sequenceNumber, event.dedupeKey, JSON.stringify(event.params), now],
  );
  return rows[0]?.id;
}

/**
 * The row, locked until the transaction ends: another instance applying a callback for the same
 * call waits here, then decides from this one's outcome, so a status never moves backwards.
 */
async function lockCall(client: PoolClient, sid: string): Promise<CallRow | undefined> {
  return (await client.query<CallRow>('SELECT * FROM calls WHERE sid = $1 FOR UPDATE', [sid])).rows[0];
}

async function lockMessage(client: PoolClient, sid: string): Promise<MessageRow | undefined> {
  return (await client.query<MessageRow>('SELECT * FROM messages WHERE sid = $1 FOR UPDATE', [sid])).rows[0];
}

async function applyCall(client: PoolClient, event: CallStatusEvent, now: string): Promise<ApplyResult<CallRecord>> {
  const { callSid: sid } = event;
  const eventId = await storeEvent(
    client,
    { resource: 'call', sid, status: event.status, sequenceNumber: event.sequenceNumber, dedupeKey: event.dedupeKey, params: event.params },
    now,
  );
  let before = await lockCall(client, sid);
  if (eventId === undefined) return { duplicate: true, created: false, statusApplied: false, record: before && toCallRecord(before) };
  if (!before) {
    const initial = initialCallState(event);
    const { rows } = await client.query<CallRow>(
      `INSERT INTO calls (sid, direction, from_number, to_number, status, duration, price, price_unit,
                          error_code, recording_url, answered_by, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12)
       ON CONFLICT (sid) DO NOTHING
       RETURNING *`,
      [sid, event.direction ?? 'outbound-api', event.from ?? '', event.to ?? '', initial.status, initial.duration, initial.price,
        initial.priceUnit, initial.errorCode, initial.recordingUrl, initial.answeredBy, now],
    );
    if (rows[0]) return { duplicate: false, created: true, statusApplied: true, record: toCallRecord(rows[0]) };
    // Another instance (or the voice webhook) created the row meanwhile: this event updates it.
    before = (await lockCall(client, sid)) as CallRow;
  }
  // The SequenceNumber that set the current status, without a column for it: any later event of
  // that status with a higher number would have replaced it, so it is the highest one stored.
  const { rows: seq } = await client.query<{ sequence: number | null }>(
    `SELECT max(sequence_number) AS sequence FROM status_events WHERE sid = $1 AND resource = 'call' AND status = $2 AND id <> $3`,
    [sid, before.status, eventId],
  );
  const next = nextCallState(callState(before, seq[0]?.sequence ?? null), event);
  if (!next.changed) return { duplicate: false, created: false, statusApplied: next.statusApplied, record: toCallRecord(before) };
  const s = next.state;
  const { rows } = await client.query<CallRow>(
    `UPDATE calls SET status = $2, duration = $3, price = $4, price_unit = $5, error_code = $6, recording_url = $7,
       answered_by = $8, updated_at = $9
     WHERE sid = $1 RETURNING *`,
    [sid, s.status, s.duration, s.price, s.priceUnit, s.errorCode, s.recordingUrl, s.answeredBy, now],
  );
  return { duplicate: false, created: false, statusApplied: next.statusApplied, record: toCallRecord(rows[0] as CallRow) };
}

async function applyMessage(client: PoolClient, event: MessageStatusEvent, now: string): Promise<ApplyResult<MessageRecord>> {
  const { messageSid: sid } = event;
  const eventId = await storeEvent(
    client,
    { resource: 'message', sid, status: event.status, sequenceNumber: event.sequenceNumber, dedupeKey: event.dedupeKey, params: event.params },
    now,
  );
  let row = await lockMessage(client, sid);
  if (eventId === undefined) return { duplicate: true, created: false, statusApplied: false, record: row && toMessageRecord(row) };
  if (!row) {
    const initial = initialMessageState(event);
    const { rows } = await client.query<MessageRow>(
      `INSERT INTO messages (sid, direction, from_number, to_number, body, status, error_code, price, price_unit, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10)
       ON CONFLICT (sid) DO NOTHING
       RETURNING *`,
      [sid, event.direction ?? 'outbound-api', event.from ?? '', event.to ?? '', event.body ?? '', initial.status, initial.errorCode,
        initial.price, initial.priceUnit, now],
    );
    if (rows[0]) return { duplicate: false, created: true, statusApplied: true, record: toMessageRecord(rows[0]) };
    row = (await lockMessage(client, sid)) as MessageRow;
  }
  const next = nextMessageState({ status: row.status, errorCode: row.error_code, price: row.price, priceUnit: row.price_unit }, event);
  if (!next.changed) return { duplicate: false, created: false, statusApplied: next.statusApplied, record: toMessageRecord(row) };
  const s = next.state;
  const { rows } = await client.query<MessageRow>(
    `UPDATE messages SET status = $2, error_code = $3, price = $4, price_unit = $5, updated_at = $6 WHERE sid = $1 RETURNING *`,
    [sid, s.status, s.errorCode, s.price, s.priceUnit, now],
  );
  return { duplicate: false, created: false, statusApplied: next.statusApplied, record: toMessageRecord(rows[0] as MessageRow) };
}

export function postgresStatusStore(pool: Pool, clock: Clock, writes: PgGroupCommit): StatusStore {
  return {
    async applyCallStatus(event) {
      const now = clock.now().toISOString();
      return writes.run((client) => applyCall(client, event, now));
    },
    async applyMessageStatus(event) {
      const now = clock.now().toISOString();
      return writes.run((client) => applyMessage(client, event, now));
    },
    async recordRecording(event) {
      const now = clock.now().toISOString();
      return writes.run(async (client) => {
        const stored = await storeEvent(
          client,
          { resource: 'recording', sid: event.callSid ?? event.recordingSid, status: event.status, sequenceNumber: null, dedupeKey: event.dedupeKey, params: event.params },
          now,
        );
        if (stored === undefined) return { duplicate: true, callUpdated: false };
        const usable = event.callSid !== null && event.recordingUrl !== null && recordingIsUsable(event.status);
        if (!usable) return { duplicate: false, callUpdated: false };
        const { rowCount } = await client.query(
          'UPDATE calls SET recording_url = $2, updated_at = $3 WHERE sid = $1 AND recording_url IS DISTINCT FROM $2',
          [event.callSid, event.recordingUrl, now],
        );
        return { duplicate: false, callUpdated: rowCount === 1 };
      });
    },
    async recordTranscription(event) {
      const now = clock.now().toISOString();
      const transcription = { resource: 'transcription', sid: event.callSid ?? event.recordingSid, status: event.status, sequenceNumber: null, dedupeKey: event.dedupeKey, params: event.params } as const;
      const stored = await writes.run((client) => storeEvent(client, transcription, now));
      return { duplicate: stored === undefined };
    },
    ...postgresHistoryStore(pool),
  };
}
