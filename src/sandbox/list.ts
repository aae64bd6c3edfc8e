// List pages as Twilio answers them: newest first, filtered by the query's To/From/Status and
// date filters (`StartTime<`, `StartTime>` are "on or before" / "on or after"), paged with
// PageSize, Page and PageToken, with relative page URIs that carry the filters along.

export interface ListRequest {
  /** The list's path, e.g. /2010-04-01/Accounts/AC…/Calls.json */
  path: string;
  /** The query as sent (already checked against the spec). */
  query: ReadonlyArray<[string, string]>;
}

export interface ListPage<T> {
  items: T[];
  body: Record<string, unknown>;
}

/** One filterable field of a resource: the query name and how to read the value. */
export interface ListField<T> {
  name: string;
  kind: 'exact' | 'date';
  value(item: T): string | null;
}

const DEFAULT_PAGE_SIZE = 50;
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const DAY_MS = 86_400_000;

/** A filter value as an instant range [from, to]: a date covers the whole UTC day. */
function range(value: string): { from: number; to: number } {
  if (DATE_ONLY.test(value)) {
    const start = Date.parse(`${value}T00:00:00Z`);
    return { from: start, to: start + DAY_MS - 1 };
  }
  const at = Date.parse(value);
  return { from: at, to: at };
}

function passes<T>(item: T, field: ListField<T>, operator: '' | '<' | '>', filter: string): boolean {
  const value = field.value(item);
  if (value === null) return false;
  if (field.kind === 'exact') return value === filter;
  const at = Date.parse(value);
  const { from, to } = range(filter);
  if (operator === '<') return at <= to;
  if (operator === '>') return at >= from;
  return at >= from && at <= to;
}

function pageUri(path: string, filters: ReadonlyArray<[string, string]>, size: number, page: number, token: string | null): string {
  const query = new URLSearchParams([...filters, ['PageSize', String(size)], ['Page', String(page)]]);
  if (token !== null) query.append('PageToken', token);
  return `${path}?${query.toString()}`;
}

/**
 * The page for `request` out of `all` (oldest first, as stored). A PageToken `PA<sid>` starts
 * after that item and `PB<sid>` ends before it, as Twilio's tokens anchor pages on an item.
 */
export function listPage<T extends { sid: string }>(key: string, request: ListRequest, all: readonly T[], fields: ReadonlyArray<ListField<T>>): ListPage<T> {
  const filters: Array<[string, string]> = [];
  let size = DEFAULT_PAGE_SIZE;
  let page = 0;
  let token: string | null = null;
  for (const [name, value] of request.query) {
    if (name === 'PageSize') size = Number(value);
    else if (name === 'Page') page = Number(value);
    else if (name === 'PageToken') token = value;
    else filters.push([name, value]);
  }
  let matching = [...all].reverse();
  for (const [name, value] of filters) {
    const operator = name.endsWith('<') ? '<' : name.endsWith('>') ? '>' : '';
    const field = fields.find((f) => f.name === (operator === '' ? name : name.slice(0, -1)));
    if (field !== undefined) matching = matching.filter((item) => passes(item, field, operator, value));
  }

  let start = page * size;
  if (token !== null) {
    const anchor = matching.findIndex((item) => item.sid === token?.slice(2));
    if (anchor >= 0) start = token.startsWith('PB') ? Math.max(0, anchor - size) : anchor + 1;
  }
  const items = matching.slice(start, start + size);
  const last = items[items.length - 1];
  const first = items[0];
  const hasNext = start + size < matching.length && last !== undefined;
  const hasPrevious = start > 0 && first !== undefined;
  return {
    items,
    body: {
      [key]: items,
      end: start + Math.max(0, items.length - 1),
      first_page_uri: pageUri(request.path, filters, size, 0, null),
      next_page_uri: hasNext ? pageUri(request.path, filters, size, page + 1, `PA${last.sid}`) : null,
      page,
      page_size: size,
      previous_page_uri: hasPrevious ? pageUri(request.path, filters, size, Math.max(0, page - 1), `PB${first.sid}`) : null,
      start,
      uri: pageUri(request.path, filters, size, page, token),
    },
  };
}
