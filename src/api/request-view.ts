// What GET /api/requests/:id shows of an outbox row: its state and what is known of its outcome,
// not the request's content (a message body is the caller's business, and in the history).
import type { OutboundRequest, ReconciliationNotes } from '../store';
import { invalid } from './errors';

/** The ids the outbox gives out (UUIDs, src/outbox/ids.ts). */
const REQUEST_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function checkRequestId(raw: string): string {
  if (!REQUEST_ID.test(raw)) {
    const shown = raw.length > 64 ? `${raw.slice(0, 64)}…` : raw;
    throw invalid('id', `Expected a request id (the requestId of an answer, a UUID); got ${JSON.stringify(shown)}`);
  }
  return raw;
}

export function requestView(row: OutboundRequest, notes: ReconciliationNotes | undefined) {
  return {
    id: row.id,
    kind: row.kind,
    state: row.state,
    to: typeof row.params.to === 'string' ? row.params.to : null,
    sid: row.twilioSid,
    attempts: row.attempts,
    jobId: row.jobId,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    errorStatus: row.errorStatus,
    errorCode: row.errorCode,
    errorMessage: row.errorMessage,
    reconciliation: notes ?? null,
  };
}
