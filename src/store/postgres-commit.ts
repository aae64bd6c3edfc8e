import type { Pool, PoolClient } from 'pg';

/** One atomic write: any number of statements on the batch's connection, inside its transaction. */
export type PgWrite<T> = (client: PoolClient) => Promise<T>;

interface Pending {
  write: PgWrite<unknown>;
  resolve: (value: unknown) => void;
  reject: (reason: unknown) => void;
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

/** What became of one try at a batch: settled, or to be run again (after a deadlock, or with savepoints). */
type Try = 'settled' | 'again' | 'with savepoints';

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

/** A write of a batch run without savepoints failed: the batch is to be rolled back and run again with them. */
class NeedsSavepoints extends Error {
  constructor(cause: unknown) {
    super('a write failed: the batch is run again, a savepoint per write', { cause });
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
 * other's locks. A write that throws is undone and rejected alone; a failed COMMIT (or a lost
 * connection) rejects every write of the batch.
 *
 * Undoing one write alone takes a savepoint around each, but a savepoint and its release are two
 * more round trips per write, and each round trip costs this process a socket write and a read
 * (most of its CPU per webhook, more than the statement itself). Writes nearly always succeed, so
 * a batch first runs without savepoints. When a write of it fails, the transaction is rolled back
 * and the batch is run again with a savepoint per write, as if the first try had not happened:
 * a write must therefore be safe to run again, as the deadlock retries already require. A batch
 * of one needs no savepoint at all: rolling its transaction back undoes that write alone.
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

  /**
   * A deadlock between batches of two instances is usually over rows that earlier writes of the
   * batch locked (the chart count rows, which every new call or message in one hour updates):
   * undoing the one write that was cancelled keeps those locks, so running it again would
   * deadlock again. The whole batch is rolled back instead, which lets the other instance's
   * batch finish, and run again from the start, up to BATCH_DEADLOCK_RETRIES times; after that
   * a deadlocked write is retried on its savepoint and, failing, rejected alone.
   *
   * Bounded: a batch is run with savepoints at most once more than it deadlocks, and it is rerun
   * after a deadlock at most BATCH_DEADLOCK_RETRIES times.
   */
  private async commit(batch: Pending[]): Promise<void> {
    let savepoints = false;
    for (let round = 1; ; round++) {
      const rerunOnDeadlock = round <= BATCH_DEADLOCK_RETRIES;
      const next = await this.commitOnce(batch, savepoints || !rerunOnDeadlock, rerunOnDeadlock);
      if (next === 'settled') return;
      if (next === 'with savepoints') savepoints = true;
    }
  }

  private async commitOnce(batch: Pending[], savepoints: boolean, rerunOnDeadlock: boolean): Promise<Try> {
    let client: PoolClient;
    try {
      client = await this.pool.connect();
    } catch (error) {
      for (const pending of batch) pending.reject(error);
      return 'settled';
    }
    const outcomes: Outcome[] = [];
    try {
      await client.query('BEGIN');
      for (const pending of batch) {
        outcomes.push(savepoints ? await this.attempt(client, pending.write, rerunOnDeadlock) : await this.plain(client, pending.write, batch.length));
      }
      if (outcomes.length === 1 && outcomes[0]?.ok === false) {
        // A batch of one whose write failed: rolling the transaction back undoes that write alone.
        const rolledBack = await client.query('ROLLBACK').then(
          () => true,
          () => false,
        );
        client.release(rolledBack ? undefined : true);
        (batch[0] as Pending).reject(outcomes[0].error);
        return 'settled';
      }
      await this.commitTransaction(client, savepoints);
    } catch (error) {
      if (error instanceof BatchDeadlock || error instanceof NeedsSavepoints) {
        // The connection is sound: only this transaction failed.
        const rolledBack = await client.query('ROLLBACK').then(
          () => true,
          () => false,
        );
        client.release(rolledBack ? undefined : true);
        if (rolledBack) return error instanceof BatchDeadlock ? 'again' : 'with savepoints';
        for (const pending of batch) pending.reject(error.cause);
        return 'settled';
      }
      await client.query('ROLLBACK').catch(() => undefined);
      // A connection in an unknown state is closed rather than handed to the next caller.
      client.release(error instanceof Error ? error : true);
      for (const pending of batch) pending.reject(error);
      return 'settled';
    }
    client.release();
    outcomes.forEach((outcome, i) => {
      const pending = batch[i] as Pending;
      if (outcome.ok) pending.resolve(outcome.value);
      else pending.reject(outcome.error);
    });
    return 'settled';
  }

  /**
   * COMMIT of a transaction that a failed statement aborted does not fail: PostgreSQL rolls it
   * back and answers ROLLBACK. Only a write that swallowed its own statement's error gets here;
   * with savepoints that write is found and rejected alone.
   */
  private async commitTransaction(client: PoolClient, savepoints: boolean): Promise<void> {
    const started = this.onCommit && performance.now();
    let command: string;
    try {
      command = (await client.query('COMMIT')).command;
    } finally {
      if (started !== undefined) this.onCommit?.((performance.now() - started) / 1000);
    }
    if (command === 'COMMIT') return;
    const error = new Error(`the transaction was rolled back at COMMIT (${command})`);
    throw savepoints ? error : new NeedsSavepoints(error);
  }

  /**
   * Runs one write without a savepoint (only while deadlocks still rerun the batch). A failure
   * sends the batch round again; the failed write of a batch of one is simply rejected.
   */
  private async plain(client: PoolClient, write: PgWrite<unknown>, batchSize: number): Promise<Outcome> {
    try {
      return { ok: true, value: await write(client) };
    } catch (error) {
      if ((error as { code?: string }).code === DEADLOCK) throw new BatchDeadlock(error);
      if (batchSize === 1) return { ok: false, error };
      throw new NeedsSavepoints(error);
    }
  }

  /** Runs one write on its savepoint; throws only when the transaction itself is lost. */
  private async attempt(client: PoolClient, write: PgWrite<unknown>, rerunOnDeadlock: boolean): Promise<Outcome> {
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
