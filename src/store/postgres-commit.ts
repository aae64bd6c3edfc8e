import type { Pool, PoolClient, QueryResult, QueryResultRow } from 'pg';
import { sendPipelined, type Settled, type Statement } from './postgres-pipeline';

/** One atomic write: any number of statements on the batch's connection, inside its transaction. */
export type PgWrite<T> = (client: PoolClient) => Promise<T>;

interface Pending {
  write: PgWrite<unknown>;
  /** Set when the write is this one statement: it may then be sent along with its neighbours. */
  statement?: Statement;
  resolve: (value: unknown) => void;
  reject: (reason: unknown) => void;
}

type Outcome = Settled<unknown>;

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

const isDeadlock = (error: unknown) => (error as { code?: string }).code === DEADLOCK;

/**
 * A write of a batch run without savepoints failed: after a deadlock the batch is run again,
 * otherwise run again with savepoints; the failed write of a batch of one is simply its outcome.
 */
function afterFailure(error: unknown, batchSize: number): { outcomes: Outcome[]; committed: false } {
  if (isDeadlock(error)) throw new BatchDeadlock(error);
  if (batchSize === 1) return { outcomes: [{ ok: false, error }], committed: false };
  throw new NeedsSavepoints(error);
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
 * Each round trip to PostgreSQL costs this process a socket write and a read, more CPU than the
 * statement itself, so a batch is sent in as few as it can be:
 * - Undoing one write alone takes a savepoint around each, two more round trips per write. Writes
 *   nearly always succeed, so a batch first runs without savepoints. When a write of it fails,
 *   the transaction is rolled back and the batch is run again with a savepoint per write, as if
 *   the first try had not happened: a write must therefore be safe to run again, as the deadlock
 *   retries already require. A batch of one needs no savepoint at all: rolling its transaction
 *   back undoes that write alone.
 * - Writes that are one statement (`statement`) are sent together on a connection in pg's
 *   pipeline mode, with the BEGIN before them and, when they end the batch, the COMMIT after:
 *   a batch of such writes is one round trip. PostgreSQL runs them in order, as if awaited one
 *   by one; when one fails, the rest of the transaction fails with it and the COMMIT answers
 *   ROLLBACK, which sends the batch round again as above.
 */
export class PgGroupCommit {
  private queue: Pending[] = [];
  private draining: Promise<void> | undefined;
  private closed = false;

  /**
   * `onCommit` hears how long each batch's COMMIT took, in seconds, failed ones included: the
   * WAL flush is the part that grows when the database is slow to write, as SQLite's commit does.
   * A COMMIT sent along with the batch's statements is timed from their answers to its own.
   * `afterCommit` hears of each batch committed, with its number of writes (those undone on their
   * savepoint included), once the connection is back in the pool.
   */
  constructor(
    private readonly pool: Pool,
    private readonly onCommit?: (seconds: number) => void,
    private readonly afterCommit?: (writes: number) => void,
  ) {}

  run<T>(write: PgWrite<T>): Promise<T> {
    return this.enqueue(write, undefined);
  }

  /** A write that is this one statement; it may share a round trip with the batch's others. */
  statement<R extends QueryResultRow = QueryResultRow>(text: string, values: unknown[]): Promise<QueryResult<R>> {
    return this.enqueue((client) => client.query<R>(text, values), { text, values });
  }

  /** Commits everything queued, then refuses new writes. */
  async close(): Promise<void> {
    this.closed = true;
    await this.draining;
  }

  private enqueue<T>(write: PgWrite<T>, statement: Statement | undefined): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      if (this.closed) {
        reject(new Error('the database is closed'));
        return;
      }
      this.queue.push({ write, ...(statement && { statement }), resolve: resolve as (value: unknown) => void, reject });
      this.draining ??= this.drain();
    });
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
   * Bounded: a batch is rerun after a deadlock at most BATCH_DEADLOCK_RETRIES times, and turns
   * to savepoints at most once.
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
    let outcomes: Outcome[];
    try {
      let committed = false;
      if (savepoints) {
        await client.query('BEGIN');
        outcomes = [];
        for (const pending of batch) outcomes.push(await this.attempt(client, pending.write, rerunOnDeadlock));
      } else {
        ({ outcomes, committed } = await this.plain(client, batch));
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
      if (!committed) await this.commitTransaction(client, savepoints);
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
    this.afterCommit?.(batch.length);
    outcomes.forEach((outcome, i) => {
      const pending = batch[i] as Pending;
      if (outcome.ok) pending.resolve(outcome.value);
      else pending.reject(outcome.error);
    });
    return 'settled';
  }

  /**
   * COMMIT of a transaction that a failed statement aborted does not fail: PostgreSQL rolls it
   * back and answers ROLLBACK. With savepoints that cannot happen unnoticed; without, it means a
   * write swallowed its statement's error, and the batch is run again to find it.
   */
  private commandCommitted(command: string, savepoints: boolean): void {
    if (command === 'COMMIT') return;
    const error = new Error(`the transaction was rolled back at COMMIT (${command})`);
    throw savepoints ? error : new NeedsSavepoints(error);
  }

  private async commitTransaction(client: PoolClient, savepoints: boolean): Promise<void> {
    const started = performance.now();
    let command: string;
    try {
      command = (await client.query('COMMIT')).command;
    } finally {
      this.onCommit?.((performance.now() - started) / 1000);
    }
    this.commandCommitted(command, savepoints);
  }

  /**
   * The batch without savepoints, from BEGIN on. Throws to send the batch round again (or when
   * the transaction is lost); the failed write of a batch of one comes back as its outcome.
   * `committed`: the COMMIT went with the last statements and answered COMMIT.
   */
  private async plain(client: PoolClient, batch: Pending[]): Promise<{ outcomes: Outcome[]; committed: boolean }> {
    const outcomes: Outcome[] = [];
    let began = false;
    for (let i = 0; i < batch.length; ) {
      const pending = batch[i] as Pending;
      if (!client.pipeline || pending.statement === undefined) {
        if (!began) await client.query('BEGIN');
        began = true;
        try {
          outcomes.push({ ok: true, value: await pending.write(client) });
        } catch (error) {
          return afterFailure(error, batch.length);
        }
        i += 1;
        continue;
      }
      let end = i;
      while (end < batch.length && batch[end]?.statement !== undefined) end += 1;
      const statements = batch.slice(i, end).map((p) => p.statement as Statement);
      const last = end === batch.length;
      // BEGIN in the same write as the statements is safe: on a live connection it fails only
      // inside an aborted transaction, where every statement after it fails too.
      const head = began ? 0 : 1;
      const sent = sendPipelined(client, [...(began ? [] : ['BEGIN']), ...statements, ...(last ? ['COMMIT'] : [])]);
      began = true;
      const answers = await Promise.all(sent.slice(0, head + statements.length));
      const commitStarted = performance.now();
      const commit = last ? sent[sent.length - 1] : undefined;
      const failedAt = answers.findIndex((answer) => !answer.ok);
      if (failedAt >= 0) {
        // The COMMIT sent along answers ROLLBACK; wait for it, so the connection is idle again.
        await commit;
        const { error } = answers[failedAt] as { ok: false; error: unknown };
        if (failedAt < head) throw error;
        return afterFailure(error, batch.length);
      }
      for (const answer of answers.slice(head)) if (answer.ok) outcomes.push({ ok: true, value: answer.value });
      if (commit !== undefined) {
        const answer = await commit;
        this.onCommit?.((performance.now() - commitStarted) / 1000);
        if (!answer.ok) throw answer.error;
        this.commandCommitted(answer.value.command, false);
        return { outcomes, committed: true };
      }
      i = end;
    }
    return { outcomes, committed: false };
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
        const deadlock = isDeadlock(error);
        if (deadlock && rerunOnDeadlock) throw new BatchDeadlock(error);
        await client.query('ROLLBACK TO SAVEPOINT write');
        await client.query('RELEASE SAVEPOINT write');
        if (!deadlock || tries >= DEADLOCK_RETRIES) return { ok: false, error };
      }
    }
  }
}
