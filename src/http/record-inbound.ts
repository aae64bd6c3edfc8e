import type { Request } from 'express';
import type { Store } from '../store';
import { mediaUrlsOf, twilioParams, type TwilioParams } from './twilio-params';

/**
 * Records the call a voice webhook belongs to. The caller is answered even when the database
 * fails: the failure is logged with the request id instead.
 */
export async function recordInboundCall(store: Store, req: Request): Promise<void> {
  const params = twilioParams(req);
  const sid = params.CallSid;
  if (sid === undefined) return;
  try {
    await store.recordInboundCall({ sid, from: params.From ?? '', to: params.To ?? '', status: params.CallStatus ?? 'ringing' });
  } catch (err) {
    req.log.error({ err, callSid: sid }, 'could not record inbound call');
  }
}

/**
 * Records an inbound message with its media URLs; like calls, a database failure is only logged.
 * A route that has read the parameters already passes them in.
 */
export async function recordInboundMessage(store: Store, req: Request, params: TwilioParams = twilioParams(req)): Promise<void> {
  const sid = params.MessageSid ?? params.SmsSid;
  if (sid === undefined) return;
  const mediaUrls = mediaUrlsOf(params);
  try {
    await store.recordInboundMessage({ sid, from: params.From ?? '', to: params.To ?? '', body: params.Body ?? '', mediaUrls });
  } catch (err) {
    req.log.error({ err, messageSid: sid }, 'could not record inbound message');
  }
}
