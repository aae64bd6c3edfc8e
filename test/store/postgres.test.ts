import pg from 'pg';
import { openPostgresStore, POSTGRES_MIGRATIONS, StoreError, type Store } from '../../src/store';
import { describeNeeding, postgresPart } from '../support/system-parts';
import { startPostgres, APP_PASSWORD, type PostgresCluster } from '../support/postgres';
import { POSTGRES_CHART_SQL } from '../../src/store/postgres-charts';
import { POSTGRES_PRUNE_SQL } from '../../src/store/postgres-retention';
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
    async exec(sql) {
      await query(url, sql);
    },
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
        'api_idempotency', 'bulk_jobs', 'calls', 'chart_activity', 'chart_activity_deltas', 'chart_errors', 'chart_errors_deltas', 'chart_job_progress',
        'chart_job_progress_deltas', 'chart_outcomes', 'chart_outcomes_deltas', 'messages', 'opt_out_events', 'opt_outs',
        'outbound_requests', 'rate_windows', 'status_events', 'switchboard_schema', 'voicemails',
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

    test('migration 2 (reconciling) keeps every outbox row, allows not_sent, and keeps a sid on one row', async () => {
      const target = await cluster.createDatabase();
      // A database as version 1 left it, with rows.
      await query(target, 'CREATE TABLE switchboard_schema (version INTEGER PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())');
      await query(target, POSTGRES_MIGRATIONS[0] as string);
      await query(target, 'INSERT INTO switchboard_schema (version) VALUES (1)');
      await query(
        target,
        `INSERT INTO outbound_requests (id, kind, params, state, attempts, twilio_sid, error_message, job_id, created_at, updated_at)
         VALUES ('a', 'message', '{}', 'sent', 1, 'SM1', NULL, 'job_1', 't0', 't1'), ('b', 'message', '{}', 'unknown', 1, NULL, 'outcome unknown', 'job_1', 't0', 't1')`,
      );
      await expect(query(target, "UPDATE outbound_requests SET state = 'not_sent' WHERE id = 'b'")).rejects.toThrow(/outbound_requests_state_check/);

      const store = await open(target);
      expect(await query(target, 'SELECT version FROM switchboard_schema ORDER BY version')).toEqual(POSTGRES_MIGRATIONS.map((_, i) => ({ version: i + 1 })));
      expect(
        await query(target, 'SELECT seq, id, state, attempts, twilio_sid, error_message, job_id, created_at, updated_at, reconcile_checks, reconcile_outcome FROM outbound_requests ORDER BY seq'),
      ).toEqual([
        { seq: 1, id: 'a', state: 'sent', attempts: 1, twilio_sid: 'SM1', error_message: null, job_id: 'job_1', created_at: 't0', updated_at: 't1', reconcile_checks: 0, reconcile_outcome: null },
        { seq: 2, id: 'b', state: 'unknown', attempts: 1, twilio_sid: null, error_message: 'outcome unknown', job_id: 'job_1', created_at: 't0', updated_at: 't1', reconcile_checks: 0, reconcile_outcome: null },
      ]);
      expect(await query(target, "SELECT indexname FROM pg_indexes WHERE tablename = 'outbound_requests' ORDER BY indexname")).toEqual([
        { indexname: 'outbound_requests_by_job' },
        { indexname: 'outbound_requests_by_sid' },
        { indexname: 'outbound_requests_by_state' },
        { indexname: 'outbound_requests_idempotency_key_key' },
        { indexname: 'outbound_requests_pkey' },
        { indexname: 'outbound_requests_seq_key' },
      ]);
      expect(await store.markNotSent('b', 'not sent: gone', { checkedAt: 'T1', candidates: [], outcome: 'gave-up', message: 'not sent: gone' })).toBe(true);
      expect(await store.getOutbound('b')).toMatchObject({ state: 'not_sent', errorMessage: 'not sent: gone', updatedAt: '2026-03-04T05:06:07.000Z' });
      await expect(query(target, "UPDATE outbound_requests SET twilio_sid = 'SM1' WHERE id = 'b'")).rejects.toThrow(
        'duplicate key value violates unique constraint "outbound_requests_by_sid"',
      );
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

    test('migration 4 (charts) counts the rows already in the history', async () => {
      const target = await cluster.createDatabase();
      // A database as version 3 left it, with rows.
      await query(target, 'CREATE TABLE switchboard_schema (version INTEGER PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())');
      for (const [i, sql] of POSTGRES_MIGRATIONS.slice(0, 3).entries()) {
        await query(target, sql);
        await query(target, 'INSERT INTO switchboard_schema (version) VALUES ($1)', [i + 1]);
      }
      await query(
        target,
        `INSERT INTO calls (sid, direction, from_number, to_number, status, error_code, created_at, updated_at) VALUES
           ('CA1', 'inbound', '+1', '+2', 'completed', NULL, '2026-01-02T03:04:05.000Z', '2026-01-02T03:04:05.000Z'),
           ('CA2', 'outbound-dial', '+1', '+2', 'completed', 31005, '2026-01-02T03:59:00.000Z', '2026-01-02T03:59:00.000Z')`,
      );
      await query(
        target,
        `INSERT INTO messages (sid, direction, from_number, to_number, body, status, error_code, created_at, updated_at)
         VALUES ('SM1', 'outbound-api', '+1', '+2', 'x', 'undelivered', 30005, '2026-01-02T07:00:00.000Z', '2026-01-02T07:00:00.000Z')`,
      );
      await query(
        target,
        `INSERT INTO outbound_requests (id, kind, params, state, job_id, created_at, updated_at)
         VALUES ('r1', 'message', '{}', 'sent', 'job-9', '2026-01-02T07:00:00.000Z', '2026-01-02T07:01:02.000Z')`,
      );
      const store = await open(target);
      const day = { since: '2026-01-02T00:00:00.000Z', until: '2026-01-03T00:00:00.000Z' };
      expect(await store.activity('calls', 'hour', day)).toEqual([
        { bucket: '2026-01-02T03', direction: 'inbound', count: 1 },
        { bucket: '2026-01-02T03', direction: 'outbound', count: 1 },
      ]);
      expect(await store.deliveryOutcomes(day)).toEqual([{ status: 'undelivered', count: 1 }]);
      expect(await store.topErrorCodes(day, 10)).toEqual([{ code: 30005, calls: 0, messages: 1 }, { code: 31005, calls: 1, messages: 0 }]);
      expect(await store.jobProgress('job-9', 'minute')).toEqual([{ bucket: '2026-01-02T07:01', state: 'sent', count: 1 }]);
      // And from here on the triggers count: one more inbound call in the same hour.
      await store.recordInboundCall({ sid: 'CA3', from: '+1', to: '+2', status: 'ringing' });
      expect(await store.activity('calls', 'hour', { since: '2026-03-04T05:00:00.000Z', until: '2026-03-04T06:00:00.000Z' })).toEqual([
        { bucket: '2026-03-04T05', direction: 'inbound', count: 1 },
      ]);
    });

    test('the chart queries read their count tables by primary key and every prune batch finds its rows by an index', async () => {
      const target = await cluster.createDatabase();
      await open(target);
      // On small tables a sequential scan is cheapest and proves nothing, so it is switched off:
      // the planner still picks one (at a prohibitive cost) where no index can answer.
      const plan = async (sql: string, values: unknown[]) => {
        const client = new pg.Client({ connectionString: target });
        await client.connect();
        try {
          await client.query('SET enable_seqscan = off');
          return (await client.query(`EXPLAIN (COSTS OFF) ${sql}`, values)).rows.map((r: Record<string, unknown>) => String(r['QUERY PLAN'])).join('\n');
        } finally {
          await client.end();
        }
      };
      // A plan line that reads a range of the index, directly or through a bitmap.
      const searches = (index: string) => new RegExp(`^\\s*(->  )?(Index (Only )?Scan( Backward)? using ${index} on|Bitmap Index Scan on ${index})`, 'm');
      const charts = {
        activity: await plan(POSTGRES_CHART_SQL.activity, ['call', '2026-01-01T00', '2026-01-02T00', 13]),
        deliveryOutcomes: await plan(POSTGRES_CHART_SQL.deliveryOutcomes, ['2026-01-01', '2026-01-31']),
        topErrorCodes: await plan(POSTGRES_CHART_SQL.topErrorCodes, ['2026-01-01', '2026-01-31', 10]),
        jobProgress: await plan(POSTGRES_CHART_SQL.jobProgress, ['job-1', 16]),
      };
      expect(charts.activity).toMatch(searches('chart_activity_pkey'));
      expect(charts.deliveryOutcomes).toMatch(searches('chart_outcomes_pkey'));
      expect(charts.topErrorCodes).toMatch(searches('chart_errors_pkey'));
      expect(charts.jobProgress).toMatch(searches('chart_job_progress_pkey'));
      // And the deltas not rolled up yet (migration 6), along their index.
      expect(charts.activity).toMatch(searches('chart_activity_deltas_by_hour'));
      expect(charts.deliveryOutcomes).toMatch(searches('chart_outcomes_deltas_by_day'));
      expect(charts.topErrorCodes).toMatch(searches('chart_errors_deltas_by_day'));
      expect(charts.jobProgress).toMatch(searches('chart_job_progress_deltas_by_job'));
      for (const text of Object.values(charts)) expect(text).not.toMatch(/\b(calls|messages|outbound_requests)\b/);

      const prunes = Object.fromEntries(
        await Promise.all(Object.entries(POSTGRES_PRUNE_SQL).map(async ([kind, sql]) => [kind, await plan(sql, ['2026-01-30T00:00:00.000Z', 500])] as const)),
      );
      // The index by time each batch searches (a range of it), whatever joins the plan adds.
      const byTime: Record<string, RegExp> = {
        calls: searches('calls_by_created'),
        messages: searches('messages_by_created'),
        statusEvents: searches('status_events_by_received'),
        voicemails: searches('voicemails_by_created'),
        outbox: searches('outbound_requests_by_state'),
        bulkJobs: searches('bulk_jobs_by_state'),
        idempotency: searches('api_idempotency_by_created'),
      };
      for (const [kind, text] of Object.entries(prunes)) {
        expect(`${kind}:\n${text}`).toMatch(byTime[kind] as RegExp);
      }
      const all = [...Object.values(charts), ...Object.values(prunes)].join('\n');
      expect(all.split('\n').filter((line) => /Seq Scan/.test(line))).toEqual([]);
    });

    test("the group commit's COMMIT is timed for the metrics, once per batch", async () => {
      const target = await cluster.createDatabase();
      const onCommit = jest.fn<void, [number]>();
      const store = await openPostgresStore({ url: target, poolSize: POOL_SIZE, onCommit }, clock);
      opened.push(store);
      // Three writes in one turn share one batch; a later one has a batch of its own.
      await Promise.all(['CA1', 'CA2', 'CA3'].map((sid) => store.recordInboundCall({ sid, from: '+1', to: '+2', status: 'ringing' })));
      await store.recordInboundCall({ sid: 'CA4', from: '+1', to: '+2', status: 'ringing' });
      expect(onCommit).toHaveBeenCalledTimes(2);
      for (const [seconds] of onCommit.mock.calls) expect(seconds).toBeGreaterThanOrEqual(0);
    });

    test('two instances whose batches update the same chart counts in opposite orders both commit every write', async () => {
      const target = await cluster.createDatabase();
      const [a, b] = [await open(target), await open(target)];
      // Each batch counts the hour's calls and messages, in opposite orders. Before migration 6 it
      // locked both count rows, a deadlock the group commit survived by running the batch again;
      // now it appends deltas (test/store/postgres-chart-counts.test.ts checks that none occurs).
      for (let round = 0; round < 5; round++) {
        await Promise.all([
          a.recordInboundCall({ sid: `CA-a-${round}`, from: '+1', to: '+2', status: 'ringing' }),
          a.recordInboundMessage({ sid: `SM-a-${round}`, from: '+1', to: '+2', body: 'x', mediaUrls: [] }),
          b.recordInboundMessage({ sid: `SM-b-${round}`, from: '+1', to: '+2', body: 'x', mediaUrls: [] }),
          b.recordInboundCall({ sid: `CA-b-${round}`, from: '+1', to: '+2', status: 'ringing' }),
        ]);
      }
      const hour = { since: '2026-03-04T05:00:00.000Z', until: '2026-03-04T06:00:00.000Z' };
      expect(await a.activity('calls', 'hour', hour)).toEqual([{ bucket: '2026-03-04T05', direction: 'inbound', count: 10 }]);
      expect(await a.activity('messages', 'hour', hour)).toEqual([{ bucket: '2026-03-04T05', direction: 'inbound', count: 10 }]);
    }, 30_000);
  });
});
