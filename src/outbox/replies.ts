// What the API answers for an outbox row. A pure function of the row, so an Idempotency-Key
// replay after a restart gives the same answer as the first request did.
import type { BulkJob, OutboundRequest } from '../store';

export interface ApiReply {
  status: number;
  body: unknown;
}

function pick(answer: Record<string, unknown>, names: ReadonlyArray<[string, string]>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [from, to] of names) out[to] = answer[from] ?? null;
  return out;
}

const CALL_FIELDS: ReadonlyArray<[string, string]> = [
  ['sid', 'sid'],
  ['status', 'status'],
  ['to', 'to'],
  ['from', 'from'],
  ['direction', 'direction'],
  ['date_created', 'dateCreated'],
];

const MESSAGE_FIELDS: ReadonlyArray<[string, string]> = [
  ['sid', 'sid'],
  ['status', 'status'],
  ['to', 'to'],
  ['from', 'from'],
  ['messaging_service_sid', 'messagingServiceSid'],
  ['body', 'body'],
  ['num_segments', 'numSegments'],
  ['num_media', 'numMedia'],
  ['direction', 'direction'],
  ['date_created', 'dateCreated'],
];

function failure(message: string, row: OutboundRequest, extra: Record<string, unknown> = {}): ApiReply {
  return { status: 502, body: { error: { message, ...extra, requestId: row.id } } };
}

/**
 * Whether the row failed without Twilio acting on it: no connection, our own failure before the
 * bytes left, or a 429 Twilio did not process. Its Idempotency-Key is freed for a retry.
 */
export function sentNothing(row: OutboundRequest): boolean {
  return row.state === 'failed' && row.skipReason === null && (row.errorStatus === null || row.errorStatus === 429);
}

/** The reply for a row that has reached a final state; `undefined` while pending or in flight. */
export function replyForRow(row: OutboundRequest): ApiReply | undefined {
  switch (row.state) {
    case 'sent': {
      const answer = row.response ?? {};
      return { status: 201, body: { ...pick(answer, row.kind === 'call' ? CALL_FIELDS : MESSAGE_FIELDS), requestId: row.id } };
    }
    case 'failed': {
      if (row.errorStatus === null) return failure(`Twilio was not reached, nothing was sent: ${row.errorMessage ?? 'unknown error'}`, row);
      const moreInfo = typeof row.response?.more_info === 'string' && row.response.more_info !== '' ? row.response.more_info : undefined;
      return failure(row.errorMessage ?? `Twilio answered ${row.errorStatus}`, row, {
        ...(row.errorCode !== null && { twilioCode: row.errorCode }),
        ...(moreInfo !== undefined && { moreInfo }),
      });
    }
    case 'unknown':
      return failure(
        `The request reached Twilio but no usable answer came back, so its outcome is unknown; it was not resent (${row.errorMessage ?? 'no detail'})`,
        row,
      );
    case 'not_sent':
      return failure(`Not sent: ${row.kind === 'call' ? 'no such call' : 'no such message'} was found at Twilio after its outcome was unknown; resend it on purpose with POST /api/requests/${row.id}/resend`, row);
    default:
      return undefined;
  }
}

export function inProgressReply(): ApiReply {
  return { status: 409, body: { error: { message: 'A request with this Idempotency-Key is still being processed; retry shortly' } } };
}

export function jobAcceptedReply(job: BulkJob): ApiReply {
  return { status: 202, body: { id: job.id, state: job.state, total: job.total, createdAt: job.createdAt } };
}
