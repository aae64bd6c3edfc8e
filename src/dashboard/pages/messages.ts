import { html } from '../html';
import { BASE, layout } from '../layout';
import type { MessageRecord } from '../../store';
import { errorBox, messageLink, pager, status, time } from '../view';
import type { ListView } from './calls';
import { filterForm } from './filter-form';

export const MESSAGE_STATUSES = ['accepted', 'scheduled', 'queued', 'sending', 'sent', 'delivered', 'undelivered', 'failed', 'received', 'read', 'canceled'] as const;

const PREVIEW = 80;

export function messagesPage(view: ListView<MessageRecord>): string {
  const { page } = view;
  const rows = page?.items ?? [];
  const path = `${BASE}/messages`;
  const body = html`${filterForm(path, view.form, MESSAGE_STATUSES)}
${view.error !== undefined && errorBox(view.error)}
${page &&
  html`<table>
<caption>${rows.length === 0 ? 'No messages match.' : `${rows.length} messages, newest first${page.nextCursor ? '; older ones on the next page' : ''}.`}</caption>
<thead><tr><th scope="col">Created</th><th scope="col">Message</th><th scope="col">Direction</th><th scope="col">From</th><th scope="col">To</th><th scope="col">Status</th><th scope="col">Text</th></tr></thead>
<tbody>
${rows.map(
  (m) =>
    html`<tr><td>${time(m.createdAt)}</td><th scope="row">${messageLink(m.sid)}</th><td>${m.direction}</td><td>${m.from}</td><td>${m.to}</td><td>${status(m.status)}</td><td>${
      m.body.length > PREVIEW ? `${m.body.slice(0, PREVIEW)}…` : m.body
    }${m.numMedia > 0 && ` (+${m.numMedia} media)`}</td></tr>\n`,
)}</tbody>
</table>
${pager(path, { ...view.form }, page.nextCursor === null ? null : { cursor: page.nextCursor }, view.paging)}`}`;
  return layout({ title: 'Messages', section: 'messages', cookieSession: view.cookieSession }, body);
}
