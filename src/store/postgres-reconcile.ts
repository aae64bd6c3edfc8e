import type { Pool } from 'pg';
import type { Clock } from '../clock';
import type { PgGroupCommit } from './postgres-commit';
import { toOutbound, type OutboundRow } from './sqlite-outbox';
import { toReconciliationNotes, type NotesRow } from './reconcile-notes';
import type { ReconcileNote, ReconcileOutcome, ReconcileStore } from './types';

/** $2..$5 of the UPDATEs below; $1 is the row's id. */
function noteValues(note: ReconcileNote): [string, string, ReconcileOutcome, string] {
  return [note.checkedAt, JSON.stringify(note.candidates), note.outcome, note.message];
}

const SET_NOTE = `reconcile_checked_at = $2, reconcile_checks = reconcile_checks + 1,
  reconcile_candidates = $3, reconcile_outcome = $4, reconcile_message = $5`;

/**
 * The reconciler's store on PostgreSQL. Several instances may reconcile at once: every change of
 * state is a conditional UPDATE (only from unknown, only from not_sent), so of two instances
 * settling one row only one changes it, and the unique index on twilio_sid keeps a sid on one row.
 */
export function postgresReconcileStore(pool: Pool, clock: Clock, writes: PgGroupCommit): ReconcileStore {
  const now = () => clock.now().toISOString();
  return {
    async listUnknown(limit) {
      const { rows } = await pool.query<OutboundRow>("SELECT * FROM outbound_requests WHERE state = 'unknown' ORDER BY created_at, seq LIMIT $1", [limit]);
      return rows.map(toOutbound);
    },
    async claimedSids(sids, exceptId) {
      if (sids.length === 0) return [];
      // Along the unique index on twilio_sid; a handful of sids per look-up.
      const { rows } = await pool.query<{ twilio_sid: string }>(
        'SELECT twilio_sid FROM outbound_requests WHERE twilio_sid = ANY($1::text[]) AND id <> $2',
        [sids, exceptId],
      );
      return rows.map((row) => row.twilio_sid);
    },
    async noteReconciliation(id, note) {
      // updated_at stays: for an unknown row it is when the outcome became unknown (the give-up counts from it).
      await writes.statement(`UPDATE outbound_requests SET ${SET_NOTE} WHERE id = $1`, [id, ...noteValues(note)]);
    },
    async getReconciliation(id) {
      const { rows } = await pool.query<NotesRow>(
        'SELECT reconcile_checked_at, reconcile_checks, reconcile_candidates, reconcile_outcome, reconcile_message FROM outbound_requests WHERE id = $1',
        [id],
      );
      const row = rows[0];
      return toReconciliationNotes(row);
    },
    async markNotSent(id, message, note) {
      const { rowCount } = await writes.statement(
        `UPDATE outbound_requests SET state = 'not_sent', error_message = $6, updated_at = $7, ${SET_NOTE}
         WHERE id = $1 AND state = 'unknown'`,
        [id, ...noteValues(note), message, now()],
      );
      return rowCount === 1;
    },
    async reopenNotSent(id) {
      const at = now();
      const row = await writes.run(async (client) => {
        const { rows } = await client.query<OutboundRow>(
          `UPDATE outbound_requests SET state = 'pending', error_status = NULL, error_code = NULL, error_message = NULL,
             next_attempt_at = NULL, updated_at = $2
           WHERE id = $1 AND state = 'not_sent' RETURNING *`,
          [id, at],
        );
        const reopened = rows[0];
        if (reopened?.job_id == null) return reopened;
        // The job row is locked whatever its state, until commit: completeFinishedJobs on the
        // sending instance locks running jobs before it looks for pending recipients, so it
        // either waits and sees this one, or completed the job first and it is rerun here.
        await client.query('SELECT id FROM bulk_jobs WHERE id = $1 FOR UPDATE', [reopened.job_id]);
        await client.query("UPDATE bulk_jobs SET state = 'running', updated_at = $2 WHERE id = $1 AND state = 'completed'", [reopened.job_id, at]);
        return reopened;
      });
      return row && toOutbound(row);
    },
  };
}
