import type { Pool, PoolClient } from 'pg';

/** One atomic write: any number of statements on the batch's connection, inside its transaction. */
export type PgWrite<T> = (client: PoolClient) => Promise<T>;

interface Pending {
  write: PgWrite<unknown>;
  resolve: (value: unknown) => void;
  reject: (reason: unknown) => void;
}

/** Writes taken into one transaction at most; the rest wait for the next. */
const MAX_BATCH = 256;
/** PostgreSQL broke a lock cycle by cancelling this write: it is run again, on its own savepoint. */
const DEADLOCK = '40P01';
const DEADLOCK_RETRIES = 3;

/**
 * PostgreSQL's counterpart of GroupCommit: the writes that arrive while the previous transaction
 * is committing share the next one, on one pooled connection. Under load this turns one pool
 * checkout, BEGIN and COMMIT (and one WAL flush) per write into one per batch; at rest a batch
 * holds a single write. A write's promise settles only after its COMMIT, so a caller still knows
 * its row is durable before it answers Twilio or sends a request.
 *
 * One batch is in flight at a time per store, so two writes of this process never wait for each
 * other's locks. Each write runs under a savepoint: a write that throws is undone and rejected
 * alone; a failed COMMIT (or a lost connection) rejects every write of the batch.
 */
export class PgGroupCommit {
  private queue: Pending[] = [];
  private draining: Promise<void> | undefined;
  private closed = false;

  /**
   * `onCommit` hears how long each batch's COMMIT took, in seconds, failed ones included: the
   * WAL flush is the part that grows when the database is slow to write, as SQLite's commit does.
   */
  constructor(
    private readonly pool: Pool,
    private readonly onCommit?: (seconds: number) => void,
  ) {}

  run<T>(write: PgWrite<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      if (this.closed) {
        reject(new Error('the database is closed'));
        return;
      }
      this.queue.push({ write, resolve: resolve as (value: unknown) => void, reject });
      this.draining ??= this.drain();
    });
  }

  /** Commits everything queued, then refuses new writes. */
  async close(): Promise<void> {
    this.closed = true;
    await this.draining;
  }

  private async drain(): Promise<void> {
    // Let the rest of this turn's writes join the first batch.
    await new Promise((resolve) => setImmediate(resolve));
    try {
      while (this.queue.length > 0) await this.commit(this.queue.splice(0, MAX_BATCH));
    } finally {
      this.draining = undefined;
    }
  }

  private async commit(batch: Pending[]): Promise<void> {
    let client: PoolClient;
    try {
      client = await this.pool.connect();
    } catch (error) {
      for (const pending of batch) pending.reject(error);
      return;
    }
    const outcomes: Array<{ ok: true; value: unknown } | { ok: false; error: unknown }> = [];
    try {
      await client.query('BEGIN');
      for (const pending of batch) outcomes.push(await this.attempt(client, pending.write));
      const started = this.onCommit && performance.now();
      try {
        await client.query('COMMIT');
      } finally {
        if (started !== undefined) this.onCommit?.((performance.now() - started) / 1000);
      }
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      // A connection in an unknown state is closed rather than handed to the next caller.
      client.release(error instanceof Error ? error : true);
      for (const pending of batch) pending.reject(error);
      return;
    }
    client.release();
    outcomes.forEach((outcome, i) => {
      const pending = batch[i] as Pending;
      if (outcome.ok) pending.resolve(outcome.value);
      else pending.reject(outcome.error);
    });
  }

  /** Runs one write on its savepoint; throws only when the transaction itself is lost. */
  private async attempt(client: PoolClient, write: PgWrite<unknown>): Promise<{ ok: true; value: unknown } | { ok: false; error: unknown }> {
    for (let tries = 1; ; tries++) {
      await client.query('SAVEPOINT write');
      try {
        const value = await write(client);
        await client.query('RELEASE SAVEPOINT write');
        return { ok: true, value };
      } catch (error) {
        await client.query('ROLLBACK TO SAVEPOINT write');
        await client.query('RELEASE SAVEPOINT write');
        if ((error as { code?: string }).code !== DEADLOCK || tries >= DEADLOCK_RETRIES) return { ok: false, error };
      }
    }
  }
}
