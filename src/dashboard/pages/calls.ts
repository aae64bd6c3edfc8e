import type { FilterForm } from '../filters';
import { html, type SafeHtml } from '../html';
import { BASE, layout } from '../layout';
import type { CallRecord, Page } from '../../store';
import { callLink, errorBox, pager, seconds, status, time } from '../view';
import { filterForm } from './filter-form';

export const CALL_STATUSES = ['queued', 'ringing', 'in-progress', 'completed', 'busy', 'no-answer', 'failed', 'canceled'] as const;

export interface ListView<T> {
  form: FilterForm;
  /** Undefined when the filter was refused; `error` then says why. */
  page?: Page<T>;
  error?: string;
  /** Whether this is a later page (a cursor was given). */
  paging: boolean;
  cookieSession: boolean;
}

/** `charts`: the activity charts, on the home page only. */
export function callsPage(view: ListView<CallRecord>, charts?: SafeHtml): string {
  const { page } = view;
  const rows = page?.items ?? [];
  const body = html`${charts}
${filterForm(BASE, view.form, CALL_STATUSES)}
${view.error !== undefined && errorBox(view.error)}
${page &&
  html`<table>
<caption>${rows.length === 0 ? 'No calls match.' : `${rows.length} calls, newest first${page.nextCursor ? '; older ones on the next page' : ''}.`}</caption>
<thead><tr><th scope="col">Started</th><th scope="col">Call</th><th scope="col">Direction</th><th scope="col">From</th><th scope="col">To</th><th scope="col">Status</th><th scope="col">Duration</th><th scope="col">Recording</th></tr></thead>
<tbody>
${rows.map(
  (c) =>
    html`<tr><td>${time(c.createdAt)}</td><th scope="row">${callLink(c.sid)}</th><td>${c.direction}</td><td>${c.from}</td><td>${c.to}</td><td>${status(c.status)}</td><td class="num">${seconds(c.duration)}</td><td>${c.recordingUrl ? 'yes' : ''}</td></tr>\n`,
)}</tbody>
</table>
${pager(BASE, { ...view.form }, page.nextCursor === null ? null : { cursor: page.nextCursor }, view.paging)}`}`;
  return layout({ title: 'Calls', section: 'calls', cookieSession: view.cookieSession }, body);
}
