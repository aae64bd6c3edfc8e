import type { ErrorRequestHandler, Request } from 'express';
import { CallbackInputError, CallbackStoreError, type CallbackInput } from '../status';
import { BODY_LIMIT, toHttpError } from './errors';
import { twilioParams } from './twilio-params';
import { markHandlerFailed } from './webhook-outcome';

export function callbackInput(req: Request): CallbackInput {
  return { params: twilioParams(req), idempotencyToken: req.get('I-Twilio-Idempotency-Token') };
}

/**
 * Status callbacks answer plain text, never HTML. A database failure answers 500 so that Twilio
 * delivers the callback again (it retries on 5xx and connection errors, a bounded number of times);
 * any other failure is a bug a retry cannot fix, so it is logged and acknowledged with 204.
 */
export function callbackErrorHandler(): ErrorRequestHandler {
  return (err, req, res, next) => {
    if (res.headersSent) return next(err);
    const refused = err instanceof CallbackInputError ? { status: 400, message: err.message } : toHttpError(err, BODY_LIMIT);
    if (refused) {
      req.log.info({ status: refused.status, reason: refused.message }, 'callback refused');
      res.status(refused.status).type('text/plain').send(refused.message);
      return;
    }
    const requestId = String(req.id);
    if (err instanceof CallbackStoreError) {
      req.log.error({ err, requestId }, 'could not store callback; answered 500 so Twilio retries');
      res.status(500).type('text/plain').send(`could not store the callback (request id ${requestId})`);
      return;
    }
    req.log.error({ err, requestId }, 'callback handler failed; acknowledged so Twilio does not retry');
    markHandlerFailed(res);
    res.status(204).end();
  };
}
