import type { ReconcileOutcome, ReconciliationNotes } from './types';

/** The reconciler's columns of an outbox row, the same in both databases. */
export interface NotesRow {
  reconcile_checked_at: string | null;
  reconcile_checks: number;
  reconcile_candidates: string | null;
  reconcile_outcome: ReconcileOutcome | null;
  reconcile_message: string | null;
}

/** The notes of a row, or undefined when it was never looked up. */
export function toReconciliationNotes(row: NotesRow | undefined): ReconciliationNotes | undefined {
  if (row === undefined || row.reconcile_checked_at === null || row.reconcile_outcome === null) return undefined;
  return {
    checkedAt: row.reconcile_checked_at,
    checks: row.reconcile_checks,
    candidates: JSON.parse(row.reconcile_candidates ?? '[]') as string[],
    outcome: row.reconcile_outcome,
    message: row.reconcile_message ?? '',
  };
}
