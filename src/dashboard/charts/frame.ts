import { html, type SafeHtml } from '../html';

/** What every chart is named by: `<title>` and `<desc>`, referenced by `aria-labelledby` on an `img`. */
export interface ChartLabel {
  /** Unique on the page: the title and description ids derive from it. */
  id: string;
  title: string;
  /** One sentence with the totals, for screen readers (the table beside has every number). */
  description: string;
}

/** The `<svg>` element around a chart's drawing, at its natural size (it shrinks to fit narrow screens). */
export function chartFrame(label: ChartLabel, width: number, height: number, drawing: SafeHtml): SafeHtml {
  return html`<svg class="chart" xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-labelledby="${label.id}-title ${label.id}-desc">
<title id="${label.id}-title">${label.title}</title>
<desc id="${label.id}-desc">${label.description}</desc>
${drawing}
</svg>`;
}
