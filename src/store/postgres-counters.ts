import type { Pool } from 'pg';
import type { SharedCounters } from './types';

/**
 * Fixed-window counters in one table: the increment is a single upsert, atomic however many
 * instances hit the same key at once. It runs on the pool, outside the group commit: nothing
 * else waits on it, and a batch would only delay the answer.
 */
export function postgresCounters(pool: Pool): SharedCounters {
  return {
    async increment(key, windowStart, pruneBefore) {
      const { rows } = await pool.query<{ count: number }>(
        `INSERT INTO rate_windows (key, window_start, count) VALUES ($1, $2, 1)
         ON CONFLICT (key, window_start) DO UPDATE SET count = rate_windows.count + 1
         RETURNING count`,
        [key, windowStart],
      );
      const count = (rows[0] as { count: number }).count;
      // A key's first request in a window prunes: at most once per key per window, not per request.
      if (count === 1) await pool.query('DELETE FROM rate_windows WHERE window_start < $1', [pruneBefore]);
      return count;
    },
  };
}
