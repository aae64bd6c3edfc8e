// The chart queries `npm run bench:charts` times, through a store's ChartStore.
import { chartRanges } from '../src/dashboard/charts/ranges';
import type { ChartStore } from '../src/store';
import { CHART_NOW } from './chart-rows';

export const CHART_RUNS = 15;

export interface Measured {
  query: string;
  rows: number;
  medianMs: number;
  maxMs: number;
}

/** One run to warm up, then the median and slowest of CHART_RUNS. */
export async function measure(query: string, run: () => Promise<unknown[]>): Promise<Measured> {
  const rows = (await run()).length;
  const times: number[] = [];
  for (let i = 0; i < CHART_RUNS; i++) {
    const start = process.hrtime.bigint();
    await run();
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  times.sort((a, b) => a - b);
  return { query, rows, medianMs: times[Math.floor(times.length / 2)] as number, maxMs: times[times.length - 1] as number };
}

export async function chartQueries(store: ChartStore, jobSize: number): Promise<Measured[]> {
  const ranges = chartRanges(CHART_NOW);
  return [
    await measure('calls per hour, last 24 h', () => store.activity('calls', 'hour', ranges.day)),
    await measure('messages per hour, last 24 h', () => store.activity('messages', 'hour', ranges.day)),
    await measure('calls per day, last 30 days', () => store.activity('calls', 'day', ranges.month)),
    await measure('messages per day, last 30 days', () => store.activity('messages', 'day', ranges.month)),
    await measure('delivery outcomes, last 30 days', () => store.deliveryOutcomes(ranges.month)),
    await measure('top error codes, last 30 days', () => store.topErrorCodes(ranges.month, 10)),
    await measure(`bulk job progress (${jobSize.toLocaleString('en-US')} recipients), per minute`, () => store.jobProgress('job-measured', 'minute')),
  ];
}

export function tableLines(measured: Measured[]): string[] {
  return ['| query | result rows | median ms | slowest ms |', '|---|---:|---:|---:|', ...measured.map((m) => `| ${m.query} | ${m.rows} | ${m.medianMs.toFixed(1)} | ${m.maxMs.toFixed(1)} |`)];
}
