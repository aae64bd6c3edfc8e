import request from 'supertest';
import type { BulkJobProgress } from '../../src/store';
import { AUTH, OUR_NUMBER, posts, startApiTest, type ApiTest } from './setup';

const CALLBACK: [string, string] = ['StatusCallback', 'https://switchboard.example.com/status/message'];
let api: ApiTest;
let offset = 0;

beforeEach(async () => {
  offset = 0;
  api = await startApiTest({ MESSAGES_PER_SECOND: '1000' }, { idleMs: 10, now: () => Date.now() + offset });
});
afterEach(() => api.close());

function numbers(n: number): string[] {
  return Array.from({ length: n }, (_, i) => `+1555010${String(i).padStart(4, '0')}`);
}

function post(body: Record<string, unknown> | string, type: 'json' | 'form' = 'json', key?: string) {
  const req = request(api.t.app).post('/api/messages/bulk').set('Authorization', AUTH).type(type);
  if (key !== undefined) req.set('Idempotency-Key', key);
  return req.send(body);
}

async function job(id: string): Promise<Omit<BulkJobProgress, 'params'>> {
  const res = await request(api.t.app).get(`/api/jobs/${id}`).set('Authorization', AUTH);
  expect(res.status).toBe(200);
  return res.body as Omit<BulkJobProgress, 'params'>;
}

/** Polls until the job completes (bounded: about 10 s). */
async function finished(id: string, until: (j: Omit<BulkJobProgress, 'params'>) => boolean = (j) => j.state === 'completed') {
  for (let i = 0; i < 500; i++) {
    const current = await job(id);
    if (until(current)) return current;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`job ${id} did not finish: ${JSON.stringify(await job(id))}`);
}

describe('POST /api/messages/bulk', () => {
  test('answers 202 at once, then sends every recipient in the background', async () => {
    const to = numbers(5);
    const res = await post({ to, body: 'Sale today' });
    expect(res.status).toBe(202);
    expect(res.body).toEqual({ id: expect.stringMatching(/^job_[0-9a-f]{32}$/), state: 'running', total: 5, createdAt: '2026-01-02T03:04:05.000Z' });
    expect(api.fake.requests).toEqual([]);
    await api.t.outbox?.start();
    const done = await finished(res.body.id as string);
    expect(done).toEqual({
      id: res.body.id,
      state: 'completed',
      total: 5,
      counts: { queued: 0, inFlight: 0, sent: 5, failed: 0, unknown: 0, notSent: 0, skippedOptedOut: 0 },
      failures: [],
      createdAt: '2026-01-02T03:04:05.000Z',
      updatedAt: '2026-01-02T03:04:05.000Z',
    });
    expect(posts(api.fake)).toEqual(to.map((n) => [['To', n], ['From', OUR_NUMBER], ['Body', 'Sale today'], CALLBACK]));
    for (const sid of api.fake.messages.keys()) expect(await api.t.store.getMessage(sid)).toMatchObject({ direction: 'outbound-api', body: 'Sale today' });
  });

  test('per-recipient bodies; opted-out recipients are skipped and counted; Twilio failures listed with codes', async () => {
    await api.t.store.applyOptChange({ ourNumber: OUR_NUMBER, theirNumber: '+15550100001', action: 'opt-out', keyword: 'STOP', source: 'inbound-sms', messageSid: null });
    api.fake.inject({ kind: 'status', status: 400, code: 21211, message: "The 'To' number +15550100002 is not a valid phone number." });
    const res = await post({
      recipients: [{ to: '+15550100002', body: 'Hi Cy' }, { to: '+15550100000', body: 'Hi Ann' }, { to: '+15550100001', body: 'Hi Bob' }, { to: '+15550100003' }],
      body: 'Hi there',
    });
    expect(res.status).toBe(202);
    await api.t.outbox?.start();
    const done = await finished(res.body.id as string);
    expect(done.counts).toEqual({ queued: 0, inFlight: 0, sent: 2, failed: 1, unknown: 0, notSent: 0, skippedOptedOut: 1 });
    expect(done.failures).toEqual([
      { to: '+15550100002', state: 'failed', errorStatus: 400, errorCode: 21211, errorMessage: "The 'To' number +15550100002 is not a valid phone number." },
    ]);
    expect(posts(api.fake).map((form) => form.slice(0, 3))).toEqual([
      [['To', '+15550100002'], ['From', OUR_NUMBER], ['Body', 'Hi Cy']],
      [['To', '+15550100000'], ['From', OUR_NUMBER], ['Body', 'Hi Ann']],
      [['To', '+15550100003'], ['From', OUR_NUMBER], ['Body', 'Hi there']],
    ]);
  });

  test('a 429 whose Retry-After is too long for the client pauses the sender, then that recipient is retried', async () => {
    api.fake.inject({ kind: 'status', status: 429, retryAfter: '30' });
    const res = await post('to=%2B15550100000&to=%2B15550100001&body=hello', 'form');
    await api.t.outbox?.start();
    for (let i = 0; i < 500 && api.fake.requests.length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 10));
    // Well past the runner's idle wait: still paused, nothing else sent from that sender.
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(api.fake.requests.map((r) => r.status)).toEqual([429]);
    expect((await job(res.body.id as string)).counts).toEqual({ queued: 2, inFlight: 0, sent: 0, failed: 0, unknown: 0, notSent: 0, skippedOptedOut: 0 });
    offset = 31_000;
    const done = await finished(res.body.id as string);
    expect(done.counts.sent).toBe(2);
    expect(api.fake.requests.map((r, i) => [r.status, posts(api.fake)[i]?.[0]])).toEqual([
      [429, ['To', '+15550100000']],
      [201, ['To', '+15550100000']],
      [201, ['To', '+15550100001']],
    ]);
  });

  test('the same Idempotency-Key returns the same job and queues nothing more', async () => {
    const first = await post({ to: numbers(3), body: 'x' }, 'json', 'bulk-1');
    const again = await post({ to: numbers(3), body: 'x' }, 'json', 'bulk-1');
    expect(again.body).toEqual(first.body);
    const other = await post({ to: numbers(2), body: 'x' }, 'json', 'bulk-1');
    expect(other.status).toBe(422);
    expect((await job(first.body.id as string)).total).toBe(3);
  });

  test('accepts 10,000 recipients in one form body', async () => {
    const body = numbers(10_000).map((n) => `to=${encodeURIComponent(n)}`).join('&') + '&body=hi';
    const res = await post(body, 'form');
    expect(res.status).toBe(202);
    expect(res.body.total).toBe(10_000);
    expect((await job(res.body.id as string)).counts.queued).toBe(10_000);
  });

  test.each([
    [{ body: 'x' }, 'to', 'Expected exactly one of `to` (a list of numbers) or `recipients` (a list of { to, body })'],
    [{ to: ['+15550100000', '+15550100000'], body: 'x' }, 'to[1]', '+15550100000 is listed twice (entry 1); each recipient gets one message', '+15550100000'],
    [
      { to: numbers(10_001), body: 'x' },
      'to',
      'Expected `to` to be an E.164 number such as +15551234567, or a list of up to 10000 of them; got 10001',
      `${JSON.stringify(numbers(10_001)).slice(0, 80)}… (${JSON.stringify(numbers(10_001)).length} characters)`,
    ],
    [{ to: ['+15550100000', 'nope'], body: 'x' }, 'to[1]', 'Expected `to[1]` to be an E.164 number such as +15551234567', 'nope'],
    [{ recipients: [{ to: '+15550100000' }] }, 'body', 'Expected `body` and/or `mediaUrl` (recipient 0 has no body of its own)'],
    [
      { recipients: [{ to: '+15550100000', body: 'x' }, { to: 'bad', body: 'x' }] },
      'recipients[1].to',
      'recipients[1]: Expected `to` to be an E.164 number such as +15551234567',
      'bad',
    ],
    [{ recipients: [{ to: '+15550100000', body: 'x' }, { to: '+15550100000', body: 'y' }] }, 'recipients[1].to', '+15550100000 is listed twice (entry 1); each recipient gets one message', '+15550100000'],
    [{ recipients: 'x' }, 'recipients', 'Expected `recipients` to be a list of 1 to 10000 objects { to, body? }', 'x'],
  ])('refuses bad input #%# with 400 naming the field and showing the value', async (body, field, message, ...shown: unknown[]) => {
    // Rows without a fourth entry refuse a missing value; `...shown` keeps jest from passing `done`.
    const received = shown[0];
    const res = await post(body);
    expect([res.status, res.body]).toEqual([400, { error: { message, field, ...(received !== undefined && { received }) } }]);
  });

  test('with several sends in flight, every recipient gets exactly one request', async () => {
    await api.close();
    api = await startApiTest({ MESSAGES_PER_SECOND: '1000' }, { idleMs: 10, parallelSends: 8 });
    api.fake.inject({ kind: 'hang', ms: 30, times: 5 });
    const to = numbers(40);
    const res = await post({ to, body: 'in parallel' });
    await api.t.outbox?.start();
    const done = await finished(res.body.id as string);
    expect(done.counts).toEqual({ queued: 0, inFlight: 0, sent: 40, failed: 0, unknown: 0, notSent: 0, skippedOptedOut: 0 });
    const recipients = posts(api.fake).map((form) => form[0]?.[1]);
    expect([...recipients].sort()).toEqual([...to].sort());
  });

  test('an unknown job is 404', async () => {
    const res = await request(api.t.app).get('/api/jobs/job_nope').set('Authorization', AUTH);
    expect([res.status, res.body]).toEqual([404, { error: { message: 'No bulk job job_nope' } }]);
  });
});
