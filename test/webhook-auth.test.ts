import request from 'supertest';
import { buildTestApp, type TestApp } from './support/app';
import { formBody, twilioSign } from './support/twilio-sign';

const TOKEN = '12345678901234567890123456789012';
const BASE = 'https://switchboard.example.com';
const PARAMS: Array<[string, string]> = [
  ['CallSid', 'CA' + '3'.repeat(32)],
  ['From', '+15550001111'],
  ['To', '+15550002222'],
];

let t: TestApp;
afterEach(() => t.close());

describe('Twilio-facing routes with validation on', () => {
  beforeEach(() => {
    t = buildTestApp({ TWILIO_AUTH_TOKEN: TOKEN, PUBLIC_BASE_URL: BASE });
  });

  test.each(['/voice', '/sms'])('%s accepts a request signed for its public URL', async (route) => {
    const res = await request(t.app)
      .post(route)
      .set('X-Twilio-Signature', twilioSign(TOKEN, BASE + route, PARAMS))
      .type('form')
      .send(formBody(PARAMS));
    expect(res.status).toBe(200);
    expect(res.text).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?><Response/);
  });

  test.each(['/voice', '/sms'])('%s refuses an unsigned request with 403 text and stores nothing', async (route) => {
    const res = await request(t.app).post(route).type('form').send(formBody(PARAMS));
    expect(res.status).toBe(403);
    expect(res.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(res.text).toBe('missing X-Twilio-Signature header');
    expect(await t.store.getCall('CA' + '3'.repeat(32))).toBeUndefined();
  });

  test('a changed parameter is refused and logged with the reason, never the token', async () => {
    const signature = twilioSign(TOKEN, BASE + '/voice', PARAMS);
    const forged: Array<[string, string]> = [...PARAMS.slice(0, 2), ['To', '+19990000000']];
    const res = await request(t.app).post('/voice').set('X-Twilio-Signature', signature).type('form').send(formBody(forged));
    expect(res.status).toBe(403);
    expect(res.text).toBe('invalid X-Twilio-Signature');
    expect(t.logs.some((line) => line.msg === 'twilio signature rejected' && line.reason === 'invalid X-Twilio-Signature')).toBe(true);
    expect(t.logText()).not.toContain(TOKEN);
    expect(t.logText()).not.toContain(signature);
  });

  test('health checks stay open', async () => {
    expect((await request(t.app).get('/healthz')).status).toBe(200);
  });
});

describe('Twilio-facing routes with validation off', () => {
  test('WEBHOOK_VALIDATION=false lets unsigned requests through', async () => {
    t = buildTestApp({ TWILIO_AUTH_TOKEN: TOKEN, WEBHOOK_VALIDATION: 'false' });
    expect((await request(t.app).post('/voice')).status).toBe(200);
  });
});
