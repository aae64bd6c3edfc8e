import type Database from 'better-sqlite3';
import type { StatsStore } from './types';

interface StateCount {
  state: string;
  n: number;
}

export function sqliteStatsStore(db: Database.Database): StatsStore {
  // Each state is a range of outbound_requests_by_state: a count of the backlog, not of history.
  const backlog = db.prepare<[], StateCount>(
    `SELECT state, count(*) AS n FROM outbound_requests WHERE state IN ('pending', 'in_flight', 'unknown') GROUP BY state`,
  );
  const runningJobs = db.prepare<[], { n: number }>(`SELECT count(*) AS n FROM bulk_jobs WHERE state = 'running'`);
  // Along outbound_requests_by_job (job_id, state): only the running jobs' rows are read.
  const recipients = db.prepare<[], StateCount>(
    `SELECT o.state, count(*) AS n FROM bulk_jobs j JOIN outbound_requests o ON o.job_id = j.id
     WHERE j.state = 'running' GROUP BY o.state`,
  );
  const byState = (rows: StateCount[]) => new Map(rows.map((row) => [row.state, row.n]));

  return {
    async outboxBacklog() {
      const counts = byState(backlog.all());
      return { pending: counts.get('pending') ?? 0, inFlight: counts.get('in_flight') ?? 0, unknown: counts.get('unknown') ?? 0 };
    },
    async runningBulkProgress() {
      const counts = byState(recipients.all());
      return {
        jobs: runningJobs.get()?.n ?? 0,
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
