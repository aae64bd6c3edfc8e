/**
 * The chart count tables of PostgreSQL migration 4, each with the key of one count. Since
 * migration 6 each has a table of deltas, `<table>_deltas`, with the same columns and no key: the
 * triggers append to it, the roll-up (postgres-chart-rollup.ts) moves it into the count table,
 * and the chart queries (postgres-charts.ts) add the two.
 */
export const CHART_COUNT_KEYS = {
  chart_activity: ['kind', 'hour', 'direction'],
  chart_outcomes: ['day', 'status'],
  chart_errors: ['day', 'kind', 'code'],
  chart_job_progress: ['job_id', 'minute', 'state'],
} as const satisfies Record<string, readonly string[]>;

export type ChartCountTable = keyof typeof CHART_COUNT_KEYS;

export const CHART_COUNT_TABLES = Object.keys(CHART_COUNT_KEYS) as ChartCountTable[];

export function deltasOf(table: ChartCountTable): `${ChartCountTable}_deltas` {
  return `${table}_deltas`;
}
