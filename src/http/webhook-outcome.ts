import type { ServerResponse } from 'node:http';

// Marks on the response, read when it closes: whether the route faces Twilio, and whether its
// handler failed even though Twilio got a 200 (fallback TwiML, or a callback acknowledged).
const TWILIO_FACING = Symbol('twilioFacing');
const HANDLER_FAILED = Symbol('handlerFailed');

interface Marked {
  [TWILIO_FACING]?: true;
  [HANDLER_FAILED]?: true;
}

export type WebhookOutcome = 'ok' | 'rejected' | 'refused' | 'failed' | 'aborted';

export function markTwilioFacing(res: ServerResponse): void {
  (res as Marked)[TWILIO_FACING] = true;
}

/** The handler threw and the error handler answered for it. */
export function markHandlerFailed(res: ServerResponse): void {
  (res as Marked)[HANDLER_FAILED] = true;
}

/** How a finished Twilio-facing request went; undefined for other routes. */
export function webhookOutcome(res: ServerResponse): WebhookOutcome | undefined {
  if ((res as Marked)[TWILIO_FACING] !== true) return undefined;
  if (!res.writableFinished) return 'aborted';
  if ((res as Marked)[HANDLER_FAILED] === true || res.statusCode >= 500) return 'failed';
  // The signature check is the only part of a Twilio-facing route that answers 403.
  if (res.statusCode === 403) return 'rejected';
  return res.statusCode >= 400 ? 'refused' : 'ok';
}
