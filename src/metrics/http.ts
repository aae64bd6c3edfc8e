import type { Request, Response } from 'express';
import { webhookOutcome } from '../http/webhook-outcome';
import type { Metrics } from './registry';

/** Requests no route matched: one label for all of them, whatever their path. */
export const UNMATCHED_ROUTE = 'unmatched';

/**
 * The route template that served the request (`/voice/node/:node`), never its path. Without a
 * matched route: the router it was mounted under (refused by its middleware), else `unmatched`.
 * Mount paths have no parameters, so `baseUrl` is one of a fixed few.
 */
export function routeLabel(req: Request): string {
  const path = (req.route as { path?: unknown } | undefined)?.path;
  if (typeof path === 'string') return req.baseUrl + path;
  return req.baseUrl === '' ? UNMATCHED_ROUTE : req.baseUrl;
}

/** Times the request and counts a webhook's outcome when its response ends. */
export function requestMetrics(metrics: Metrics): (req: Request, res: Response) => void {
  return (req, res) => {
    const started = performance.now();
    res.on('close', () => {
      const series = metrics.route(routeLabel(req));
      series.observeSeconds((performance.now() - started) / 1000);
      const outcome = webhookOutcome(res);
      if (outcome !== undefined) series.webhook(outcome);
    });
  };
}
