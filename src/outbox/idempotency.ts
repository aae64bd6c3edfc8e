import { createHash } from 'node:crypto';
import { ApiError, invalidValue } from '../api/errors';

/** Keys are honoured this long, like Stripe's. */
export const IDEMPOTENCY_WINDOW_MS = 24 * 3_600_000;
const KEY = /^[\x21-\x7e]{1,255}$/;

export function checkIdempotencyKey(key: string | undefined): string | undefined {
  if (key === undefined) return undefined;
  if (!KEY.test(key)) throw invalidValue('Idempotency-Key', 'Expected `Idempotency-Key` to be 1 to 255 visible ASCII characters', key);
  return key;
}

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.keys(value).sort().map((key) => [key, canonical((value as Record<string, unknown>)[key])]));
  }
  return value;
}

/** The same route with the same validated request gives the same fingerprint, whatever the key order or body type. */
export function fingerprint(route: string, request: unknown): string {
  return createHash('sha256').update(route).update('\n').update(JSON.stringify(canonical(request))).digest('hex');
}

export function keyReusedError(): ApiError {
  return new ApiError(422, 'This Idempotency-Key was already used with a different request; use a new key for a new request', {
    field: 'Idempotency-Key',
  });
}
