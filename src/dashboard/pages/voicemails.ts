import { html } from '../html';
import { BASE, layout } from '../layout';
import type { VoicemailRecord } from '../../store';
import { callLink, RECORDING_NOTE, recording, seconds, time } from '../view';

export function voicemailsPage(rows: readonly VoicemailRecord[], next: number | null, paging: boolean, cookieSession: boolean): string {
  const path = `${BASE}/voicemails`;
  const body = html`${RECORDING_NOTE}
<table>
<caption>${rows.length === 0 ? 'No voicemails.' : `${rows.length} voicemails, newest first.`}</caption>
<thead><tr><th scope="col">Left</th><th scope="col">From</th><th scope="col">To</th><th scope="col">Call</th><th scope="col">Length</th><th scope="col">Recording</th><th scope="col">Transcription</th></tr></thead>
<tbody>
${rows.map(
  (v) =>
    html`<tr><th scope="row">${time(v.createdAt)}</th><td>${v.from}</td><td>${v.to}</td><td>${callLink(v.callSid)}</td><td class="num">${seconds(v.duration)}</td><td>${recording(v.recordingUrl)}</td><td>${
      v.transcription ?? (v.transcriptionStatus ? `(${v.transcriptionStatus})` : '')
    }</td></tr>\n`,
)}</tbody>
</table>
${(next !== null || paging) && html`<nav class="pager" aria-label="Pages">${paging && html`<a href="${path}">← Newest</a>`}${next !== null && html`<a href="${path}?before=${next}" rel="next">Older →</a>`}</nav>`}`;
  return layout({ title: 'Voicemails', section: 'voicemails', cookieSession }, body);
}
