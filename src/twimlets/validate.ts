import { HttpError } from '../http/errors';

/** Twilio's `<Dial timeout>` range; the twimlets passed anything through and let the call fail. */
const MAX_TIMEOUT = 600;

/**
 * `Timeout` as the originals read it (`$t ? $t : default`: missing, '' and '0' mean the
 * default), but a value that is not a whole number of seconds is refused instead of
 * producing a `<Dial>` Twilio rejects.
 */
export function timeout(value: string, fallback: number): number {
  const raw = value.trim();
  if (raw === '' || raw === '0') return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) > MAX_TIMEOUT) {
    throw new HttpError(400, `Timeout must be a whole number of seconds from 1 to ${MAX_TIMEOUT}`, 'Timeout');
  }
  return Number(raw);
}

const PHONE_CHARS = /^\+?[\d\s().-]+$/;

/** A dialable phone number in any common notation (`415-555-1212`, `+1 (415) 555-1212`). */
export function phoneNumber(field: string, value: string): string {
  const digits = value.replace(/\D/g, '').length;
  if (!PHONE_CHARS.test(value.trim()) || digits < 3 || digits > 15) {
    throw new HttpError(400, `${field} must be a phone number such as +14155551212`, field);
  }
  return value;
}

/**
 * A URL the twimlet answers with an HTTP redirect. Anything with whitespace or control
 * characters could split the Location header, so it is refused.
 */
export function redirectTarget(field: string, value: string): string {
  if (value === '' || /[\s\u0000-\u001f\u007f]/.test(value)) {
    throw new HttpError(400, `${field} must be a URL without spaces or control characters`, field);
  }
  return value;
}

/** Digits only, keeping US numbers comparable with or without their leading 1. */
export function normalizeUsNumber(value: string): string {
  const digits = value.replace(/\D/g, '');
  return digits.length === 11 && digits.startsWith('1') ? digits.slice(1) : digits;
}
