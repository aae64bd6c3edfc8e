// Backoff arithmetic and failure classification. Deciding *whether* to retry lives
// in client.ts; this file only answers "how long to wait" and "did the request
// leave this process".

export interface BackoffPolicy {
  /** First ceiling of the full-jitter window, in ms. */
  baseDelayMs: number;
  /** Largest ceiling, and the longest Retry-After we are willing to honour. */
  maxDelayMs: number;
}

/**
 * "Full jitter": a uniform delay in [0, min(max, base * 2^retry)). Spreads retries of
 * many outbox workers that hit the same 429 instead of having them return together.
 * `retry` counts from 0 for the first retry.
 */
export function backoffDelay(retry: number, policy: BackoffPolicy, random: () => number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** retry);
  return Math.floor(random() * ceiling);
}

/** Parses `Retry-After` (delta-seconds or an HTTP date) into ms; null when absent or invalid. */
export function parseRetryAfter(header: string | null, now: number): number | null {
  if (header === null) return null;
  const trimmed = header.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  // HTTP dates name the weekday and month; this keeps V8's lenient Date.parse from
  // reading things like "-1" as a year.
  if (!/^[A-Za-z]{3}, /.test(trimmed)) return null;
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return null;
  return Math.max(0, date - now);
}

// Errors raised while opening the connection, before any byte of the request was
// written. ECONNRESET and "other side closed" are deliberately absent: they can
// happen after the request was written.
const CONNECT_PHASE_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EADDRNOTAVAIL',
  'UND_ERR_CONNECT_TIMEOUT',
]);

function errorCode(value: unknown): string | null {
  if (typeof value !== 'object' || value === null) return null;
  const code = (value as { code?: unknown }).code;
  return typeof code === 'string' ? code : null;
}

/** The error itself when it carries a system code (node:http), else its cause (fetch). */
function systemError(error: unknown): unknown {
  if (errorCode(error) !== null) return error;
  return typeof error === 'object' && error !== null ? (error as { cause?: unknown }).cause : undefined;
}

/**
 * Returns the system error code if `error` happened while connecting, i.e. the request was
 * certainly not sent; otherwise null.
 */
export function connectPhaseCode(error: unknown): string | null {
  const failure = systemError(error);
  const code = errorCode(failure);
  if (code !== null && CONNECT_PHASE_CODES.has(code)) return code;
  // Happy-eyeballs connects (autoSelectFamily) report every failed address at once
  // in an AggregateError (checked by shape: it may come from another realm).
  for (const candidate of [error, failure]) {
    const errors = typeof candidate === 'object' && candidate !== null ? (candidate as { errors?: unknown }).errors : undefined;
    if (Array.isArray(errors) && errors.length > 0) {
      const codes = errors.map(errorCode);
      if (codes.every((c) => c !== null && CONNECT_PHASE_CODES.has(c))) return codes[0] ?? null;
    }
  }
  return null;
}

// Not `instanceof Error`: errors may come from another realm (jest's vm contexts do this).
export function isTimeout(error: unknown): boolean {
  const name = typeof error === 'object' && error !== null ? (error as { name?: unknown }).name : undefined;
  return name === 'TimeoutError' || name === 'AbortError';
}

export function describeCause(error: unknown): string {
  const code = errorCode(systemError(error));
  if (code !== null) return code;
  const name = typeof error === 'object' && error !== null ? (error as { name?: unknown }).name : undefined;
  return typeof name === 'string' ? name : 'unknown error';
}
