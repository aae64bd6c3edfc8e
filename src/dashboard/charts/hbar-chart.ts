import { html, type SafeHtml } from '../html';
import { chartFrame, type ChartLabel } from './frame';
import { fixed } from './bar-chart';
import { formatCount, niceTicks } from './scale';

export interface HBarChart extends ChartLabel {
  rows: ReadonlyArray<{ label: string; value: number; className: string }>;
  /** Shown instead of bars when there are no rows. */
  empty: string;
}

const WIDTH = 560;
const LEFT = 110;
const RIGHT = 56;
const ROW = 26;
const TOP = 8;
const BOTTOM = 26;

/** One horizontal bar per row, its value at its end; pure, every text escaped. */
export function hbarChartSvg(chart: HBarChart): SafeHtml {
  const rows = Math.max(1, chart.rows.length);
  const height = TOP + rows * ROW + BOTTOM;
  const ticks = niceTicks(Math.max(0, ...chart.rows.map((r) => r.value)));
  const top = ticks[ticks.length - 1] as number;
  const plotWidth = WIDTH - LEFT - RIGHT;
  const x = (value: number) => LEFT + (value / top) * plotWidth;
  return chartFrame(chart, WIDTH, height, html`${ticks.map((tick) => html`<line class="grid" x1="${fixed(x(tick))}" x2="${fixed(x(tick))}" y1="${TOP}" y2="${height - BOTTOM}"/><text class="axis" x="${fixed(x(tick))}" y="${height - BOTTOM + 14}" text-anchor="middle">${formatCount(tick)}</text>`)}
${
  chart.rows.length === 0
    ? html`<text class="axis" x="${LEFT}" y="${TOP + ROW / 2}" dominant-baseline="central">${chart.empty}</text>`
    : chart.rows.map((row, i) => {
        const y = TOP + i * ROW;
        return html`<text class="axis" x="${LEFT - 8}" y="${y + ROW / 2}" text-anchor="end" dominant-baseline="central">${row.label}</text><rect class="${row.className}" x="${LEFT}" y="${y + 4}" width="${fixed(x(row.value) - LEFT)}" height="${ROW - 8}"><title>${row.label}: ${formatCount(row.value)}</title></rect><text class="axis value" x="${fixed(x(row.value) + 6)}" y="${y + ROW / 2}" dominant-baseline="central">${formatCount(row.value)}</text>`;
      })
}`);
}
