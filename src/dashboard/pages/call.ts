import { html } from '../html';
import { BASE, layout } from '../layout';
import type { CallHistory, VoicemailRecord } from '../../store';
import { RECORDING_NOTE, recording, seconds, status, time } from '../view';
import { timeline } from './timeline';

export function callPage(history: CallHistory, voicemails: readonly VoicemailRecord[], cookieSession: boolean): string {
  const { call, events } = history;
  const body = html`<p><a href="${BASE}">← All calls</a></p>
<dl class="fields">
<dt>Call SID</dt><dd>${call.sid}</dd>
<dt>Status</dt><dd>${status(call.status)}</dd>
<dt>Direction</dt><dd>${call.direction}</dd>
<dt>From</dt><dd>${call.from}</dd>
<dt>To</dt><dd>${call.to}</dd>
<dt>Started</dt><dd>${time(call.createdAt)}</dd>
<dt>Last update</dt><dd>${time(call.updatedAt)}</dd>
<dt>Duration</dt><dd>${seconds(call.duration)}</dd>
${call.answeredBy !== null && html`<dt>Answered by</dt><dd>${call.answeredBy}</dd>`}
${call.price !== null && html`<dt>Price</dt><dd>${call.price} ${call.priceUnit ?? ''}</dd>`}
${call.errorCode !== null && html`<dt>Error code</dt><dd>${call.errorCode}</dd>`}
</dl>
<h2>Status timeline</h2>
${timeline(events)}
<h2>Recording</h2>
${call.recordingUrl === null ? html`<p>No recording of the call.</p>` : html`<p>${recording(call.recordingUrl)}</p>`}
<h2>Voicemail</h2>
${
  voicemails.length === 0
    ? html`<p>No voicemail was left on this call.</p>`
    : voicemails.map(
        (v) => html`<section aria-label="Voicemail ${v.recordingSid ?? v.id}">
<p>${time(v.createdAt)} · ${seconds(v.duration)} · taken by ${v.source}</p>
<p>${recording(v.recordingUrl)}</p>
<p><strong>Transcription:</strong> ${v.transcription ?? (v.transcriptionStatus ? `(${v.transcriptionStatus})` : '(none)')}</p>
</section>`,
      )
}
${(call.recordingUrl !== null || voicemails.length > 0) && RECORDING_NOTE}`;
  return layout({ title: `Call ${call.sid}`, section: 'calls', cookieSession }, body);
}
