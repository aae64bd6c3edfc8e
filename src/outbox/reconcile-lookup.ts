// Looks an `unknown` outbox row up in Twilio's Calls or Messages list.
//
// The list is asked for To and From only. Its date filters are not used: `DateSent` is empty
// until a message leaves Twilio (queued, scheduled or failed-before-sending messages have none)
// and `StartTime` until a call is dialled, so either filter would hide exactly the call or
// message we are looking for, and "not found" leads to `not_sent` and a resend on purpose. The
// creation time is checked here instead, on every item of every page.
import type { OutboundRequest } from '../store';
import { MAX_PAGE_SIZE, type CallResource, type ListPage, type MessageResource, type TwilioClient } from '../twilio';
import { attemptWindow, callMatches, messageMatches, text } from './reconcile-match';

/** At most this many pages of MAX_PAGE_SIZE between one pair of numbers; beyond, the look-up is incomplete. */
export const MAX_PAGES = 10;

export type Candidate = { kind: 'message'; resource: MessageResource } | { kind: 'call'; resource: CallResource };

/** The look-up was abandoned because the server is stopping; it proves nothing. */
export class LookupStopped extends Error {
  override readonly name = 'LookupStopped';
  constructor() {
    super('stopped before the look-up was complete');
  }
}

export interface LookupResult {
  candidates: Candidate[];
  /** False when the page limit stopped the walk: "no match" then proves nothing. */
  complete: boolean;
}

async function walk<T>(
  read: (pageUri: string | undefined) => Promise<ListPage<T>>,
  keep: (item: T) => boolean,
  stopping: () => boolean,
): Promise<{ items: T[]; complete: boolean }> {
  const items: T[] = [];
  let pageUri: string | undefined;
  for (let pages = 0; pages < MAX_PAGES; pages++) {
    // Shutdown waits for the look-up in progress: one page, not ten.
    if (stopping()) throw new LookupStopped();
    const page = await read(pageUri);
    for (const item of page.items) if (keep(item)) items.push(item);
    if (page.nextPageUri === null) return { items, complete: true };
    pageUri = page.nextPageUri;
  }
  return { items, complete: false };
}

export async function lookUp(twilio: TwilioClient, row: OutboundRequest, stopping: () => boolean = () => false): Promise<LookupResult> {
  const window = attemptWindow(row);
  const to = text(row.params.to);
  const from = text(row.params.from);
  const paging = (pageUri: string | undefined) => (pageUri === undefined ? undefined : { pageUri });
  // A Messaging Service sender (no `from`) is not a number the From filter takes: it is matched per item.
  const filter = { ...(to !== undefined && { to }), ...(from !== undefined && { from }), pageSize: MAX_PAGE_SIZE };
  if (row.kind === 'call') {
    const found = await walk((uri) => twilio.listCalls(filter, paging(uri)), (call) => callMatches(row, call, window), stopping);
    return { candidates: found.items.map((resource) => ({ kind: 'call', resource })), complete: found.complete };
  }
  const found = await walk((uri) => twilio.listMessages(filter, paging(uri)), (message) => messageMatches(row, message, window), stopping);
  return { candidates: found.items.map((resource) => ({ kind: 'message', resource })), complete: found.complete };
}
