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
/** Times a whole batch is rolled back and run again after a deadlock, before the savepoint retries. */
const BATCH_DEADLOCK_RETRIES = 3;

/** A write of the batch was cancelled to break a deadlock: the batch is to be rolled back and run again. */
class BatchDeadlock extends Error {
  constructor(cause: unknown) {
    super('deadlock: the batch is run again', { cause });
  }
}

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
   * `afterCommit` hears of each batch committed, with its number of writes (those undone on their
   * savepoint included), once the connection is back in the pool.
   */
  constructor(
    private readonly pool: Pool,
    private readonly onCommit?: (seconds: number) => void,
    private readonly afterCommit?: (writes: number) => void,
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

  /**
   * A deadlock between batches of two instances is usually over rows that earlier writes of the
   * batch locked (the chart count rows, which every new call or message in one hour updates):
   * undoing the one write that was cancelled keeps those locks, so running it again would
   * deadlock again. The whole batch is rolled back instead, which lets the other instance's
   * batch finish, and run again from the start, up to BATCH_DEADLOCK_RETRIES times; after that
   * a deadlocked write is retried on its savepoint and, failing, rejected alone.
   */
  private async commit(batch: Pending[]): Promise<void> {
    for (let round = 1; ; round++) {
      const rerun = await this.commitOnce(batch, round <= BATCH_DEADLOCK_RETRIES);
      if (!rerun) return;
    }
  }

  /** True when a deadlock rolled the batch back and it is to be run again; otherwise every write is settled. */
  private async commitOnce(batch: Pending[], rerunOnDeadlock: boolean): Promise<boolean> {
    let client: PoolClient;
    try {
      client = await this.pool.connect();
    } catch (error) {
      for (const pending of batch) pending.reject(error);
      return false;
    }
    const outcomes: Array<{ ok: true; value: unknown } | { ok: false; error: unknown }> = [];
    try {
      await client.query('BEGIN');
      for (const pending of batch) outcomes.push(await this.attempt(client, pending.write, rerunOnDeadlock));
      const started = this.onCommit && performance.now();
      try {
        await client.query('COMMIT');
      } finally {
        if (started !== undefined) this.onCommit?.((performance.now() - started) / 1000);
      }
    } catch (error) {
      if (error instanceof BatchDeadlock) {
        // The connection is sound: only this transaction was cancelled.
        const rolledBack = await client.query('ROLLBACK').then(
          () => true,
          () => false,
        );
        client.release(rolledBack ? undefined : true);
        if (rolledBack) return true;
        for (const pending of batch) pending.reject(error.cause);
        return false;
      }
      await client.query('ROLLBACK').catch(() => undefined);
      // A connection in an unknown state is closed rather than handed to the next caller.
      client.release(error instanceof Error ? error : true);
      for (const pending of batch) pending.reject(error);
      return false;
    }
    client.release();
    this.afterCommit?.(batch.length);
    outcomes.forEach((outcome, i) => {
      const pending = batch[i] as Pending;
      if (outcome.ok) pending.resolve(outcome.value);
      else pending.reject(outcome.error);
    });
    return false;
  }

  /** Runs one write on its savepoint; throws only when the transaction itself is lost. */
  private async attempt(
    client: PoolClient,
    write: PgWrite<unknown>,
    rerunOnDeadlock: boolean,
  ): Promise<{ ok: true; value: unknown } | { ok: false; error: unknown }> {
    for (let tries = 1; ; tries++) {
      await client.query('SAVEPOINT write');
      try {
        const value = await write(client);
        await client.query('RELEASE SAVEPOINT write');
        return { ok: true, value };
      } catch (error) {
        const deadlock = (error as { code?: string }).code === DEADLOCK;
        if (deadlock && rerunOnDeadlock) throw new BatchDeadlock(error);
        await client.query('ROLLBACK TO SAVEPOINT write');
        await client.query('RELEASE SAVEPOINT write');
        if (!deadlock || tries >= DEADLOCK_RETRIES) return { ok: false, error };
      }
    }
  }
}
