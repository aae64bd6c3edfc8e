import { DEFAULT_PAGE_SIZE, InvalidCursorError, MAX_PAGE_SIZE, type HistoryFilter } from '../store';
import { invalidValue } from './errors';
import { CLIENT_ID, E164, parseFields, SIP_URI, type Schema } from './fields';

export const HISTORY_FIELDS = {
  status: { type: 'string', max: 32, patterns: [/^[a-z_-]+$/], expected: 'a Twilio status such as completed or delivered' },
  number: { type: 'string', max: 256, patterns: [E164, CLIENT_ID, SIP_URI], expected: 'an E.164 number (+15551234567), client:name or a sip: URI' },
  direction: { type: 'enum', values: ['inbound', 'outbound-api', 'outbound-dial'] },
  since: { type: 'datetime' },
  until: { type: 'datetime' },
  // The store's own page size, so the API cannot promise more than a page holds.
  limit: { type: 'integer', min: 1, max: MAX_PAGE_SIZE },
  cursor: { type: 'string', max: 512 },
} as const satisfies Schema;

/** Reads `?status=&number=&direction=&since=&until=&limit=&cursor=`. Throws ApiError(400). */
export function validateHistoryQuery(query: unknown): HistoryFilter {
  const f = parseFields((query ?? {}) as Record<string, unknown>, HISTORY_FIELDS);
  return {
    limit: f.limit ?? DEFAULT_PAGE_SIZE,
    ...(f.status !== undefined && { status: f.status }),
    ...(f.number !== undefined && { number: f.number }),
    ...(f.direction !== undefined && { direction: f.direction }),
    ...(f.since !== undefined && { since: f.since }),
    ...(f.until !== undefined && { until: f.until }),
    ...(f.cursor !== undefined && { cursor: f.cursor }),
  };
}

/** The store refuses a cursor it did not hand out; to the client that is a bad field. */
export async function withCursorCheck<T>(read: () => Promise<T>, cursor?: string): Promise<T> {
  try {
    return await read();
  } catch (err) {
    if (err instanceof InvalidCursorError) throw invalidValue('cursor', 'Expected `cursor` to be the `nextCursor` of a previous page', cursor);
    throw err;
  }
}
