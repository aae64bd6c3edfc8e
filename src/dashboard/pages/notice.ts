import { html } from '../html';
import { BASE, layout } from '../layout';
import { errorBox } from '../view';

/** 404s, refused values, the disabled dashboard: one message, in the layout. */
export function noticePage(title: string, message: string, options: { bare?: boolean; cookieSession?: boolean } = {}): string {
  return layout({ title, ...options }, html`${errorBox(message)}<p><a href="${BASE}">Back to the calls</a></p>`);
}
