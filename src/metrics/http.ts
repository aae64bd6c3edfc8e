import type { Request } from 'express';
import type { RequestObserver } from '../http/request-log';
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
 * The route's series are found by the matched Express route object (one per route, so no label
 * is built per request), else by the mount path; `twilioFacing` is asked once per label.
 */
export function requestMetrics(metrics: Metrics, twilioFacing: (label: string) => boolean): RequestObserver {
  const byLabel = new Map<string, Route>();
  const byRoute = new WeakMap<object, { baseUrl: string; route: Route }>();
  const routeOf = (label: string): Route => {
    let route = byLabel.get(label);
    if (route === undefined) {
      route = { series: metrics.route(label), twilioFacing: twilioFacing(label) };
      byLabel.set(label, route);
    }
    return route;
  };
  return (req, res, elapsedMs) => {
    const matched = req.route as object | undefined;
    const cached = matched === undefined ? undefined : byRoute.get(matched);
    // A router mounted at several paths shares its route objects, hence the mount path's check.
    let route = cached !== undefined && cached.baseUrl === req.baseUrl ? cached.route : undefined;
    if (route === undefined) {
      route = routeOf(routeLabel(req));
      if (matched !== undefined) byRoute.set(matched, { baseUrl: req.baseUrl, route });
    }
    route.series.duration.observe(elapsedMs / 1000);
    if (route.twilioFacing) route.series.webhook(webhookOutcome(res));
  };
}
