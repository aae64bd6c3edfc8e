// Security properties end to end: forged and altered webhooks, the API key check's structure,
// the per-key rate limit, security headers, body caps, and secrets absent from every log line.
import crypto from 'node:crypto';
import net from 'node:net';
import request from 'supertest';
import { apiKeyMatcher, TokenBuckets } from '../../src/security';
import { buildTestApp, FIXED_NOW, type TestApp } from '../support/app';
import { FAKE_API_KEY_SECRET, FAKE_API_KEY_SID } from '../support/fake-twilio';
import { formBody, twilioSign } from '../support/twilio-sign';
import { AUTH, API_KEY, startApiTest, type ApiTest } from '../api/setup';
import { dbRows } from '../status/support';

const AUTH_TOKEN = 'sec-auth-token-7d1e2f3a4b5c6d7e';
const BASE = 'https://sb.example.com';

let t: TestApp;
afterEach(async () => {
  await t?.close();
});

function signed(path: string, pairs: Array<[string, string]>, signature = twilioSign(AUTH_TOKEN, BASE + path, pairs)) {
  return request(t.app).post(path).set('X-Twilio-Signature', signature).type('form').send(formBody(pairs));
}

describe('webhook signatures', () => {
  const SMS: Array<[string, string]> = [
    ['MessageSid', 'SM' + '1'.repeat(32)],
    ['From', '+15551110000'],
    ['To', '+15552220000'],
    ['Body', 'hello'],
  ];
  const CALL: Array<[string, string]> = [
    ['CallSid', 'CA' + '1'.repeat(32)],
    ['From', '+15551110000'],
    ['To', '+15552220000'],
    ['CallStatus', 'completed'],
    ['SequenceNumber', '0'],
  ];
  const ROUTES: Array<[string, Array<[string, string]>, string]> = [
    ['/sms', SMS, 'messages'],
    ['/voice', CALL, 'calls'],
    ['/twimlets/message?Message=hi', CALL, 'calls'],
    ['/status/call', CALL, 'status_events'],
    ['/status/message', [...SMS.slice(0, 3), ['MessageStatus', 'delivered']], 'status_events'],
  ];

  test.each(ROUTES)('%s: a forgery or any change to a signed request is 403 and stores nothing', async (path, pairs, table) => {
    t = buildTestApp({ TWILIO_AUTH_TOKEN: AUTH_TOKEN, PUBLIC_BASE_URL: BASE });
    const signature = twilioSign(AUTH_TOKEN, BASE + path, pairs);
    const altered: Array<[string, string, request.Test]> = [
      ['no signature', '', request(t.app).post(path).type('form').send(formBody(pairs))],
      ['signed with another token', '', signed(path, pairs, twilioSign('not-the-token', BASE + path, pairs))],
      ['a value changed', '', signed(path, pairs.map(([k, v]) => [k, k === 'To' ? '+15559990000' : v]), signature)],
      ['a parameter added', '', signed(path, [...pairs, ['Extra', '1']], signature)],
      ['a parameter dropped', '', signed(path, pairs.slice(1), signature)],
      ['the query changed', '', request(t.app).post(`${path}${path.includes('?') ? '&' : '?'}x=1`).set('X-Twilio-Signature', signature).type('form').send(formBody(pairs))],
      ['sent to another route', '', request(t.app).post(path === '/sms' ? '/voice' : '/sms').set('X-Twilio-Signature', signature).type('form').send(formBody(pairs))],
    ];
    for (const [label, , pending] of altered) {
      const res = await pending;
      expect([label, res.status]).toEqual([label, 403]);
    }
    expect(dbRows(t, `SELECT * FROM ${table}`)).toEqual([]);
    // The genuine request passes, once: the check is not simply refusing everything.
    expect((await signed(path, pairs, signature)).status).toBeLessThan(300);
    expect(dbRows(t, `SELECT * FROM ${table}`)).toHaveLength(1);
  });
});

describe('the API key comparison', () => {
  test('hashes both sides to 32-byte digests before timingSafeEqual, for every guess, whatever its length or prefix', () => {
    const spy = jest.spyOn(crypto, 'timingSafeEqual');
    try {
      const matches = apiKeyMatcher(API_KEY);
      if (!matches) throw new Error('no matcher');
      const guesses = ['', 'x', API_KEY.slice(0, 1), API_KEY.slice(0, 8), API_KEY.slice(0, -1), `${API_KEY}x`, 'y'.repeat(10_000), API_KEY.replace(/.$/, 'Z')];
      for (const guess of guesses) expect(matches(guess)).toBe(false);
      expect(matches(API_KEY)).toBe(true);
      expect(spy).toHaveBeenCalledTimes(guesses.length + 1);
      const keyDigest = spy.mock.calls[0]?.[1] as Buffer;
      for (const [presented, expected] of spy.mock.calls as Array<[Buffer, Buffer]>) {
        expect([presented.length, expected.length]).toEqual([32, 32]);
        // The stored side is a digest, not the key: a guess sharing the key's prefix shares nothing with it.
        expect(expected.equals(keyDigest)).toBe(true);
        expect(expected.includes(Buffer.from(API_KEY.slice(0, 4)))).toBe(false);
      }
      // A guess one character short of the key and the key itself: digests differ from the first byte on, as often as not.
      const digests = (spy.mock.calls as Array<[Buffer, Buffer]>).map(([presented]) => presented.toString('hex'));
      expect(new Set(digests).size).toBe(digests.length);
    } finally {
      spy.mockRestore();
    }
  });

  test('over HTTP, missing, wrong and prefix-sharing keys all take the same path: 401 after one fixed-size comparison each', async () => {
    t = buildTestApp({ API_KEY, API_RATE_LIMIT: '1000' });
    const spy = jest.spyOn(crypto, 'timingSafeEqual');
    try {
      for (const key of [API_KEY.slice(0, 3), API_KEY.slice(0, -1), `${API_KEY}0`, 'z'.repeat(300)]) {
        spy.mockClear();
        const res = await request(t.app).get('/api/calls').set('Authorization', `Bearer ${key}`);
        expect(res.status).toBe(401);
        expect(res.body).toEqual({ error: { message: 'invalid API key' } });
        expect(spy.mock.calls.length).toBeGreaterThan(0);
        for (const [a, b] of spy.mock.calls as Array<[Buffer, Buffer]>) expect([a.length, b.length]).toEqual([32, 32]);
      }
      const missing = await request(t.app).get('/api/calls');
      expect([missing.status, missing.body]).toEqual([401, { error: { message: 'missing bearer token' } }]);
    } finally {
      spy.mockRestore();
    }
  });
});

describe('rate limit on the API key', () => {
  const later = (seconds: number) => t.clock.set(new Date(FIXED_NOW.getTime() + seconds * 1000));

  test('a key gets API_RATE_LIMIT requests at once, then 429 with Retry-After, refilled over the minute', async () => {
    t = buildTestApp({ API_KEY, API_RATE_LIMIT: '3' });
    const ask = () => request(t.app).get('/api/calls').set('Authorization', AUTH);
    for (let i = 0; i < 3; i++) expect((await ask()).status).toBe(200);
    const limited = await ask();
    expect(limited.status).toBe(429);
    expect(limited.headers['retry-after']).toBe('20');
    expect(limited.headers['content-type']).toMatch(/^application\/json/);
    expect(limited.body).toEqual({ error: { message: 'too many requests; retry after 20 s' } });
    later(19);
    expect((await ask()).status).toBe(429);
    later(20);
    expect((await ask()).status).toBe(200);
    expect((await ask()).status).toBe(429);
  });

  test('key guesses are limited per client IP; the real key keeps its own budget; /client/token shares it', async () => {
    t = buildTestApp({ API_KEY, API_RATE_LIMIT: '2', TRUST_PROXY: 'true' });
    const guess = (ip: string) => request(t.app).get('/api/calls').set('X-Forwarded-For', ip).set('Authorization', 'Bearer guess-0123456789abcdef');
    expect((await guess('203.0.113.1')).status).toBe(401);
    expect((await guess('203.0.113.1')).status).toBe(401);
    const slowed = await guess('203.0.113.1');
    expect([slowed.status, slowed.headers['retry-after']]).toEqual([429, '30']);
    // Another address has its own bucket; the key holder, even from the guessing address, is not locked out.
    expect((await guess('203.0.113.2')).status).toBe(401);
    const real = () => request(t.app).get('/api/calls').set('X-Forwarded-For', '203.0.113.1').set('Authorization', AUTH);
    expect((await real()).status).toBe(200);
    // 503 (browser calling not configured) is past the limiter: it spent the key's second token.
    expect((await request(t.app).post('/client/token').set('Authorization', AUTH).send({ identity: 'alice' })).status).toBe(503);
    expect((await real()).status).toBe(429);
  });

  test('memory is bounded: at most maxBuckets, and buckets idle long enough to refill are dropped', () => {
    const buckets = new TokenBuckets({ perMinute: 60, maxBuckets: 100 });
    for (let i = 0; i < 5_000; i++) expect(buckets.take(`ip:${i}`, 1_000 + i).allowed).toBe(true);
    expect(buckets.size).toBe(100);
    // The most recent clients are the ones kept: the newest is still charged.
    buckets.take('ip:4999', 6_000);
    expect(buckets.size).toBe(100);
    // A minute later every bucket is full again, so a new client's arrival sweeps them all away.
    buckets.take('new', 6_000 + 60_000);
    expect(buckets.size).toBe(1);
  });

  test('an emptied bucket reports the wait for one token', () => {
    const buckets = new TokenBuckets({ perMinute: 120 });
    expect(buckets.take('k', 0)).toEqual({ allowed: true });
    for (let i = 1; i < 120; i++) buckets.take('k', 0);
    expect(buckets.take('k', 0)).toEqual({ allowed: false, retryAfterSeconds: 1 });
    expect(buckets.take('k', 500)).toEqual({ allowed: true });
  });
});

describe('security headers', () => {
  const EVERYWHERE = {
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'x-frame-options': 'DENY',
    'cross-origin-resource-policy': 'same-origin',
  };

  test.each([
    ['get', '/healthz'],
    ['get', '/nowhere'],
    ['get', '/api/calls'],
    ['post', '/voice'],
    ['post', '/status/call'],
    ['get', '/phone'],
    ['post', '/client/token'],
  ] as const)('%s %s carries them, with HSTS when PUBLIC_BASE_URL is https', async (method, path) => {
    t = buildTestApp({ PUBLIC_BASE_URL: BASE, TWILIO_AUTH_TOKEN: AUTH_TOKEN, API_KEY });
    const res = await request(t.app)[method](path);
    expect(res.headers).toMatchObject({ ...EVERYWHERE, 'strict-transport-security': 'max-age=31536000' });
  });

  test('no HSTS on a plain http deployment; /phone keeps its own CSP', async () => {
    t = buildTestApp({ PUBLIC_BASE_URL: 'http://localhost:3000' });
    const res = await request(t.app).get('/phone');
    expect(res.headers).toMatchObject(EVERYWHERE);
    expect(res.headers['strict-transport-security']).toBeUndefined();
    expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
  });
});

describe('request bodies are capped', () => {
  let api: ApiTest;
  afterEach(async () => {
    await api?.close();
  });

  test('100 kB on webhooks and single API requests, 4 MB on bulk; nothing reaches Twilio', async () => {
    api = await startApiTest();
    t = buildTestApp({ TWILIO_AUTH_TOKEN: AUTH_TOKEN, PUBLIC_BASE_URL: BASE });
    const big = 'x'.repeat(101 * 1024);
    const hook = await request(t.app).post('/sms').type('form').send(`Body=${big}`);
    expect([hook.status, hook.body]).toEqual([413, { error: { message: 'request body is larger than 100kb' } }]);

    const single = await request(api.t.app).post('/api/messages').set('Authorization', AUTH).type('json').send(JSON.stringify({ to: '+15551230000', body: big }));
    expect([single.status, single.body]).toEqual([413, { error: { message: 'request body is larger than 100kb' } }]);

    // Bulk takes 150 kB (refused for its content, not its size) but not 4 MB and a byte.
    const mid = await request(api.t.app).post('/api/messages/bulk').set('Authorization', AUTH).type('json').send(JSON.stringify({ to: [], body: 'y'.repeat(150 * 1024) }));
    expect(mid.status).toBe(400);
    const huge = JSON.stringify({ to: ['+15551230000'], body: 'z'.repeat(4 * 1024 * 1024) });
    const bulk = await request(api.t.app).post('/api/messages/bulk').set('Authorization', AUTH).type('json').send(huge);
    expect([bulk.status, bulk.body]).toEqual([413, { error: { message: 'request body is larger than 4mb' } }]);
    expect(api.fake.requests).toEqual([]);
  });
});

/** A port on 127.0.0.1 nothing listens on: bound, then released. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('secrets in logs', () => {
  let api: ApiTest;
  afterEach(async () => {
    await api?.close();
  });

  test('a representative session never writes a secret or a signature to the log', async () => {
    const smtpPassword = 'smtp-pa55word-4f0e9d8c';
    api = await startApiTest({
      PUBLIC_BASE_URL: BASE,
      TWILIO_API_KEY_SID: FAKE_API_KEY_SID,
      TWILIO_API_KEY_SECRET: FAKE_API_KEY_SECRET,
      TWILIO_TWIML_APP_SID: 'AP' + 'c'.repeat(32),
      SMTP_URL: `smtp://voicemail:${smtpPassword}@127.0.0.1:${await closedPort()}`,
    });
    const app = api.t.app;
    const token = api.t.config.twilio.authToken ?? '';
    const signatures: string[] = [];
    const hook = (path: string, pairs: Array<[string, string]>) => {
      const signature = twilioSign(token, BASE + path, pairs);
      signatures.push(signature);
      return request(app).post(path).set('X-Twilio-Signature', signature).type('form').send(formBody(pairs));
    };
    const call: Array<[string, string]> = [['CallSid', 'CA' + '2'.repeat(32)], ['From', '+15551110000'], ['To', '+15552220000']];

    expect((await hook('/voice', call)).status).toBe(200);
    expect((await hook('/sms', [['MessageSid', 'SM' + '2'.repeat(32)], ['From', '+15551110000'], ['To', '+15552220000'], ['Body', 'STOP']])).status).toBe(200);
    expect((await hook('/status/call', [...call, ['CallStatus', 'ringing']])).status).toBe(204);
    // Voicemail whose notification mail fails against a closed SMTP port: the error is logged.
    const vm = await hook('/twimlets/voicemail?Email=me@example.com&Transcribe=false', [...call, ['RecordingUrl', 'https://api.twilio.com/rec/RE1']]);
    expect(vm.status).toBe(200);
    // A forged one, logged as rejected.
    const forged = await request(app).post('/sms').set('X-Twilio-Signature', signatures[0] ?? '').type('form').send('Body=x');
    expect(forged.status).toBe(403);

    expect((await request(app).post('/api/messages').set('Authorization', AUTH).send({ to: '+15551230000', body: 'hi' })).status).toBe(201);
    api.fake.inject({ kind: 'status', status: 401, code: 20003, message: 'Authenticate' });
    expect((await request(app).post('/api/calls').set('Authorization', AUTH).send({ to: '+15551230000', say: 'hi' })).status).toBe(502);
    api.fake.inject({ kind: 'reset' });
    expect((await request(app).post('/api/messages').set('Authorization', AUTH).send({ to: '+15551230001', body: 'hi' })).status).toBe(502);
    expect((await request(app).get('/api/calls').set('Authorization', `Bearer ${API_KEY.slice(0, -1)}`)).status).toBe(401);
    const issued = await request(app).post('/client/token').set('Authorization', AUTH).send({ identity: 'alice' });
    expect(issued.status).toBe(200);

    // Give the mail attempt (after the answer) time to fail and be logged.
    for (let i = 0; i < 100 && !api.t.logText().includes('voicemail e-mail failed'); i++) await new Promise((resolve) => setTimeout(resolve, 20));
    const logs = api.t.logText();
    const messages = api.t.logs.map((line) => line.msg);
    expect(messages).toEqual(expect.arrayContaining(['voicemail e-mail failed', 'twilio signature rejected', 'Twilio request outcome unknown; not resent', 'client token issued']));
    const secrets = {
      authToken: token,
      apiKey: API_KEY,
      apiKeySecret: FAKE_API_KEY_SECRET,
      smtpPassword,
      clientToken: (issued.body as { token: string }).token,
      ...Object.fromEntries(signatures.map((signature, i) => [`signature${i}`, signature])),
    };
    for (const [name, secret] of Object.entries(secrets)) {
      expect([name, logs.includes(secret)]).toEqual([name, false]);
    }
  });
});
