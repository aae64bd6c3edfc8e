import { randomUUID } from 'node:crypto';
import type { Request, RequestHandler, Response } from 'express';
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
const EXPECTED = 'switchboardExpectedFailure';

/**
 * Marks a 5xx answer as a state the operator already knows about (Twilio not configured, Twilio
 * refused or could not be reached), so its request line is a warning: error lines are for faults
 * someone must look at, and these are answered, explained and often the client's to fix.
 */
export function markExpectedFailure(res: Response): void {
  res.locals[EXPECTED] = true;
}

/**
 * Gives every request of `proto` (an app's request prototype) a `log` made on first use: a child
 * logger whose lines carry the request id. Defined once on the prototype, not on each request:
 * most requests never log, and this is the hot path.
 */
function defineLazyLog(proto: object, logger: Logger): void {
  const own = (req: object, value: Logger) => Object.defineProperty(req, 'log', { value, writable: true, configurable: true });
  Object.defineProperty(proto, 'log', {
    configurable: true,
    get(this: Request) {
      const child = logger.child({ req: { id: this.id, method: this.method, path: this.path } });
      own(this, child);
      return child;
    },
    set(this: Request, value: Logger) {
      own(this, value);
    },
  });
}

/** Called once per request when its response has closed, with the time it took (the metrics). */
export type RequestObserver = (req: Request, res: Response, elapsedMs: number) => void;

/**
 * Logs one line per request, when its response has been sent, with a request id that is also
 * sent back as `X-Request-Id`, so a user can find the log line of a failed webhook. A
 * well-formed incoming id (from a proxy) is kept.
 */
export function requestLogger(logger: Logger, observe?: RequestObserver): RequestHandler {
  // The line holds only fields built here, none of them secret, so it skips redaction, which
  // copies every object it is given.
  const lines = logger.child({}, { redact: [] });
  const prototypes = new WeakSet<object>();
  return (req, res, next) => {
    const started = performance.now();
    const proto = Object.getPrototypeOf(req) as object;
    if (!prototypes.has(proto)) {
      defineLazyLog(proto, logger);
      prototypes.add(proto);
    }
    const incoming = req.headers['x-request-id'];
    const id = typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
    req.id = id;
    res.setHeader('X-Request-Id', id);
    // `on`, not `once`: 'close' comes once anyway, and `once` wraps every listener. One listener
    // for the log line and the metrics: a listener and its closure per request are a measurable
    // part of a webhook's cost.
    res.on('close', () => {
      const elapsedMs = performance.now() - started;
      observe?.(req, res, elapsedMs);
      // Closed before the response was complete: the client went away (or the socket died).
      const status = res.writableFinished ? res.statusCode : 499;
      const level = status >= 500 && res.locals[EXPECTED] !== true ? 'error' : status >= 400 ? 'warn' : 'info';
      if (!lines.isLevelEnabled(level)) return;
      // Query strings of Twilio-facing routes carry caller data: the path is enough to debug.
      const url = req.originalUrl;
      const query = url.indexOf('?');
      lines[level](
        {
          req: { id, method: req.method, path: query === -1 ? url : url.slice(0, query) },
          res: { statusCode: status },
          responseTime: Math.round(elapsedMs * 1000) / 1000,
        },
        status === 499 ? 'request aborted' : 'request completed',
      );
    });
    next();
  };
}
