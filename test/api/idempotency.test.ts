import Database from 'better-sqlite3';
import request from 'supertest';
import { fingerprint } from '../../src/outbox/idempotency';
import { FIXED_NOW } from '../support/app';
import { tcpGate, type TcpGate } from '../support/tcp-gate';
import { AUTH, MESSAGES_PATH, startApiTest, type ApiTest } from './setup';

let api: ApiTest;
beforeEach(async () => {
  api = await startApiTest();
});
afterEach(() => api.close());

function post(path: string, body: Record<string, unknown> | string, key: string, type: 'json' | 'form' = 'json') {
  return request(api.t.app).post(path).set('Authorization', AUTH).set('Idempotency-Key', key).type(type).send(body);
}

describe('Idempotency-Key', () => {
  test('the same key returns the first response and makes no second Twilio request, JSON or form', async () => {
    const first = await post('/api/messages', { to: '+15551230003', body: 'once' }, 'order-42');
    const again = await post('/api/messages', 'to=%2B15551230003&body=once', 'order-42', 'form');
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    expect(api.fake.requests).toHaveLength(1);
  });

  test('a failed first attempt is replayed too, not retried', async () => {
    api.fake.inject({ kind: 'status', status: 500, processed: true });
    const first = await post('/api/calls', { to: '+15551230003', say: 'hi' }, 'k-unknown');
    const again = await post('/api/calls', { to: '+15551230003', say: 'hi' }, 'k-unknown');
    expect(first.status).toBe(502);
    expect([again.status, again.body]).toEqual([502, first.body]);
    expect(api.fake.requests).toHaveLength(1);
  });

  test('the same key with a different body is 422', async () => {
    await post('/api/messages', { to: '+15551230003', body: 'one' }, 'k1');
    const res = await post('/api/messages', { to: '+15551230003', body: 'two' }, 'k1');
    expect(res.status).toBe(422);
    expect(res.body).toEqual({
      error: { message: 'This Idempotency-Key was already used with a different request; use a new key for a new request', field: 'Idempotency-Key' },
    });
    const onOtherRoute = await post('/api/calls', { to: '+15551230003', say: 'one' }, 'k1');
    expect(onOtherRoute.status).toBe(422);
    expect(api.fake.requests).toHaveLength(1);
  });

  test('after 24 hours the key starts a new request', async () => {
    await post('/api/messages', { to: '+15551230003', body: 'one' }, 'daily');
    api.t.clock.set(new Date(FIXED_NOW.getTime() + 24 * 3_600_000 - 1));
    await post('/api/messages', { to: '+15551230003', body: 'one' }, 'daily');
    expect(api.fake.requests).toHaveLength(1);
    api.t.clock.set(new Date(FIXED_NOW.getTime() + 24 * 3_600_000 + 1));
    const late = await post('/api/messages', { to: '+15551230003', body: 'one' }, 'daily');
    expect(late.status).toBe(201);
    expect(api.fake.requests).toHaveLength(2);
  });

  test('a request still in flight with the same key gets 409, and Twilio sees one request', async () => {
    api.fake.inject({ kind: 'hang', ms: 1_000 });
    const pending = post('/api/messages', { to: '+15551230003', body: 'x' }, 'race').then((res) => res);
    for (let i = 0; i < 500 && api.fake.requests.length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 5));
    const b = await post('/api/messages', { to: '+15551230003', body: 'x' }, 'race');
    const a = await pending;
    expect(a.status).toBe(201);
    expect(b.status).toBe(409);
    expect(b.body).toEqual({ error: { message: 'A request with this Idempotency-Key is still being processed; retry shortly' } });
    expect(api.fake.requests).toHaveLength(1);
  });

  test('a malformed key is a 400', async () => {
    const res = await post('/api/messages', { to: '+15551230003', body: 'x' }, 'has space');
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: { message: 'Expected `Idempotency-Key` to be 1 to 255 visible ASCII characters', field: 'Idempotency-Key', received: 'has space' } });
    expect(api.fake.requests).toEqual([]);
  });

  test('a 4xx answer from Twilio is replayed, not retried: Twilio has decided', async () => {
    api.fake.inject({ kind: 'status', status: 400, code: 21211, message: "The 'To' number is not valid" });
    const first = await post('/api/messages', { to: '+15551230003', body: 'x' }, 'k-refused');
    const again = await post('/api/messages', { to: '+15551230003', body: 'x' }, 'k-refused');
    expect(first.status).toBe(502);
    expect([again.status, again.body]).toEqual([502, first.body]);
    expect(api.fake.requests).toHaveLength(1);
  });

  test('a 429 Twilio did not process leaves the key free: the retry sends once', async () => {
    // The client's own retries (four attempts) all get the 429.
    api.fake.inject({ kind: 'status', status: 429, times: 4 });
    const first = await post('/api/messages', { to: '+15551230003', body: 'x' }, 'k-429');
    expect([first.status, first.body.error.twilioCode]).toEqual([502, 20429]);
    const retry = await post('/api/messages', { to: '+15551230003', body: 'x' }, 'k-429');
    expect(retry.status).toBe(201);
    expect(api.fake.requests.map((r) => r.status)).toEqual([429, 429, 429, 429, 201]);
    expect(api.fake.messages.size).toBe(1);
    const replay = await post('/api/messages', { to: '+15551230003', body: 'x' }, 'k-429');
    expect([replay.status, replay.body]).toEqual([201, retry.body]);
    expect(api.fake.requests).toHaveLength(5);
  });
});

describe('Idempotency-Key when Twilio cannot be reached', () => {
  let gated: ApiTest;
  let gate: TcpGate;
  beforeEach(async () => {
    gated = await startApiTest(
      {},
      {
        twilioBaseUrl: async (fakeUrl) => {
          gate = await tcpGate(fakeUrl);
          return gate.url;
        },
      },
    );
  });
  afterEach(async () => {
    await gate.close();
    await gated.close();
  });

  function postGated(key: string) {
    return request(gated.t.app).post('/api/messages').set('Authorization', AUTH).set('Idempotency-Key', key).send({ to: '+15551230003', body: 'once' });
  }

  test('refused connection: 502 "nothing was sent", then the same key sends once (201), then replays the 201', async () => {
    const down = await postGated('order-7');
    expect(down.status).toBe(502);
    expect(down.body).toEqual({
      error: {
        message: 'Twilio was not reached, nothing was sent: could not connect to Twilio (ECONNREFUSED)',
        requestId: expect.any(String),
      },
    });
    expect(gated.fake.requests).toEqual([]);

    await gate.open();
    const up = await postGated('order-7');
    expect(up.status).toBe(201);
    expect(up.body.sid).toMatch(/^SM[0-9a-f]{32}$/);
    expect(gated.fake.requests.map((r) => [r.method, r.path, r.status])).toEqual([['POST', MESSAGES_PATH, 201]]);

    const replay = await postGated('order-7');
    expect([replay.status, replay.body]).toEqual([201, up.body]);
    expect(gated.fake.requests).toHaveLength(1);
  });

  test('a key whose first attempt sent nothing but was never freed (a stop in between) is freed by the retry', async () => {
    const down = await postGated('order-8');
    const row = await gated.t.store.getOutbound(down.body.error.requestId as string);
    expect(row?.state).toBe('failed');
    // As if the server had stopped after recording the failure, before freeing the key.
    const db = new Database(gated.t.config.databasePath);
    db.prepare('INSERT INTO api_idempotency (key, fingerprint, request_id, job_id, created_at) VALUES (?, ?, ?, NULL, ?)').run(
      'order-8',
      fingerprint('message', row?.params),
      row?.id,
      FIXED_NOW.toISOString(),
    );
    db.close();
    await gate.open();
    const up = await postGated('order-8');
    expect(up.status).toBe(201);
    expect(gated.fake.requests).toHaveLength(1);
    expect((await gated.t.store.findIdempotency('order-8', FIXED_NOW.toISOString()))?.requestId).toBe(up.body.requestId);
  });
});
