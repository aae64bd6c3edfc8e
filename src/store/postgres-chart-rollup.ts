import type { Pool } from 'pg';
import { CHART_COUNT_KEYS, CHART_COUNT_TABLES, deltasOf } from './postgres-chart-tables';
import { CHART_ROLLUP_KEY, LOCK_CLASS } from './postgres-locks';

/** What one roll-up did: whether it had the turn (another instance may be rolling up), and the deltas it moved. */
export interface RollUp {
  rolledUp: boolean;
  moved: number;
}

/**
 * One statement, so one transaction: every delta it sees leaves its table and joins its count at
 * the same commit, and a chart query (one statement, one snapshot) sees the deltas or the counts
 * they made, never both nor neither.
 *
 * Each delta is moved once: a DELETE takes only rows no other transaction deleted, so two roll-ups
 * can never both move one (a row deleted by a roll-up that committed after this statement's
 * snapshot is skipped, not counted again); and ON CONFLICT DO UPDATE adds to the latest version
 * of a count, whatever the snapshot. The transaction-level advisory lock keeps roll-ups to one at
 * a time: the others skip theirs at once instead of waiting on its rows (or locking two counts in
 * opposite orders), and the lock goes with the commit. Only deltas committed before the statement
 * are taken; writers never wait on a roll-up nor it on them, as they share no row.
 */
export const POSTGRES_CHART_ROLLUP_SQL = (() => {
  const moves = CHART_COUNT_TABLES.flatMap((table, i) => {
    const key = CHART_COUNT_KEYS[table].join(', ');
    return [
      `taken_${i} AS (DELETE FROM ${deltasOf(table)} WHERE (SELECT mine FROM turn) RETURNING ${key}, count)`,
      // A sum of 0 (a count added and taken back between two roll-ups) changes nothing.
      `added_${i} AS (INSERT INTO ${table} AS counts (${key}, count)
         SELECT ${key}, sum(count) FROM taken_${i} GROUP BY ${key} HAVING sum(count) <> 0
         ON CONFLICT (${key}) DO UPDATE SET count = counts.count + EXCLUDED.count)`,
    ];
  });
  const moved = CHART_COUNT_TABLES.map((_, i) => `(SELECT count(*) FROM taken_${i})`).join(' + ');
  return `WITH turn AS (SELECT pg_try_advisory_xact_lock($1::integer, $2::integer) AS mine),
    ${moves.join(',\n    ')}
    SELECT (SELECT mine FROM turn) AS "rolledUp", CAST(${moved} AS INTEGER) AS moved`;
})();

/** Moves the deltas committed so far into the counts, unless another roll-up has the turn. */
export async function rollUpChartCounts(pool: Pool): Promise<RollUp> {
  const { rows } = await pool.query<RollUp>(POSTGRES_CHART_ROLLUP_SQL, [LOCK_CLASS, CHART_ROLLUP_KEY]);
  return rows[0] as RollUp;
}

/**
 * An instance's writes committed between two of its roll-ups. A write adds at most a few deltas
 * (a new message: its activity, outcome and error code), so the deltas the chart queries add up
 * stay at a few thousand rows per running instance: a millisecond or two at most to read.
 */
export const ROLL_UP_EVERY_WRITES = 500;

/**
 * Rolls up on the instance's own writes, with no timer: every ROLL_UP_EVERY_WRITES writes it
 * commits, and at its first batch (what earlier runs left). A timer would bound the deltas by
 * time, so their number, which every chart query reads, would grow with the write rate (10 s at
 * 3,000 writes/s is 30,000 rows or more); counting writes bounds them by number however busy the
 * instances are, and does nothing while nothing is written (nor do the deltas grow). There is then
 * nothing to schedule, unref or stop; closing waits for a roll-up in flight.
 *
 * A roll-up runs on the pool outside the group commit, so no webhook waits for it. One that fails
 * (the database away) leaves its deltas where they were, counted all the same by the chart
 * queries; a later one moves them.
 */
export class PgChartRollup {
  private writes: number;
  private running: Promise<void> | undefined;
  private closed = false;

  constructor(
    private readonly pool: Pool,
    private readonly every = ROLL_UP_EVERY_WRITES,
  ) {
    this.writes = every;
  }

  /** Told of each batch committed, with its number of writes. */
  committed(writes: number): void {
    this.writes += writes;
    if (this.closed || this.running !== undefined || this.writes < this.every) return;
    this.writes = 0;
    this.running = rollUpChartCounts(this.pool).then(
      () => undefined,
      () => undefined,
    );
    void this.running.finally(() => {
      this.running = undefined;
    });
  }

  /** Starts no roll-up after this; resolves once the one in flight, if any, has ended. */
  async close(): Promise<void> {
    this.closed = true;
    await this.running;
  }
}
