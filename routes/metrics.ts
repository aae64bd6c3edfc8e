import { Router, type RequestHandler } from 'express';
import type { Config } from '../src/config';
import type { Metrics } from '../src/metrics';
import { bearerAuth } from '../src/security';

/**
 * `GET /metrics` in Prometheus's text format, for a scraper presenting METRICS_TOKEN (or, without
 * one, API_KEY). With neither set it answers 503 like the API: counters are no one's business
 * by default.
 */
export function metricsRouter({ config, metrics, rateLimit }: { config: Config; metrics: Metrics; rateLimit: RequestHandler }): Router {
  const router = Router();
  const auth = bearerAuth({
    apiKey: config.metrics.token ?? config.apiKey,
    disabledMessage: 'neither METRICS_TOKEN nor API_KEY is configured; /metrics is disabled',
    invalidMessage: 'invalid bearer token',
  });
  router.get('/metrics', rateLimit, auth, async (_req, res) => {
    const text = await metrics.registry.metrics();
    res.setHeader('Content-Type', metrics.registry.contentType);
    res.end(text);
  });
  return router;
}
