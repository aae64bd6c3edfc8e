import request from 'supertest';
import { FIXED_NOW } from '../support/app';
import { AUTH, startApiTest, type ApiTest } from './setup';

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
});
