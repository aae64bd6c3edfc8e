import type { ActivityCount, ChartStore, ErrorCodeCount, OutcomeCount } from '../../store';
import { html, type SafeHtml } from '../html';
import { fillActivity, sum } from './activity';
import { barChartSvg } from './bar-chart';
import { chartFigure } from './figure';
import { hbarChartSvg } from './hbar-chart';
import { chartRanges, type ChartRanges } from './ranges';
import { formatCount } from './scale';

export const TOP_ERROR_CODES = 10;
const OUTCOMES: ReadonlyArray<OutcomeCount['status']> = ['delivered', 'failed', 'undelivered'];

export interface HomeChartData {
  ranges: ChartRanges;
  callsByHour: ActivityCount[];
  messagesByHour: ActivityCount[];
  callsByDay: ActivityCount[];
  messagesByDay: ActivityCount[];
  outcomes: OutcomeCount[];
  errors: ErrorCodeCount[];
}

/** Everything the home page's charts show, read at `now`. */
export async function loadHomeCharts(store: ChartStore, now: Date): Promise<HomeChartData> {
  const ranges = chartRanges(now);
  const [callsByHour, messagesByHour, callsByDay, messagesByDay, outcomes, errors] = await Promise.all([
    store.activity('calls', 'hour', ranges.day),
    store.activity('messages', 'hour', ranges.day),
    store.activity('calls', 'day', ranges.month),
    store.activity('messages', 'day', ranges.month),
    store.deliveryOutcomes(ranges.month),
    store.topErrorCodes(ranges.month, TOP_ERROR_CODES),
  ]);
  return { ranges, callsByHour, messagesByHour, callsByDay, messagesByDay, outcomes, errors };
}

/** The home page's "Activity" section: six charts, each with its table. */
export function homeCharts(data: HomeChartData): SafeHtml {
  const { hours, days } = data.ranges;
  return html`<section class="charts" aria-labelledby="activity-heading">
<h2 id="activity-heading">Activity</h2>
<div class="chart-grid">
${activityFigure('calls-hourly', 'Calls per hour, last 24 hours (UTC)', 'calls', data.callsByHour, hours, 'Hour (UTC)', (b) => `${b.slice(11, 13)}:00`, 3, 'in the last 24 hours')}
${activityFigure('messages-hourly', 'Messages per hour, last 24 hours (UTC)', 'messages', data.messagesByHour, hours, 'Hour (UTC)', (b) => `${b.slice(11, 13)}:00`, 3, 'in the last 24 hours')}
${activityFigure('calls-daily', 'Calls per day, last 30 days (UTC)', 'calls', data.callsByDay, days, 'Day (UTC)', (b) => b.slice(5), 5, 'in the last 30 days')}
${activityFigure('messages-daily', 'Messages per day, last 30 days (UTC)', 'messages', data.messagesByDay, days, 'Day (UTC)', (b) => b.slice(5), 5, 'in the last 30 days')}
${outcomesFigure(data.outcomes)}
${errorsFigure(data.errors)}
</div>
</section>`;
}

function activityFigure(
  id: string,
  title: string,
  noun: string,
  counts: readonly ActivityCount[],
  buckets: readonly string[],
  bucketHeader: string,
  label: (bucket: string) => string,
  labelEvery: number,
  period: string,
): SafeHtml {
  const { inbound, outbound } = fillActivity(counts, buckets);
  const description = `${formatCount(sum(inbound))} inbound and ${formatCount(sum(outbound))} outbound ${noun} ${period}.`;
  const svg = barChartSvg({
    id,
    title,
    description,
    categories: buckets.map(label),
    series: [
      { name: 'inbound', className: 'bar-inbound', values: inbound },
      { name: 'outbound', className: 'bar-outbound', values: outbound },
    ],
    labelEvery,
  });
  return chartFigure(id, title, svg, {
    headers: [bucketHeader, 'Inbound', 'Outbound'],
    rows: buckets.map((bucket, i) => [label(bucket), formatCount(inbound[i] ?? 0), formatCount(outbound[i] ?? 0)]),
  });
}

function outcomesFigure(counts: readonly OutcomeCount[]): SafeHtml {
  const id = 'delivery-outcomes';
  const title = 'Outbound message outcomes, last 30 days';
  const value = (status: string) => counts.find((c) => c.status === status)?.count ?? 0;
  const rows = OUTCOMES.map((status) => ({ label: status, value: value(status), className: `bar-${status}` }));
  const description = rows.map((r) => `${formatCount(r.value)} ${r.label}`).join(', ') + '.';
  return chartFigure(id, title, hbarChartSvg({ id, title, description, rows, empty: '' }), {
    headers: ['Outcome', 'Messages'],
    rows: rows.map((r) => [r.label, formatCount(r.value)]),
  });
}

function errorsFigure(errors: readonly ErrorCodeCount[]): SafeHtml {
  const id = 'error-codes';
  const title = `Top Twilio error codes, last 30 days`;
  const rows = errors.map((e) => ({ label: String(e.code), value: e.calls + e.messages, className: 'bar-error' }));
  const description =
    errors.length === 0 ? 'No Twilio error codes in the last 30 days.' : `Most frequent: ${rows.map((r) => `${r.label} (${formatCount(r.value)})`).join(', ')}.`;
  return chartFigure(id, title, hbarChartSvg({ id, title, description, rows, empty: 'No error codes in the last 30 days.' }), {
    headers: ['Code', 'Calls', 'Messages', 'Total'],
    rows: errors.map((e) => [String(e.code), formatCount(e.calls), formatCount(e.messages), formatCount(e.calls + e.messages)]),
  });
}
