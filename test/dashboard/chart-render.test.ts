import { fillActivity } from '../../src/dashboard/charts/activity';
import { barChartSvg } from '../../src/dashboard/charts/bar-chart';
import { hbarChartSvg } from '../../src/dashboard/charts/hbar-chart';
import { progressRows, progressUnit } from '../../src/dashboard/charts/job-progress';
import { chartRanges } from '../../src/dashboard/charts/ranges';
import { niceTicks } from '../../src/dashboard/charts/scale';
import { svgElements } from '../support/svg';

describe('chart helpers', () => {
  test('chartRanges: 24 whole hours and 30 whole days, ending with the current ones', () => {
    const ranges = chartRanges(new Date('2026-01-02T03:04:05.678Z'));
    expect(ranges.day).toEqual({ since: '2026-01-01T04:00:00.000Z', until: '2026-01-02T04:00:00.000Z' });
    expect(ranges.month).toEqual({ since: '2025-12-04T00:00:00.000Z', until: '2026-01-03T00:00:00.000Z' });
    expect([ranges.hours.length, ranges.hours[0], ranges.hours[23]]).toEqual([24, '2026-01-01T04', '2026-01-02T03']);
    expect([ranges.days.length, ranges.days[0], ranges.days[29]]).toEqual([30, '2025-12-04', '2026-01-02']);
  });

  test('niceTicks: steps of 1, 2 or 5 × 10ⁿ, at most four', () => {
    expect(niceTicks(0)).toEqual([0, 1]);
    expect(niceTicks(3)).toEqual([0, 1, 2, 3]);
    expect(niceTicks(7)).toEqual([0, 2, 4, 6, 8]);
    expect(niceTicks(1234)).toEqual([0, 500, 1000, 1500]);
  });

  test('fillActivity: zeros where the store has no row; rows outside the buckets ignored', () => {
    expect(
      fillActivity(
        [
          { bucket: 'b', direction: 'outbound', count: 4 },
          { bucket: 'a', direction: 'inbound', count: 2 },
          { bucket: 'z', direction: 'inbound', count: 9 },
        ],
        ['a', 'b', 'c'],
      ),
    ).toEqual({ inbound: [2, 0, 0], outbound: [0, 4, 0] });
  });

  test('progressRows: per bucket with the running total; progressUnit from the span', () => {
    expect(
      progressRows([
        { bucket: 'm1', state: 'failed', count: 1 },
        { bucket: 'm1', state: 'sent', count: 5 },
        { bucket: 'm3', state: 'unknown', count: 2 },
      ]),
    ).toEqual([
      { bucket: 'm1', sent: 5, failed: 1, unknown: 0, done: 6 },
      { bucket: 'm3', sent: 0, failed: 0, unknown: 2, done: 8 },
    ]);
    expect(progressUnit('2026-01-02T00:00:00.000Z', '2026-01-02T03:00:00.000Z')).toBe('minute');
    expect(progressUnit('2026-01-02T00:00:00.000Z', '2026-01-02T03:00:01.000Z')).toBe('hour');
    expect(progressUnit('2026-01-02T00:00:00.000Z', '2026-01-10T00:00:00.000Z')).toBe('day');
  });
});

describe('chart SVG', () => {
  test('stacked bars: exact text content, escaped, only non-empty bars', () => {
    const svg = barChartSvg({
      id: 'c1',
      title: 'Calls <per> "hour"',
      description: '3 & more',
      categories: ['00', '01', '02'],
      series: [
        { name: 'inbound', className: 'bar-inbound', values: [1, 0, 2] },
        { name: 'outbound', className: 'bar-outbound', values: [0, 0, 1] },
      ],
      labelEvery: 2,
    }).value;
    expect(svg).toContain('<title id="c1-title">Calls &lt;per&gt; &quot;hour&quot;</title>');
    const elements = svgElements(svg);
    expect(elements.filter((e) => e.name === 'text').map((e) => e.text)).toEqual(['0', '1', '2', '3', '00', '02', 'inbound', 'outbound']);
    expect(elements.filter((e) => e.name === 'rect' && e.attributes.class?.startsWith('bar-') && e.ancestors.length === 1).map((e) => e.text)).toEqual([
      '00: 1 inbound',
      '02: 2 inbound',
      '02: 1 outbound',
    ]);
    // The 3-high stack on "02" reaches the top gridline (3), from the axis at y=196.
    const [, , top] = elements.filter((e) => e.name === 'rect' && e.ancestors.length === 1);
    expect(top?.attributes).toMatchObject({ y: '28', height: '56' });
  });

  test('horizontal bars: one per row with its value; a message when there are none', () => {
    const rows = svgElements(hbarChartSvg({ id: 'h', title: 't', description: 'd', rows: [{ label: '30007', value: 5, className: 'bar-error' }], empty: 'none' }).value);
    // Gridline values (0-6 in steps of 2), then the row's label and its value.
    expect(rows.filter((e) => e.name === 'text').map((e) => e.text)).toEqual(['0', '2', '4', '6', '30007', '5']);
    expect(rows.find((e) => e.name === 'rect')?.text).toBe('30007: 5');
    const none = svgElements(hbarChartSvg({ id: 'h', title: 't', description: 'd', rows: [], empty: 'No codes.' }).value);
    expect(none.filter((e) => e.name === 'rect')).toEqual([]);
    expect(none.some((e) => e.text === 'No codes.')).toBe(true);
  });
});
