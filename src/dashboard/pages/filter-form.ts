import type { FilterForm } from '../filters';
import { html, type SafeHtml } from '../html';

const DIRECTIONS = ['inbound', 'outbound-api', 'outbound-dial'] as const;

/** A GET form: filtering needs no script, and the URL of a filtered page can be bookmarked. */
export function filterForm(action: string, form: FilterForm, statuses: readonly string[]): SafeHtml {
  const option = (value: string, current: string | undefined, label = value) =>
    html`<option value="${value}"${value === (current ?? '') ? html` selected` : ''}>${label}</option>`;
  return html`<form class="filters" method="get" action="${action}" role="search" aria-label="Filter">
<label>Number <input name="number" type="text" inputmode="tel" placeholder="+15551234567" value="${form.number ?? ''}"></label>
<label>Status <select name="status">${option('', form.status, 'any')}${statuses.map((s) => option(s, form.status))}${
    form.status !== undefined && !statuses.includes(form.status) && option(form.status, form.status)
  }</select></label>
<label>Direction <select name="direction">${option('', form.direction, 'any')}${DIRECTIONS.map((d) => option(d, form.direction))}</select></label>
<label>From day (UTC) <input name="since" type="date" value="${form.since ?? ''}"></label>
<label>To day (UTC, included) <input name="until" type="date" value="${form.until ?? ''}"></label>
<button type="submit">Filter</button> <a href="${action}">Clear</a>
</form>`;
}
