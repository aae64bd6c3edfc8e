import type { BulkJob, BulkJobProgress, OutboundRequest } from './types';

/** One group of a job's recipients: their state, whether they were skipped on purpose, how many. */
export interface StateCount {
  state: OutboundRequest['state'];
  /** SQLite answers 0/1, PostgreSQL a boolean. */
  skipped: number | boolean;
  n: number;
}

export interface FailureRow {
  to: string;
  state: 'failed' | 'unknown' | 'not_sent';
  error_status: number | null;
  error_code: number | null;
  error_message: string | null;
}

/** A job's progress from its recipients grouped by state, the same for every database. */
export function bulkProgress(job: BulkJob, groups: readonly StateCount[], failed: readonly FailureRow[]): BulkJobProgress {
  const counts = { queued: 0, inFlight: 0, sent: 0, failed: 0, unknown: 0, notSent: 0, skippedOptedOut: 0 };
  for (const { state, skipped, n } of groups) {
    if (skipped) counts.skippedOptedOut += n;
    else if (state === 'pending') counts.queued += n;
    else if (state === 'in_flight') counts.inFlight += n;
    else if (state === 'not_sent') counts.notSent += n;
    else counts[state] += n;
  }
  const failures = failed.map((f) => ({ to: f.to, state: f.state, errorStatus: f.error_status, errorCode: f.error_code, errorMessage: f.error_message }));
  return { ...job, counts, failures };
}
