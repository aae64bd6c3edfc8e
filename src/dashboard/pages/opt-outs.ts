import { html } from '../html';
import { layout } from '../layout';
import type { OptOutRecord } from '../../store';
import { time } from '../view';

export function optOutsPage(rows: readonly OptOutRecord[], limit: number, cookieSession: boolean): string {
  const body = html`<p class="note">People who replied STOP (or whom Twilio reports as unsubscribed). Messages to them are not sent until they reply START.</p>
<table>
<caption>${rows.length === 0 ? 'Nobody has opted out.' : `${rows.length} opted-out numbers, most recent first${rows.length === limit ? ` (the latest ${limit})` : ''}.`}</caption>
<thead><tr><th scope="col">Their number</th><th scope="col">Our number</th><th scope="col">Since</th></tr></thead>
<tbody>
${rows.map((r) => html`<tr><th scope="row">${r.theirNumber}</th><td>${r.ourNumber}</td><td>${time(r.updatedAt)}</td></tr>\n`)}</tbody>
</table>`;
  return layout({ title: 'Opt-outs', section: 'opt-outs', cookieSession }, body);
}
