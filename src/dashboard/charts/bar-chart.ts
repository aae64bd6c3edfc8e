import { html, type SafeHtml } from '../html';
import { chartFrame, type ChartLabel } from './frame';
import { formatCount, niceTicks } from './scale';

export interface BarSeries {
  name: string;
  /** A class of the dashboard stylesheet that colours the series (the CSP allows no inline style). */
  className: string;
  values: readonly number[];
}

export interface BarChart extends ChartLabel {
  /** The x-axis label of each bar. */
  categories: readonly string[];
  /** Stacked, first at the bottom. */
  series: readonly BarSeries[];
  /** Label every n-th category, so that labels do not collide. */
  labelEvery: number;
}

const WIDTH = 560;
const HEIGHT = 230;
const LEFT = 44;
const RIGHT = 12;
const TOP = 28;
const BOTTOM = 34;

/** Stacked vertical bars with gridlines and a legend; pure, every text escaped. */
export function barChartSvg(chart: BarChart): SafeHtml {
  const totals = chart.categories.map((_c, i) => chart.series.reduce((sum, s) => sum + (s.values[i] ?? 0), 0));
  const ticks = niceTicks(Math.max(0, ...totals));
  const top = ticks[ticks.length - 1] as number;
  const plotWidth = WIDTH - LEFT - RIGHT;
  const plotHeight = HEIGHT - TOP - BOTTOM;
  const slot = plotWidth / Math.max(1, chart.categories.length);
  const barWidth = Math.max(1, slot * 0.72);
  const y = (value: number) => TOP + plotHeight - (value / top) * plotHeight;
  const bars = chart.categories.map((category, i) => {
    let base = 0;
    return chart.series.map((series) => {
      const value = series.values[i] ?? 0;
      const from = base;
      base += value;
      if (value === 0) return html``;
      return html`<rect class="${series.className}" x="${fixed(LEFT + i * slot + (slot - barWidth) / 2)}" y="${fixed(y(base))}" width="${fixed(barWidth)}" height="${fixed(y(from) - y(base))}"><title>${category}: ${formatCount(value)} ${series.name}</title></rect>`;
    });
  });
  return chartFrame(chart, WIDTH, HEIGHT, html`${valueGrid(ticks, y, LEFT, WIDTH - RIGHT)}
${bars}
${chart.categories.map((category, i) =>
  i % chart.labelEvery === 0 ? html`<text class="axis" x="${fixed(LEFT + i * slot + slot / 2)}" y="${HEIGHT - BOTTOM + 16}" text-anchor="middle">${category}</text>` : '',
)}
${legend(chart.series)}`);
}

/** Swatches and names in a row above the plot. */
export function legend(series: ReadonlyArray<{ name: string; className: string }>): SafeHtml {
  let x = LEFT;
  return html`<g class="legend">${series.map((s) => {
    const item = html`<rect class="${s.className}" x="${x}" y="8" width="12" height="12"/><text class="axis" x="${x + 16}" y="14" dominant-baseline="central">${s.name}</text>`;
    x += 28 + s.name.length * 7;
    return item;
  })}</g>`;
}

/** Horizontal gridlines at the ticks, each with its value on the left. */
export function valueGrid(ticks: readonly number[], y: (value: number) => number, left: number, right: number): SafeHtml {
  return html`${ticks.map(
    (tick) =>
      html`<line class="grid" x1="${left}" x2="${right}" y1="${fixed(y(tick))}" y2="${fixed(y(tick))}"/><text class="axis" x="${left - 6}" y="${fixed(y(tick))}" text-anchor="end" dominant-baseline="central">${formatCount(tick)}</text>`,
  )}`;
}

export function fixed(value: number): string {
  return String(Math.round(value * 10) / 10);
}
