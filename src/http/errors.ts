import type { ErrorRequestHandler, RequestHandler, Response } from 'express';

/** Twilio's webhooks are small; anything larger than this is refused before it is parsed. */
export const BODY_LIMIT = '100kb';
export const BODY_LIMIT_BYTES = 100 * 1024;
/** Twilio sends a few dozen parameters; a thousand is generous and bounds the parse. */
export const PARAMETER_LIMIT = 1000;

/** An error whose message is safe to show the client, with the HTTP status to answer. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

export interface ErrorBody {
  error: { message: string; field?: string; requestId?: string };
}

/** Body-parser and other http-errors carry `status` and `type`; map them to our own messages. */
export function toHttpError(err: unknown, bodyLimit: string): HttpError | undefined {
  if (err instanceof HttpError) return err;
  if (typeof err !== 'object' || err === null) return undefined;
  const { status, type } = err as { status?: unknown; type?: unknown };
  switch (type) {
    case 'entity.too.large':
      return new HttpError(413, `request body is larger than ${bodyLimit}`);
    case 'entity.parse.failed':
      return new HttpError(400, 'request body is not valid JSON');
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new HttpError(415, 'request body encoding is not supported; send UTF-8');
    case 'parameters.too.many':
      return new HttpError(413, 'request body has too many parameters');
    case 'request.aborted':
      return new HttpError(400, 'request was aborted by the client');
  }
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return new HttpError(status, 'bad request');
  }
  return undefined;
}

export function sendJsonError(res: Response, status: number, message: string, field?: string): void {
  const body: ErrorBody = { error: { message } };
  if (field !== undefined) body.error.field = field;
  res.status(status).json(body);
}

export const notFound: RequestHandler = (req, res) => {
  sendJsonError(res, 404, `no route for ${req.method} ${req.path}`);
};

/** The last handler: a JSON answer for every error, never an HTML page or a stack trace. */
export function jsonErrorHandler(bodyLimit: string): ErrorRequestHandler {
  return (err, req, res, _next) => {
    const known = toHttpError(err, bodyLimit);
    if (known) {
      req.log.info({ status: known.status, reason: known.message }, 'request refused');
      sendJsonError(res, known.status, known.message, known.field);
      return;
    }
    req.log.error({ err }, 'unhandled error');
    if (res.headersSent) {
      res.destroy();
      return;
    }
    const body: ErrorBody = { error: { message: 'internal error', requestId: String(req.id) } };
    res.status(500).json(body);
  };
}
