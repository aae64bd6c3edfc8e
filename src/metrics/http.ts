import type { Request, Response } from 'express';
import { webhookOutcome } from '../http/webhook-outcome';
import type { Metrics, RouteSeries } from './registry';

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

interface Route {
  series: RouteSeries;
  twilioFacing: boolean;
}

/**
 * Times the request and, on the routes Twilio calls, counts its outcome when its response ends.
 * `twilioFacing` is asked once per route label, not per request.
 */
export function requestMetrics(metrics: Metrics, twilioFacing: (label: string) => boolean): (req: Request, res: Response) => void {
  const routes = new Map<string, Route>();
  const routeOf = (label: string): Route => {
    let route = routes.get(label);
    if (route === undefined) {
      route = { series: metrics.route(label), twilioFacing: twilioFacing(label) };
      routes.set(label, route);
    }
    return route;
  };
  return (req, res) => {
    const started = performance.now();
    res.on('close', () => {
      const route = routeOf(routeLabel(req));
      route.series.duration.observe((performance.now() - started) / 1000);
      if (route.twilioFacing) route.series.webhook(webhookOutcome(res));
    });
  };
}
