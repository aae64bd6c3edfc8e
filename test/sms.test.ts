import request from 'supertest';
import { buildTestApp, type TestApp } from './support/app';

const EMPTY = '<?xml version="1.0" encoding="UTF-8"?><Response/>';

let t: TestApp;
beforeEach(() => {
  t = buildTestApp();
});
afterEach(() => t.close());

describe('/sms', () => {
  test('POST answers an empty TwiML response', async () => {
    const res = await request(t.app).post('/sms').type('form').send({ Body: 'hi' });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/xml; charset=utf-8');
    expect(res.text).toBe(EMPTY);
  });

  test('records the inbound message with its media', async () => {
    await request(t.app).post('/sms').type('form').send({
      MessageSid: 'SM' + '2'.repeat(32),
      From: '+15550001111',
      To: '+15550002222',
      Body: 'Hello there',
      NumMedia: '2',
      MediaUrl0: 'https://api.twilio.com/media/0',
      MediaUrl1: 'https://api.twilio.com/media/1',
    });
    expect(await t.store.getMessage('SM' + '2'.repeat(32))).toMatchObject({
      direction: 'inbound',
      from: '+15550001111',
      to: '+15550002222',
      body: 'Hello there',
      numMedia: 2,
      mediaUrls: ['https://api.twilio.com/media/0', 'https://api.twilio.com/media/1'],
      status: 'received',
    });
  });
});
