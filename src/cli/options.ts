import { InvalidArgumentError } from 'commander';
import { isSid } from './sids';

/** Shared option parsers: a bad value is refused by commander with one line naming the option. */
export function positiveInt(raw: string): number {
  if (!/^\d{1,6}$/.test(raw) || Number(raw) < 1) throw new InvalidArgumentError('must be a whole number from 1 to 999999');
  return Number(raw);
}

export function sid(prefix: string): (raw: string) => string {
  return (raw) => {
    if (!isSid(raw, prefix)) throw new InvalidArgumentError(`must be "${prefix}" followed by 32 hexadecimal characters`);
    return raw;
  };
}

/** `1,3` → ['1', '3']; an empty entry (`,1`) is a Gather left without input. */
/** `--at`: a moment, ISO 8601 (an offset or Z is advised; without one it is the local time). */
export function isoTime(raw: string): Date {
  const date = new Date(raw);
  if (!/^\d{4}-\d{2}-\d{2}T/.test(raw) || Number.isNaN(date.getTime())) {
    throw new InvalidArgumentError('must be an ISO 8601 time such as 2026-01-07T15:00:00Z');
  }
  return date;
}

export function commaList(raw: string): string[] {
  return raw.split(',');
}

export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

export const DEFAULT_FROM = '+15555550100';
export const DEFAULT_TO = '+15555550199';

/** Enough for any real flow (the example IVR's longest walk is 6 requests); a loop stops here. */
export const DEFAULT_MAX_STEPS = 50;
