import type { ErrorRequestHandler, Response } from 'express';
import { MessagingResponse, VoiceResponse } from '../twiml';
import { BODY_LIMIT, toHttpError } from './errors';
import { markHandlerFailed } from './webhook-outcome';

/** Written directly: Express's `send` would look up the type and weigh freshness on every call. */
export function sendTwiml(res: Response, xml: string): void {
  res.setHeader('Content-Type', 'text/xml; charset=utf-8');
  res.setHeader('Content-Length', Buffer.byteLength(xml));
  res.end(xml);
}

const VOICE_APOLOGY = (() => {
  const twiml = new VoiceResponse();
  twiml.say('Sorry, something went wrong. Please try again later. Goodbye.');
  twiml.hangup();
  return twiml.toString();
})();

const EMPTY_MESSAGING = new MessagingResponse().toString();

/**
 * Errors in a webhook still answer TwiML, because Twilio plays its own "application error"
 * message (and logs error 12100/11200) for anything else. Client errors stay plain 4xx text.
 */
export function twimlErrorHandler(kind: 'voice' | 'messaging'): ErrorRequestHandler {
  return (err, req, res, next) => {
    if (res.headersSent) return next(err);
    const known = toHttpError(err, BODY_LIMIT);
    if (known) {
      req.log.info({ status: known.status, reason: known.message }, 'webhook refused');
      res.status(known.status).type('text/plain').send(known.message);
      return;
    }
    req.log.error({ err }, 'webhook handler failed; answered with fallback TwiML');
    markHandlerFailed(res);
    sendTwiml(res, kind === 'voice' ? VOICE_APOLOGY : EMPTY_MESSAGING);
  };
}
