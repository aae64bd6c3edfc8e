import { html, httpUrl } from '../html';
import { BASE, layout } from '../layout';
import type { MessageHistory } from '../../store';
import { status, time } from '../view';
import { timeline } from './timeline';

export function messagePage(history: MessageHistory, cookieSession: boolean): string {
  const { message, events } = history;
  const body = html`<p><a href="${BASE}/messages">← All messages</a></p>
<dl class="fields">
<dt>Message SID</dt><dd>${message.sid}</dd>
<dt>Status</dt><dd>${status(message.status)}</dd>
<dt>Direction</dt><dd>${message.direction}</dd>
<dt>From</dt><dd>${message.from}</dd>
<dt>To</dt><dd>${message.to}</dd>
<dt>Created</dt><dd>${time(message.createdAt)}</dd>
<dt>Last update</dt><dd>${time(message.updatedAt)}</dd>
${message.price !== null && html`<dt>Price</dt><dd>${message.price} ${message.priceUnit ?? ''}</dd>`}
${message.errorCode !== null && html`<dt>Error code</dt><dd>${message.errorCode}</dd>`}
</dl>
<h2>Text</h2>
<p class="body">${message.body === '' ? '(no text)' : message.body}</p>
${
  message.mediaUrls.length > 0 &&
  html`<h2>Media</h2><ul>${message.mediaUrls.map((url) => {
    const safe = httpUrl(url);
    return html`<li>${safe ? html`<a href="${safe}" rel="noreferrer">${url}</a>` : url}</li>`;
  })}</ul>`
}
<h2>Status timeline</h2>
${timeline(events)}`;
  return layout({ title: `Message ${message.sid}`, section: 'messages', cookieSession }, body);
}
