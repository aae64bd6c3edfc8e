import type { Registry } from 'prom-client';
import { takeSnapshot } from '../metrics/snapshot';
import {
  isScrapeReply,
  isSnapshotRequest,
  SCRAPE_REQUEST,
  SNAPSHOT_REPLY,
  SNAPSHOT_TIMEOUT_MS,
  type ScrapeOutcome,
  type ScrapeRequest,
  type SnapshotOutcome,
  type SnapshotReply,
} from './metrics-protocol';

/** The whole cluster's exposition, by way of the primary. */
export type ClusterScrape = () => Promise<ScrapeOutcome>;

/** How long a worker waits for the primary: its wait for the workers, and time to merge and send. */
const PRIMARY_TIMEOUT_MS = SNAPSHOT_TIMEOUT_MS + 1000;

/**
 * In a cluster worker: answers the primary's requests for this process's metrics from `registry`,
 * and returns the scrape /metrics serves, which asks the primary for every worker's.
 */
export function joinClusterMetrics(registry: Registry, timeoutMs = PRIMARY_TIMEOUT_MS): ClusterScrape {
  let nextId = 1;
  const waiting = new Map<number, (outcome: ScrapeOutcome) => void>();

  const answer = async (id: number): Promise<void> => {
    let outcome: SnapshotOutcome;
    try {
      outcome = { ok: true, metrics: await takeSnapshot(registry) };
    } catch (err) {
      // The database gauges could not be read: the primary counts this worker as not answering.
      outcome = { ok: false, reason: err instanceof Error ? err.message : String(err) };
    }
    const reply: SnapshotReply = { type: SNAPSHOT_REPLY, id, outcome };
    if (process.connected) process.send?.(reply, undefined, {}, () => undefined);
  };

  process.on('message', (message: unknown) => {
    if (isSnapshotRequest(message)) void answer(message.id);
    else if (isScrapeReply(message)) waiting.get(message.id)?.(message.outcome);
  });
  process.on('disconnect', () => {
    for (const settle of [...waiting.values()]) settle({ ok: false, error: { kind: 'primary-gone' } });
  });

  return () =>
    new Promise<ScrapeOutcome>((resolve) => {
      if (!process.connected || process.send === undefined) {
        resolve({ ok: false, error: { kind: 'primary-gone' } });
        return;
      }
      const id = nextId++;
      const settle = (outcome: ScrapeOutcome) => {
        clearTimeout(timer);
        waiting.delete(id);
        resolve(outcome);
      };
      const timer = setTimeout(() => settle({ ok: false, error: { kind: 'primary-timeout', waitedMs: timeoutMs } }), timeoutMs);
      waiting.set(id, settle);
      const request: ScrapeRequest = { type: SCRAPE_REQUEST, id };
      process.send(request, undefined, {}, (err: Error | null) => {
        if (err !== null) settle({ ok: false, error: { kind: 'primary-gone' } });
      });
    });
}
