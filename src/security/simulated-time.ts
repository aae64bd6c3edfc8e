import { createHmac } from 'node:crypto';
import { safeEqual } from './safe-equal';

// `switchboard simulate … --at` asks the server to evaluate a webhook at another time (business
// hours) without changing its clock. Only someone holding the auth token can ask: the time comes
// with an HMAC of it and the call's (or message's) SID under the token. Twilio never sends these
// headers, so a real webhook is always served at the real time.
export const SIMULATED_TIME_HEADER = 'X-Switchboard-Simulated-Time';
export const SIMULATED_TIME_SIGNATURE_HEADER = 'X-Switchboard-Simulated-Time-Signature';

/** The canonical form signed and accepted: what `Date.prototype.toISOString` writes. */
const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** Base64 HMAC-SHA256 over a label, the time and the SID, so it cannot be reused for another call. */
export function simulatedTimeSignature(authToken: string, time: string, sid: string): string {
  return createHmac('sha256', authToken).update(`switchboard-simulated-time\n${time}\n${sid}`, 'utf8').digest('base64');
}

export interface SimulatedTimeClaim {
  time: string | undefined;
  signature: string | undefined;
  /** CallSid or MessageSid of the webhook. */
  sid: string | undefined;
}

export type SimulatedTimeCheck = { kind: 'absent' } | { kind: 'honoured'; at: Date } | { kind: 'ignored'; reason: string };

/** Whether the webhook's simulated time is authentic; without an auth token it never is. */
export function checkSimulatedTime(authToken: string | undefined, claim: SimulatedTimeClaim): SimulatedTimeCheck {
  if (claim.time === undefined && claim.signature === undefined) return { kind: 'absent' };
  if (authToken === undefined || authToken === '') return { kind: 'ignored', reason: 'TWILIO_AUTH_TOKEN is not set' };
  if (claim.time === undefined || !ISO_UTC.test(claim.time)) return { kind: 'ignored', reason: 'the time is not an ISO 8601 UTC time' };
  const at = new Date(claim.time);
  if (Number.isNaN(at.getTime())) return { kind: 'ignored', reason: 'the time is not a valid date' };
  if (claim.signature === undefined || claim.sid === undefined) return { kind: 'ignored', reason: 'the time is not signed' };
  if (!safeEqual(claim.signature, simulatedTimeSignature(authToken, claim.time, claim.sid))) {
    return { kind: 'ignored', reason: 'the signature of the time does not match' };
  }
  return { kind: 'honoured', at };
}
