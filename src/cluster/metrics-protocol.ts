import type { Snapshot } from '../metrics/snapshot';

// The IPC messages of a cluster's /metrics. The worker that takes a scrape asks the primary
// (ScrapeRequest); the primary asks every listening worker for its metrics (SnapshotRequest),
// merges the answers (SnapshotReply) that come in time and answers the asker (ScrapeReply).
// Every message carries the id of its request, so an answer that comes too late is told apart.

/** How long the primary waits for the workers' metrics: a hung worker must not hang the scrape. */
export const SNAPSHOT_TIMEOUT_MS = 1500;

export const SCRAPE_REQUEST = 'switchboard:metrics-scrape';
export const SCRAPE_REPLY = 'switchboard:metrics-scraped';
export const SNAPSHOT_REQUEST = 'switchboard:metrics-snapshot';
export const SNAPSHOT_REPLY = 'switchboard:metrics-snapshot-taken';

/** Worker → primary: a scraper is waiting for the whole server's metrics. */
export interface ScrapeRequest {
  readonly type: typeof SCRAPE_REQUEST;
  readonly id: number;
}

/** Why a cluster scrape has no metrics to show. */
export type ClusterScrapeError =
  /** No worker answered in time (or each failed, e.g. the database gauges could not be read). */
  | { readonly kind: 'no-answer'; readonly asked: number; readonly reasons: readonly string[] }
  /** The worker's IPC channel to the primary is closed: the primary has gone. */
  | { readonly kind: 'primary-gone' }
  /** The primary did not answer the worker in time. */
  | { readonly kind: 'primary-timeout'; readonly waitedMs: number }
  /** The primary could not render the merged metrics. */
  | { readonly kind: 'merge-failed'; readonly reason: string };

export type ScrapeOutcome = { readonly ok: true; readonly text: string } | { readonly ok: false; readonly error: ClusterScrapeError };

/** Primary → worker: the merged exposition, or why there is none. */
export interface ScrapeReply {
  readonly type: typeof SCRAPE_REPLY;
  readonly id: number;
  readonly outcome: ScrapeOutcome;
}

/** Primary → every listening worker: send your metrics now. */
export interface SnapshotRequest {
  readonly type: typeof SNAPSHOT_REQUEST;
  readonly id: number;
}

export type SnapshotOutcome = { readonly ok: true; readonly metrics: Snapshot } | { readonly ok: false; readonly reason: string };

/** Worker → primary: its registry's metrics (or why it could not read them), for the request `id`. */
export interface SnapshotReply {
  readonly type: typeof SNAPSHOT_REPLY;
  readonly id: number;
  readonly outcome: SnapshotOutcome;
}

// The messages come from this build's own processes, so the type and id are what is checked:
// they tell ours from node:cluster's internal messages and from anything else on the channel.
function isMessage(message: unknown, type: string): message is { type: string; id: number } {
  if (typeof message !== 'object' || message === null) return false;
  const { type: actual, id } = message as { type?: unknown; id?: unknown };
  return actual === type && typeof id === 'number';
}

export const isScrapeRequest = (message: unknown): message is ScrapeRequest => isMessage(message, SCRAPE_REQUEST);
export const isScrapeReply = (message: unknown): message is ScrapeReply => isMessage(message, SCRAPE_REPLY);
export const isSnapshotRequest = (message: unknown): message is SnapshotRequest => isMessage(message, SNAPSHOT_REQUEST);
export const isSnapshotReply = (message: unknown): message is SnapshotReply => isMessage(message, SNAPSHOT_REPLY);

/** The sentence a failed scrape answers with (the scraper sees it; it holds nothing secret). */
export function describeScrapeError(error: ClusterScrapeError): string {
  switch (error.kind) {
    case 'no-answer':
      return `no worker gave its metrics (${error.asked} asked): each failed or did not answer in time`;
    case 'primary-gone':
      return 'the cluster primary has gone; no metrics for the whole server';
    case 'primary-timeout':
      return `the cluster primary did not answer the metrics scrape within ${error.waitedMs} ms`;
    case 'merge-failed':
      return 'the cluster primary could not merge the workers\' metrics';
  }
}
