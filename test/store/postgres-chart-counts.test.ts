// The dashboard's counts on PostgreSQL with several instances writing at once: no deadlock and no
// waiting on shared count rows, every row counted exactly once.
import pg from 'pg';
import { openPostgresStore, POSTGRES_MIGRATIONS, type CallStatusEvent, type MessageStatusEvent, type Store } from '../../src/store';
import { rollUpChartCounts, ROLL_UP_EVERY_WRITES } from '../../src/store/postgres-chart-rollup';
import { CHART_COUNT_TABLES, deltasOf } from '../../src/store/postgres-chart-tables';
import { startPostgres, type PostgresCluster } from '../support/postgres';
import { describeNeeding, postgresPart } from '../support/system-parts';
import { until } from '../support/until';

const clock = { now: () => new Date('2026-03-04T05:06:07.000Z') };
const DAY = { since: '2026-03-04T00:00:00.000Z', until: '2026-03-05T00:00:00.000Z' };
const POOL_SIZE = 4;

const callFailed = (sid: string): CallStatusEvent => ({
  callSid: sid, status: 'failed', sequenceNumber: 1, dedupeKey: `${sid}:failed`, direction: 'outbound-api', from: '+1', to: '+2',
  duration: null, price: null, priceUnit: null, errorCode: 31005, recordingUrl: null, answeredBy: null, params: {},
});
const messageFailed = (sid: string): MessageStatusEvent => ({
  messageSid: sid, status: 'failed', sequenceNumber: null, dedupeKey: `${sid}:failed`, direction: 'outbound-api', from: '+1', to: '+2',
  body: null, errorCode: 30007, price: null, priceUnit: null, params: {},
});

/**
 * A database's deadlock count. A backend reports it when it exits at the latest, and leaves
 * pg_stat_database's backend count after reporting: so once no backend is connected to the
 * database, the figure is complete.
 */
async function deadlocks(cluster: PostgresCluster, url: string): Promise<number> {
  const database = new URL(url).pathname.slice(1);
  const admin = new pg.Client({ connectionString: cluster.adminUrl() });
  await admin.connect();
  try {
    await admin.query('SET stats_fetch_consistency = none');
    for (let i = 0; i < 500; i++) {
      const { rows } = await admin.query<{ numbackends: number; deadlocks: string }>(
        'SELECT numbackends, deadlocks FROM pg_stat_database WHERE datname = $1',
        [database],
      );
      const row = rows[0];
      if (row !== undefined && row.numbackends === 0) return Number(row.deadlocks);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    throw new Error(`backends of ${database} still connected after 10 s`);
  } finally {
    await admin.end();
  }
}

/** Rows through a connection of its own, BIGINT as numbers. */
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

/** Delta rows not rolled up yet, over the four tables. */
async function deltas(url: string): Promise<number> {
  const [row] = await query(url, `SELECT ${CHART_COUNT_TABLES.map((t) => `(SELECT count(*) FROM ${deltasOf(t)})`).join(' + ')} AS n`);
  return Number(row?.n);
}

/** Every answer the charts give for a day and a job. */
async function charts(store: Store, day: { since: string; until: string }, job: string): Promise<unknown> {
  return {
    callsPerHour: await store.activity('calls', 'hour', day),
    messagesPerDay: await store.activity('messages', 'day', day),
    outcomes: await store.deliveryOutcomes(day),
    errorCodes: await store.topErrorCodes(day, 10),
    job: await store.jobProgress(job, 'minute'),
  };
}

/**
 * What the charts showed on a database at version 5: the chart queries as they were before
 * migration 6, which read the count tables alone.
 */
async function version5Charts(url: string, day: { since: string; until: string }, job: string): Promise<unknown> {
  const hours = [day.since.slice(0, 13), day.until.slice(0, 13)];
  const days = [day.since.slice(0, 10), day.until.slice(0, 10)];
  return {
    callsPerHour: await query(
      url,
      `SELECT substr(hour, 1, 13) AS bucket, direction, sum(count) AS count FROM chart_activity WHERE kind = 'call' AND hour >= $1 AND hour < $2
       GROUP BY substr(hour, 1, 13), direction HAVING sum(count) > 0 ORDER BY bucket, direction`,
      hours,
    ),
    messagesPerDay: await query(
      url,
      `SELECT substr(hour, 1, 10) AS bucket, direction, sum(count) AS count FROM chart_activity WHERE kind = 'message' AND hour >= $1 AND hour < $2
       GROUP BY substr(hour, 1, 10), direction HAVING sum(count) > 0 ORDER BY bucket, direction`,
      hours,
    ),
    outcomes: await query(
      url,
      'SELECT status, sum(count) AS count FROM chart_outcomes WHERE day >= $1 AND day < $2 GROUP BY status HAVING sum(count) > 0 ORDER BY status',
      days,
    ),
    errorCodes: await query(
      url,
      `SELECT code, sum(CASE WHEN kind = 'call' THEN count ELSE 0 END) AS calls, sum(CASE WHEN kind = 'message' THEN count ELSE 0 END) AS messages
       FROM chart_errors WHERE day >= $1 AND day < $2 GROUP BY code HAVING sum(count) > 0 ORDER BY sum(count) DESC, code LIMIT 10`,
      days,
    ),
    job: await query(
      url,
      `SELECT substr(minute, 1, 16) AS bucket, state, sum(count) AS count FROM chart_job_progress WHERE job_id = $1
       GROUP BY substr(minute, 1, 16), state HAVING sum(count) > 0 ORDER BY bucket, state`,
      [job],
    ),
  };
}

describeNeeding(postgresPart())('PostgreSQL chart counts', () => {
  let cluster: PostgresCluster;
  beforeAll(async () => {
    cluster = await startPostgres();
  }, 60_000);
  afterAll(() => cluster?.stop());

  const opened: Store[] = [];
  afterEach(async () => {
    for (const store of opened.splice(0)) await store.close();
  });
  const open = async (url: string) => {
    const store = await openPostgresStore({ url, poolSize: POOL_SIZE }, clock);
    opened.push(store);
    return store;
  };

  test('two instances whose batches count calls and messages in opposite orders never deadlock, and every row is counted once', async () => {
    const url = await cluster.createDatabase();
    const before = await deadlocks(cluster, url);
    const [a, b] = [await open(url), await open(url)];
    // Each store's writes of one turn share one transaction, in the order asked: a's counts the
    // hour's inbound calls, inbound messages, outbound messages, their outcome and error code,
    // then the outbound calls and their error code; b's the same counts in the opposite order.
    // With a count row updated in place, two such transactions lock two rows in opposite orders.
    const ROUNDS = 20;
    for (let round = 0; round < ROUNDS; round++) {
      const writes = (store: Store, name: string) => [
        () => store.recordInboundCall({ sid: `CA-${name}-${round}`, from: '+1', to: '+2', status: 'ringing' }),
        () => store.recordInboundMessage({ sid: `SM-${name}-${round}`, from: '+1', to: '+2', body: 'x', mediaUrls: [] }),
        () => store.applyMessageStatus(messageFailed(`SMout-${name}-${round}`)),
        () => store.applyCallStatus(callFailed(`CAout-${name}-${round}`)),
      ];
      await Promise.all([...writes(a, 'a').map((write) => write()), ...writes(b, 'b').reverse().map((write) => write())]);
    }
    const n = 2 * ROUNDS;
    expect(await a.activity('calls', 'hour', DAY)).toEqual([
      { bucket: '2026-03-04T05', direction: 'inbound', count: n },
      { bucket: '2026-03-04T05', direction: 'outbound', count: n },
    ]);
    expect(await b.activity('messages', 'day', DAY)).toEqual([
      { bucket: '2026-03-04', direction: 'inbound', count: n },
      { bucket: '2026-03-04', direction: 'outbound', count: n },
    ]);
    expect(await a.deliveryOutcomes(DAY)).toEqual([{ status: 'failed', count: n }]);
    expect(await b.topErrorCodes(DAY, 10)).toEqual([
      { code: 30007, calls: 0, messages: n },
      { code: 31005, calls: n, messages: 0 },
    ]);
    for (const store of opened.splice(0)) await store.close();
    expect((await deadlocks(cluster, url)) - before).toBe(0);
  }, 90_000);

  test('roll-ups on several connections while two instances write: each delta is counted once, and no chart count ever goes back', async () => {
    const url = await cluster.createDatabase();
    const [a, b] = [await open(url), await open(url)];
    const rollers = [new pg.Pool({ connectionString: url, max: 1 }), new pg.Pool({ connectionString: url, max: 1 })];
    const seen: number[] = [];
    const rolls: boolean[] = [];
    let writing = true;
    try {
      // Each loop gives the writes a turn between two of its queries; bounded, should the writes stall.
      const pause = () => new Promise((resolve) => setTimeout(resolve, 1));
      const rollUps = rollers.map(async (pool) => {
        for (let i = 0; i < 5000 && writing; i++) {
          rolls.push((await rollUpChartCounts(pool)).rolledUp);
          await pause();
        }
      });
      const reads = (async () => {
        for (let i = 0; i < 5000 && writing; i++) {
          const rows = await a.activity('calls', 'hour', DAY);
          seen.push(rows.reduce((sum, row) => sum + row.count, 0));
          await pause();
        }
      })();
      const ROUNDS = 30;
      for (let round = 0; round < ROUNDS; round++) {
        await Promise.all(
          [a, b].flatMap((store, s) =>
            Array.from({ length: 5 }, (_, i) => [
              store.recordInboundCall({ sid: `CA-${s}-${round}-${i}`, from: '+1', to: '+2', status: 'ringing' }),
              store.applyMessageStatus(messageFailed(`SM-${s}-${round}-${i}`)),
            ]).flat(),
          ),
        );
      }
      writing = false;
      await Promise.all([...rollUps, reads]);
      const n = 2 * ROUNDS * 5;
      expect(await b.activity('calls', 'hour', DAY)).toEqual([{ bucket: '2026-03-04T05', direction: 'inbound', count: n }]);
      expect(await b.deliveryOutcomes(DAY)).toEqual([{ status: 'failed', count: n }]);
      expect(await b.topErrorCodes(DAY, 10)).toEqual([{ code: 30007, calls: 0, messages: n }]);
      // The roll-ups took turns, and moved deltas while the instances wrote.
      expect(rolls.filter((mine) => mine).length).toBeGreaterThan(0);
      expect(seen.length).toBeGreaterThan(0);
      expect(seen).toEqual([...seen].sort((x, y) => x - y));

      // Once everything is rolled up, the counts alone hold the numbers.
      await rollUpChartCounts(rollers[0] as pg.Pool);
      expect(await deltas(url)).toBe(0);
      expect(await query(url, 'SELECT kind, hour, direction, count FROM chart_activity ORDER BY kind, direction')).toEqual([
        { kind: 'call', hour: '2026-03-04T05', direction: 'inbound', count: n },
        { kind: 'message', hour: '2026-03-04T05', direction: 'outbound', count: n },
      ]);
    } finally {
      writing = false;
      for (const pool of rollers) await pool.end();
    }
  }, 60_000);

  test('a store rolls the deltas up by itself: at its first batch, then every ROLL_UP_EVERY_WRITES writes', async () => {
    const url = await cluster.createDatabase();
    const store = await open(url);
    const call = (sid: string) => store.recordInboundCall({ sid, from: '+1', to: '+2', status: 'ringing' });
    const callsCounted = async () => (await store.activity('calls', 'day', DAY))[0]?.count;
    await call('CA-first');
    await until('the first batch rolled up', async () => (await deltas(url)) === 0);
    expect(await callsCounted()).toBe(1);
    // One short of the next roll-up: the deltas stay, and the charts count them all the same.
    await Promise.all(Array.from({ length: ROLL_UP_EVERY_WRITES - 1 }, (_, i) => call(`CA-${i}`)));
    expect(await deltas(url)).toBe(ROLL_UP_EVERY_WRITES - 1);
    expect(await callsCounted()).toBe(ROLL_UP_EVERY_WRITES);
    await call('CA-last');
    await until('the next roll-up', async () => (await deltas(url)) === 0);
    expect(await callsCounted()).toBe(ROLL_UP_EVERY_WRITES + 1);
    expect(await query(url, "SELECT count FROM chart_activity WHERE kind = 'call'")).toEqual([{ count: ROLL_UP_EVERY_WRITES + 1 }]);
  });

  describe('migration 6', () => {
    /** A database as version 5 left it. */
    async function atVersion5(): Promise<string> {
      const url = await cluster.createDatabase();
      await query(url, 'CREATE TABLE switchboard_schema (version INTEGER PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())');
      for (const [i, sql] of POSTGRES_MIGRATIONS.slice(0, 5).entries()) {
        await query(url, sql);
        await query(url, 'INSERT INTO switchboard_schema (version) VALUES ($1)', [i + 1]);
      }
      return url;
    }
    const JAN_2 = { since: '2026-01-02T00:00:00.000Z', until: '2026-01-03T00:00:00.000Z' };
    const COUNT_ROWS = [
      'SELECT kind, hour, direction, count FROM chart_activity ORDER BY kind, hour, direction',
      'SELECT day, status, count FROM chart_outcomes ORDER BY day, status',
      'SELECT day, kind, code, count FROM chart_errors ORDER BY day, kind, code',
      'SELECT job_id, minute, state, count FROM chart_job_progress ORDER BY job_id, minute, state',
    ];
    const countRows = async (url: string) => Promise.all(COUNT_ROWS.map((sql) => query(url, sql)));

    test('the counts so far stay as they are, the charts give the same numbers, and later changes move them', async () => {
      const url = await atVersion5();
      // Rows counted by version 5's triggers, counts moved by updates included.
      const t = (hhmm: string) => `2026-01-02T${hhmm}:00.000Z`;
      await query(
        url,
        `INSERT INTO calls (sid, direction, from_number, to_number, status, error_code, created_at, updated_at) VALUES
           ('CA1', 'inbound', '+1', '+2', 'completed', NULL, $1, $1), ('CA2', 'inbound', '+1', '+2', 'completed', NULL, $2, $2),
           ('CA3', 'outbound-api', '+1', '+2', 'failed', 31005, $3, $3), ('CA4', 'outbound-dial', '+1', '+2', 'busy', 31486, $3, $3)`,
        [t('03:04'), t('03:59'), t('04:10')],
      );
      await query(url, "UPDATE calls SET error_code = 31486 WHERE sid = 'CA3'");
      await query(
        url,
        `INSERT INTO messages (sid, direction, from_number, to_number, body, status, error_code, created_at, updated_at) VALUES
           ('SM1', 'inbound', '+1', '+2', 'x', 'received', NULL, $1, $1), ('SM2', 'outbound-api', '+1', '+2', 'x', 'sent', NULL, $1, $1),
           ('SM3', 'outbound-api', '+1', '+2', 'x', 'failed', 30007, $2, $2), ('SM4', 'outbound-api', '+1', '+2', 'x', 'undelivered', 30003, $2, $2)`,
        [t('05:00'), t('06:30')],
      );
      await query(url, "UPDATE messages SET status = 'delivered' WHERE sid = 'SM2'");
      await query(
        url,
        `INSERT INTO outbound_requests (id, kind, params, state, job_id, created_at, updated_at) VALUES
           ('r1', 'message', '{}', 'pending', 'job-1', $1, $1), ('r2', 'message', '{}', 'unknown', 'job-1', $1, $2), ('r3', 'message', '{}', 'failed', 'job-1', $1, $2)`,
        [t('07:00'), t('07:01')],
      );
      await query(url, "UPDATE outbound_requests SET state = 'sent', updated_at = $1 WHERE id = 'r1'", [t('07:02')]);
      const shown = await version5Charts(url, JAN_2, 'job-1');
      const counts = await countRows(url);

      const store = await open(url);
      expect(await query(url, 'SELECT max(version) AS v FROM switchboard_schema')).toEqual([{ v: 6 }]);
      // Nothing copied nor recounted: the count rows are those version 5 kept, and no delta yet.
      expect(await countRows(url)).toEqual(counts);
      expect(await deltas(url)).toBe(0);
      expect(await charts(store, JAN_2, 'job-1')).toEqual(shown);
      expect(shown).toEqual({
        callsPerHour: [
          { bucket: '2026-01-02T03', direction: 'inbound', count: 2 },
          { bucket: '2026-01-02T04', direction: 'outbound', count: 2 },
        ],
        messagesPerDay: [
          { bucket: '2026-01-02', direction: 'inbound', count: 1 },
          { bucket: '2026-01-02', direction: 'outbound', count: 3 },
        ],
        outcomes: [
          { status: 'delivered', count: 1 },
          { status: 'failed', count: 1 },
          { status: 'undelivered', count: 1 },
        ],
        errorCodes: [
          { code: 31486, calls: 2, messages: 0 },
          { code: 30003, calls: 0, messages: 1 },
          { code: 30007, calls: 0, messages: 1 },
        ],
        job: [
          { bucket: '2026-01-02T07:01', state: 'failed', count: 1 },
          { bucket: '2026-01-02T07:01', state: 'unknown', count: 1 },
          { bucket: '2026-01-02T07:02', state: 'sent', count: 1 },
        ],
      });

      // Changes after the migration take counts of version 5 back, as deltas.
      await query(url, "UPDATE messages SET status = 'undelivered', error_code = 30005 WHERE sid = 'SM2'");
      await query(url, "UPDATE calls SET error_code = NULL WHERE sid = 'CA4'");
      await query(url, "UPDATE outbound_requests SET state = 'sent', updated_at = $1 WHERE id = 'r2'", [t('07:05')]);
      const after = {
        ...shown as object,
        outcomes: [
          { status: 'failed', count: 1 },
          { status: 'undelivered', count: 2 },
        ],
        errorCodes: [
          { code: 30003, calls: 0, messages: 1 },
          { code: 30005, calls: 0, messages: 1 },
          { code: 30007, calls: 0, messages: 1 },
          { code: 31486, calls: 1, messages: 0 },
        ],
        job: [
          { bucket: '2026-01-02T07:01', state: 'failed', count: 1 },
          { bucket: '2026-01-02T07:02', state: 'sent', count: 1 },
          { bucket: '2026-01-02T07:05', state: 'sent', count: 1 },
        ],
      };
      expect(await deltas(url)).toBeGreaterThan(0);
      expect(await charts(store, JAN_2, 'job-1')).toEqual(after);
      const pool = new pg.Pool({ connectionString: url, max: 1 });
      try {
        expect((await rollUpChartCounts(pool)).rolledUp).toBe(true);
      } finally {
        await pool.end();
      }
      expect(await deltas(url)).toBe(0);
      expect(await charts(store, JAN_2, 'job-1')).toEqual(after);
    });

    test('writers of version 5 still running while it is applied: every row is counted once', async () => {
      const url = await atVersion5();
      const insert = (client: pg.Client, sid: string) =>
        client.query(
          `INSERT INTO calls (sid, direction, from_number, to_number, status, created_at, updated_at)
           VALUES ($1, 'inbound', '+1', '+2', 'ringing', '2026-01-02T03:00:00.000Z', '2026-01-02T03:00:00.000Z')`,
          [sid],
        );
      const [open5, steady] = [new pg.Client({ connectionString: url }), new pg.Client({ connectionString: url })];
      await open5.connect();
      await steady.connect();
      try {
        // A transaction counted one row by version 5's trigger (and holds that count's row) before
        // the migration, and counts another after it.
        await open5.query('BEGIN');
        await insert(open5, 'CA-open-1');
        // Another writer inserts one row per transaction throughout.
        const INSERTS = 200;
        const stream = (async () => {
          for (let i = 0; i < INSERTS; i++) await insert(steady, `CA-steady-${i}`);
        })();
        const store = await open(url);
        await insert(open5, 'CA-open-2');
        await open5.query('COMMIT');
        await stream;
        await store.recordInboundCall({ sid: 'CA-store', from: '+1', to: '+2', status: 'ringing' });
        const total = [{ bucket: '2026-01-02', direction: 'inbound', count: INSERTS + 2 }];
        expect(await store.activity('calls', 'day', JAN_2)).toEqual(total);
        await until('the first batch rolled up', async () => (await deltas(url)) === 0);
        expect(await store.activity('calls', 'day', JAN_2)).toEqual(total);
      } finally {
        await open5.end();
        await steady.end();
      }
    });
  });
});
