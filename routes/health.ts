import { Router } from 'express';
import type { AppDeps } from '../src/app';

export function healthRouter({ store }: Pick<AppDeps, 'store'>): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (req, res) => {
    try {
      await store.ping();
      res.json({ status: 'ok', database: 'ok' });
    } catch (err) {
      req.log.error({ err }, 'readiness check failed');
      res.status(503).json({ status: 'unavailable', database: 'unreachable' });
    }
  });
  return router;
}
