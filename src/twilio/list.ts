// List queries for Calls and Messages: typed filters mapped to the spec's query names, and the
// paging links Twilio answers with. Twilio's names for "on or after"/"before" are `DateSent>`
// and `DateSent<` (sent as `DateSent%3E=…`), not `DateSent>=`.
import { TwilioInputError } from './errors';
import { formatIsoDateTime } from './form';
import type { CallResource, CallStatus, MessageResource } from './types';

/** Twilio's largest page. */
export const MAX_PAGE_SIZE = 1000;

export interface MessageListFilter {
  to?: string;
  from?: string;
  /** Messages sent on or after this time (`DateSent>`). Unsent messages have no send date. */
  dateSentAfter?: Date;
  /** Messages sent before this time (`DateSent<`). */
  dateSentBefore?: Date;
  /** 1–1000, Twilio's default 50. */
  pageSize?: number;
}

export interface CallListFilter {
  to?: string;
  from?: string;
  status?: CallStatus;
  /** Calls started on or after this time (`StartTime>`). A call not yet dialled has no start time. */
  startTimeAfter?: Date;
  /** Calls started before this time (`StartTime<`). */
  startTimeBefore?: Date;
  pageSize?: number;
}

export interface ListPage<T> {
  items: T[];
  /** Pass to the same list method as `pageUri` for the next page; null on the last page. */
  nextPageUri: string | null;
}

export type MessagePage = ListPage<MessageResource>;
export type CallPage = ListPage<CallResource>;

type Pairs = Array<[string, string | undefined]>;

function query(pairs: Pairs, pageSize: number | undefined): string {
  if (pageSize !== undefined && (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > MAX_PAGE_SIZE)) {
    throw new TwilioInputError(`Expected \`pageSize\` to be an integer from 1 to ${MAX_PAGE_SIZE}`);
  }
  const search = new URLSearchParams();
  for (const [name, value] of pairs) if (value !== undefined) search.append(name, value);
  if (pageSize !== undefined) search.append('PageSize', String(pageSize));
  const text = search.toString();
  return text === '' ? '' : `?${text}`;
}

const iso = (date: Date | undefined) => (date === undefined ? undefined : formatIsoDateTime(date));

export function messageListQuery(filter: MessageListFilter): string {
  return query(
    [
      ['To', filter.to],
      ['From', filter.from],
      ['DateSent>', iso(filter.dateSentAfter)],
      ['DateSent<', iso(filter.dateSentBefore)],
    ],
    filter.pageSize,
  );
}

export function callListQuery(filter: CallListFilter): string {
  return query(
    [
      ['To', filter.to],
      ['From', filter.from],
      ['Status', filter.status],
      ['StartTime>', iso(filter.startTimeAfter)],
      ['StartTime<', iso(filter.startTimeBefore)],
    ],
    filter.pageSize,
  );
}

/**
 * A `next_page_uri` is only followed when it is a query on the same list: it comes from the
 * network, and the transport would send our credentials wherever it points.
 */
export function checkedPageUri(listPath: string, uri: string): string {
  if (typeof uri !== 'string' || !uri.startsWith(`${listPath}?`) || /[\s#]/.test(uri)) {
    throw new TwilioInputError(`Expected \`pageUri\` to be a next_page_uri of ${listPath}`);
  }
  return uri;
}

/** The items and next link of a list answer (the transport has checked `key` is an array). */
export function toPage<T>(body: Record<string, unknown>, key: string): ListPage<T> {
  const next = body.next_page_uri;
  return { items: body[key] as T[], nextPageUri: typeof next === 'string' && next !== '' ? next : null };
}
