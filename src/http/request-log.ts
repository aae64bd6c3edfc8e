import { randomUUID } from 'node:crypto';
import type { RequestHandler } from 'express';
import type { Logger } from '../logger';

declare module 'http' {
  interface IncomingMessage {
    /** The request id, also sent back as `X-Request-Id`. */
    id: string;
    /** A logger whose lines carry this request's id. */
    log: Logger;
  }
}

const REQUEST_ID = /^[\w.:-]{1,128}$/;

/**
 * Logs one line per request, when its response has been sent, with a request id that is also
 * sent back as `X-Request-Id`, so a user can find the log line of a failed webhook. A
 * well-formed incoming id (from a proxy) is kept. The per-request child logger is created only
 * when a handler logs something: most requests never need it, and this is the hot path.
 */
export function requestLogger(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    const incoming = req.headers['x-request-id'];
    const id = typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
    req.id = id;
    let child: Logger | undefined;
    Object.defineProperty(req, 'log', {
      configurable: true,
      get: () => (child ??= logger.child({ req: { id, method: req.method, path: req.path } })),
    });
    res.setHeader('X-Request-Id', id);
    res.once('close', () => {
      // Closed before the response was complete: the client went away (or the socket died).
      const status = res.writableFinished ? res.statusCode : 499;
      const level = status >= 500 ? 'error' : status >= 400 ? 'warn' : 'info';
      if (!logger.isLevelEnabled(level)) return;
      // Query strings of Twilio-facing routes carry caller data: the path is enough to debug.
      logger[level](
        {
          req: { id, method: req.method, path: req.originalUrl.split('?', 1)[0] },
          res: { statusCode: status },
          responseTime: Number((process.hrtime.bigint() - started) / 1000n) / 1000,
        },
        status === 499 ? 'request aborted' : 'request completed',
      );
    });
    next();
  };
}
