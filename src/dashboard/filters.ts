import { invalid } from '../api/errors';
import { validateHistoryQuery } from '../api/validate-history';
import type { HistoryFilter } from '../store';

/** What the filter form shows: the values as typed, so a refused value stays in its field. */
export interface FilterForm {
  number?: string;
  status?: string;
  direction?: string;
  since?: string;
  until?: string;
}

export const FILTER_NAMES = ['number', 'status', 'direction', 'since', 'until'] as const;

const DAY = /^\d{4}-\d{2}-\d{2}$/;

function text(query: Record<string, unknown>, name: string): string | undefined {
  const value = query[name];
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
}

export function readFilterForm(query: Record<string, unknown>): FilterForm {
  const form: FilterForm = {};
  for (const name of FILTER_NAMES) {
    const value = text(query, name);
    if (value !== undefined) form[name] = value;
  }
  return form;
}

/** The date inputs give days (UTC); `until` includes its whole day. */
function dayBound(name: 'since' | 'until', value: string | undefined): string | undefined {
  if (value === undefined || !DAY.test(value)) return value;
  const start = new Date(`${value}T00:00:00Z`);
  if (Number.isNaN(start.getTime()) || start.toISOString().slice(0, 10) !== value) throw invalid(name, `Expected \`${name}\` to be a date such as 2026-01-02`);
  if (name === 'since') return start.toISOString();
  return new Date(start.getTime() + 86_400_000).toISOString();
}

/**
 * The form and the page cursor, checked with the API's own rules (ApiError 400 naming the field).
 * A number typed without `+`, or whose `+` a hand-written URL turned into a space, is read as E.164.
 */
export function toHistoryFilter(form: FilterForm, cursor: string | undefined): HistoryFilter {
  const number = form.number !== undefined && /^\d+$/.test(form.number) ? `+${form.number}` : form.number;
  return validateHistoryQuery({
    ...(number !== undefined && { number }),
    ...(form.status !== undefined && { status: form.status }),
    ...(form.direction !== undefined && { direction: form.direction }),
    ...(form.since !== undefined && { since: dayBound('since', form.since) }),
    ...(form.until !== undefined && { until: dayBound('until', form.until) }),
    ...(cursor !== undefined && { cursor }),
  });
}
