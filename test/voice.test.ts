import request from 'supertest';
import { buildTestApp, type TestApp } from './support/app';

const GREETING =
  '<?xml version="1.0" encoding="UTF-8"?><Response><Say>Hello! This is Switchboard. Your server is up and answering calls. Goodbye.</Say></Response>';

let t: TestApp;
beforeEach(() => {
  t = buildTestApp();
});
afterEach(() => t.close());

describe('/voice', () => {
  test('POST answers the greeting as TwiML', async () => {
    const res = await request(t.app).post('/voice');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/xml; charset=utf-8');
    expect(res.text).toBe(GREETING);
  });

  test('GET answers the same TwiML', async () => {
    const res = await request(t.app).get('/voice?CallSid=CA1');
    expect(res.status).toBe(200);
    expect(res.text).toBe(GREETING);
  });

  test('records the inbound call from Twilio parameters', async () => {
    await request(t.app)
      .post('/voice')
      .type('form')
      .send({ CallSid: 'CA' + '1'.repeat(32), From: '+15550001111', To: '+15550002222', CallStatus: 'ringing' });
    expect(await t.store.getCall('CA' + '1'.repeat(32))).toEqual({
      sid: 'CA' + '1'.repeat(32),
      direction: 'inbound',
      from: '+15550001111',
      to: '+15550002222',
      status: 'ringing',
      duration: null,
      price: null,
      priceUnit: null,
      errorCode: null,
      recordingUrl: null,
      answeredBy: null,
      createdAt: '2026-01-02T03:04:05.000Z',
      updatedAt: '2026-01-02T03:04:05.000Z',
    });
  });

  test('still answers the caller when the database fails, and logs why', async () => {
    await t.store.close();
    const res = await request(t.app).post('/voice').type('form').send({ CallSid: 'CA2', From: '+1', To: '+2' });
    expect(res.status).toBe(200);
    expect(res.text).toBe(GREETING);
    expect(t.logs.some((line) => line.msg === 'could not record inbound call' && line.callSid === 'CA2')).toBe(true);
  });

  test('an oversized webhook body gets a plain 413, not HTML', async () => {
    const res = await request(t.app).post('/voice').type('form').send(`Body=${'x'.repeat(101 * 1024)}`);
    expect(res.status).toBe(413);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(res.body).toEqual({ error: { message: 'request body is larger than 100kb' } });
  });
});
