// Twilio misbehaving, end to end through /api: each fault ends retried, reported unknown, or
// passed on as a 502 with Twilio's code, and the fake's request log shows no duplicate send.
// (test/api covers a 400 refusal, a 500 after processing, 429 then success, and a reset on
// messages; test/twilio covers the client alone.)
import net from 'node:net';
import request from 'supertest';
import { createTwilioClient } from '../../src/twilio';
import { buildTestApp } from '../support/app';
import { FAKE_ACCOUNT_SID, FAKE_AUTH_TOKEN, type FaultSpec } from '../support/fake-twilio';
import { AUTH, API_KEY, OUR_NUMBER, startApiTest, type ApiTest } from '../api/setup';

const UNKNOWN = 'The request reached Twilio but no usable answer came back, so its outcome is unknown; it was not resent';
const TO = '+15551230009';

let api: ApiTest | undefined;
afterEach(async () => {
  await api?.close();
  api = undefined;
});

/** The current test's API; every test that uses it starts one in beforeEach. */
const current = (): ApiTest => {
  if (api === undefined) throw new Error('no API test running');
  return api;
};

const send = (path: '/api/calls' | '/api/messages') =>
  request(current().t.app)
    .post(path)
    .set('Authorization', AUTH)
    .send(path === '/api/calls' ? { to: TO, say: 'hello' } : { to: TO, body: 'hello' });

describe.each(['/api/calls', '/api/messages'] as const)('%s', (path) => {
  beforeEach(async () => {
    api = await startApiTest({}, { timeoutMs: 300 });
  });

  test.each<[string, FaultSpec, string]>([
    ['503 with Retry-After (processed)', { kind: 'status', status: 503, retryAfter: '1', processed: true }, 'outcome unknown (server-error): Internal Server Error (HTTP 503; the request may have been processed)'],
    ['an HTML 502 page from a proxy', { kind: 'html' }, 'outcome unknown (server-error): Twilio answered HTTP 502 with a non-JSON body (HTTP 502; the request may have been processed))'],
    ['malformed JSON on a 201 (processed)', { kind: 'malformed-json', processed: true }, 'outcome unknown (malformed-response)'],
    ['a reset after processing', { kind: 'reset', processed: true }, 'outcome unknown (connection-lost)'],
    ['a hang past the 300 ms timeout', { kind: 'hang' }, 'outcome unknown (timeout)'],
  ])('%s: 502, row unknown, one request only, never resent', async (_label, fault, reason) => {
    current().fake.inject(fault);
    const res = await send(path);
    expect(res.status).toBe(502);
    expect(Object.keys(res.body.error as object).sort()).toEqual(['message', 'requestId']);
    expect(res.body.error.message).toContain(`${UNKNOWN} (${reason}`);
    const row = await current().t.store.getOutbound(res.body.error.requestId as string);
    expect(row).toMatchObject({ state: 'unknown', attempts: 1, twilioSid: null });
    // Asking again with a fresh request is a new send, by design; the failed one is not replayed.
    expect(current().fake.requests).toHaveLength(1);
    expect(current().fake.requests[0]?.fault).toBe(fault.kind);
  });

  test('429 until the retries run out: 502 with code 20429, row failed, each attempt counted', async () => {
    current().fake.inject({ kind: 'status', status: 429, retryAfter: '0', times: 10 });
    const res = await send(path);
    expect(res.status).toBe(502);
    expect(res.body.error).toMatchObject({ message: 'Too Many Requests', twilioCode: 20429 });
    const attempts = current().fake.requests.length;
    expect(current().fake.requests.map((r) => r.status)).toEqual(Array(attempts).fill(429));
    expect(await current().t.store.getOutbound(res.body.error.requestId as string)).toMatchObject({ state: 'failed', attempts, errorStatus: 429, errorCode: 20429 });
    // Twilio created nothing: a 429 is a refusal, so the retries cannot have doubled the send.
    expect(current().fake.calls.size + current().fake.messages.size).toBe(0);
  });

  test('a client retrying after a 503 with the same Idempotency-Key gets the same answer; Twilio is not asked again', async () => {
    current().fake.inject({ kind: 'status', status: 503 });
    const first = await send(path).set('Idempotency-Key', 'fault-key-1');
    expect(first.status).toBe(502);
    const again = await send(path).set('Idempotency-Key', 'fault-key-1');
    expect([again.status, again.body]).toEqual([502, first.body]);
    expect(current().fake.requests).toHaveLength(1);
  });
});

test('Twilio unreachable: 502 saying nothing was sent, after retrying the connection', async () => {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  const baseUrl = `http://127.0.0.1:${port}`;
  const twilio = createTwilioClient({ baseUrl, accountSid: FAKE_ACCOUNT_SID, authToken: FAKE_AUTH_TOKEN, sleep: async () => undefined });
  const t = buildTestApp({ API_KEY, TWILIO_ACCOUNT_SID: FAKE_ACCOUNT_SID, TWILIO_AUTH_TOKEN: FAKE_AUTH_TOKEN, TWILIO_API_BASE_URL: baseUrl, TWILIO_FROM_NUMBER: OUR_NUMBER }, twilio);
  try {
    const res = await request(t.app).post('/api/messages').set('Authorization', AUTH).send({ to: TO, body: 'hi' });
    expect(res.status).toBe(502);
    expect(res.body.error.message).toBe('Twilio was not reached, nothing was sent: could not connect to Twilio (ECONNREFUSED)');
    expect(await t.store.getOutbound(res.body.error.requestId as string)).toMatchObject({ state: 'failed' });
  } finally {
    await t.close();
  }
});

describe('hang-up under faults', () => {
  beforeEach(async () => {
    api = await startApiTest({}, { timeoutMs: 300 });
  });

  async function placeCall(): Promise<string> {
    const res = await send('/api/calls');
    return res.body.sid as string;
  }

  test('a 503 and an HTML page on the look-up are retried (a GET), then the call is canceled once', async () => {
    const sid = await placeCall();
    current().fake.inject({ kind: 'status', status: 503, match: { method: 'GET' } });
    current().fake.inject({ kind: 'html', status: 502, match: { method: 'GET' } });
    const res = await request(current().t.app).post(`/api/calls/${sid}/hangup`).set('Authorization', AUTH);
    expect([res.status, res.body]).toEqual([200, { sid, status: 'canceled', previousStatus: 'queued' }]);
    expect(current().fake.requests.map((r) => [r.method, r.status])).toEqual([
      ['POST', 201],
      ['GET', 503],
      ['GET', 502],
      ['GET', 200],
      ['POST', 200],
    ]);
  });

  test('a reset on the hang-up itself (a POST) is reported, not repeated', async () => {
    const sid = await placeCall();
    current().fake.inject({ kind: 'reset', match: { method: 'POST' } });
    const res = await request(current().t.app).post(`/api/calls/${sid}/hangup`).set('Authorization', AUTH);
    expect(res.status).toBe(502);
    expect(res.body).toEqual({ error: { message: 'No usable answer from Twilio (connection-lost); the outcome is unknown' } });
    expect(current().fake.requests.map((r) => r.method)).toEqual(['POST', 'GET', 'POST']);
  });
});
