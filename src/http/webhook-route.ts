import type { ErrorRequestHandler, Request, RequestHandler, Response } from 'express';

/** What a webhook does once its body is read and its signature checked. */
export type WebhookHandler = (req: Request, res: Response) => Promise<void>;

/**
 * One of Twilio's webhooks: its full path and its handler. The app registers these on itself
 * instead of mounting a router per webhook kind: a mounted router dispatches each request a
 * second time, which cost a webhook about a tenth of its CPU (issue #7).
 */
export interface WebhookRoute {
  path: string;
  handler: RequestHandler;
}

/** A route whose failures go to `onError`, as a router's error handler would receive them. */
export function webhookRoute(path: string, handler: WebhookHandler, onError: ErrorRequestHandler): WebhookRoute {
  return {
    path,
    handler: (req, res, next) => {
      handler(req, res).catch((err: unknown) => onError(err, req, res, next));
    },
  };
}
