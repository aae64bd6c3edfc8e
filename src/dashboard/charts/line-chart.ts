import { html, type SafeHtml } from '../html';
import { chartFrame, type ChartLabel } from './frame';
import { fixed, legend, valueGrid } from './bar-chart';
import { niceTicks } from './scale';

export interface StepChart extends ChartLabel {
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
  return chartFrame(chart, WIDTH, HEIGHT, html`${valueGrid(ticks, y, LEFT, WIDTH - RIGHT)}
<line class="target" x1="${LEFT}" x2="${WIDTH - RIGHT}" y1="${fixed(y(chart.target))}" y2="${fixed(y(chart.target))}"/>
<path class="step" d="${d.join(' ')}"/>
<text class="axis" x="${LEFT}" y="${HEIGHT - BOTTOM + 16}">${chart.startLabel}</text>
<text class="axis" x="${WIDTH - RIGHT}" y="${HEIGHT - BOTTOM + 16}" text-anchor="end">${chart.endLabel}</text>
${legend([
  { name: chart.seriesName, className: 'swatch-step' },
  { name: chart.targetLabel, className: 'swatch-target' },
])}`);
}
