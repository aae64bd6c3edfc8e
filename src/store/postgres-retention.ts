import type { Pool } from 'pg';
import type { PrunableHistory, RetentionStore } from './types';

/**
 * The same rules as sqlite-retention.ts. Each statement deletes at most `$2` of the rows before
 * `$1`, found along an index by time (migrations 1 and 3), so a batch costs the same however
 * large the table. FOR UPDATE SKIP LOCKED: pruners of several instances running at once take
 * different rows instead of queueing behind each other's batch, and a row a webhook is updating
 * right now is left for the next run. The locked rows' conditions are checked again on their
 * latest version, so a request that just left a final state, or a job that just got a row, stays.
 */
const DELETES: Record<PrunableHistory, string> = {
  calls: 'DELETE FROM calls WHERE sid IN (SELECT sid FROM calls WHERE created_at < $1 LIMIT $2 FOR UPDATE SKIP LOCKED)',
  messages: 'DELETE FROM messages WHERE sid IN (SELECT sid FROM messages WHERE created_at < $1 LIMIT $2 FOR UPDATE SKIP LOCKED)',
  statusEvents: 'DELETE FROM status_events WHERE id IN (SELECT id FROM status_events WHERE received_at < $1 LIMIT $2 FOR UPDATE SKIP LOCKED)',
  voicemails: 'DELETE FROM voicemails WHERE id IN (SELECT id FROM voicemails WHERE created_at < $1 LIMIT $2 FOR UPDATE SKIP LOCKED)',
  // Final requests only, not_sent included, and none of a job still running (its progress counts them).
  outbox: `DELETE FROM outbound_requests WHERE id IN (
      SELECT id FROM outbound_requests
      WHERE state IN ('sent', 'failed', 'not_sent') AND created_at < $1
        AND (job_id IS NULL OR job_id NOT IN (SELECT id FROM bulk_jobs WHERE state = 'running'))
      LIMIT $2 FOR UPDATE SKIP LOCKED)`,
  // A finished job goes once none of its requests is left (an unknown one is kept, so is its job).
  bulkJobs: `DELETE FROM bulk_jobs WHERE id IN (
      SELECT id FROM bulk_jobs j
      WHERE state = 'completed' AND created_at < $1
        AND NOT EXISTS (SELECT 1 FROM outbound_requests o WHERE o.job_id = j.id)
      LIMIT $2 FOR UPDATE SKIP LOCKED)`,
  idempotency: 'DELETE FROM api_idempotency WHERE key IN (SELECT key FROM api_idempotency WHERE created_at < $1 LIMIT $2 FOR UPDATE SKIP LOCKED)',
};

/** Exported so that their plans can be checked (test/store/postgres.test.ts). */
export const POSTGRES_PRUNE_SQL: Readonly<Record<PrunableHistory, string>> = DELETES;

export function postgresRetentionStore(pool: Pool): RetentionStore {
  return {
    async pruneHistory(kind, before, limit) {
      const sql = DELETES[kind];
      if (sql === undefined) throw new Error(`unknown history kind ${String(kind)}`);
      // One statement is its own transaction, outside the group commit: webhooks' writes need not
      // wait behind a batch of deletes.
      const result = await pool.query(sql, [before, limit]);
      return result.rowCount ?? 0;
    },
  };
}
