// The merge of a cluster's workers' metrics into one server's scrape: counters and histograms
// summed, database gauges taken once, process metrics kept apart by a `worker` label.
import { Registry } from 'prom-client';
import { mergeRule, mergeSnapshots, summable, sumSnapshots } from '../../src/metrics/cluster-merge';
import { createMetrics } from '../../src/metrics';
import { renderSnapshot, takeSnapshot, type MetricFamily, type Snapshot } from '../../src/metrics/snapshot';

const webhooks = (values: Array<[Record<string, string>, number]>): MetricFamily => ({
  name: 'switchboard_webhooks_total',
  help: 'Webhooks',
  type: 'counter',
  aggregator: 'sum',
  values: values.map(([labels, value]) => ({ labels, value })),
});

const duration = (count: number, sum: number, le1: number): MetricFamily => ({
  name: 'switchboard_http_request_duration_seconds',
  help: 'Durations',
  type: 'histogram',
  aggregator: 'sum',
  values: [
    { metricName: 'switchboard_http_request_duration_seconds_bucket', labels: { le: 0.5, route: '/voice' }, value: le1 },
    { metricName: 'switchboard_http_request_duration_seconds_bucket', labels: { le: '+Inf', route: '/voice' }, value: count },
    { metricName: 'switchboard_http_request_duration_seconds_sum', labels: { route: '/voice' }, value: sum },
    { metricName: 'switchboard_http_request_duration_seconds_count', labels: { route: '/voice' }, value: count },
  ],
});

const outbox = (pending: number): MetricFamily => ({
  name: 'switchboard_outbox_rows',
  help: 'Outbox rows',
  type: 'gauge',
  aggregator: 'first',
  values: [{ labels: { state: 'pending' }, value: pending }],
});

const memory = (bytes: number): MetricFamily => ({
  name: 'process_resident_memory_bytes',
  help: 'Resident memory',
  type: 'gauge',
  aggregator: 'sum',
  values: [{ labels: {}, value: bytes }],
});

const WORKER_0: Snapshot = [
  memory(1000),
  webhooks([
    [{ route: '/voice', outcome: 'ok' }, 3],
    [{ route: '/voice', outcome: 'rejected' }, 1],
  ]),
  duration(4, 1.25, 3),
  outbox(7),
];
// Labels in another order, a route worker 0 has not served, other database readings.
const WORKER_1: Snapshot = [
  memory(2000),
  webhooks([
    [{ outcome: 'ok', route: '/voice' }, 5],
    [{ route: '/sms', outcome: 'ok' }, 2],
  ]),
  duration(5, 2.5, 4),
  outbox(8),
];

test('two workers: counters and histograms summed series by series, the database gauge once, memory per worker', async () => {
  const merged = mergeSnapshots({
    answered: [
      { slot: 0, metrics: WORKER_0 },
      { slot: 1, metrics: WORKER_1 },
    ],
    held: [],
    retired: [],
  });
  expect(await renderSnapshot(merged)).toBe(
    [
      '# HELP process_resident_memory_bytes Resident memory',
      '# TYPE process_resident_memory_bytes gauge',
      'process_resident_memory_bytes{worker="0"} 1000',
      'process_resident_memory_bytes{worker="1"} 2000',
      '',
      '# HELP switchboard_webhooks_total Webhooks',
      '# TYPE switchboard_webhooks_total counter',
      'switchboard_webhooks_total{route="/voice",outcome="ok"} 8',
      'switchboard_webhooks_total{route="/voice",outcome="rejected"} 1',
      'switchboard_webhooks_total{route="/sms",outcome="ok"} 2',
      '',
      '# HELP switchboard_http_request_duration_seconds Durations',
      '# TYPE switchboard_http_request_duration_seconds histogram',
      'switchboard_http_request_duration_seconds_bucket{le="0.5",route="/voice"} 7',
      'switchboard_http_request_duration_seconds_bucket{le="+Inf",route="/voice"} 9',
      'switchboard_http_request_duration_seconds_sum{route="/voice"} 3.75',
      'switchboard_http_request_duration_seconds_count{route="/voice"} 9',
      '',
      '# HELP switchboard_outbox_rows Outbox rows',
      '# TYPE switchboard_outbox_rows gauge',
      'switchboard_outbox_rows{state="pending"} 7',
      '',
    ].join('\n'),
  );
});

test("a silent worker's last answer and the exited workers' totals are added; its process metrics are left out", async () => {
  const retired = sumSnapshots([summable([webhooks([[{ route: '/voice', outcome: 'ok' }, 10]])]), summable([webhooks([[{ route: '/status', outcome: 'ok' }, 1]])])]);
  const merged = mergeSnapshots({ answered: [{ slot: 1, metrics: WORKER_1 }], held: [summable(WORKER_0)], retired });
  expect(await renderSnapshot(merged)).toBe(
    [
      '# HELP process_resident_memory_bytes Resident memory',
      '# TYPE process_resident_memory_bytes gauge',
      'process_resident_memory_bytes{worker="1"} 2000',
      '',
      '# HELP switchboard_webhooks_total Webhooks',
      '# TYPE switchboard_webhooks_total counter',
      'switchboard_webhooks_total{outcome="ok",route="/voice"} 18',
      'switchboard_webhooks_total{route="/sms",outcome="ok"} 2',
      'switchboard_webhooks_total{route="/voice",outcome="rejected"} 1',
      'switchboard_webhooks_total{route="/status",outcome="ok"} 1',
      '',
      '# HELP switchboard_http_request_duration_seconds Durations',
      '# TYPE switchboard_http_request_duration_seconds histogram',
      'switchboard_http_request_duration_seconds_bucket{le="0.5",route="/voice"} 7',
      'switchboard_http_request_duration_seconds_bucket{le="+Inf",route="/voice"} 9',
      'switchboard_http_request_duration_seconds_sum{route="/voice"} 3.75',
      'switchboard_http_request_duration_seconds_count{route="/voice"} 9',
      '',
      '# HELP switchboard_outbox_rows Outbox rows',
      '# TYPE switchboard_outbox_rows gauge',
      'switchboard_outbox_rows{state="pending"} 8',
      '',
    ].join('\n'),
  );
});

test("Switchboard's registry: every own family is summed but the three database gauges; the rest are per worker", async () => {
  const snapshot = await takeSnapshot(createMetrics().registry);
  const rules = new Map(snapshot.map((family) => [family.name, mergeRule(family)]));
  expect([...rules].filter(([, rule]) => rule === 'one').map(([name]) => name)).toEqual([
    'switchboard_outbox_rows',
    'switchboard_bulk_jobs_running',
    'switchboard_bulk_recipients',
  ]);
  expect([...rules].filter(([, rule]) => rule === 'sum').map(([name]) => name)).toEqual([
    'switchboard_http_request_duration_seconds',
    'switchboard_webhooks_total',
    'switchboard_webhook_signature_failures_total',
    'switchboard_twilio_requests_total',
    'switchboard_twilio_errors_total',
    'switchboard_db_commit_duration_seconds',
  ]);
  for (const [name, rule] of rules) if (rule === 'per-worker') expect(name).toMatch(/^(process|nodejs)_/);
  expect(rules.get('process_resident_memory_bytes')).toBe('per-worker');
});

test("a snapshot renders as its registry does, so one worker's merge reads like a single process", async () => {
  const metrics = createMetrics({ defaultMetrics: false });
  const voice = metrics.route('/voice');
  voice.webhook('ok');
  voice.webhook('failed');
  voice.duration.observe(0.004);
  metrics.signatureFailure('missing X-Twilio-Signature header');
  metrics.twilioRequest('messages', 429);
  metrics.observeCommit(0.0003);
  const snapshot = await takeSnapshot(metrics.registry);
  // Through the IPC channel's structured clone, as the primary gets it.
  const received = structuredClone(snapshot);
  const alone = await metrics.registry.metrics();
  expect(await renderSnapshot(received)).toBe(alone);
  const merged = mergeSnapshots({ answered: [{ slot: 0, metrics: received }], held: [], retired: [] });
  expect(await renderSnapshot(merged)).toBe(alone);
});

test('NaN and infinite values survive the snapshot (structured clone, not JSON)', async () => {
  const registry = new Registry();
  registry.registerMetric({ name: 'lag', help: 'lag', type: 'gauge', aggregator: 'average', get: async () => ({ name: 'lag', help: 'lag', type: 'gauge', aggregator: 'average', values: [{ labels: {}, value: NaN }, { labels: { a: 'b' }, value: Infinity }] }) } as never);
  const text = await renderSnapshot(structuredClone(await takeSnapshot(registry)));
  expect(text).toBe(['# HELP lag lag', '# TYPE lag gauge', 'lag Nan', 'lag{a="b"} +Inf', ''].join('\n'));
});
