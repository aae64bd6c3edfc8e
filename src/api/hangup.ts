import { TwilioApiError, type CallStatus, type TwilioClient } from '../twilio';
import { ApiError, invalidValue } from './errors';

const CALL_SID = /^CA[0-9a-fA-F]{32}$/;
const NOT_ANSWERED: ReadonlySet<CallStatus> = new Set(['queued', 'ringing']);
const ENDED: ReadonlySet<CallStatus> = new Set(['completed', 'canceled', 'failed', 'busy', 'no-answer']);

export function checkCallSid(sid: string): string {
  if (!CALL_SID.test(sid)) throw invalidValue('sid', 'Expected a call SID: CA followed by 32 hexadecimal characters', sid);
  return sid;
}

/**
 * Ends a call: `canceled` while it is queued or ringing, `completed` once answered. If it is
 * answered between our look-up and the cancel (which then does nothing), it is completed instead.
 */
export async function hangUp(twilio: TwilioClient, sid: string): Promise<{ sid: string; status: CallStatus; previousStatus: CallStatus }> {
  const call = await twilio.fetchCall(sid);
  if (ENDED.has(call.status)) {
    throw new ApiError(409, `Call ${sid} has already ended (status ${call.status})`, { field: 'sid' });
  }
  let updated = await twilio.updateCall(sid, { status: NOT_ANSWERED.has(call.status) ? 'canceled' : 'completed' });
  if (!ENDED.has(updated.status)) updated = await twilio.updateCall(sid, { status: 'completed' });
  return { sid, status: updated.status, previousStatus: call.status };
}

/** Twilio's "not found" for a call becomes our 404. */
export function isNotFound(err: unknown): err is TwilioApiError {
  return err instanceof TwilioApiError && err.status === 404;
}
