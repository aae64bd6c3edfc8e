import request from 'supertest';
import { createMetrics, type Metrics } from '../../src/metrics';
import { buildTestApp, type TestApp } from '../support/app';
import { formBody, twilioSign } from '../support/twilio-sign';
import { linesOf, METRICS_TOKEN, scrape } from './support';

const AUTH_TOKEN = '12345678901234567890123456789012';
const API_KEY = 'api-key-0123456789abcdef';
const BASE = 'https://switchboard.example.com';
const CALL: Array<[string, string]> = [
  ['CallSid', 'CA' + '3'.repeat(32)],
  ['From', '+15550001111'],
  ['To', '+15550002222'],
];

let t: TestApp;
afterEach(() => t.close());

describe('GET /metrics access', () => {
  test('with neither METRICS_TOKEN nor API_KEY it is off: 503, as /api', async () => {
    t = buildTestApp({}, undefined, { metrics: createMetrics({ defaultMetrics: false }) });
    const res = await request(t.app).get('/metrics').set('Authorization', `Bearer ${METRICS_TOKEN}`);
    expect(res.status).toBe(503);
    expect(res.body).toEqual({ error: { message: 'neither METRICS_TOKEN nor API_KEY is configured; /metrics is disabled' } });
  });

  test('METRICS_TOKEN is the only key once set; a wrong or missing one is a bare 401', async () => {
    t = buildTestApp({ METRICS_TOKEN, API_KEY }, undefined, { metrics: createMetrics({ defaultMetrics: false }) });
    const missing = await request(t.app).get('/metrics');
    expect(missing.status).toBe(401);
    expect(missing.headers['www-authenticate']).toBe('Bearer');
    expect(missing.body).toEqual({ error: { message: 'missing bearer token' } });
    for (const wrong of [API_KEY, METRICS_TOKEN.slice(0, -1), METRICS_TOKEN + 'x']) {
      const res = await request(t.app).get('/metrics').set('Authorization', `Bearer ${wrong}`);
      expect(res.status).toBe(401);
      expect(res.body).toEqual({ error: { message: 'invalid bearer token' } });
    }
    const ok = await request(t.app).get('/metrics').set('Authorization', `Bearer ${METRICS_TOKEN}`);
    expect(ok.status).toBe(200);
    expect(ok.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
  });

  test('without METRICS_TOKEN the API key opens it', async () => {
    t = buildTestApp({ API_KEY }, undefined, { metrics: createMetrics({ defaultMetrics: false }) });
    expect(await scrape(t.app, API_KEY)).toContain('# TYPE switchboard_webhooks_total counter');
  });

  test('without metrics (METRICS_ENABLED=false) there is no such route', async () => {
    t = buildTestApp({ METRICS_TOKEN });
    const res = await request(t.app).get('/metrics').set('Authorization', `Bearer ${METRICS_TOKEN}`);
    expect(res.status).toBe(404);
  });
});

describe('GET /metrics content', () => {
  let metrics: Metrics;
  beforeEach(() => {
    metrics = createMetrics();
    t = buildTestApp({ METRICS_TOKEN, TWILIO_AUTH_TOKEN: AUTH_TOKEN, PUBLIC_BASE_URL: BASE }, undefined, { metrics });
  });

  const signedCall = (path: string) =>
    request(t.app).post(path).set('X-Twilio-Signature', twilioSign(AUTH_TOKEN, BASE + path, CALL)).type('form').send(formBody(CALL));

  test('counts webhooks by route template and outcome, and signature failures by reason', async () => {
    expect((await signedCall('/voice')).status).toBe(200);
    expect((await signedCall('/voice')).status).toBe(200);
    expect((await signedCall('/voice/node/no-such-step')).status).toBe(200);
    expect((await request(t.app).post('/voice').type('form').send(formBody(CALL))).status).toBe(403);
    const forged = await request(t.app).post('/sms').set('X-Twilio-Signature', 'AAAA').type('form').send(formBody(CALL));
    expect(forged.status).toBe(403);
    expect((await request(t.app).get('/no/such/page/+15550001111')).status).toBe(404);

    const text = await scrape(t.app);
    expect(linesOf(text, 'switchboard_webhooks_total', 'route="/voice"')).toEqual([
      'switchboard_webhooks_total{route="/voice",outcome="ok"} 2',
      'switchboard_webhooks_total{route="/voice",outcome="rejected"} 1',
      'switchboard_webhooks_total{route="/voice",outcome="refused"} 0',
      'switchboard_webhooks_total{route="/voice",outcome="failed"} 0',
      'switchboard_webhooks_total{route="/voice",outcome="aborted"} 0',
    ]);
    expect(linesOf(text, 'switchboard_webhooks_total', 'route="/voice/node/:node"', 'outcome="ok"')).toEqual([
      'switchboard_webhooks_total{route="/voice/node/:node",outcome="ok"} 1',
    ]);
    expect(linesOf(text, 'switchboard_webhooks_total', 'route="/sms"', 'outcome="rejected"')).toEqual([
      'switchboard_webhooks_total{route="/sms",outcome="rejected"} 1',
    ]);
    expect(linesOf(text, 'switchboard_webhook_signature_failures_total')).toEqual([
      'switchboard_webhook_signature_failures_total{reason="missing_signature"} 1',
      'switchboard_webhook_signature_failures_total{reason="bad_signature"} 1',
    ]);
    expect(linesOf(text, 'switchboard_http_request_duration_seconds_count')).toEqual([
      'switchboard_http_request_duration_seconds_count{route="/voice"} 3',
      'switchboard_http_request_duration_seconds_count{route="/voice/node/:node"} 1',
      'switchboard_http_request_duration_seconds_count{route="/sms"} 1',
      'switchboard_http_request_duration_seconds_count{route="unmatched"} 1',
    ]);
    // Nothing a caller sent is a label: no number, no SID, no raw path, no token.
    for (const secret of ['+1555', 'CA333', 'no-such-step', '/no/such', AUTH_TOKEN, METRICS_TOKEN]) expect(text).not.toContain(secret);
  });

  test('a handler that fails is counted failed, though Twilio got fallback TwiML with a 200', async () => {
    t.store.isOptedOut = () => Promise.reject(new Error('disk I/O error'));
    const res = await signedCall('/sms');
    expect(res.status).toBe(200);
    expect(res.text).toBe('<?xml version="1.0" encoding="UTF-8"?><Response/>');
    const text = await scrape(t.app);
    expect(linesOf(text, 'switchboard_webhooks_total', 'outcome="failed"')).toEqual(['switchboard_webhooks_total{route="/sms",outcome="failed"} 1']);
  });

  test('process and Node.js metrics, and the database commit time', async () => {
    await signedCall('/voice');
    const text = await scrape(t.app);
    for (const name of ['process_resident_memory_bytes', 'process_cpu_seconds_total', 'nodejs_eventloop_lag_seconds', 'nodejs_heap_size_used_bytes']) {
      expect(linesOf(text, name)).toHaveLength(1);
    }
    const [commits] = linesOf(text, 'switchboard_db_commit_duration_seconds_count');
    expect(commits).toMatch(/^switchboard_db_commit_duration_seconds_count [1-9]\d*$/);
  });

  test('outbox backlog and running bulk jobs are read from the database on scrape', async () => {
    await t.store.insertOutbound({ id: 'req-1', kind: 'message', params: { to: '+15550003333' } });
    await t.store.insertOutbound({ id: 'req-2', kind: 'message', params: { to: '+15550004444' } });
    await t.store.markInFlight('req-2');
    await t.store.createBulkJob({
      id: 'job-1',
      params: { body: 'hi' },
      recipients: ['a', 'b', 'c'].map((n, i) => ({ id: `job-1-${i}`, kind: 'message' as const, params: { to: `+1555000000${i}` } })),
    });
    await t.store.markInFlight('job-1-0');
    await t.store.markFailed('job-1-0', { status: 400, code: 21211, message: 'invalid number' });
    const text = await scrape(t.app);
    expect(linesOf(text, 'switchboard_outbox_rows')).toEqual([
      'switchboard_outbox_rows{state="pending"} 3',
      'switchboard_outbox_rows{state="in_flight"} 1',
      'switchboard_outbox_rows{state="unknown"} 0',
    ]);
    expect(linesOf(text, 'switchboard_bulk_jobs_running')).toEqual(['switchboard_bulk_jobs_running 1']);
    expect(linesOf(text, 'switchboard_bulk_recipients')).toEqual([
      'switchboard_bulk_recipients{state="queued"} 2',
      'switchboard_bulk_recipients{state="in_flight"} 0',
      'switchboard_bulk_recipients{state="sent"} 0',
      'switchboard_bulk_recipients{state="failed"} 1',
      'switchboard_bulk_recipients{state="unknown"} 0',
    ]);
  });
});

describe('GET /metrics in a cluster worker', () => {
  const merged = '# HELP switchboard_cluster_workers W\n# TYPE switchboard_cluster_workers gauge\nswitchboard_cluster_workers 2\n';

  test("answers with the whole server's exposition from the primary, not this worker's registry", async () => {
    const metrics = createMetrics({ defaultMetrics: false });
    metrics.route('/voice').webhook('ok');
    t = buildTestApp({ METRICS_TOKEN }, undefined, { metrics, clusterScrape: async () => ({ ok: true, text: merged }) });
    const res = await request(t.app).get('/metrics').set('Authorization', `Bearer ${METRICS_TOKEN}`);
    expect({ status: res.status, type: res.headers['content-type'], text: res.text }).toEqual({ status: 200, type: 'text/plain; version=0.0.4; charset=utf-8', text: merged });
  });

  test.each([
    [{ kind: 'primary-gone' } as const, 'the cluster primary has gone; no metrics for the whole server'],
    [{ kind: 'primary-timeout', waitedMs: 2500 } as const, 'the cluster primary did not answer the metrics scrape within 2500 ms'],
    [{ kind: 'no-answer', asked: 2, reasons: ['connect ECONNREFUSED'] } as const, 'no worker gave its metrics (2 asked): each failed or did not answer in time'],
  ])('without them (%j): 503 and why, never a part of the counters; the reason is logged', async (error, message) => {
    const metrics = createMetrics({ defaultMetrics: false });
    t = buildTestApp({ METRICS_TOKEN }, undefined, { metrics, clusterScrape: async () => ({ ok: false, error }) });
    const res = await request(t.app).get('/metrics').set('Authorization', `Bearer ${METRICS_TOKEN}`);
    expect({ status: res.status, body: res.body as unknown }).toEqual({ status: 503, body: { error: { message } } });
    expect(t.logs.filter((line) => line.msg === 'cluster metrics scrape failed').map((line) => line.error)).toEqual([error]);
  });
});
