import { jwtVerify } from 'jose';
import request from 'supertest';
import { buildTestApp, FIXED_NOW, type TestApp } from '../support/app';
import { formBody, twilioSign } from '../support/twilio-sign';

const AUTH_TOKEN = 'abcdefabcdefabcdefabcdefabcdef12';
const BASE = 'https://acme.example.com';
const X = '<?xml version="1.0" encoding="UTF-8"?>';
const API_KEY = 'k'.repeat(32);
const ACCOUNT = 'AC' + 'a'.repeat(32);
const KEY_SID = 'SK' + 'b'.repeat(32);
const KEY_SECRET = 'the-api-key-secret-0123456789abcdef';
const APP = 'AP' + 'c'.repeat(32);
const IAT = Math.floor(FIXED_NOW.getTime() / 1000);
const FULL = {
  TWILIO_AUTH_TOKEN: AUTH_TOKEN,
  PUBLIC_BASE_URL: BASE,
  API_KEY,
  TWILIO_ACCOUNT_SID: ACCOUNT,
  TWILIO_API_KEY_SID: KEY_SID,
  TWILIO_API_KEY_SECRET: KEY_SECRET,
  TWILIO_TWIML_APP_SID: APP,
  TWILIO_FROM_NUMBER: '+15005550006',
};

let t: TestApp;
afterEach(() => t.close());

const askToken = (body: unknown, key = API_KEY) =>
  request(t.app).post('/client/token').set('Authorization', `Bearer ${key}`).send(body as object);

describe('POST /client/token', () => {
  test('returns a verifiable Voice token for the identity', async () => {
    t = buildTestApp(FULL);
    const res = await askToken({ identity: 'alice' });
    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(Object.keys(res.body as object)).toEqual(['identity', 'token', 'ttl', 'expiresAt']);
    expect(res.body).toMatchObject({ identity: 'alice', ttl: 3600, expiresAt: '2026-01-02T04:04:05.000Z' });
    const { payload } = await jwtVerify((res.body as { token: string }).token, new TextEncoder().encode(KEY_SECRET), { currentDate: FIXED_NOW });
    expect(payload).toEqual({
      jti: `${KEY_SID}-${IAT}`,
      grants: { identity: 'alice', voice: { incoming: { allow: true }, outgoing: { application_sid: APP } } },
      iat: IAT,
      exp: IAT + 3600,
      iss: KEY_SID,
      sub: ACCOUNT,
    });
    expect(t.logs.find((line) => line.msg === 'client token issued')).toMatchObject({ identity: 'alice', incoming: true, ttl: 3600 });
    expect(t.logText()).not.toContain((res.body as { token: string }).token.split('.')[2]);
    expect(t.logText()).not.toContain(KEY_SECRET);
  });

  test('a shorter lifetime and no incoming calls on request; CLIENT_TOKEN_TTL caps the lifetime', async () => {
    t = buildTestApp({ ...FULL, CLIENT_TOKEN_TTL: '1800' });
    const res = await askToken({ identity: 'kiosk-1', incoming: false, ttl: 300 });
    expect(res.status).toBe(200);
    const { payload } = await jwtVerify((res.body as { token: string }).token, new TextEncoder().encode(KEY_SECRET), { currentDate: FIXED_NOW });
    expect(payload.grants).toEqual({ identity: 'kiosk-1', voice: { outgoing: { application_sid: APP } } });
    expect(payload.exp).toBe(IAT + 300);

    expect((await askToken({ identity: 'kiosk-1' })).body).toMatchObject({ ttl: 1800 });
    expect((await askToken({ identity: 'kiosk-1', ttl: 1801 })).body).toEqual({
      error: { message: 'ttl must be a whole number of seconds from 60 to 1800', field: 'ttl' },
    });
  });

  test.each([
    [{}, 'identity must be 1 to 121 letters, digits or _ . @ - (no spaces)', 'identity'],
    [{ identity: 'alice smith' }, 'identity must be 1 to 121 letters, digits or _ . @ - (no spaces)', 'identity'],
    [{ identity: 'alice\u0000' }, 'identity must be 1 to 121 letters, digits or _ . @ - (no spaces)', 'identity'],
    [{ identity: 'a'.repeat(122) }, 'identity must be 1 to 121 letters, digits or _ . @ - (no spaces)', 'identity'],
    [{ identity: 42 }, 'identity must be 1 to 121 letters, digits or _ . @ - (no spaces)', 'identity'],
    [{ identity: 'alice', incoming: 'yes' }, 'incoming must be true or false', 'incoming'],
    [{ identity: 'alice', ttl: 59 }, 'ttl must be a whole number of seconds from 60 to 3600', 'ttl'],
    [{ identity: 'alice', ttl: 90.5 }, 'ttl must be a whole number of seconds from 60 to 3600', 'ttl'],
    [{ identity: 'alice', role: 'admin' }, 'unknown field "role"', 'role'],
  ])('%j gets a 400 naming the field', async (body, message, field) => {
    t = buildTestApp(FULL);
    const res = await askToken(body);
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: { message, field } });
  });

  test('a JSON array is refused', async () => {
    t = buildTestApp(FULL);
    const res = await askToken(['alice']);
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: { message: 'send a JSON object such as {"identity": "alice"}' } });
  });

  test('needs the API key', async () => {
    t = buildTestApp(FULL);
    expect((await request(t.app).post('/client/token').send({ identity: 'alice' })).status).toBe(401);
    const wrong = await askToken({ identity: 'alice' }, 'x'.repeat(32));
    expect(wrong.status).toBe(401);
    expect(wrong.body).toEqual({ error: { message: 'invalid API key' } });
  });

  test('without the API key, the API key secret or the TwiML App it answers 503 naming them', async () => {
    t = buildTestApp({ API_KEY, TWILIO_ACCOUNT_SID: ACCOUNT });
    const res = await askToken({ identity: 'alice' });
    expect(res.status).toBe(503);
    expect(res.body).toEqual({
      error: { message: 'browser calling is not configured: set TWILIO_API_KEY_SID, TWILIO_API_KEY_SECRET, TWILIO_TWIML_APP_SID' },
    });
  });

  test('without API_KEY the route is off', async () => {
    t = buildTestApp({ ...FULL, API_KEY: '' });
    const res = await askToken({ identity: 'alice' });
    expect(res.status).toBe(503);
    expect(res.body).toEqual({ error: { message: 'API_KEY is not configured; the API is disabled' } });
  });
});

describe('/voice/client (the TwiML App)', () => {
  async function browserCall(to: string | undefined, from = 'client:alice', env: Record<string, string> = FULL) {
    t = buildTestApp(env);
    const pairs: Array<[string, string]> = [
      ['AccountSid', ACCOUNT],
      ['ApplicationSid', APP],
      ['CallSid', 'CA' + 'e'.repeat(32)],
      ['From', from],
      ['Caller', from],
    ];
    if (to !== undefined) pairs.push(['To', to]);
    const res = await request(t.app)
      .post('/voice/client')
      .set('X-Twilio-Signature', twilioSign(AUTH_TOKEN, `${BASE}/voice/client`, pairs))
      .type('form')
      .send(formBody(pairs));
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/xml; charset=utf-8');
    return res.text;
  }
  const refused = (text: string) => `${X}<Response><Say>${text}</Say><Hangup/></Response>`;

  test('a phone number is dialled from TWILIO_FROM_NUMBER', async () => {
    expect(await browserCall('+1 (212) 555-0100')).toBe(
      X + '<Response><Dial callerId="+15005550006" answerOnBridge="true"><Number>+12125550100</Number></Dial></Response>',
    );
    expect(t.logs.find((line) => line.msg === 'browser call dialled')).toMatchObject({ from: 'client:alice', to: '+12125550100' });
  });

  test('client:<identity> rings that browser', async () => {
    expect(await browserCall('client:bob')).toBe(X + '<Response><Dial answerOnBridge="true"><Client>bob</Client></Dial></Response>');
  });

  test.each([
    ['+442071234567', 'Sorry, calls to that number are not allowed from this phone. Goodbye.', 'not-allowed'],
    ['sip:bob@example.com', 'Sorry, that is not a number this phone can call. Goodbye.', 'malformed'],
    ['client:<bob>', 'Sorry, that is not a number this phone can call. Goodbye.', 'malformed'],
    [undefined, 'No number was dialled. Goodbye.', 'missing'],
  ])('%j is refused in TwiML', async (to, text, reason) => {
    expect(await browserCall(to)).toBe(refused(text));
    expect(t.logs.find((line) => line.msg === 'browser call refused')).toMatchObject({ reason, from: 'client:alice' });
  });

  test('CLIENT_DIAL_PATTERN narrows what can be dialled', async () => {
    // The default lets every NANP number through, +1 900 included (the docs say so).
    expect(await browserCall('+19005550100')).toContain('<Number>+19005550100</Number>');
    await t.close();
    const env = { ...FULL, CLIENT_DIAL_PATTERN: '^\\+1(212|646)\\d{7}$' };
    expect(await browserCall('+19005550100', 'client:alice', env)).toBe(refused('Sorry, calls to that number are not allowed from this phone. Goodbye.'));
    await t.close();
    expect(await browserCall('+16465550100', 'client:alice', env)).toContain('<Number>+16465550100</Number>');
  });

  test('without TWILIO_FROM_NUMBER numbers are refused but browsers can still call each other', async () => {
    const { TWILIO_FROM_NUMBER: _unused, ...env } = FULL;
    expect(await browserCall('+12125550100', 'client:alice', env)).toBe(refused('Sorry, calls to that number are not allowed from this phone. Goodbye.'));
    await t.close();
    expect(await browserCall('client:bob', 'client:alice', env)).toContain('<Client>bob</Client>');
  });

  test('a call that is not from a browser gets no line out', async () => {
    expect(await browserCall('+12125550100', '+15551230000')).toBe(
      refused('Sorry, this line only takes calls from the Switchboard softphone. Goodbye.'),
    );
  });

  test('an unsigned request is refused before any TwiML', async () => {
    t = buildTestApp(FULL);
    const res = await request(t.app).post('/voice/client').type('form').send(formBody([['From', 'client:alice'], ['To', '+12125550100']]));
    expect(res.status).toBe(403);
    expect(res.text).not.toContain('<Dial');
  });
});
