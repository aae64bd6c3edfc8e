import type Database from 'better-sqlite3';
import type { PrunableHistory, RetentionStore } from './types';

/**
 * Each statement deletes at most `@limit` of the oldest rows before `@before`, found along an
 * index by time, so a batch costs the same whether the table holds a thousand rows or millions.
 */
const DELETES: Record<PrunableHistory, string> = {
  calls: 'DELETE FROM calls WHERE rowid IN (SELECT rowid FROM calls WHERE created_at < @before LIMIT @limit)',
  messages: 'DELETE FROM messages WHERE rowid IN (SELECT rowid FROM messages WHERE created_at < @before LIMIT @limit)',
  statusEvents: 'DELETE FROM status_events WHERE id IN (SELECT id FROM status_events WHERE received_at < @before LIMIT @limit)',
  voicemails: 'DELETE FROM voicemails WHERE id IN (SELECT id FROM voicemails WHERE created_at < @before LIMIT @limit)',
  // Final requests only, not_sent included (Twilio had no trace of it: it waits only for a resend
  // on purpose, which after the retention period is no longer offered), and none of a job still
  // running: its progress counts them.
  outbox: `DELETE FROM outbound_requests WHERE rowid IN (
      SELECT rowid FROM outbound_requests
      WHERE state IN ('sent', 'failed', 'not_sent') AND created_at < @before
        AND (job_id IS NULL OR job_id NOT IN (SELECT id FROM bulk_jobs WHERE state = 'running'))
      LIMIT @limit)`,
  // A finished job goes once none of its requests is left (an unknown one is kept, so is its job).
  bulkJobs: `DELETE FROM bulk_jobs WHERE id IN (
      SELECT id FROM bulk_jobs j
      WHERE state = 'completed' AND created_at < @before
        AND NOT EXISTS (SELECT 1 FROM outbound_requests o WHERE o.job_id = j.id)
      LIMIT @limit)`,
  idempotency: 'DELETE FROM api_idempotency WHERE rowid IN (SELECT rowid FROM api_idempotency WHERE created_at < @before LIMIT @limit)',
};

export function sqliteRetentionStore(db: Database.Database): RetentionStore {
  const statements = new Map(
    Object.entries(DELETES).map(([kind, sql]) => {
      const statement = db.prepare<{ before: string; limit: number }>(sql);
      // A transaction of its own per batch, not the group commit: webhooks' writes need not wait
      // for a batch of deletes, and a batch never holds the write lock for long.
      return [kind as PrunableHistory, db.transaction((before: string, limit: number) => statement.run({ before, limit }).changes).immediate];
    }),
  );
  return {
    async pruneHistory(kind, before, limit) {
      const prune = statements.get(kind);
      if (prune === undefined) throw new Error(`unknown history kind ${String(kind)}`);
      return prune(before, limit);
    },
  };
}
