import type { ServerResponse } from 'node:http';

// Set on the response only when a handler failed even though Twilio got a 200 (fallback TwiML,
// or a callback acknowledged): read when the response closes, for the webhook metrics.
const HANDLER_FAILED = Symbol('handlerFailed');

interface Marked {
  [HANDLER_FAILED]?: true;
}

export type WebhookOutcome = 'ok' | 'rejected' | 'refused' | 'failed' | 'aborted';

/** The handler threw and the error handler answered for it. */
export function markHandlerFailed(res: ServerResponse): void {
  (res as Marked)[HANDLER_FAILED] = true;
}

/** How a finished request to a Twilio-facing route went. */
export function webhookOutcome(res: ServerResponse): WebhookOutcome {
  if (!res.writableFinished) return 'aborted';
  if ((res as Marked)[HANDLER_FAILED] === true || res.statusCode >= 500) return 'failed';
  // The signature check is the only part of a Twilio-facing route that answers 403.
  if (res.statusCode === 403) return 'rejected';
  return res.statusCode >= 400 ? 'refused' : 'ok';
}
