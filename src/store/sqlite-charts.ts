import type Database from 'better-sqlite3';
import type { ActivityCount, ChartDirection, ChartRange, ChartStore, ChartUnit, ErrorCodeCount, JobProgressCount, OutcomeCount } from './types';

/** How many characters of an ISO-8601 timestamp name the unit's bucket: `2026-01-02T03:04`. */
export const BUCKET_LENGTH: Record<ChartUnit, number> = { day: 10, hour: 13, minute: 16 };

/**
 * The chart queries, exported so that their plans can be pinned (test/dashboard/charts-store.test.ts). They
 * read the count tables that migration 5's triggers keep, never the history tables themselves.
 * Plain SQL on purpose: `substr` of the text buckets groups them the same way in PostgreSQL.
 */
export const CHART_SQL = {
  activity: `SELECT substr(hour, 1, @length) AS bucket, direction, sum(count) AS count FROM chart_activity
     WHERE kind = @kind AND hour >= @since AND hour < @until
     GROUP BY substr(hour, 1, @length), direction HAVING sum(count) > 0 ORDER BY bucket, direction`,
  deliveryOutcomes: `SELECT status, sum(count) AS count FROM chart_outcomes
     WHERE day >= @since AND day < @until
     GROUP BY status HAVING sum(count) > 0 ORDER BY status`,
  topErrorCodes: `SELECT code, sum(CASE WHEN kind = 'call' THEN count ELSE 0 END) AS calls,
            sum(CASE WHEN kind = 'message' THEN count ELSE 0 END) AS messages
     FROM chart_errors WHERE day >= @since AND day < @until
     GROUP BY code HAVING sum(count) > 0 ORDER BY sum(count) DESC, code LIMIT @limit`,
  jobProgress: `SELECT substr(minute, 1, @length) AS bucket, state, sum(count) AS count FROM chart_job_progress
     WHERE job_id = @jobId
     GROUP BY substr(minute, 1, @length), state HAVING sum(count) > 0 ORDER BY bucket, state`,
} as const;

/** The range's ends as buckets of the unit the counts are kept in (whole hours or days). */
function bounds(range: ChartRange, unit: ChartUnit): { since: string; until: string } {
  return { since: range.since.slice(0, BUCKET_LENGTH[unit]), until: range.until.slice(0, BUCKET_LENGTH[unit]) };
}

export function sqliteChartStore(db: Database.Database): ChartStore {
  const activity = db.prepare<Record<string, unknown>, { bucket: string; direction: ChartDirection; count: number }>(CHART_SQL.activity);
  const outcomes = db.prepare<Record<string, unknown>, OutcomeCount>(CHART_SQL.deliveryOutcomes);
  const errors = db.prepare<Record<string, unknown>, ErrorCodeCount>(CHART_SQL.topErrorCodes);
  const progress = db.prepare<Record<string, unknown>, JobProgressCount>(CHART_SQL.jobProgress);
  return {
    async activity(kind, unit, range): Promise<ActivityCount[]> {
      return activity.all({ kind: kind === 'calls' ? 'call' : 'message', ...bounds(range, 'hour'), length: BUCKET_LENGTH[unit] });
    },
    async deliveryOutcomes(range) {
      return outcomes.all(bounds(range, 'day'));
    },
    async topErrorCodes(range, limit) {
      return errors.all({ ...bounds(range, 'day'), limit });
    },
    async jobProgress(jobId, unit) {
      return progress.all({ jobId, length: BUCKET_LENGTH[unit] });
    },
  };
}
