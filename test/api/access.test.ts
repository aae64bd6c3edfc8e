import request from 'supertest';
import { FAKE_ACCOUNT_SID, FAKE_AUTH_TOKEN } from '../support/fake-twilio';
import { buildTestApp } from '../support/app';
import { API_KEY, AUTH, startApiTest, type ApiTest } from './setup';

const ROUTES: Array<['get' | 'post', string]> = [
  ['post', '/api/calls'],
  ['post', '/api/messages'],
  ['post', '/api/messages/bulk'],
  ['post', `/api/calls/CA${'1'.repeat(32)}/hangup`],
  ['get', '/api/jobs/job_1'],
  ['get', '/api/requests/0190a8c2-0000-7000-8000-000000000000'],
  ['post', '/api/requests/0190a8c2-0000-7000-8000-000000000000/resend'],
];

describe('the API key', () => {
  let api: ApiTest;
  beforeEach(async () => {
    api = await startApiTest();
  });
  afterEach(() => api.close());

  test.each(ROUTES)('%s %s without a key is 401 and sends nothing', async (method, path) => {
    const res = await request(api.t.app)[method](path).send({ to: '+15551230000', body: 'x' });
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toBe('Bearer');
    expect(res.body).toEqual({ error: { message: 'missing bearer token' } });
    expect(api.fake.requests).toEqual([]);
  });

  test('a wrong key is 401', async () => {
    const res = await request(api.t.app).post('/api/messages').set('Authorization', `Bearer ${API_KEY}x`).send({ to: '+15551230000', body: 'x' });
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ error: { message: 'invalid API key' } });
    expect(api.fake.requests).toEqual([]);
  });
});

describe('not configured', () => {
  test.each(ROUTES)('without API_KEY, %s %s answers 503 even with a key', async (method, path) => {
    const t = buildTestApp({});
    const res = await request(t.app)[method](path).set('Authorization', AUTH).send({});
    expect(res.status).toBe(503);
    expect(res.body).toEqual({ error: { message: 'API_KEY is not configured; the API is disabled' } });
    await t.close();
  });

  // A request that could be sent once Twilio is configured, per sending route.
  const VALID: Record<string, Record<string, unknown>> = {
    '/api/calls': { to: '+15551230000', from: '+15005550006', say: 'x' },
    '/api/messages': { to: '+15551230000', from: '+15005550006', body: 'x' },
    '/api/messages/bulk': { to: ['+15551230000'], from: '+15005550006', body: 'x' },
    [`/api/calls/CA${'1'.repeat(32)}/hangup`]: {},
  };

  test.each([
    [{}, 'Twilio is not configured; set TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN'],
    [{ TWILIO_ACCOUNT_SID: FAKE_ACCOUNT_SID }, 'Twilio is not configured; set TWILIO_AUTH_TOKEN'],
  ])('without Twilio credentials (%j) a valid request to a sending route answers 503 naming the variables', async (env, message) => {
    const t = buildTestApp({ API_KEY, ...env });
    for (const [method, path] of ROUTES.filter(([m]) => m === 'post')) {
      const res = await request(t.app)[method](path).set('Authorization', AUTH).send(VALID[path] ?? {});
      expect([path, res.status, res.body]).toEqual([path, 503, { error: { message } }]);
    }
    await t.close();
  });

  test('without Twilio credentials an invalid request is still a 400 naming the field, not a 503', async () => {
    const t = buildTestApp({ API_KEY });
    const call = await request(t.app).post('/api/calls').set('Authorization', AUTH).send({ say: 'x' });
    expect([call.status, call.body.error.field]).toEqual([400, 'to']);
    const message = await request(t.app).post('/api/messages').set('Authorization', AUTH).send({ to: '+15551230000', from: '+15005550006' });
    expect([message.status, message.body.error.field]).toEqual([400, 'body']);
    const bulk = await request(t.app).post('/api/messages/bulk').set('Authorization', AUTH).send({ body: 'x', from: '+15005550006' });
    expect([bulk.status, bulk.body.error.field]).toEqual([400, 'to']);
    const hangup = await request(t.app).post('/api/calls/CA123/hangup').set('Authorization', AUTH).send({});
    expect([hangup.status, hangup.body.error.field]).toEqual([400, 'sid']);
    const key = await request(t.app).post('/api/messages').set('Authorization', AUTH).set('Idempotency-Key', 'has space').send(VALID['/api/messages'] ?? {});
    expect([key.status, key.body.error.field]).toEqual([400, 'Idempotency-Key']);
    await t.close();
  });

  test('credentials set but no Twilio client given: 503', async () => {
    const t = buildTestApp({ API_KEY, TWILIO_ACCOUNT_SID: FAKE_ACCOUNT_SID, TWILIO_AUTH_TOKEN: FAKE_AUTH_TOKEN });
    const res = await request(t.app).post('/api/calls').set('Authorization', AUTH).send({ to: '+15551230000', from: '+15005550006', say: 'x' });
    expect(res.status).toBe(503);
    expect(res.body).toEqual({ error: { message: 'The outbound API is not running' } });
    await t.close();
  });

  test('secrets never appear in responses or logs', async () => {
    const api = await startApiTest();
    api.fake.inject({ kind: 'status', status: 400, code: 21211, message: "The 'To' number is not valid" });
    await request(api.t.app).post('/api/calls').set('Authorization', AUTH).send({ to: '+15551230000', say: 'x' });
    await request(api.t.app).post('/api/calls').set('Authorization', 'Bearer wrong-key-1234567890').send({});
    expect(api.t.logText()).not.toContain(API_KEY);
    expect(api.t.logText()).not.toContain(FAKE_AUTH_TOKEN);
    await api.close();
  });
});
