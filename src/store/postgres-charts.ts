import type { Pool } from 'pg';
import { deltasOf, type ChartCountTable } from './postgres-chart-tables';
import { BUCKET_LENGTH } from './sqlite-charts';
import type { ActivityCount, ChartRange, ChartStore, ChartUnit, ErrorCodeCount, JobProgressCount, OutcomeCount } from './types';

/**
 * A count table's counts as one set of rows: its rolled-up counts and its deltas not rolled up
 * yet (migration 6), each read along a range of an index. Adding the two in one statement reads
 * both in one snapshot, so a roll-up committing meanwhile is seen whole or not at all.
 */
function counts(table: ChartCountTable, columns: string, where: string): string {
  return `(SELECT ${columns}, count FROM ${table} WHERE ${where}
       UNION ALL SELECT ${columns}, count FROM ${deltasOf(table)} WHERE ${where}) counts`;
}

/**
 * sqlite-charts.ts's queries with positional parameters, over the count tables that PostgreSQL
 * migration 4 created and the deltas that migration 6's triggers append; each reads a range of a
 * primary key and of its deltas' index. Exported so that their plans can be checked
 * (test/store/postgres.test.ts). A parameter used twice is written as the same `$n`, so that the
 * GROUP BY expression is the one selected.
 */
export const POSTGRES_CHART_SQL = {
  activity: `SELECT substr(hour, 1, $4) AS bucket, direction, sum(count) AS count
     FROM ${counts('chart_activity', 'hour, direction', 'kind = $1 AND hour >= $2 AND hour < $3')}
     GROUP BY substr(hour, 1, $4), direction HAVING sum(count) > 0 ORDER BY bucket, direction`,
  deliveryOutcomes: `SELECT status, sum(count) AS count
     FROM ${counts('chart_outcomes', 'status', 'day >= $1 AND day < $2')}
     GROUP BY status HAVING sum(count) > 0 ORDER BY status`,
  topErrorCodes: `SELECT code, sum(CASE WHEN kind = 'call' THEN count ELSE 0 END) AS calls,
            sum(CASE WHEN kind = 'message' THEN count ELSE 0 END) AS messages
     FROM ${counts('chart_errors', 'kind, code', 'day >= $1 AND day < $2')}
     GROUP BY code HAVING sum(count) > 0 ORDER BY sum(count) DESC, code LIMIT $3`,
  jobProgress: `SELECT substr(minute, 1, $2) AS bucket, state, sum(count) AS count
     FROM ${counts('chart_job_progress', 'minute, state', 'job_id = $1')}
     GROUP BY substr(minute, 1, $2), state HAVING sum(count) > 0 ORDER BY bucket, state`,
} as const;

/** The range's ends as buckets of the unit the counts are kept in (whole hours or days). */
function bounds(range: ChartRange, unit: ChartUnit): [string, string] {
  return [range.since.slice(0, BUCKET_LENGTH[unit]), range.until.slice(0, BUCKET_LENGTH[unit])];
}

export function postgresChartStore(pool: Pool): ChartStore {
  return {
    async activity(kind, unit, range) {
      const params = [kind === 'calls' ? 'call' : 'message', ...bounds(range, 'hour'), BUCKET_LENGTH[unit]];
      return (await pool.query<ActivityCount>(POSTGRES_CHART_SQL.activity, params)).rows;
    },
    async deliveryOutcomes(range) {
      return (await pool.query<OutcomeCount>(POSTGRES_CHART_SQL.deliveryOutcomes, bounds(range, 'day'))).rows;
    },
    async topErrorCodes(range, limit) {
      return (await pool.query<ErrorCodeCount>(POSTGRES_CHART_SQL.topErrorCodes, [...bounds(range, 'day'), limit])).rows;
    },
    async jobProgress(jobId, unit) {
      return (await pool.query<JobProgressCount>(POSTGRES_CHART_SQL.jobProgress, [jobId, BUCKET_LENGTH[unit]])).rows;
    },
  };
}
