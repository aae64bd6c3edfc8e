import type { ActivityCount } from '../../store';

export interface ActivitySeries {
  inbound: number[];
  outbound: number[];
}

/** One count per bucket and direction, zero where the store has no row. */
export function fillActivity(counts: readonly ActivityCount[], buckets: readonly string[]): ActivitySeries {
  const index = new Map(buckets.map((bucket, i) => [bucket, i]));
  const series: ActivitySeries = { inbound: buckets.map(() => 0), outbound: buckets.map(() => 0) };
  for (const row of counts) {
    const i = index.get(row.bucket);
    if (i !== undefined) series[row.direction][i] = (series[row.direction][i] ?? 0) + row.count;
  }
  return series;
}

export function sum(values: readonly number[]): number {
  return values.reduce((total, value) => total + value, 0);
}
