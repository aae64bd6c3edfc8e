import { html, httpUrl, type SafeHtml } from './html';
import { BASE } from './layout';

/** `2026-01-02 03:04:05 UTC`, machine-readable in `datetime`. */
export function time(iso: string): SafeHtml {
  const shown = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}/.test(iso) ? `${iso.slice(0, 10)} ${iso.slice(11, 19)} UTC` : iso;
  return html`<time datetime="${iso}">${shown}</time>`;
}

const GOOD = new Set(['completed', 'delivered', 'received', 'sent', 'read', 'answered']);
const BAD = new Set(['failed', 'undelivered', 'busy', 'no-answer', 'canceled', 'absent']);

export function status(value: string | null): SafeHtml {
  if (value === null) return html`<span class="status">—</span>`;
  const tone = GOOD.has(value) ? ' good' : BAD.has(value) ? ' bad' : '';
  return html`<span class="status${tone}">${value}</span>`;
}

export function seconds(value: number | null): string {
  return value === null ? '—' : `${value} s`;
}

export function errorBox(message: string): SafeHtml {
  return html`<p class="error" role="alert">${message}</p>`;
}

export function callLink(sid: string): SafeHtml {
  return html`<a href="${BASE}/calls/${encodeURIComponent(sid)}">${sid}</a>`;
}

export function messageLink(sid: string): SafeHtml {
  return html`<a href="${BASE}/messages/${encodeURIComponent(sid)}">${sid}</a>`;
}

/** Twilio serves a recording's audio when `.mp3` is appended to its URL. */
export function recordingAudioUrl(url: string): string {
  return /\.(mp3|wav)$/i.test(new URL(url).pathname) ? url : `${url}.mp3`;
}

/** A player plus the link: with "HTTP auth on media" on in the Twilio console only the link works. */
export function recording(url: string | null): SafeHtml {
  const safe = httpUrl(url);
  if (safe === undefined) return html`—`;
  const audio = recordingAudioUrl(safe);
  return html`<audio controls preload="none" src="${audio}"><a href="${audio}">Download the recording</a></audio>
<br><a href="${audio}" rel="noreferrer">Open the recording</a>`;
}

export const RECORDING_NOTE = html`<p class="note">Recordings play from Twilio. If “Enforce HTTP Auth on Media URLs” is on in
your Twilio console, the player cannot load them here: open the link and sign in with your Account SID and auth token.</p>`;

/** A query string (with `?`) of the non-empty values; empty when there are none. */
export function queryString(values: Record<string, string | undefined>): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(values)) if (value !== undefined && value !== '') params.set(name, value);
  const text = params.toString();
  return text === '' ? '' : `?${text}`;
}

/** "Older →" to the next page (same filters), and back to the newest when paging. */
export function pager(path: string, filters: Record<string, string | undefined>, next: Record<string, string> | null, paging: boolean): SafeHtml {
  if (next === null && !paging) return html``;
  return html`<nav class="pager" aria-label="Pages">${paging && html`<a href="${path}${queryString(filters)}">← Newest</a>`}${
    next !== null && html`<a href="${path}${queryString({ ...filters, ...next })}" rel="next">Older →</a>`
  }</nav>`;
}
