import { html, type HtmlValue, type SafeHtml } from '../html';

export interface ChartTable {
  headers: readonly string[];
  /** The first cell of each row is its header; numbers are right-aligned. */
  rows: ReadonlyArray<readonly HtmlValue[]>;
}

/** A chart with its numbers in a table beside it (scrollable when long, and reachable by keyboard). */
export function chartFigure(id: string, title: string, svg: SafeHtml, table: ChartTable): SafeHtml {
  return html`<figure class="chart-figure" id="${id}" aria-labelledby="${id}-caption">
<figcaption id="${id}-caption">${title}</figcaption>
<div class="chart-pair">${svg}
<div class="chart-table" tabindex="0" role="region" aria-label="${title}, as a table">
<table data-chart="${id}"><thead><tr>${table.headers.map((h) => html`<th scope="col">${h}</th>`)}</tr></thead>
<tbody>${table.rows.map(
    ([first, ...rest]) => html`<tr><th scope="row">${first}</th>${rest.map((cell) => html`<td class="num">${cell}</td>`)}</tr>\n`,
  )}</tbody></table>
</div></div>
</figure>`;
}
