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
