import { Registry } from 'prom-client';
import { CounterFamily, HistogramFamily } from '../../src/metrics/cells';

test('a histogram cell is exposed as cumulative buckets, sum and count, in prom-client\'s format', async () => {
  const registry = new Registry();
  const cell = new HistogramFamily('t_seconds', 'help text', [0.1, 1], registry).cell({ route: '/voice' });
  for (const value of [0.05, 0.1, 0.5, 3]) cell.observe(value);
  expect(await registry.metrics()).toBe(
    [
      '# HELP t_seconds help text',
      '# TYPE t_seconds histogram',
      't_seconds_bucket{le="0.1",route="/voice"} 2',
      't_seconds_bucket{le="1",route="/voice"} 3',
      't_seconds_bucket{le="+Inf",route="/voice"} 4',
      't_seconds_sum{route="/voice"} 3.65',
      't_seconds_count{route="/voice"} 4',
      '',
    ].join('\n'),
  );
});

test('counter cells show from zero, in the order they were made', async () => {
  const registry = new Registry();
  const family = new CounterFamily('t_total', 'help text', registry);
  const a = family.cell({ outcome: 'ok' });
  family.cell({ outcome: 'failed' });
  a.inc();
  a.inc();
  expect(await registry.metrics()).toBe(['# HELP t_total help text', '# TYPE t_total counter', 't_total{outcome="ok"} 2', 't_total{outcome="failed"} 0', ''].join('\n'));
});
