import type { Pool } from 'pg';
import type { Clock } from '../clock';
import type { PgGroupCommit } from './postgres-commit';
import { perTurn } from './per-turn';
import { toOptOutRecord, type OptOutRow } from './sqlite-opt-outs';
import type { OptOutStore } from './types';

export function postgresOptOutStore(pool: Pool, clock: Clock, writes: PgGroupCommit): OptOutStore {
  // Committed changes of every instance count: there is no cache to go stale. The checks of one
  // turn (API requests arriving together, bulk sends) share one query.
  const optedOut = perTurn(async (asks: Array<{ theirNumber: string; ourNumber: string | null }>): Promise<boolean[]> => {
    const { rows } = await pool.query<{ i: number }>(
      `SELECT CAST(q.i AS INTEGER) AS i FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS q(their, ours, i)
       WHERE EXISTS (SELECT 1 FROM opt_outs o WHERE o.their_number = q.their AND o.opted_out = 1 AND (q.ours IS NULL OR o.our_number = q.ours))`,
      [asks.map((a) => a.theirNumber), asks.map((a) => a.ourNumber)],
    );
    const found = new Set(rows.map((row) => row.i));
    return asks.map((_, i) => found.has(i + 1));
  });
  return {
    async applyOptChange(change) {
      const now = clock.now().toISOString();
      const row = await writes.run(async (client) => {
        await client.query(
          `INSERT INTO opt_out_events (our_number, their_number, action, keyword, source, message_sid, created_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7)`,
          [change.ourNumber, change.theirNumber, change.action, change.keyword, change.source, change.messageSid, now],
        );
        const { rows } = await client.query<OptOutRow>(
          `INSERT INTO opt_outs (our_number, their_number, opted_out, updated_at)
           VALUES ($1, $2, $3, $4)
           ON CONFLICT (our_number, their_number) DO UPDATE SET opted_out = excluded.opted_out, updated_at = excluded.updated_at
           RETURNING *`,
          [change.ourNumber, change.theirNumber, change.action === 'opt-out' ? 1 : 0, now],
        );
        return rows[0] as OptOutRow;
      });
      return toOptOutRecord(row);
    },
    isOptedOut: (theirNumber, ourNumber) => optedOut({ theirNumber, ourNumber: ourNumber ?? null }),
    async listOptedOut({ limit }) {
      const { rows } = await pool.query<OptOutRow>('SELECT * FROM opt_outs WHERE opted_out = 1 ORDER BY updated_at DESC, their_number LIMIT $1', [limit]);
      return rows.map(toOptOutRecord);
    },
  };
}
