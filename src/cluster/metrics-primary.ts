import cluster from 'node:cluster';
import { ClusterMetricsCollector } from './metrics-collector';
import { isScrapeRequest, isSnapshotReply, SCRAPE_REPLY, type ScrapeReply } from './metrics-protocol';
import type { Supervisor } from './supervisor';

/**
 * In the primary: answers each worker's scrape request with the merge of every listening worker's
 * metrics. Costs nothing until a scrape comes; with METRICS_ENABLED=false none ever does.
 */
export function serveClusterMetrics(supervisor: Supervisor, timeoutMs?: number): void {
  const collector = new ClusterMetricsCollector({
    workers: () =>
      supervisor.listening().map(({ slot, worker }) => ({
        id: worker.id,
        slot,
        // A worker exiting meanwhile cannot take it; its exit ends the wait for it.
        ask: (request) => worker.send(request, undefined, () => undefined),
      })),
    ...(timeoutMs !== undefined && { timeoutMs }),
  });
  cluster.on('message', (worker, message: unknown) => {
    if (isSnapshotReply(message)) {
      collector.answered(worker.id, message);
    } else if (isScrapeRequest(message)) {
      void collector.collect().then((outcome) => {
        const reply: ScrapeReply = { type: SCRAPE_REPLY, id: message.id, outcome };
        if (worker.isConnected()) worker.send(reply, undefined, () => undefined);
      });
    }
  });
  cluster.on('exit', (worker) => collector.exited(worker.id));
}
