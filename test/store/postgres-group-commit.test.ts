import pg from 'pg';
import { PgGroupCommit } from '../../src/store/postgres-commit';
import { startPostgres, type PostgresCluster } from '../support/postgres';
import { describeNeeding, postgresPart } from '../support/system-parts';

describeNeeding(postgresPart())('PostgreSQL group commit', () => {
  let cluster: PostgresCluster;
  let pool: pg.Pool;
  let reader: pg.Client;
  let writes: PgGroupCommit;
  beforeAll(async () => {
    cluster = await startPostgres();
  }, 60_000);
  afterAll(() => cluster?.stop());

  beforeEach(async () => {
    const url = await cluster.createDatabase();
    pool = new pg.Pool({ connectionString: url, max: 2 });
    // A deferred constraint is checked at COMMIT: the way to make a commit fail on purpose.
    await pool.query('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL UNIQUE DEFERRABLE INITIALLY DEFERRED)');
    reader = new pg.Client({ connectionString: url });
    await reader.connect();
    writes = new PgGroupCommit(pool);
  });
  afterEach(async () => {
    await writes.close();
    await reader.end();
    await pool.end();
  });

  const rows = async () => (await reader.query('SELECT id, v FROM t ORDER BY id')).rows;
  const insert = (id: number, v: string) => async (client: pg.PoolClient) => (await client.query('INSERT INTO t (id, v) VALUES ($1, $2)', [id, v])).rowCount;

  test('writes of one turn share a transaction, in the order asked, and settle after its commit', async () => {
    const seenByOthers: unknown[] = [];
    const transactions: string[] = [];
    const first = writes.run(async (client) => {
      transactions.push((await client.query('SELECT txid_current() AS x')).rows[0].x);
      return insert(1, 'a')(client);
    });
    const second = writes.run(async (client) => {
      transactions.push((await client.query('SELECT txid_current() AS x')).rows[0].x);
      // Another connection sees nothing yet: the first write is in the same open transaction.
      seenByOthers.push(await rows());
      return insert(2, 'b')(client);
    });
    await expect(Promise.all([first, second])).resolves.toEqual([1, 1]);
    expect(seenByOthers).toEqual([[]]);
    expect(new Set(transactions).size).toBe(1);
    expect(await rows()).toEqual([{ id: 1, v: 'a' }, { id: 2, v: 'b' }]);
  });

  test('a write that throws is undone and rejected alone; the rest of its batch commits', async () => {
    const twoStatements = async (client: pg.PoolClient) => {
      await insert(3, 'c')(client);
      await insert(1, 'duplicate')(client);
    };
    const results = await Promise.allSettled([writes.run(insert(1, 'a')), writes.run(twoStatements), writes.run(insert(2, 'b'))]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(String((results[1] as PromiseRejectedResult).reason)).toMatch(/duplicate key value violates unique constraint "t_pkey"/);
    // Row 3 was written by the failed write before it threw, and is gone with it.
    expect(await rows()).toEqual([{ id: 1, v: 'a' }, { id: 2, v: 'b' }]);
  });

  /** The statements sent on connections while `during` runs, reader's included (it sends none meanwhile). */
  const statementsDuring = async (during: () => Promise<unknown>): Promise<string[]> => {
    const spy = jest.spyOn(pg.Client.prototype, 'query');
    try {
      await during();
      return spy.mock.calls.map(([config]) => (typeof config === 'string' ? config : String((config as { text?: string }).text)));
    } finally {
      spy.mockRestore();
    }
  };

  test('a batch whose writes all succeed takes no savepoint', async () => {
    const sent = await statementsDuring(() => Promise.all([writes.run(insert(1, 'a')), writes.run(insert(2, 'b'))]));
    expect(sent).toEqual(['BEGIN', 'INSERT INTO t (id, v) VALUES ($1, $2)', 'INSERT INTO t (id, v) VALUES ($1, $2)', 'COMMIT']);
  });

  test('a batch of one whose write throws is rolled back: the write is undone and rejected, without a savepoint', async () => {
    const twoStatements = async (client: pg.PoolClient) => {
      await insert(3, 'c')(client);
      await insert(3, 'again')(client);
    };
    await writes.run(insert(1, 'a'));
    let failed: unknown;
    const sent = await statementsDuring(() => writes.run(twoStatements).catch((error: unknown) => (failed = error)));
    expect(String(failed)).toMatch(/duplicate key value violates unique constraint "t_pkey"/);
    expect(sent.filter((text) => /SAVEPOINT|COMMIT/.test(text))).toEqual([]);
    expect(sent.at(-1)).toBe('ROLLBACK');
    expect(await rows()).toEqual([{ id: 1, v: 'a' }]);
    // The connection went back to the pool clean.
    await expect(writes.run(insert(2, 'b'))).resolves.toBe(1);
    expect(await rows()).toEqual([{ id: 1, v: 'a' }, { id: 2, v: 'b' }]);
  });

  test('a failed write sends its batch round again with a savepoint per write: the others commit once each', async () => {
    const runs = { first: 0, failing: 0, last: 0 };
    const counted = (name: keyof typeof runs, write: (client: pg.PoolClient) => Promise<unknown>) => (client: pg.PoolClient) => {
      runs[name] += 1;
      return write(client);
    };
    const results = await Promise.allSettled([
      writes.run(counted('first', insert(1, 'a'))),
      writes.run(counted('failing', () => Promise.reject(new Error('refused')))),
      writes.run(counted('last', insert(2, 'b'))),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(String((results[1] as PromiseRejectedResult).reason)).toBe('Error: refused');
    // The first try stopped at the failing write; the second ran all three on savepoints.
    expect(runs).toEqual({ first: 2, failing: 2, last: 1 });
    expect(await rows()).toEqual([{ id: 1, v: 'a' }, { id: 2, v: 'b' }]);
  });

  test('a write that swallows its statement error is rejected alone, whatever the size of its batch', async () => {
    const swallowing = async (client: pg.PoolClient) => {
      await insert(5, 'e')(client);
      await insert(1, 'duplicate')(client).catch(() => undefined);
      return 'looked fine';
    };
    await writes.run(insert(1, 'a'));
    // Alone: its transaction is aborted, so COMMIT rolls back; that write must not resolve.
    await expect(writes.run(swallowing)).rejects.toThrow(/current transaction is aborted|rolled back/);
    const results = await Promise.allSettled([writes.run(insert(2, 'b')), writes.run(swallowing), writes.run(insert(3, 'c'))]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(await rows()).toEqual([
      { id: 1, v: 'a' },
      { id: 2, v: 'b' },
      { id: 3, v: 'c' },
    ]);
  });

  test('a failed commit rejects every write of the batch and stores none', async () => {
    const results = await Promise.allSettled([writes.run(insert(1, 'same')), writes.run(insert(2, 'same')), writes.run(insert(3, 'other'))]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected', 'rejected']);
    expect(await rows()).toEqual([]);
    // The pool is still usable afterwards.
    await expect(writes.run(insert(4, 'd'))).resolves.toBe(1);
  });

  test('afterCommit hears of each batch committed, with its number of writes, and of no failed one', async () => {
    const committed: number[] = [];
    const heard = new PgGroupCommit(pool, undefined, (n) => committed.push(n));
    try {
      // One batch of three (one undone on its savepoint), then a batch whose COMMIT fails.
      await Promise.allSettled([heard.run(insert(1, 'a')), heard.run(insert(1, 'again')), heard.run(insert(2, 'b'))]);
      await Promise.allSettled([heard.run(insert(3, 'same')), heard.run(insert(4, 'same'))]);
      expect(committed).toEqual([3]);
    } finally {
      await heard.close();
    }
  });

  test('close commits what is queued, then refuses new writes', async () => {
    const pending = writes.run(insert(1, 'a'));
    await writes.close();
    await expect(pending).resolves.toBe(1);
    expect(await rows()).toEqual([{ id: 1, v: 'a' }]);
    await expect(writes.run(insert(2, 'b'))).rejects.toThrow('the database is closed');
  });
});

describeNeeding(postgresPart())('PostgreSQL group commit: one-statement writes on a pipelined connection', () => {
  let cluster: PostgresCluster;
  let pool: pg.Pool;
  let reader: pg.Client;
  let writes: PgGroupCommit;
  beforeAll(async () => {
    cluster = await startPostgres();
  }, 60_000);
  afterAll(() => cluster?.stop());

  beforeEach(async () => {
    const url = await cluster.createDatabase();
    pool = new pg.Pool({ connectionString: url, max: 2, pipeline: true });
    await pool.query('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL UNIQUE DEFERRABLE INITIALLY DEFERRED)');
    reader = new pg.Client({ connectionString: url });
    await reader.connect();
    writes = new PgGroupCommit(pool);
  });
  afterEach(async () => {
    await writes.close();
    await reader.end();
    await pool.end();
  });

  const rows = async () => (await reader.query('SELECT id, v FROM t ORDER BY id')).rows;
  const insert = (id: number, v: string) => writes.statement('INSERT INTO t (id, v) VALUES ($1, $2)', [id, v]).then((result) => result.rowCount);

  /** What was sent and answered on the writers' connections, in order, while `during` ran. */
  const exchanges = async (during: () => Promise<unknown>): Promise<string[]> => {
    const log: string[] = [];
    const query = pg.Client.prototype.query;
    const spy = jest.spyOn(pg.Client.prototype, 'query').mockImplementation(function (this: pg.Client, ...args: unknown[]) {
      const text = typeof args[0] === 'string' ? args[0] : String((args[0] as { text?: string }).text);
      const short = text.split(' ').slice(0, 2).join(' ');
      log.push(`send ${short}`);
      const answer = (query as (...a: unknown[]) => Promise<unknown>).apply(this, args);
      return answer.then(
        (result) => (log.push(`answer ${short}`), result),
        (error: unknown) => {
          log.push(`error ${short}`);
          throw error;
        },
      );
    } as never);
    try {
      await during();
      return log;
    } finally {
      spy.mockRestore();
    }
  };

  test('a batch of one-statement writes is sent at once, BEGIN and COMMIT included, and settles after the COMMIT', async () => {
    const log = await exchanges(async () => expect(await Promise.all([insert(1, 'a'), insert(2, 'b'), insert(3, 'c')])).toEqual([1, 1, 1]));
    expect(log.slice(0, 5)).toEqual(['send BEGIN', 'send INSERT INTO', 'send INSERT INTO', 'send INSERT INTO', 'send COMMIT']);
    expect(log.slice(5)).toEqual(['answer BEGIN', 'answer INSERT INTO', 'answer INSERT INTO', 'answer INSERT INTO', 'answer COMMIT']);
    expect(await rows()).toEqual([{ id: 1, v: 'a' }, { id: 2, v: 'b' }, { id: 3, v: 'c' }]);
  });

  test('statements and other writes mixed keep their order; only the statements share round trips', async () => {
    const seen: unknown[] = [];
    const results = await Promise.all([
      insert(1, 'a'),
      writes.run(async (client) => {
        // The statement before this write already ran in the same transaction.
        seen.push((await client.query('SELECT count(*)::integer AS n FROM t')).rows[0].n);
        return (await client.query('INSERT INTO t (id, v) VALUES (2, $1)', ['b'])).rowCount;
      }),
      insert(3, 'c'),
    ]);
    expect(results).toEqual([1, 1, 1]);
    expect(seen).toEqual([1]);
    expect(await rows()).toEqual([{ id: 1, v: 'a' }, { id: 2, v: 'b' }, { id: 3, v: 'c' }]);
  });

  test('a failing statement is rejected alone; the others of its batch commit', async () => {
    await insert(1, 'a');
    const results = await Promise.allSettled([insert(2, 'b'), insert(1, 'duplicate'), insert(3, 'c')]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(String((results[1] as PromiseRejectedResult).reason)).toMatch(/duplicate key value violates unique constraint "t_pkey"/);
    expect(await rows()).toEqual([{ id: 1, v: 'a' }, { id: 2, v: 'b' }, { id: 3, v: 'c' }]);
  });

  test('a failing statement alone is rejected, and its connection is clean for the next batch', async () => {
    await insert(1, 'a');
    await expect(insert(1, 'duplicate')).rejects.toThrow(/duplicate key value violates unique constraint "t_pkey"/);
    await expect(insert(2, 'b')).resolves.toBe(1);
    expect(await rows()).toEqual([{ id: 1, v: 'a' }, { id: 2, v: 'b' }]);
  });

  test('a failed COMMIT sent with the statements rejects every write of the batch and stores none', async () => {
    const results = await Promise.allSettled([insert(1, 'same'), insert(2, 'same'), insert(3, 'other')]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected', 'rejected']);
    expect(String((results[0] as PromiseRejectedResult).reason)).toMatch(/duplicate key value violates unique constraint "t_v_key"/);
    expect(await rows()).toEqual([]);
    await expect(insert(4, 'd')).resolves.toBe(1);
  });
});
