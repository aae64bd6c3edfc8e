import type Database from 'better-sqlite3';

interface Pending {
  write: () => unknown;
  resolve: (value: unknown) => void;
  reject: (reason: unknown) => void;
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

/**
 * Commits together the writes that arrive in one turn of the event loop. In WAL mode every
 * commit appends each page it touched to the log, and rows written in the same moment share
 * pages: under load one commit for a turn's writes does the work of many, which is most of the
 * cost of a webhook or a bulk send. A write's promise settles only after its commit, so a caller
 * still knows its row is on disk before it answers Twilio or sends a request.
 *
 * Each write must be atomic on its own: one statement, or a `db.transaction` (which becomes a
 * savepoint here). A write that throws is undone alone and rejects alone; a failed commit rejects
 * every write of the turn.
 */
export class GroupCommit {
  private queue: Pending[] = [];
  private readonly commitBatch: (batch: Pending[]) => Outcome[];

  /** `onCommit` hears how long each commit took, in seconds, failed ones included. */
  constructor(
    private readonly db: Database.Database,
    private readonly onCommit?: (seconds: number) => void,
  ) {
    // IMMEDIATE, as the status writes ask for: a second process sharing the file cannot slip in
    // between a write's read and its update.
    this.commitBatch = db.transaction((batch: Pending[]) =>
      batch.map((pending): Outcome => {
        try {
          return { ok: true, value: pending.write() };
        } catch (error) {
          // Some errors (a full disk, an I/O error) make SQLite roll back the whole transaction:
          // then nothing of this turn is on disk, and every write must hear so.
          if (!db.inTransaction) throw error;
          return { ok: false, error };
        }
      }),
    ).immediate;
  }

  /** Runs `write` inside the next commit; resolves with its result once that commit is done. */
  run<T>(write: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      if (this.queue.length === 0) setImmediate(this.flush);
      this.queue.push({ write, resolve: resolve as (value: unknown) => void, reject });
    });
  }

  /** Commits what is queued now; called by the turn's timer and before the database closes. */
  readonly flush = (): void => {
    const batch = this.queue;
    if (batch.length === 0) return;
    this.queue = [];
    let outcomes: Outcome[];
    const started = this.onCommit && performance.now();
    try {
      if (!this.db.open) throw new Error('the database is closed');
      outcomes = this.commitBatch(batch);
    } catch (error) {
      for (const pending of batch) pending.reject(error);
      return;
    } finally {
      if (started !== undefined) this.onCommit?.((performance.now() - started) / 1000);
    }
    outcomes.forEach((outcome, i) => {
      const pending = batch[i] as Pending;
      if (outcome.ok) pending.resolve(outcome.value);
      else pending.reject(outcome.error);
    });
  };
}
