import express, { Router, type ErrorRequestHandler, type RequestHandler } from 'express';
import { ApiError, errorBody } from '../src/api/errors';
import { checkCallSid, hangUp } from '../src/api/hangup';
import { checkRequestId, requestView } from '../src/api/request-view';
import { fromTwilioError } from '../src/api/twilio-errors';
import { validateBulk } from '../src/api/validate-bulk';
import { validateCall } from '../src/api/validate-call';
import { validateHistoryQuery, withCursorCheck } from '../src/api/validate-history';
import { validateMessage } from '../src/api/validate-message';
import type { AppDeps } from '../src/app';
import { twilioCredentials } from '../src/config';
import { BODY_LIMIT, toHttpError } from '../src/http/errors';
import { markExpectedFailure } from '../src/http/request-log';
import { checkIdempotencyKey, type ApiReply } from '../src/outbox';
import { bearerAuth } from '../src/security';
import type { StatusEventRecord } from '../src/store';

export const API_BODY_LIMIT = BODY_LIMIT;
/** 10,000 recipients with their own bodies need more room than a single request. */
export const BULK_BODY_LIMIT = '4mb';

function parsers(limit: string, parameterLimit: number): RequestHandler[] {
  return [express.urlencoded({ extended: false, limit, parameterLimit }), express.json({ limit })];
}

function send(res: express.Response, reply: ApiReply): void {
  // The outbox answers 502 only for what Twilio did (refused, not reached, outcome unknown).
  markExpectedFailure(res);
  res.status(reply.status).json(reply.body);
}

export function apiRouter(deps: AppDeps): Router {
  const { config, clock } = deps;
  const router = Router();
  router.use(bearerAuth({ apiKey: config.apiKey }));

  // Called once the request is valid: a client fixing a bad field should hear about the field
  // first, and "not configured" only when the request could otherwise be sent.
  const outbound = (): { outbox: NonNullable<AppDeps['outbox']>; twilio: NonNullable<AppDeps['twilio']> } => {
    const credentials = twilioCredentials(config);
    if ('missing' in credentials) {
      throw new ApiError(503, `Twilio is not configured; set ${credentials.missing.join(', ')}`);
    }
    if (deps.twilio === undefined || deps.outbox === undefined) throw new ApiError(503, 'The outbound API is not running');
    return { outbox: deps.outbox, twilio: deps.twilio };
  };
  const idempotencyKey = (req: express.Request) => checkIdempotencyKey(req.get('Idempotency-Key'));

  router.post('/messages/bulk', ...parsers(BULK_BODY_LIMIT, 20_100), async (req, res) => {
    const bulk = validateBulk(req.body, config);
    const key = idempotencyKey(req);
    send(res, await outbound().outbox.submitBulk(bulk, key));
  });

  router.use(...parsers(API_BODY_LIMIT, 100));

  router.post('/calls', async (req, res) => {
    const call = validateCall(req.body, config);
    const key = idempotencyKey(req);
    send(res, await outbound().outbox.submitCall(call, key));
  });

  router.post('/messages', async (req, res) => {
    const message = validateMessage(req.body, config, clock);
    const key = idempotencyKey(req);
    send(res, await outbound().outbox.submitMessage(message, key));
  });

  router.post('/calls/:sid/hangup', async (req, res) => {
    const sid = checkCallSid(String(req.params.sid));
    res.json(await hangUp(outbound().twilio, sid));
  });

  router.get('/calls', async (req, res) => {
    const filter = validateHistoryQuery(req.query);
    const page = await withCursorCheck(() => deps.store.listCalls(filter), filter.cursor);
    res.json({ calls: page.items, nextCursor: page.nextCursor });
  });

  router.get('/messages', async (req, res) => {
    const filter = validateHistoryQuery(req.query);
    const page = await withCursorCheck(() => deps.store.listMessages(filter), filter.cursor);
    res.json({ messages: page.items, nextCursor: page.nextCursor });
  });

  router.get('/calls/:sid', async (req, res) => {
    const history = await deps.store.getCallHistory(String(req.params.sid));
    if (history === undefined) throw new ApiError(404, `No call ${req.params.sid} in the history`);
    res.json({ ...history.call, events: history.events.map(timelineEntry) });
  });

  router.get('/messages/:sid', async (req, res) => {
    const history = await deps.store.getMessageHistory(String(req.params.sid));
    if (history === undefined) throw new ApiError(404, `No message ${req.params.sid} in the history`);
    res.json({ ...history.message, events: history.events.map(timelineEntry) });
  });

  router.get('/jobs/:id', async (req, res) => {
    const job = await deps.store.getBulkJob(String(req.params.id));
    if (job === undefined) throw new ApiError(404, `No bulk job ${req.params.id}`);
    const { params: _params, ...progress } = job;
    res.json(progress);
  });

  router.get('/requests/:id', async (req, res) => {
    const id = checkRequestId(String(req.params.id));
    const row = await deps.store.getOutbound(id);
    if (row === undefined) throw new ApiError(404, `No outbound request ${id}`);
    res.json(requestView(row, await deps.store.getReconciliation(id)));
  });

  router.post('/requests/:id/resend', async (req, res) => {
    const id = checkRequestId(String(req.params.id));
    send(res, await outbound().outbox.resend(id));
  });

  router.use(apiErrorHandler);
  return router;
}

const apiErrorHandler: ErrorRequestHandler = (err, req, res, _next) => {
  const known = err instanceof ApiError ? err : fromTwilioError(err);
  if (known) {
    req.log.info({ status: known.status, reason: known.message, field: known.details.field }, 'API request refused');
    markExpectedFailure(res);
    res.status(known.status).json(errorBody(known));
    return;
  }
  const parse = toHttpError(err, req.path === '/messages/bulk' ? BULK_BODY_LIMIT : API_BODY_LIMIT);
  if (parse) {
    // The body as a whole is the field at fault; it is not shown back, only described.
    res.status(parse.status).json({ error: { message: parse.message, ...(parse.status === 400 && { field: 'body' }) } });
    return;
  }
  req.log.error({ err }, 'unhandled API error');
  res.status(500).json({ error: { message: 'internal error', requestId: String(req.id) } });
};

/** One entry of a resource's timeline, as the API shows it. */
function timelineEntry(event: StatusEventRecord) {
  const { resource, status, sequenceNumber, params, receivedAt } = event;
  return { resource, status, sequenceNumber, params, receivedAt };
}
