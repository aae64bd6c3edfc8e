import { html, httpUrl, type SafeHtml } from '../html';
import type { StatusEventRecord } from '../../store';
import { status, time } from '../view';

/** The few parameters worth reading at a glance; the rest are under "All parameters". */
const HIGHLIGHTS = ['CallDuration', 'RecordingDuration', 'TranscriptionText', 'ErrorCode', 'ErrorMessage', 'AnsweredBy', 'SipResponseCode'];

const LABELS: Record<StatusEventRecord['resource'], string> = {
  call: 'Call',
  message: 'Message',
  recording: 'Recording',
  transcription: 'Transcription',
};

function highlights(params: Record<string, string>): SafeHtml {
  const shown = HIGHLIGHTS.filter((name) => params[name] !== undefined && params[name] !== '');
  const recordingUrl = httpUrl(params.RecordingUrl);
  return html`${shown.map((name) => html` · ${name}: ${params[name]}`)}${recordingUrl && html` · <a href="${recordingUrl}" rel="noreferrer">recording</a>`}`;
}

/** Every status callback stored for the call or message, in the order they arrived. */
export function timeline(events: readonly StatusEventRecord[]): SafeHtml {
  if (events.length === 0) {
    return html`<p class="note">No status callbacks were received for it (simulated calls and calls without a StatusCallback have none).</p>`;
  }
  return html`<ol class="timeline" aria-label="Status timeline">${events.map(
    (e) => html`<li>${time(e.receivedAt)} — ${LABELS[e.resource]} ${status(e.status)}${
      e.sequenceNumber !== null && html` <span class="note">#${e.sequenceNumber}</span>`
    }${highlights(e.params)}
<details><summary>All parameters</summary><table><caption>Parameters Twilio posted</caption><tbody>${Object.entries(e.params).map(
      ([name, value]) => html`<tr><th scope="row">${name}</th><td>${value}</td></tr>`,
    )}</tbody></table></details></li>\n`,
  )}</ol>`;
}
