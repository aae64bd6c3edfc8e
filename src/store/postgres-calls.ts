import type { Pool } from 'pg';
import type { Clock } from '../clock';
import type { PgGroupCommit } from './postgres-commit';
import { toCallRecord, type CallRow } from './sqlite-calls';
import type { CallStore } from './types';

export function postgresCallStore(pool: Pool, clock: Clock, writes: PgGroupCommit): CallStore {
  return {
    async recordInboundCall(call) {
      const now = clock.now().toISOString();
      await writes.statement(
        `INSERT INTO calls (sid, direction, from_number, to_number, status, created_at, updated_at)
         VALUES ($1, 'inbound', $2, $3, $4, $5, $5)
         ON CONFLICT (sid) DO NOTHING`,
        [call.sid, call.from, call.to, call.status, now],
      );
    },
    async getCall(sid) {
      const { rows } = await pool.query<CallRow>('SELECT * FROM calls WHERE sid = $1', [sid]);
      return rows[0] && toCallRecord(rows[0]);
    },
  };
}
