import { Router, type RequestHandler } from 'express';
import { describeScrapeError } from '../src/cluster/metrics-protocol';
import type { ClusterScrape } from '../src/cluster/metrics-worker';
import type { Config } from '../src/config';
import { sendJsonError } from '../src/http/errors';
import type { Metrics } from '../src/metrics';
import { bearerAuth } from '../src/security';

export interface MetricsRouterDeps {
  config: Config;
  metrics: Metrics;
  rateLimit: RequestHandler;
  /** In a cluster worker: the whole server's metrics, through the primary, instead of this process's. */
  clusterScrape?: ClusterScrape;
}

/**
 * `GET /metrics` in Prometheus's text format, for a scraper presenting METRICS_TOKEN (or, without
 * one, API_KEY). With neither set it answers 503 like the API: counters are no one's business
 * by default.
 */
export function metricsRouter({ config, metrics, rateLimit, clusterScrape }: MetricsRouterDeps): Router {
  const router = Router();
  const auth = bearerAuth({
    apiKey: config.metrics.token ?? config.apiKey,
    disabledMessage: 'neither METRICS_TOKEN nor API_KEY is configured; /metrics is disabled',
    invalidMessage: 'invalid bearer token',
  });
  const { contentType } = metrics.registry;
  const local: RequestHandler = async (_req, res) => {
    const text = await metrics.registry.metrics();
    res.setHeader('Content-Type', contentType);
    res.end(text);
  };
  // A worker's own counters would be a different subset at each scrape: Prometheus would read the
  // jumps between them as resets. Without the whole server's, the scrape fails (`up` is 0) instead.
  const fromCluster = (scrape: ClusterScrape): RequestHandler => async (req, res) => {
    const outcome = await scrape();
    if (!outcome.ok) {
      req.log.warn({ error: outcome.error }, 'cluster metrics scrape failed');
      sendJsonError(res, 503, describeScrapeError(outcome.error));
      return;
    }
    res.setHeader('Content-Type', contentType);
    res.end(outcome.text);
  };
  router.get('/metrics', rateLimit, auth, clusterScrape === undefined ? local : fromCluster(clusterScrape));
  return router;
}
