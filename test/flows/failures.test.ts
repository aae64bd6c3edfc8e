import request from 'supertest';
import { parseSettings } from '../../src/settings';
import { buildTestApp, type TestApp } from '../support/app';

const X = '<?xml version="1.0" encoding="UTF-8"?>';
let t: TestApp;
afterEach(() => t.close());

describe('a handler that fails', () => {
  beforeEach(() => {
    t = buildTestApp(
      {},
      undefined,
      parseSettings({ voice: { start: 'vm', nodes: { vm: { type: 'voicemail' } } }, sms: { autoReply: 'hi' } }, 'test'),
    );
  });

  test('still answers a call with valid TwiML: an apology and a hang-up, logged with the request id', async () => {
    await t.store.close();
    const res = await request(t.app)
      .post('/voice/node/vm/recorded')
      .set('X-Request-Id', 'req-42')
      .type('form')
      .send({ CallSid: 'CA1', RecordingSid: 'RE1', RecordingUrl: 'https://r/RE1' });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/xml; charset=utf-8');
    expect(res.text).toBe(
      `${X}<Response><Say>Sorry, something went wrong. Please try again later. Goodbye.</Say><Hangup/></Response>`,
    );
    const line = t.logs.find((entry) => entry.msg === 'webhook handler failed; answered with fallback TwiML');
    expect(line).toMatchObject({ level: 50, req: { id: 'req-42' } });
  });

  test('still answers a message with an empty response', async () => {
    await t.store.close();
    const res = await request(t.app).post('/sms').type('form').send({ MessageSid: 'SM1', From: '+15550001111', To: '+15550002222', Body: 'x' });
    expect(res.status).toBe(200);
    expect(res.text).toBe(`${X}<Response/>`);
  });
});
