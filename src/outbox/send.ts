// One attempt at sending an outbox row, and recording what happened. Shared by API requests,
// start-up recovery and bulk jobs; they differ only in what a "try again later" answer means.
import type { Logger } from '../logger';
import type { OutboundRequest, OutboundResource, Store } from '../store';
import {
  TwilioApiError,
  TwilioConnectionError,
  TwilioUnknownOutcomeError,
  type CreateCallInput,
  type SendMessageInput,
  type TwilioClient,
} from '../twilio';

/** Twilio's code for "the recipient replied STOP". */
export const OPTED_OUT_CODE = 21610;

export type SendResult =
  /** `row`: the request as recorded (undefined only if it has vanished meanwhile). */
  | { kind: 'sent'; row: OutboundRequest | undefined }
  | { kind: 'failed' }
  | { kind: 'unknown' }
  /** Twilio did not process it (429, or no connection): safe to send again after `delayMs`. */
  | { kind: 'retryable'; delayMs: number | null; message: string; status: number | null; code: number | null };

export interface SendDeps {
  store: Store;
  twilio: TwilioClient;
  logger: Logger;
}

function text(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

export function resourceOf(row: OutboundRequest, answer: Record<string, unknown>): OutboundResource {
  const params = row.params;
  const sid = String(answer.sid);
  const from = text(answer.from) ?? text(params.from) ?? text(params.messagingServiceSid) ?? '';
  const to = text(answer.to) ?? text(params.to) ?? '';
  const status = text(answer.status) ?? 'queued';
  if (row.kind === 'call') return { kind: 'call', sid, from, to, status };
  const mediaUrls = Array.isArray(params.mediaUrl) ? params.mediaUrl.map(String) : [];
  return { kind: 'message', sid, from, to, status, body: text(answer.body) ?? text(params.body) ?? '', mediaUrls };
}

/**
 * Sends the row (marking it in flight just before the bytes leave) and records the outcome.
 * `onAnswered` runs as soon as the exchange with Twilio is over (with its error, if any), before
 * the outcome is written: the bulk runner counts requests to Twilio, not database writes, against
 * its concurrency, and must pause a sender on a 429 before it starts another request.
 */
export async function sendRow(deps: SendDeps, row: OutboundRequest, onAnswered?: (error?: unknown) => void): Promise<SendResult> {
  const { store, twilio, logger } = deps;
  const beforeSend = ({ attempt }: { attempt: number }) => store.markInFlight(row.id, attempt > 1);
  try {
    const exchange =
      row.kind === 'call'
        ? twilio.createCall(row.params as unknown as CreateCallInput, { beforeSend })
        : twilio.sendMessage(row.params as unknown as SendMessageInput, { beforeSend });
    const answer = await (onAnswered === undefined
      ? exchange
      : exchange.then(
          (resource) => (onAnswered(), resource),
          (error: unknown) => {
            onAnswered(error);
            throw error;
          },
        ));
    const recorded = await store.markSent(row.id, answer as unknown as Record<string, unknown>, resourceOf(row, answer as unknown as Record<string, unknown>));
    return { kind: 'sent', row: recorded };
  } catch (err) {
    if (err instanceof TwilioApiError) {
      if (err.status === 429) {
        return { kind: 'retryable', delayMs: err.retryAfterMs, message: err.message, status: err.status, code: err.code };
      }
      await store.markFailed(row.id, { status: err.status, code: err.code, message: err.message, moreInfo: err.moreInfo });
      if (err.code === OPTED_OUT_CODE && row.kind === 'message') await recordOptOut(deps, row);
      return { kind: 'failed' };
    }
    if (err instanceof TwilioUnknownOutcomeError) {
      await store.markUnknown(row.id, `outcome unknown (${err.reason}): ${err.message}`);
      logger.warn({ requestId: row.id, reason: err.reason }, 'Twilio request outcome unknown; not resent');
      return { kind: 'unknown' };
    }
    if (err instanceof TwilioConnectionError) {
      return { kind: 'retryable', delayMs: null, message: `could not connect to Twilio (${err.causeCode ?? 'no connection'})`, status: null, code: null };
    }
    // Our own failure (the database, or input the client refused): nothing was sent, or the
    // row is already in flight and must not be guessed about.
    const current = await store.getOutbound(row.id);
    if (current?.state === 'in_flight') await store.markUnknown(row.id, `outcome unknown: ${(err as Error).message}`);
    else await store.markFailed(row.id, { status: null, code: null, message: `not sent: ${(err as Error).message}` });
    logger.error({ err, requestId: row.id }, 'outbound request failed before an answer from Twilio');
    return current?.state === 'in_flight' ? { kind: 'unknown' } : { kind: 'failed' };
  }
}

async function recordOptOut(deps: SendDeps, row: OutboundRequest): Promise<void> {
  const ourNumber = text(row.params.from) ?? text(row.params.messagingServiceSid);
  const theirNumber = text(row.params.to);
  if (ourNumber === null || theirNumber === null) return;
  await deps.store.applyOptChange({ ourNumber, theirNumber, action: 'opt-out', keyword: String(OPTED_OUT_CODE), source: 'twilio-error', messageSid: null });
}
