// The PostgreSQL part of `npm run bench:charts`: the chart queries through the real PostgreSQL
// store, on a throwaway cluster, with the rows of chart-rows.ts all within the last 30 days (the
// worst case for the 30-day charts). The counts are the rolled-up counts plus the deltas not
// rolled up yet (migration 6), so the queries are timed with the deltas as they come: none, what
// running instances leave between two roll-ups, a backlog, and just after a roll-up has deleted a
// backlog (its dead rows not vacuumed yet).
import pg from 'pg';
import { openPostgresStore } from '../src/store';
import { rollUpChartCounts, ROLL_UP_EVERY_WRITES } from '../src/store/postgres-chart-rollup';
import { CHART_COUNT_TABLES, deltasOf } from '../src/store/postgres-chart-tables';
import { startPostgres } from '../test/support/postgres-cluster';
import { chartQueries, measure, type Measured } from './chart-queries';
import { CHART_NOW, chartRows, type BenchRow } from './chart-rows';

/** Rows per INSERT while seeding, each followed by a roll-up as the instances would do. */
const SEED_BATCH = 10_000;
/** Instances whose writes since their last roll-up the first backlog stands for. */
const INSTANCES = 4;
/** Calls and messages of the second backlog: roll-ups failing for a while. */
const BACKLOG = 20_000;

const INSERT_CALLS = `INSERT INTO calls (sid, direction, from_number, to_number, status, error_code, created_at, updated_at)
  SELECT sid, direction, '+15550000001', '+15550000002', 'completed', code, at, at
  FROM unnest($1::text[], $2::text[], $3::integer[], $4::text[]) AS r(sid, direction, code, at)`;
const INSERT_MESSAGES = `INSERT INTO messages (sid, direction, from_number, to_number, body, status, error_code, created_at, updated_at)
  SELECT sid, direction, '+15550000001', '+15550000002', 'hello', status, code, at, at
  FROM unnest($1::text[], $2::text[], $3::text[], $4::integer[], $5::text[]) AS r(sid, direction, status, code, at)`;
const INSERT_REQUESTS = `INSERT INTO outbound_requests (id, kind, params, state, job_id, created_at, updated_at)
  SELECT id, 'message', '{}', state, job, created, updated
  FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[]) AS r(id, state, job, created, updated)`;

/** One INSERT per table for the batch, through the count triggers. */
async function insertRows(pool: pg.Pool, batch: BenchRow[], requests = true): Promise<void> {
  const calls = batch.map((r) => r.call);
  const messages = batch.map((r) => r.message);
  await pool.query(INSERT_CALLS, [calls.map((c) => c.sid), calls.map((c) => c.direction), calls.map((c) => c.errorCode), calls.map((c) => c.createdAt)]);
  await pool.query(INSERT_MESSAGES, [
    messages.map((m) => m.sid), messages.map((m) => m.direction), messages.map((m) => m.status), messages.map((m) => m.errorCode), messages.map((m) => m.createdAt),
  ]);
  if (!requests) return;
  const rs = batch.map((r) => r.request);
  await pool.query(INSERT_REQUESTS, [rs.map((r) => r.id), rs.map((r) => r.state), rs.map((r) => r.jobId), rs.map((r) => r.createdAt), rs.map((r) => r.updatedAt)]);
}

/** `n` new calls and messages of the last hour, as webhooks would write them, not rolled up. */
async function addRecent(pool: pg.Pool, n: number, prefix: string): Promise<void> {
  const hour = Array.from(chartRows(n, 1 / 24, 0), (row) => ({
    call: { ...row.call, sid: `${prefix}${row.call.sid}` },
    message: { ...row.message, sid: `${prefix}${row.message.sid}` },
    request: row.request,
  }));
  for (let i = 0; i < hour.length; i += SEED_BATCH) await insertRows(pool, hour.slice(i, i + SEED_BATCH), false);
}

async function deltaRows(pool: pg.Pool): Promise<number> {
  const { rows } = await pool.query<{ n: string }>(`SELECT ${CHART_COUNT_TABLES.map((t) => `(SELECT count(*) FROM ${deltasOf(t)})`).join(' + ')} AS n`);
  return Number(rows[0]?.n);
}

async function timed(run: () => Promise<unknown>): Promise<number> {
  const start = process.hrtime.bigint();
  await run();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

/** Migration 4's activity query, the count table alone: what the chart cost before the deltas. */
const COUNT_TABLE_ALONE = `SELECT substr(hour, 1, 10) AS bucket, direction, sum(count) AS count FROM chart_activity
  WHERE kind = 'call' AND hour >= $1 AND hour < $2 GROUP BY substr(hour, 1, 10), direction HAVING sum(count) > 0 ORDER BY bucket, direction`;

export async function postgresChartLines(rows: number, jobSize: number): Promise<string[]> {
  const cluster = await startPostgres({ sharedBuffersMb: 128 });
  const lines: string[] = [];
  try {
    const url = await cluster.createDatabase();
    const store = await openPostgresStore({ url, poolSize: 4 }, { now: () => CHART_NOW });
    const pool = new pg.Pool({ connectionString: url, max: 1 });
    try {
      const seeding = Date.now();
      let batch: BenchRow[] = [];
      for (const row of chartRows(rows, 30, jobSize)) {
        batch.push(row);
        if (batch.length < SEED_BATCH) continue;
        await insertRows(pool, batch);
        await rollUpChartCounts(pool);
        batch = [];
      }
      if (batch.length > 0) await insertRows(pool, batch);
      await rollUpChartCounts(pool);
      await pool.query('VACUUM ANALYZE');
      const seconds = ((Date.now() - seeding) / 1000).toFixed(1);
      process.stderr.write(`seeded PostgreSQL in ${seconds} s\n`);
      // The last scenario needs the dead rows a roll-up leaves; autovacuum would remove them at a moment of its choosing.
      for (const table of CHART_COUNT_TABLES) await pool.query(`ALTER TABLE ${deltasOf(table)} SET (autovacuum_enabled = off)`);

      const columns: Array<{ label: string; measured: Measured[] }> = [];
      const run = async (label: string) => columns.push({ label, measured: await chartQueries(store, jobSize) });
      await run('all rolled up');
      const month = { since: '2026-06-01', until: '2026-07-01' };
      const alone = await measure('calls per day, last 30 days: migration 4\'s query, the count table alone', async () =>
        (await pool.query(COUNT_TABLE_ALONE, [`${month.since}T00`, `${month.until}T00`])).rows);

      await addRecent(pool, INSTANCES * ROLL_UP_EVERY_WRITES, 'a');
      const between = await deltaRows(pool);
      await run(`${between.toLocaleString('en-US')} deltas (${INSTANCES} instances × ${ROLL_UP_EVERY_WRITES} writes)`);
      const rollSmall = await timed(() => rollUpChartCounts(pool));

      await addRecent(pool, BACKLOG, 'b');
      const backlog = await deltaRows(pool);
      await run(`${backlog.toLocaleString('en-US')} deltas (a backlog)`);
      const rollBacklog = await timed(() => rollUpChartCounts(pool));
      await run('just after rolling the backlog up, not vacuumed');

      lines.push(
        `Seeded in ${seconds} s (3 × ${rows.toLocaleString('en-US')} rows, all within the last 30 days, ${SEED_BATCH.toLocaleString('en-US')} rows per INSERT through the count triggers, ` +
          'a roll-up after each; then VACUUM ANALYZE). Throwaway cluster on loopback, shared_buffers 128 MB, fsync off (reads only). Median / slowest ms.',
        '',
        `| query | result rows | ${columns.map((c) => c.label).join(' | ')} |`,
        `|---|---:|${columns.map(() => '---:|').join('')}`,
      );
      const first = columns[0]?.measured ?? [];
      first.forEach((m, i) => {
        const cells = columns.map((c) => {
          const cell = c.measured[i] as Measured;
          return `${cell.medianMs.toFixed(1)} / ${cell.maxMs.toFixed(1)}`;
        });
        lines.push(`| ${m.query} | ${m.rows} | ${cells.join(' | ')} |`);
      });
      lines.push(
        '',
        `For comparison, ${alone.query}: ${alone.medianMs.toFixed(1)} / ${alone.maxMs.toFixed(1)} ms.`,
        `A roll-up took ${rollSmall.toFixed(1)} ms for the ${between.toLocaleString('en-US')} deltas and ${rollBacklog.toFixed(1)} ms for the ${backlog.toLocaleString('en-US')}.`,
        '',
      );
    } finally {
      await pool.end();
      await store.close();
    }
  } finally {
    await cluster.stop();
  }
  return lines;
}
