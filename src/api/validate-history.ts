import type { HistoryCursor, HistoryFilter } from '../store';
import { invalid } from './errors';
import { CLIENT_ID, E164, parseFields, SIP_URI, type Schema } from './fields';

export const HISTORY_FIELDS = {
  status: { type: 'string', max: 32, patterns: [/^[a-z_-]+$/], expected: 'a Twilio status such as completed or delivered' },
  number: { type: 'string', max: 256, patterns: [E164, CLIENT_ID, SIP_URI], expected: 'an E.164 number (+15551234567), client:name or a sip: URI' },
  limit: { type: 'integer', min: 1, max: 100 },
  cursor: { type: 'string', max: 512 },
} as const satisfies Schema;

const DEFAULT_LIMIT = 50;

export function encodeCursor(cursor: HistoryCursor): string {
  return Buffer.from(JSON.stringify([cursor.createdAt, cursor.sid]), 'utf8').toString('base64url');
}

function decodeCursor(text: string): HistoryCursor {
  try {
    const value = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(value) && value.length === 2 && typeof value[0] === 'string' && typeof value[1] === 'string') {
      return { createdAt: value[0], sid: value[1] };
    }
  } catch {
    // Falls through to the 400 below.
  }
  throw invalid('cursor', 'Expected `cursor` to be the `nextCursor` of a previous page');
}

/** Reads `?status=&number=&limit=&cursor=`. Throws ApiError(400). */
export function validateHistoryQuery(query: unknown): HistoryFilter {
  const f = parseFields((query ?? {}) as Record<string, unknown>, HISTORY_FIELDS);
  return {
    limit: f.limit ?? DEFAULT_LIMIT,
    ...(f.status !== undefined && { status: f.status }),
    ...(f.number !== undefined && { number: f.number }),
    ...(f.cursor !== undefined && { cursor: decodeCursor(f.cursor) }),
  };
}
