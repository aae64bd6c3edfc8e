import type { Pool } from 'pg';
import { perTurn } from './per-turn';
import type { SharedCounters } from './types';

interface Increment {
  key: string;
  windowStart: number;
  pruneBefore: number;
}

/**
 * Fixed-window counters in one table. The increments asked for in one turn are added by a single
 * upsert (`count = count + n` per key and window, atomic however many instances hit the same key
 * at once), and each caller is handed its own place among the n: as exact as one upsert per
 * request, for one round trip per turn instead of one per API request. It runs on the pool,
 * outside the group commit: nothing else waits on it, and a batch would only delay the answer.
 */
export function postgresCounters(pool: Pool): SharedCounters {
  const incrementAll = perTurn(async (asks: Increment[]): Promise<number[]> => {
    // n per key and window; rows are locked in key order, so two instances' upserts cannot deadlock.
    const groups = new Map<string, Increment & { n: number }>();
    for (const ask of asks) {
      const id = `${ask.key}\0${ask.windowStart}`;
      const group = groups.get(id) ?? { ...ask, n: 0 };
      group.n += 1;
      groups.set(id, group);
    }
    const sorted = [...groups.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.windowStart - b.windowStart));
    const { rows } = await pool.query<{ key: string; window_start: number; count: number }>(
      `INSERT INTO rate_windows (key, window_start, count)
       SELECT key, window_start, n FROM unnest($1::text[], $2::bigint[], $3::integer[]) WITH ORDINALITY AS w(key, window_start, n, i) ORDER BY i
       ON CONFLICT (key, window_start) DO UPDATE SET count = rate_windows.count + EXCLUDED.count
       RETURNING key, window_start, count`,
      [sorted.map((g) => g.key), sorted.map((g) => g.windowStart), sorted.map((g) => g.n)],
    );
    // The count before this turn's increments, per key and window.
    const before = new Map(rows.map((row) => [`${row.key}\0${Number(row.window_start)}`, row.count - (groups.get(`${row.key}\0${Number(row.window_start)}`)?.n ?? 0)]));
    if (before.size !== groups.size) throw new Error('a rate window was not counted');
    // A key's first request in a window prunes: at most once per key per window, not per request.
    const starting = sorted.filter((g) => before.get(`${g.key}\0${g.windowStart}`) === 0);
    if (starting.length > 0) {
      await pool.query('DELETE FROM rate_windows WHERE window_start < $1', [Math.min(...starting.map((g) => g.pruneBefore))]);
    }
    return asks.map((ask) => {
      const id = `${ask.key}\0${ask.windowStart}`;
      const count = (before.get(id) as number) + 1;
      before.set(id, count);
      return count;
    });
  });
  return {
    increment: (key, windowStart, pruneBefore) => incrementAll({ key, windowStart, pruneBefore }),
  };
}
