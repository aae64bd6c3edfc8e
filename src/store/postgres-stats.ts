import type { Pool } from 'pg';
import type { StatsStore } from './types';

interface StateCount {
  state: string;
  n: number;
}

/** The same counts as sqlite-stats.ts, read from the pool (each scrape, not the group commit). */
export function postgresStatsStore(pool: Pool): StatsStore {
  const byState = (rows: StateCount[]) => new Map(rows.map((row) => [row.state, row.n]));
  return {
    async outboxBacklog() {
      // Each state is a range of outbound_requests_by_state: a count of the backlog, not of history.
      const { rows } = await pool.query<StateCount>(
        `SELECT state, count(*) AS n FROM outbound_requests WHERE state IN ('pending', 'in_flight', 'unknown') GROUP BY state`,
      );
      const counts = byState(rows);
      return { pending: counts.get('pending') ?? 0, inFlight: counts.get('in_flight') ?? 0, unknown: counts.get('unknown') ?? 0 };
    },
    async runningBulkProgress() {
      // One statement, so the jobs and their recipients come from one snapshot: a job completing
      // between two queries would otherwise be counted in one and not the other.
      const { rows } = await pool.query<{ jobs: number; state: string | null; n: number }>(
        `SELECT (SELECT count(*) FROM bulk_jobs WHERE state = 'running') AS jobs, r.state, r.n
         FROM (SELECT 1) one
         LEFT JOIN (
           -- Along outbound_requests_by_job (job_id, state, seq): only the running jobs' rows are read.
           SELECT o.state, count(*) AS n FROM bulk_jobs j JOIN outbound_requests o ON o.job_id = j.id
           WHERE j.state = 'running' GROUP BY o.state
         ) r ON true`,
      );
      const counts = byState(rows.filter((row): row is StateCount & { jobs: number } => row.state !== null));
      return {
        jobs: rows[0]?.jobs ?? 0,
        recipients: {
          queued: counts.get('pending') ?? 0,
          inFlight: counts.get('in_flight') ?? 0,
          sent: counts.get('sent') ?? 0,
          failed: counts.get('failed') ?? 0,
          unknown: counts.get('unknown') ?? 0,
        },
      };
    },
  };
}
