import type Database from 'better-sqlite3';
import type { Clock } from '../clock';
import type { GroupCommit } from './group-commit';
import { toOutbound, type OutboundRow } from './sqlite-outbox';
import { toReconciliationNotes, type NotesRow } from './reconcile-notes';
import type { ReconcileNote, ReconcileOutcome, ReconcileStore } from './types';

/** Named parameters of a note, as the UPDATEs below take them. */
function noteParams(id: string, note: ReconcileNote) {
  return { id, checkedAt: note.checkedAt, candidates: JSON.stringify(note.candidates), outcome: note.outcome, message: note.message };
}

const SET_NOTE = `reconcile_checked_at = @checkedAt, reconcile_checks = reconcile_checks + 1,
  reconcile_candidates = @candidates, reconcile_outcome = @outcome, reconcile_message = @message`;

export function sqliteReconcileStore(db: Database.Database, clock: Clock, writes: GroupCommit): ReconcileStore {
  const now = () => clock.now().toISOString();
  const unknownRows = db.prepare<[number], OutboundRow>("SELECT * FROM outbound_requests WHERE state = 'unknown' ORDER BY created_at, rowid LIMIT ?");
  const getRow = db.prepare<[string], OutboundRow>('SELECT * FROM outbound_requests WHERE id = ?');
  const getNotes = db.prepare<[string], NotesRow>(
    'SELECT reconcile_checked_at, reconcile_checks, reconcile_candidates, reconcile_outcome, reconcile_message FROM outbound_requests WHERE id = ?',
  );
  const note = db.prepare(`UPDATE outbound_requests SET ${SET_NOTE} WHERE id = @id`);
  const toNotSent = db.prepare(
    `UPDATE outbound_requests SET state = 'not_sent', error_message = @error, updated_at = @now, ${SET_NOTE}
     WHERE id = @id AND state = 'unknown'`,
  );
  const reopen = db.prepare(
    `UPDATE outbound_requests SET state = 'pending', error_status = NULL, error_code = NULL, error_message = NULL,
       next_attempt_at = NULL, updated_at = @now
     WHERE id = @id AND state = 'not_sent'`,
  );
  const rerunJob = db.prepare("UPDATE bulk_jobs SET state = 'running', updated_at = @now WHERE id = @jobId AND state = 'completed'");
  // The row and, for a bulk recipient, its job together: a pending recipient of a completed job
  // would never be picked up.
  const reopenRow = db.transaction((id: string, at: string): OutboundRow | undefined => {
    if (reopen.run({ id, now: at }).changes !== 1) return undefined;
    const row = getRow.get(id) as OutboundRow;
    if (row.job_id !== null) rerunJob.run({ jobId: row.job_id, now: at });
    return row;
  });

  return {
    async listUnknown(limit) {
      return unknownRows.all(limit).map(toOutbound);
    },
    async claimedSids(sids, exceptId) {
      if (sids.length === 0) return [];
      const marks = sids.map(() => '?').join(', ');
      // Along the unique index on twilio_sid; a handful of sids per look-up.
      const rows = db
        .prepare<string[], { twilio_sid: string }>(`SELECT twilio_sid FROM outbound_requests WHERE twilio_sid IN (${marks}) AND id <> ?`)
        .all(...sids, exceptId);
      return rows.map((row) => row.twilio_sid);
    },
    async noteReconciliation(id, value) {
      await writes.run(() => note.run(noteParams(id, value)));
    },
    async getReconciliation(id) {
      const row = getNotes.get(id);
      return toReconciliationNotes(row);
    },
    async markNotSent(id, message, value) {
      const { changes } = await writes.run(() => toNotSent.run({ ...noteParams(id, value), error: message, now: now() }));
      return changes === 1;
    },
    async reopenNotSent(id) {
      const row = await writes.run(() => reopenRow(id, now()));
      return row && toOutbound(row);
    },
  };
}
