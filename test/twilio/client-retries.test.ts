import { createHttpRequester, TwilioApiError, TwilioConnectionError, TwilioUnknownOutcomeError, type HttpRequester } from '../../src/twilio';
import { FAKE_ACCOUNT_SID, FAKE_AUTH_TOKEN, startFakeTwilio, type FakeTwilio } from '../support/fake-twilio';
import { clientFor, closedPort, rejectionOf } from '../support/twilio-client-harness';

const CALL = { to: '+15551230000', from: '+15559870000', url: 'https://switchboard.example/voice' } as const;
const SMS = { to: '+15551230000', from: '+15559870000', body: 'hello' } as const;

let fake: FakeTwilio;
beforeAll(async () => {
  fake = await startFakeTwilio();
});
afterAll(() => fake.close());
beforeEach(() => fake.reset());

describe('429 Too Many Requests', () => {
  test('is retried after the Retry-After delay', async () => {
    const { client, sleeps } = clientFor(fake);
    fake.inject({ kind: 'status', status: 429, retryAfter: '2' });
    const call = await client.createCall(CALL);
    expect(sleeps).toEqual([2_000]);
    expect(fake.requests.map((r) => r.status)).toEqual([429, 201]);
    expect(fake.calls.size).toBe(1);
    expect(call.status).toBe('queued');
  });

  test('without Retry-After backs off with capped, jittered exponential delays', async () => {
    const { client, sleeps } = clientFor(fake, { baseDelayMs: 100, maxDelayMs: 300, random: () => 0.5 });
    fake.inject({ kind: 'status', status: 429, times: 3 });
    await client.sendMessage(SMS);
    expect(sleeps).toEqual([50, 100, 150]);
    expect(fake.requests).toHaveLength(4);
  });

  test('gives up after maxRetries with a TwilioApiError carrying Twilio’s fields', async () => {
    const { client, sleeps } = clientFor(fake, { maxRetries: 2 });
    fake.inject({ kind: 'status', status: 429, retryAfter: '1', times: 5 });
    const error = await rejectionOf(client.sendMessage(SMS));
    expect(error).toBeInstanceOf(TwilioApiError);
    expect(error).toMatchObject({ status: 429, code: 20429, outcome: 'rejected', attempts: 3, retryAfterMs: 1_000 });
    expect(sleeps).toEqual([1_000, 1_000]);
    expect(fake.requests).toHaveLength(3);
  });

  test('is not waited for when Retry-After exceeds maxDelayMs', async () => {
    const { client, sleeps } = clientFor(fake, { maxDelayMs: 5_000 });
    fake.inject({ kind: 'status', status: 429, retryAfter: '120' });
    const error = await rejectionOf(client.createCall(CALL));
    expect(error).toMatchObject({ name: 'TwilioApiError', status: 429, retryAfterMs: 120_000 });
    expect(sleeps).toEqual([]);
    expect(fake.requests).toHaveLength(1);
  });
});

describe('connection refused', () => {
  test('is retried (nothing was sent) and then reported as TwilioConnectionError', async () => {
    const port = await closedPort();
    const attempts: number[] = [];
    const { client, sleeps } = clientFor(
      { baseUrl: `http://127.0.0.1:${port}`, accountSid: FAKE_ACCOUNT_SID, authToken: FAKE_AUTH_TOKEN },
      { maxRetries: 2, baseDelayMs: 200, random: () => 0.5, onAttempt: (info) => void attempts.push(info.attempt) },
    );
    const error = await rejectionOf(client.createCall(CALL));
    expect(error).toBeInstanceOf(TwilioConnectionError);
    expect(error).toMatchObject({ causeCode: 'ECONNREFUSED', outcome: 'not-sent', attempts: 3 });
    expect(attempts).toEqual([1, 2, 3]);
    expect(sleeps).toEqual([100, 200]);
  });

  test('recovers when the server comes back', async () => {
    let calls = 0;
    const real = createHttpRequester();
    const refusedThenReal: HttpRequester = async (request) => {
      calls += 1;
      if (calls === 1) throw Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
      return real(request);
    };
    const { client, sleeps } = clientFor(fake, { http: refusedThenReal });
    await client.sendMessage(SMS);
    expect(sleeps).toHaveLength(1);
    expect(fake.requests).toHaveLength(1);
  });

  test('a DNS failure counts as not sent too', async () => {
    const dnsFailure: HttpRequester = async () => {
      throw Object.assign(new Error('getaddrinfo ENOTFOUND api.twilio.com'), { code: 'ENOTFOUND' });
    };
    const { client } = clientFor(fake, { http: dnsFailure, maxRetries: 1 });
    expect(await rejectionOf(client.createCall(CALL))).toMatchObject({ name: 'TwilioConnectionError', causeCode: 'ENOTFOUND', attempts: 2 });
  });
});

describe('POST failures after sending are not retried: unknown outcome', () => {
  test.each([
    ['500', { kind: 'status', status: 500 } as const, { reason: 'server-error', status: 500, code: 20500 }],
    ['503 with Retry-After', { kind: 'status', status: 503, retryAfter: '1' } as const, { reason: 'server-error', status: 503 }],
    ['HTML 502 from a proxy', { kind: 'html' } as const, { reason: 'server-error', status: 502, code: null }],
    ['connection reset', { kind: 'reset' } as const, { reason: 'connection-lost', status: null }],
    ['malformed JSON on 201', { kind: 'malformed-json' } as const, { reason: 'malformed-response', status: 201 }],
  ])('%s', async (_label, fault, expected) => {
    const { client, sleeps } = clientFor(fake);
    fake.inject(fault);
    const error = await rejectionOf(client.createCall(CALL));
    expect(error).toBeInstanceOf(TwilioUnknownOutcomeError);
    expect(error).toMatchObject({ outcome: 'unknown', attempts: 1, operation: 'createCall', ...expected });
    expect(fake.requests).toHaveLength(1);
    expect(sleeps).toEqual([]);
  });

  test('timeout: the AbortSignal fires and the request is not repeated', async () => {
    const { client } = clientFor(fake, { timeoutMs: 200 });
    fake.inject({ kind: 'hang' });
    const started = Date.now();
    const error = await rejectionOf(client.sendMessage(SMS));
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(error).toBeInstanceOf(TwilioUnknownOutcomeError);
    expect(error).toMatchObject({ reason: 'timeout', attempts: 1 });
    expect((error as Error).message).toContain('200 ms');
    expect(fake.requests).toHaveLength(1);
  });

  test('a lost answer after Twilio did the work is why: the call exists although the client failed', async () => {
    const { client } = clientFor(fake);
    fake.inject({ kind: 'reset', processed: true });
    const error = await rejectionOf(client.createCall(CALL));
    expect(error).toBeInstanceOf(TwilioUnknownOutcomeError);
    expect(fake.calls.size).toBe(1);
    expect(fake.requests).toHaveLength(1);
  });

  test('updateCall is a POST too', async () => {
    const { client } = clientFor(fake);
    const call = await client.createCall(CALL);
    fake.inject({ kind: 'status', status: 503, match: { path: call.sid } });
    expect(await rejectionOf(client.updateCall(call.sid, { status: 'canceled' }))).toBeInstanceOf(TwilioUnknownOutcomeError);
    expect(fake.requests).toHaveLength(2);
  });
});

describe('GETs have no side effects and are retried', () => {
  test('on 5xx, honouring Retry-After on a 503', async () => {
    const { client, sleeps } = clientFor(fake);
    const call = await client.createCall(CALL);
    fake.inject({ kind: 'status', status: 503, retryAfter: '3', match: { method: 'GET' } });
    fake.inject({ kind: 'status', status: 500, match: { method: 'GET' } });
    const fetched = await client.fetchCall(call.sid);
    expect(fetched.sid).toBe(call.sid);
    expect(sleeps).toEqual([3_000, 200]);
    expect(fake.requests.map((r) => r.status)).toEqual([201, 503, 500, 200]);
  });

  test('on timeouts, resets and malformed bodies', async () => {
    const { client } = clientFor(fake, { timeoutMs: 200 });
    const sms = await client.sendMessage(SMS);
    fake.inject({ kind: 'hang', match: { method: 'GET' } });
    fake.inject({ kind: 'reset', match: { method: 'GET' } });
    fake.inject({ kind: 'malformed-json', match: { method: 'GET' } });
    const fetched = await client.fetchMessage(sms.sid);
    expect(fetched.sid).toBe(sms.sid);
    expect(fake.requests.filter((r) => r.method === 'GET')).toHaveLength(4);
  });

  test('report a TwilioApiError once retries run out', async () => {
    const { client } = clientFor(fake, { maxRetries: 1 });
    const call = await client.createCall(CALL);
    fake.inject({ kind: 'status', status: 500, times: 2, match: { method: 'GET' } });
    expect(await rejectionOf(client.fetchCall(call.sid))).toMatchObject({ name: 'TwilioApiError', status: 500, attempts: 2 });
  });

  test('a 404 is not retried', async () => {
    const { client, sleeps } = clientFor(fake);
    const sid = `CA${'f'.repeat(32)}`;
    const error = await rejectionOf(client.fetchCall(sid));
    expect(error).toBeInstanceOf(TwilioApiError);
    expect(error).toMatchObject({ status: 404, code: 20404, moreInfo: 'https://www.twilio.com/docs/errors/20404' });
    expect((error as Error).message).toContain(`/Calls/${sid}.json`);
    expect(sleeps).toEqual([]);
  });
});
