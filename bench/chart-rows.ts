// The rows `npm run bench:charts` seeds, the same for every store: deterministic, so that every
// run (and every store) counts the same rows.
export const CHART_NOW = new Date('2026-06-30T12:34:56.000Z');
const DAY_MS = 86_400_000;
const ERROR_CODES = [30003, 30005, 30006, 30007, 30008, 21610, 21211, 13224, 13227, 31005, 32009, 11200];
const STATES = ['sent', 'sent', 'sent', 'sent', 'sent', 'sent', 'failed', 'unknown', 'pending'];

export interface BenchCall {
  sid: string;
  direction: string;
  errorCode: number | null;
  createdAt: string;
}

export interface BenchMessage extends BenchCall {
  status: string;
}

export interface BenchRequest {
  id: string;
  state: string;
  jobId: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface BenchRow {
  call: BenchCall;
  message: BenchMessage;
  request: BenchRequest;
}

function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

/**
 * `rows` calls, messages and outbox requests created over the last `spanDays` days; the first
 * `jobSize` requests are one bulk job ('job-measured') whose recipients finish over two hours.
 */
export function* chartRows(rows: number, spanDays: number, jobSize: number): Generator<BenchRow> {
  const next = random(42);
  const at = () => new Date(CHART_NOW.getTime() - Math.floor(next() * spanDays * DAY_MS)).toISOString();
  const direction = () => (next() < 0.5 ? 'inbound' : next() < 0.8 ? 'outbound-api' : 'outbound-dial');
  const errorCode = () => (next() < 0.03 ? (ERROR_CODES[Math.floor(next() * ERROR_CODES.length)] as number) : null);
  for (let i = 0; i < rows; i++) {
    // The order of the draws is the seed's: changing it changes every row.
    const createdAt = at();
    const call = { sid: `CA${String(i).padStart(32, '0')}`, direction: direction(), errorCode: errorCode(), createdAt };
    const dir = direction();
    const status = dir === 'inbound' ? 'received' : next() < 0.9 ? 'delivered' : next() < 0.5 ? 'failed' : 'undelivered';
    const messageError = status === 'delivered' || status === 'received' ? null : errorCode() ?? 30003;
    const message = { sid: `SM${String(i).padStart(32, '0')}`, direction: dir, status, errorCode: messageError, createdAt };
    // The job's recipients finish over two hours; the other requests belong to 90 other jobs or none.
    const inJob = i < jobSize;
    const updatedAt = inJob ? new Date(CHART_NOW.getTime() - 2 * 3_600_000 + Math.floor((i / jobSize) * 2 * 3_600_000)).toISOString() : createdAt;
    const jobId = inJob ? 'job-measured' : i % 10 === 0 ? null : `job-${i % 90}`;
    yield { call, message, request: { id: `req-${i}`, state: STATES[i % STATES.length] as string, jobId, createdAt, updatedAt } };
  }
}
