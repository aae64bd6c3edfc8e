// Which calls and messages in Twilio's lists could be the one an `unknown` outbox row asked for.
// Pure functions of the row and the resource: the list is not trusted to have applied its own
// filters (and its date filters are not used at all, see reconcile-lookup.ts).
import type { OutboundRequest } from '../store';
import type { CallResource, MessageResource } from '../twilio';

/** Clock difference between us and Twilio allowed on each side of the window. */
export const WINDOW_MARGIN_MS = 2 * 60_000;

export interface TimeWindow {
  fromMs: number;
  toMs: number;
}

/**
 * When the call or message can have been created: from the row's creation (the attempt was
 * later) to the moment its outcome became unknown (`updatedAt`: Twilio answers, if at all,
 * before we give up on the answer), widened by WINDOW_MARGIN_MS on both sides.
 */
export function attemptWindow(row: OutboundRequest): TimeWindow {
  return { fromMs: Date.parse(row.createdAt) - WINDOW_MARGIN_MS, toMs: Date.parse(row.updatedAt) + WINDOW_MARGIN_MS };
}

/** Twilio's `date_created` (RFC 2822) inside the window; a missing or unreadable one is not. */
function createdWithin(dateCreated: string | null, window: TimeWindow): boolean {
  const at = dateCreated === null ? Number.NaN : Date.parse(dateCreated);
  return !Number.isNaN(at) && at >= window.fromMs && at <= window.toMs;
}

export function text(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** A list item worth comparing: the list comes from the network, and the types are only a claim. */
function isResource(item: unknown): boolean {
  return typeof item === 'object' && item !== null && typeof (item as { sid?: unknown }).sid === 'string';
}

/**
 * Whether Twilio stores the body as sent. Templates (`contentSid`) are rendered, smart encoding
 * and link shortening rewrite it, and `contentRetention=discard` drops it: then the body is not
 * compared, and To, From and the time decide alone.
 */
export function bodyComparable(params: Record<string, unknown>): boolean {
  return (
    text(params.body) !== undefined &&
    params.contentSid === undefined &&
    params.smartEncoded !== true &&
    params.shortenUrls !== true &&
    params.contentRetention !== 'discard'
  );
}

export function messageMatches(row: OutboundRequest, message: MessageResource, window: TimeWindow): boolean {
  const params = row.params;
  if (!isResource(message) || message.direction !== 'outbound-api' || message.to !== text(params.to)) return false;
  const from = text(params.from);
  if (from !== undefined ? message.from !== from : message.messaging_service_sid !== text(params.messagingServiceSid)) return false;
  if (bodyComparable(params) && message.body !== text(params.body)) return false;
  return createdWithin(message.date_created, window);
}

export function callMatches(row: OutboundRequest, call: CallResource, window: TimeWindow): boolean {
  const params = row.params;
  if (!isResource(call) || call.direction !== 'outbound-api' || call.to !== text(params.to) || call.from !== text(params.from)) return false;
  return createdWithin(call.date_created, window);
}
