// `simulate call --at`: the server serves a webhook at a simulated time only when the time is
// signed with the auth token; its clock is not changed, and anything else gets the real time.
import { createHmac } from 'node:crypto';
import path from 'node:path';
import request from 'supertest';
import { loadSettingsFile } from '../../src/settings';
import { buildTestApp, type TestApp } from '../support/app';
import { formBody, twilioSign } from '../support/twilio-sign';

const TOKEN = 'abcdefabcdefabcdefabcdefabcdef12';
const BASE = 'https://acme.example.com';
const CALL_SID = 'CA' + 'a'.repeat(32);
const settings = loadSettingsFile(path.resolve(__dirname, '../../switchboard.config.example.json'), true);
// Wednesday 10:00 in New York (the server's clock): open. 18:00 the same day: closed.
const OPEN = new Date('2026-01-07T15:00:00Z');
const CLOSED = '2026-01-07T23:00:00.000Z';
const CLOSED_SAY = 'Our office is closed. We are open Monday to Friday, nine to five.';
const OPEN_SAY = 'Thanks for calling Acme.';

/** The protocol, written out independently of src/: HMAC-SHA256 of a label, the time and the SID. */
function timeSignature(token: string, time: string, sid: string): string {
  return createHmac('sha256', token).update(`switchboard-simulated-time\n${time}\n${sid}`).digest('base64');
}

let t: TestApp;
afterEach(() => t.close());

function start(env: Record<string, string>) {
  t = buildTestApp(env, undefined, { settings });
  t.clock.set(OPEN);
}

async function call(headers: Record<string, string>, sid = CALL_SID) {
  const pairs: Array<[string, string]> = [
    ['CallSid', sid],
    ['From', '+15555550100'],
    ['To', '+15555550199'],
    ['CallStatus', 'ringing'],
  ];
  const req = request(t.app).post('/voice').type('form').set('X-Twilio-Signature', twilioSign(TOKEN, `${BASE}/voice`, pairs));
  for (const [name, value] of Object.entries(headers)) req.set(name, value);
  const res = await req.send(formBody(pairs));
  expect(res.status).toBe(200);
  return res.text;
}

describe('with TWILIO_AUTH_TOKEN', () => {
  beforeEach(() => start({ TWILIO_AUTH_TOKEN: TOKEN, PUBLIC_BASE_URL: BASE }));

  test('a time signed with the auth token for this call is honoured; the server clock is not changed', async () => {
    const twiml = await call({ 'X-Switchboard-Simulated-Time': CLOSED, 'X-Switchboard-Simulated-Time-Signature': timeSignature(TOKEN, CLOSED, CALL_SID) });
    expect(twiml).toContain(`>${CLOSED_SAY}</Say>`);
    expect(t.clock.now()).toEqual(OPEN);
    expect(t.logs.filter((line) => line.msg === 'serving the webhook at the simulated time it was signed for').map((line) => line.at)).toEqual([CLOSED]);
    // The next webhook without the headers is served at the real time.
    expect(await call({})).toContain(`>${OPEN_SAY}</Say>`);
  });

  test.each([
    ['unsigned', { 'X-Switchboard-Simulated-Time': CLOSED }, 'the time is not signed'],
    ['forged', { 'X-Switchboard-Simulated-Time': CLOSED, 'X-Switchboard-Simulated-Time-Signature': timeSignature('not-the-token', CLOSED, CALL_SID) }, 'the signature of the time does not match'],
    ['signed for another call', { 'X-Switchboard-Simulated-Time': CLOSED, 'X-Switchboard-Simulated-Time-Signature': timeSignature(TOKEN, CLOSED, 'CA' + 'b'.repeat(32)) }, 'the signature of the time does not match'],
    ['signed for another time', { 'X-Switchboard-Simulated-Time': CLOSED, 'X-Switchboard-Simulated-Time-Signature': timeSignature(TOKEN, '2026-01-07T23:00:01.000Z', CALL_SID) }, 'the signature of the time does not match'],
    ['not in the signed form', { 'X-Switchboard-Simulated-Time': '2026-01-07T23:00:00Z', 'X-Switchboard-Simulated-Time-Signature': timeSignature(TOKEN, '2026-01-07T23:00:00Z', CALL_SID) }, 'the time is not an ISO 8601 UTC time'],
  ])('%s: the time is ignored, the webhook served at the real time, with a warning', async (_name, headers, reason) => {
    expect(await call(headers)).toContain(`>${OPEN_SAY}</Say>`);
    expect(t.logs.filter((line) => line.msg === 'simulated time ignored; serving the webhook at the real time').map((line) => [line.level, line.reason])).toEqual([[40, reason]]);
  });
});

test('without TWILIO_AUTH_TOKEN a simulated time is never honoured, whatever signs it', async () => {
  start({ WEBHOOK_VALIDATION: 'false' });
  const twiml = await call({ 'X-Switchboard-Simulated-Time': CLOSED, 'X-Switchboard-Simulated-Time-Signature': timeSignature('', CLOSED, CALL_SID) });
  expect(twiml).toContain(`>${OPEN_SAY}</Say>`);
  expect(t.logs.filter((line) => line.msg === 'simulated time ignored; serving the webhook at the real time').map((line) => line.reason)).toEqual([
    'TWILIO_AUTH_TOKEN is not set',
  ]);
});
