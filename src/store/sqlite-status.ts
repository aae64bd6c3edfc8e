import type Database from 'better-sqlite3';
import type { Clock } from '../clock';
import type { GroupCommit } from './group-commit';
import { initialCallState, nextCallState, type CallState } from '../status/call-status';
import { initialMessageState, nextMessageState } from '../status/message-status';
import { recordingIsUsable } from '../status/recording';
import { toCallRecord, type CallRow } from './sqlite-calls';
import { sqliteHistoryStore } from './sqlite-history';
import { toMessageRecord, type MessageRow } from './sqlite-messages';
import type { RawParams, StatusResource, StatusStore } from './status-types';

interface NewEvent {
  resource: StatusResource;
  sid: string;
  status: string | null;
  sequenceNumber: number | null;
  dedupeKey: string;
  params: RawParams;
}

export function callState(row: CallRow, statusSequence: number | null): CallState {
  return {
    status: row.status,
    statusSequence,
    duration: row.duration,
    price: row.price,
    priceUnit: row.price_unit,
    errorCode: row.error_code,
    recordingUrl: row.recording_url,
    answeredBy: row.answered_by,
  };
}

export function sqliteStatusStore(db: Database.Database, clock: Clock, writes: GroupCommit): StatusStore {
  const insertEvent = db.prepare(
    `INSERT INTO status_events (resource, sid, status, sequence_number, dedupe_key, params, received_at)
     VALUES (@resource, @sid, @status, @sequenceNumber, @dedupeKey, @params, @now)
     ON CONFLICT (dedupe_key) DO NOTHING`,
  );
  const getCall = db.prepare<[string], CallRow>('SELECT * FROM calls WHERE sid = ?');
  const insertCall = db.prepare(
    `INSERT INTO calls (sid, direction, from_number, to_number, status, duration, price, price_unit,
                        error_code, recording_url, answered_by, created_at, updated_at)
     VALUES (@sid, @direction, @from, @to, @status, @duration, @price, @priceUnit,
             @errorCode, @recordingUrl, @answeredBy, @now, @now)`,
  );
  const updateCall = db.prepare(
    `UPDATE calls SET status = @status, duration = @duration, price = @price,
       price_unit = @priceUnit, error_code = @errorCode, recording_url = @recordingUrl, answered_by = @answeredBy,
       updated_at = @now
     WHERE sid = @sid`,
  );
  // The SequenceNumber that set the current status, without a column for it: any later event of
  // that status with a higher number would have replaced it, so it is the highest one stored.
  const statusSequence = db.prepare<[string, string], { sequence: number | null }>(
    `SELECT max(sequence_number) AS sequence FROM status_events WHERE sid = ? AND resource = 'call' AND status = ?`,
  );
  const setRecordingUrl = db.prepare(
    `UPDATE calls SET recording_url = @url, updated_at = @now WHERE sid = @sid AND recording_url IS NOT @url`,
  );
  const getMessage = db.prepare<[string], MessageRow>('SELECT * FROM messages WHERE sid = ?');
  const insertMessage = db.prepare(
    `INSERT INTO messages (sid, direction, from_number, to_number, body, status, error_code, price, price_unit, created_at, updated_at)
     VALUES (@sid, @direction, @from, @to, @body, @status, @errorCode, @price, @priceUnit, @now, @now)`,
  );
  const updateMessage = db.prepare(
    `UPDATE messages SET status = @status, error_code = @errorCode, price = @price, price_unit = @priceUnit, updated_at = @now
     WHERE sid = @sid`,
  );

  /** False when the event was stored before: the caller must then change nothing. */
  function storeEvent(event: NewEvent, now: string): boolean {
    return insertEvent.run({ ...event, params: JSON.stringify(event.params), now }).changes === 1;
  }

  const applyCall = db.transaction((event: Parameters<StatusStore['applyCallStatus']>[0], now: string) => {
    const { callSid: sid } = event;
    const before = getCall.get(sid);
    // Read before this event is stored, or it would count itself.
    const sequence = before && (statusSequence.get(sid, before.status)?.sequence ?? null);
    const fresh = storeEvent(
      { resource: 'call', sid, status: event.status, sequenceNumber: event.sequenceNumber, dedupeKey: event.dedupeKey, params: event.params },
      now,
    );
    if (!fresh) return { duplicate: true, created: false, statusApplied: false, record: before && toCallRecord(before) };
    if (!before) {
      insertCall.run({
        ...initialCallState(event),
        sid,
        direction: event.direction ?? 'outbound-api',
        from: event.from ?? '',
        to: event.to ?? '',
        now,
      });
      return { duplicate: false, created: true, statusApplied: true, record: toCallRecord(getCall.get(sid) as CallRow) };
    }
    const next = nextCallState(callState(before, sequence ?? null), event);
    if (next.changed) updateCall.run({ ...next.state, sid, now });
    return { duplicate: false, created: false, statusApplied: next.statusApplied, record: toCallRecord(getCall.get(sid) as CallRow) };
  });

  const applyMessage = db.transaction((event: Parameters<StatusStore['applyMessageStatus']>[0], now: string) => {
    const { messageSid: sid } = event;
    const fresh = storeEvent(
      { resource: 'message', sid, status: event.status, sequenceNumber: event.sequenceNumber, dedupeKey: event.dedupeKey, params: event.params },
      now,
    );
    const row = getMessage.get(sid);
    if (!fresh) return { duplicate: true, created: false, statusApplied: false, record: row && toMessageRecord(row) };
    if (!row) {
      insertMessage.run({
        ...initialMessageState(event),
        sid,
        direction: event.direction ?? 'outbound-api',
        from: event.from ?? '',
        to: event.to ?? '',
        body: event.body ?? '',
        now,
      });
      return { duplicate: false, created: true, statusApplied: true, record: toMessageRecord(getMessage.get(sid) as MessageRow) };
    }
    const next = nextMessageState(
      { status: row.status, errorCode: row.error_code, price: row.price, priceUnit: row.price_unit },
      event,
    );
    if (next.changed) updateMessage.run({ ...next.state, sid, now });
    return { duplicate: false, created: false, statusApplied: next.statusApplied, record: toMessageRecord(getMessage.get(sid) as MessageRow) };
  });

  const applyRecording = db.transaction((event: Parameters<StatusStore['recordRecording']>[0], now: string) => {
    const fresh = storeEvent(
      { resource: 'recording', sid: event.callSid ?? event.recordingSid, status: event.status, sequenceNumber: null, dedupeKey: event.dedupeKey, params: event.params },
      now,
    );
    if (!fresh) return { duplicate: true, callUpdated: false };
    const usable = event.callSid !== null && event.recordingUrl !== null && recordingIsUsable(event.status);
    const callUpdated = usable && setRecordingUrl.run({ sid: event.callSid, url: event.recordingUrl, now }).changes === 1;
    return { duplicate: false, callUpdated };
  });

  // IMMEDIATE takes the write lock before the row is read, so a second process sharing the file
  // cannot decide from the same old status.
  return {
    async applyCallStatus(event) {
      return writes.run(() => applyCall(event, clock.now().toISOString()));
    },
    async applyMessageStatus(event) {
      return writes.run(() => applyMessage(event, clock.now().toISOString()));
    },
    async recordRecording(event) {
      return writes.run(() => applyRecording(event, clock.now().toISOString()));
    },
    async recordTranscription(event) {
      const transcription = { resource: 'transcription', sid: event.callSid ?? event.recordingSid, status: event.status, sequenceNumber: null, dedupeKey: event.dedupeKey, params: event.params } as const;
      const stored = await writes.run(() => storeEvent(transcription, clock.now().toISOString()));
      return { duplicate: !stored };
    },
    ...sqliteHistoryStore(db),
  };
}
