import type { Pool } from 'pg';
import type { Clock } from '../clock';
import type { PgGroupCommit } from './postgres-commit';
import { toOptOutRecord, type OptOutRow } from './sqlite-opt-outs';
import type { OptOutStore } from './types';

export function postgresOptOutStore(pool: Pool, clock: Clock, writes: PgGroupCommit): OptOutStore {
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
    async isOptedOut(theirNumber, ourNumber) {
      // Committed changes of every instance count: there is no cache to go stale.
      const { rows } =
        ourNumber === undefined
          ? await pool.query<{ found: boolean }>('SELECT EXISTS (SELECT 1 FROM opt_outs WHERE their_number = $1 AND opted_out = 1) AS found', [theirNumber])
          : await pool.query<{ found: boolean }>(
              'SELECT EXISTS (SELECT 1 FROM opt_outs WHERE their_number = $1 AND our_number = $2 AND opted_out = 1) AS found',
              [theirNumber, ourNumber],
            );
      return rows[0]?.found === true;
    },
    async listOptedOut({ limit }) {
      const { rows } = await pool.query<OptOutRow>('SELECT * FROM opt_outs WHERE opted_out = 1 ORDER BY updated_at DESC, their_number LIMIT $1', [limit]);
      return rows.map(toOptOutRecord);
    },
  };
}
