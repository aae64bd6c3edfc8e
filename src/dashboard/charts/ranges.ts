import type { ChartRange } from '../../store';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

export interface ChartRanges {
  /** The last 24 hours, as 24 whole UTC hours ending with the current one. */
  day: ChartRange;
  /** The last 30 days, as 30 whole UTC days ending with today. */
  month: ChartRange;
  /** Bucket names for `day` (`2026-01-02T03`) and `month` (`2026-01-02`), oldest first. */
  hours: string[];
  days: string[];
}

/** Whole UTC hours and days, so that every bar covers a full period (the last one up to now). */
export function chartRanges(now: Date): ChartRanges {
  const hourStart = Math.floor(now.getTime() / HOUR_MS) * HOUR_MS;
  const dayStart = Math.floor(now.getTime() / DAY_MS) * DAY_MS;
  const hours = Array.from({ length: 24 }, (_v, i) => iso(hourStart - (23 - i) * HOUR_MS).slice(0, 13));
  const days = Array.from({ length: 30 }, (_v, i) => iso(dayStart - (29 - i) * DAY_MS).slice(0, 10));
  return {
    day: { since: iso(hourStart - 23 * HOUR_MS), until: iso(hourStart + HOUR_MS) },
    month: { since: iso(dayStart - 29 * DAY_MS), until: iso(dayStart + DAY_MS) },
    hours,
    days,
  };
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}
