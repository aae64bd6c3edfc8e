import pg from 'pg';
import { openPostgresStore, POSTGRES_MIGRATIONS, StoreError, type Store } from '../../src/store';
import { describeNeeding, postgresPart } from '../support/system-parts';
import { startPostgres, APP_PASSWORD, type PostgresCluster } from '../support/postgres';
import { describeStoreContract } from './contract';

const clock = { now: () => new Date('2026-03-04T05:06:07.000Z') };
const POOL_SIZE = 4;

/** Rows through a connection of its own, BIGINT counts as numbers like the store's. */
async function query(url: string, sql: string, values: unknown[] = []): Promise<Array<Record<string, unknown>>> {
  const client = new pg.Client({ connectionString: url });
  client.setTypeParser(pg.types.builtins.INT8, (value: string) => Number(value));
  await client.connect();
  try {
    return (await client.query(sql, values)).rows as Array<Record<string, unknown>>;
  } finally {
    await client.end();
  }
}

describeNeeding(postgresPart())('PostgreSQL', () => {
  let cluster: PostgresCluster;
  let url: string;
  beforeAll(async () => {
    cluster = await startPostgres();
  }, 60_000);
  afterAll(() => cluster?.stop());

  describeStoreContract('PostgreSQL', () => ({
    async reset() {
      url = await cluster.createDatabase();
    },
    open: (clock) => openPostgresStore({ url, poolSize: POOL_SIZE }, clock),
    rows: (sql) => query(url, sql),
  }));

  describe('PostgreSQL only', () => {
    const opened: Store[] = [];
    afterEach(async () => {
      for (const store of opened.splice(0)) await store.close();
    });
    const open = async (target: string) => {
      const store = await openPostgresStore({ url: target, poolSize: POOL_SIZE }, clock);
      opened.push(store);
      return store;
    };

    test('instances starting at the same moment on a fresh database all start, and it is migrated once', async () => {
      const fresh = await cluster.createDatabase();
      const stores = await Promise.all(Array.from({ length: 6 }, () => open(fresh)));
      await Promise.all(stores.map((store) => store.ping()));
      expect(await query(fresh, 'SELECT version FROM switchboard_schema ORDER BY version')).toEqual(
        POSTGRES_MIGRATIONS.map((_, i) => ({ version: i + 1 })),
      );
      const tables = await query(fresh, "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename");
      expect(tables.map((t) => t.tablename)).toEqual([
        'api_idempotency', 'bulk_jobs', 'calls', 'messages', 'opt_out_events', 'opt_outs', 'outbound_requests', 'rate_windows', 'status_events', 'switchboard_schema', 'voicemails',
      ]);
    });

    test('reopening a current database keeps its rows and applies nothing', async () => {
      const target = await cluster.createDatabase();
      const first = await open(target);
      await first.recordInboundCall({ sid: 'CA1', from: '+15550001111', to: '+15550002222', status: 'ringing' });
      const second = await open(target);
      expect(await second.getCall('CA1')).toMatchObject({ sid: 'CA1', status: 'ringing' });
      expect(await query(target, 'SELECT CAST(count(*) AS INTEGER) AS n FROM switchboard_schema')).toEqual([{ n: POSTGRES_MIGRATIONS.length }]);
    });

    test('a database written by a newer Switchboard is refused, like SQLite', async () => {
      const target = await cluster.createDatabase();
      await open(target);
      const newer = POSTGRES_MIGRATIONS.length + 1;
      await query(target, 'INSERT INTO switchboard_schema (version) VALUES ($1)', [newer]);
      await expect(openPostgresStore({ url: target, poolSize: 1 }, clock)).rejects.toThrow(
        new StoreError(`database schema version ${newer} is newer than this Switchboard knows (${POSTGRES_MIGRATIONS.length}); upgrade Switchboard`),
      );
    });

    test.each([
      ['a wrong password', (u: URL) => void (u.password = 'not-the-password'), /^cannot open PostgreSQL database 127\.0\.0\.1:\d+\/t\d+_\d+: password authentication failed for user "switchboard"$/],
      ['an unknown database', (u: URL) => void (u.pathname = '/nope'), /^cannot open PostgreSQL database 127\.0\.0\.1:\d+\/nope: database "nope" does not exist$/],
    ])('%s stops the open with one line naming host:port/database, never the password', async (_name, change, message) => {
      const target = new URL(await cluster.createDatabase());
      change(target);
      const error = await openPostgresStore({ url: target.href, poolSize: 1 }, clock).then(
        () => undefined,
        (err: unknown) => err,
      );
      expect(error).toBeInstanceOf(StoreError);
      expect((error as Error).message).toMatch(message);
      expect((error as Error).message).not.toContain(APP_PASSWORD);
      expect((error as Error).message).not.toContain('not-the-password');
    });

    test('one bulk sender lease per database: released or lost, another instance takes it', async () => {
      const target = await cluster.createDatabase();
      const [a, b] = [await open(target), await open(target)];
      const first = await a.claimBulkSender();
      expect(first).toBeDefined();
      expect(await b.claimBulkSender()).toBeUndefined();
      await first?.release();
      const second = await b.claimBulkSender();
      expect(second).toBeDefined();
      expect(await a.claimBulkSender()).toBeUndefined();
      // The holder's connection dies (a failover, a network cut): the lease is lost and free again.
      const killed = await query(cluster.adminUrl(), "SELECT pg_terminate_backend(pid) AS ok FROM pg_stat_activity WHERE application_name = 'switchboard bulk sender'");
      expect(killed).toEqual([{ ok: true }]);
      await second?.lost;
      const third = await a.claimBulkSender();
      expect(third).toBeDefined();
      await third?.release();
    });

    test('start-up recovery leaves the requests in flight of a running instance alone, and takes those of a stopped one', async () => {
      const target = await cluster.createDatabase();
      const [running, stopped] = [await open(target), await open(target)];
      const message = (id: string) => ({ id, kind: 'message' as const, params: { to: '+15550001111' } });
      for (const id of ['mine', 'theirs']) await running.insertOutbound(message(id));
      await running.markInFlight('mine');
      await stopped.markInFlight('theirs');
      await stopped.close();
      const starting = await open(target);
      expect((await starting.recoverInterrupted('interrupted')).map((r) => r.id)).toEqual(['theirs']);
      expect((await starting.getOutbound('mine'))?.state).toBe('in_flight');
      expect((await starting.getOutbound('theirs'))?.state).toBe('unknown');
      // The running instance still records its outcome.
      await running.markSent('mine', { sid: 'SM1' }, { kind: 'message', sid: 'SM1', from: '+1', to: '+15550001111', status: 'queued', body: '', mediaUrls: [] });
      expect((await starting.getOutbound('mine'))?.state).toBe('sent');
    });

    test('opt-out questions use the indexes, with or without our number', async () => {
      const target = await cluster.createDatabase();
      await open(target);
      // On empty tables any plan is cheap: forbid sequential scans to see which index answers.
      const plan = async (sql: string) => {
        const client = new pg.Client({ connectionString: target });
        await client.connect();
        try {
          await client.query('SET enable_seqscan = off');
          return (await client.query(`EXPLAIN (COSTS OFF) ${sql}`)).rows.map((r: Record<string, unknown>) => String(r['QUERY PLAN'])).join('\n');
        } finally {
          await client.end();
        }
      };
      expect(await plan("SELECT 1 FROM opt_outs WHERE their_number = '+1' AND our_number = '+2' AND opted_out = 1")).toMatch(/^Index (Only )?Scan using opt_outs_(pkey|by_their_number) on opt_outs\n/);
      expect(await plan("SELECT 1 FROM opt_outs WHERE their_number = '+1' AND opted_out = 1")).toMatch(/^(Index|Bitmap Index|Index Only) Scan using opt_outs_by_their_number/m);
    });
  });
});
