import { html, type SafeHtml } from '../html';
import { fixed, legend } from './bar-chart';
import { formatCount, niceTicks } from './scale';

export interface StepChart {
  id: string;
  title: string;
  description: string;
  /** Times in ms since the epoch, ascending; the value holds until the next point. */
  points: ReadonlyArray<{ at: number; value: number }>;
  /** Where the y axis ends at least (a job's total), drawn as a dashed line. */
  target: number;
  targetLabel: string;
  /** Labels of the x axis at its two ends. */
  startLabel: string;
  endLabel: string;
  seriesName: string;
}

const WIDTH = 560;
const HEIGHT = 230;
const LEFT = 56;
const RIGHT = 16;
const TOP = 28;
const BOTTOM = 34;

/** A cumulative count over time as a step line; pure, every text escaped. */
export function stepChartSvg(chart: StepChart): SafeHtml {
  const ticks = niceTicks(Math.max(chart.target, ...chart.points.map((p) => p.value)));
  const top = ticks[ticks.length - 1] as number;
  const first = chart.points[0]?.at ?? 0;
  const last = chart.points[chart.points.length - 1]?.at ?? first;
  const span = Math.max(1, last - first);
  const plotWidth = WIDTH - LEFT - RIGHT;
  const plotHeight = HEIGHT - TOP - BOTTOM;
  const x = (at: number) => LEFT + ((at - first) / span) * plotWidth;
  const y = (value: number) => TOP + plotHeight - (value / top) * plotHeight;
  const d = chart.points.map((p, i) => (i === 0 ? `M${fixed(x(p.at))},${fixed(y(p.value))}` : `H${fixed(x(p.at))} V${fixed(y(p.value))}`));
  return html`<svg class="chart" xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-labelledby="${chart.id}-title ${chart.id}-desc">
<title id="${chart.id}-title">${chart.title}</title>
<desc id="${chart.id}-desc">${chart.description}</desc>
${ticks.map((tick) => html`<line class="grid" x1="${LEFT}" x2="${WIDTH - RIGHT}" y1="${fixed(y(tick))}" y2="${fixed(y(tick))}"/><text class="axis" x="${LEFT - 6}" y="${fixed(y(tick))}" text-anchor="end" dominant-baseline="central">${formatCount(tick)}</text>`)}
<line class="target" x1="${LEFT}" x2="${WIDTH - RIGHT}" y1="${fixed(y(chart.target))}" y2="${fixed(y(chart.target))}"/>
<path class="step" d="${d.join(' ')}"/>
<text class="axis" x="${LEFT}" y="${HEIGHT - BOTTOM + 16}">${chart.startLabel}</text>
<text class="axis" x="${WIDTH - RIGHT}" y="${HEIGHT - BOTTOM + 16}" text-anchor="end">${chart.endLabel}</text>
${legend([
  { name: chart.seriesName, className: 'swatch-step' },
  { name: chart.targetLabel, className: 'swatch-target' },
])}
</svg>`;
}
