import type { Pool } from 'pg';
import type { SharedCounters } from './types';

interface Waiter {
  resolve: (count: number) => void;
  reject: (reason: unknown) => void;
}

/** The increments of one turn to one key's window. */
interface Group {
  key: string;
  windowStart: number;
  pruneBefore: number;
  waiters: Waiter[];
}

/**
 * Fixed-window counters in one table. The increments asked for in one turn of the event loop are
 * added by a single upsert (`count = count + n` per key and window, atomic however many instances
 * hit the same key at once), and each caller is handed its own place among the n: as exact as
 * one upsert per request, for one round trip per turn instead of one per API request. It runs on
 * the pool, outside the group commit: nothing else waits on it, and a batch would only delay the
 * answer.
 */
export function postgresCounters(pool: Pool): SharedCounters {
  let pending = new Map<string, Group>();

  async function flush(groups: Group[]): Promise<void> {
    // Rows are locked in key order, so two instances' upserts of several keys cannot deadlock.
    groups.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.windowStart - b.windowStart));
    const { rows } = await pool.query<{ key: string; window_start: number; count: number }>(
      `INSERT INTO rate_windows (key, window_start, count)
       SELECT key, window_start, n FROM unnest($1::text[], $2::bigint[], $3::integer[]) WITH ORDINALITY AS w(key, window_start, n, i) ORDER BY i
       ON CONFLICT (key, window_start) DO UPDATE SET count = rate_windows.count + EXCLUDED.count
       RETURNING key, window_start, count`,
      [groups.map((g) => g.key), groups.map((g) => g.windowStart), groups.map((g) => g.waiters.length)],
    );
    const totals = new Map(rows.map((row) => [`${row.key}\0${Number(row.window_start)}`, row.count]));
    const counts = groups.map((group) => {
      const total = totals.get(`${group.key}\0${group.windowStart}`);
      if (total === undefined) throw new Error(`rate window ${group.key} was not counted`);
      return total - group.waiters.length;
    });
    // A key's first request in a window prunes: at most once per key per window, not per request.
    const starting = groups.filter((_, i) => counts[i] === 0);
    if (starting.length > 0) {
      await pool.query('DELETE FROM rate_windows WHERE window_start < $1', [Math.min(...starting.map((g) => g.pruneBefore))]);
    }
    groups.forEach((group, i) => group.waiters.forEach((waiter, place) => waiter.resolve((counts[i] as number) + place + 1)));
  }

  return {
    increment(key, windowStart, pruneBefore) {
      return new Promise<number>((resolve, reject) => {
        if (pending.size === 0) {
          setImmediate(() => {
            const groups = [...pending.values()];
            pending = new Map();
            flush(groups).catch((error: unknown) => groups.forEach((group) => group.waiters.forEach((waiter) => waiter.reject(error))));
          });
        }
        const id = `${key}\0${windowStart}`;
        let group = pending.get(id);
        if (group === undefined) {
          group = { key, windowStart, pruneBefore, waiters: [] };
          pending.set(id, group);
        }
        group.waiters.push({ resolve, reject });
      });
    },
  };
}
