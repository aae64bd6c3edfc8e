import request from 'supertest';
import { FIXED_NOW } from '../support/app';
import { AUTH, MESSAGES_PATH, OUR_NUMBER, posts, SERVICE_SID, stable, startApiTest, type ApiTest } from './setup';

const TO = '+15551230002';
const CALLBACK: [string, string] = ['StatusCallback', 'https://switchboard.example.com/status/message'];

let api: ApiTest;
afterEach(() => api.close());

function post(body: Record<string, unknown> | string, type: 'json' | 'form' = 'json') {
  return request(api.t.app).post('/api/messages').set('Authorization', AUTH).type(type).send(body);
}

describe('POST /api/messages', () => {
  beforeEach(async () => {
    api = await startApiTest();
  });

  test('a form body (curl -d) sends from the configured number, and the message enters history', async () => {
    const res = await post('to=%2B15551230002&body=Hello+there', 'form');
    const sid = res.body.sid as string;
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      sid,
      status: 'queued',
      to: TO,
      from: OUR_NUMBER,
      messagingServiceSid: null,
      body: 'Hello there',
      numSegments: '1',
      numMedia: '0',
      direction: 'outbound-api',
      dateCreated: expect.any(String),
      requestId: expect.any(String),
    });
    expect(api.fake.requests.map((r) => r.path)).toEqual([MESSAGES_PATH]);
    expect(posts(api.fake)).toEqual([[['To', TO], ['From', OUR_NUMBER], ['Body', 'Hello there'], CALLBACK]]);
    expect(stable(await api.t.store.getOutbound(res.body.requestId as string))).toEqual({
      kind: 'message',
      params: { to: TO, from: OUR_NUMBER, body: 'Hello there', statusCallback: 'https://switchboard.example.com/status/message' },
      state: 'sent',
      attempts: 1,
      twilioSid: sid,
      response: api.fake.messages.get(sid),
      errorStatus: null,
      errorCode: null,
      errorMessage: null,
      jobId: null,
      skipReason: null,
      nextAttemptAt: null,
    });
    expect(await api.t.store.getMessage(sid)).toMatchObject({ direction: 'outbound-api', from: OUR_NUMBER, to: TO, body: 'Hello there', status: 'queued', numMedia: 0 });
  });

  test('several media URLs (JSON list or repeated form keys) are repeated MediaUrl pairs', async () => {
    const media = ['https://example.com/a.jpg', 'https://example.com/b.png'];
    expect((await post({ to: TO, mediaUrl: media })).status).toBe(201);
    expect((await post(`to=%2B15551230002&mediaUrl=${encodeURIComponent(media[0] as string)}&mediaUrl=${encodeURIComponent(media[1] as string)}`, 'form')).status).toBe(201);
    const expected = [['To', TO], ['From', OUR_NUMBER], ['MediaUrl', media[0]], ['MediaUrl', media[1]], CALLBACK];
    expect(posts(api.fake)).toEqual([expected, expected]);
    const sid = [...api.fake.messages.keys()][0] as string;
    expect(await api.t.store.getMessage(sid)).toMatchObject({ numMedia: 2, mediaUrls: media });
  });

  test('sendAt schedules through a messaging service', async () => {
    const res = await post({ to: TO, body: 'later', messagingServiceSid: SERVICE_SID, sendAt: '2026-01-03T10:00:00+01:00' });
    expect(res.status).toBe(201);
    expect(res.body.status).toBe('scheduled');
    expect(posts(api.fake)).toEqual([
      [['To', TO], ['MessagingServiceSid', SERVICE_SID], ['Body', 'later'], CALLBACK, ['ScheduleType', 'fixed'], ['SendAt', '2026-01-03T09:00:00Z']],
    ]);
  });

  test.each([
    [{ body: 'x' }, 'to', 'Expected `to`: an E.164 number such as +15551234567'],
    [{ to: 'client:bob', body: 'x' }, 'to', 'Expected `to` to be an E.164 number such as +15551234567', 'client:bob'],
    [{ to: TO }, 'body', 'Expected `body` and/or `mediaUrl`'],
    [{ to: TO, body: '' }, 'body', 'Expected `body` to be a string of 1 to 1600 characters', ''],
    [{ to: TO, body: 'x'.repeat(1601) }, 'body', 'Expected `body` to be a string of 1 to 1600 characters', `${'x'.repeat(80)}… (1601 characters)`],
    [
      { to: TO, mediaUrl: Array(11).fill('https://example.com/a.jpg') },
      'mediaUrl',
      'Expected `mediaUrl` to be an absolute http(s) URL, or a list of up to 10 of them; got 11',
      `${JSON.stringify(Array(11).fill('https://example.com/a.jpg')).slice(0, 80)}… (${JSON.stringify(Array(11).fill('https://example.com/a.jpg')).length} characters)`,
    ],
    [{ to: TO, mediaUrl: ['https://example.com/a.jpg', 'https://user:secret@example.com/b.jpg'] }, 'mediaUrl[1]', 'Expected `mediaUrl[1]` to be an absolute http(s) URL', 'https://***@example.com/b.jpg'],
    [{ to: TO, body: 'x', messagingServiceSid: 'MG1' }, 'messagingServiceSid', 'Expected `messagingServiceSid` to be "MG" followed by 32 hexadecimal characters', 'MG1'],
    [{ to: TO, body: 'x', sendAt: '2026-01-03T10:00:00' }, 'sendAt', 'Expected `sendAt` to be an ISO 8601 date-time such as 2026-01-02T15:04:05Z', '2026-01-03T10:00:00'],
    [{ to: TO, body: 'x', sendAt: '2026-01-03T10:00:00Z' }, 'sendAt', 'Scheduling with `sendAt` needs a messaging service: give `messagingServiceSid` or set TWILIO_MESSAGING_SERVICE_SID'],
    [
      { to: TO, body: 'x', messagingServiceSid: SERVICE_SID, sendAt: new Date(FIXED_NOW.getTime() + 60_000).toISOString() },
      'sendAt',
      'Expected `sendAt` between 15 minutes and 35 days from now',
      new Date(FIXED_NOW.getTime() + 60_000).toISOString(),
    ],
  ])('refuses bad input #%# with 400 naming the field and showing the value, and sends nothing', async (body, field, message, ...shown: unknown[]) => {
    // Rows without a fourth entry refuse a missing value; `...shown` keeps jest from passing `done`.
    const received = shown[0];
    const res = await post(body);
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: { message, field, ...(received !== undefined && { received }) } });
    expect(api.fake.requests).toEqual([]);
  });

  test('a number that opted out is refused with 409 before Twilio is called, and nothing is stored', async () => {
    await api.t.store.applyOptChange({ ourNumber: OUR_NUMBER, theirNumber: TO, action: 'opt-out', keyword: 'STOP', source: 'inbound-sms', messageSid: null });
    const res = await post({ to: TO, body: 'x' });
    expect(res.status).toBe(409);
    expect(res.body).toEqual({
      error: { message: `${TO} has opted out of messages from ${OUR_NUMBER} (replied STOP); they must text START to receive messages again`, field: 'to' },
    });
    expect(api.fake.requests).toEqual([]);
    expect(await api.t.store.listPendingSingles(10)).toEqual([]);
    // Another sender of ours is a different pair...
    expect((await post({ to: TO, body: 'x', from: '+15559990000' })).status).toBe(201);
    // ...but through a messaging service any of our numbers counts.
    expect((await post({ to: TO, body: 'x', messagingServiceSid: SERVICE_SID })).status).toBe(409);
  });

  test('a 21610 answer from Twilio is passed on and marks the number opted out', async () => {
    api.fake.inject({ kind: 'status', status: 400, code: 21610, message: 'Attempt to send to unsubscribed recipient' });
    const res = await post({ to: TO, body: 'x' });
    expect(res.status).toBe(502);
    expect(res.body).toEqual({
      error: { message: 'Attempt to send to unsubscribed recipient', twilioCode: 21610, moreInfo: 'https://www.twilio.com/docs/errors/21610', requestId: expect.any(String) },
    });
    expect(await api.t.store.isOptedOut(TO, OUR_NUMBER)).toBe(true);
    expect((await post({ to: TO, body: 'again' })).status).toBe(409);
    expect(api.fake.requests).toHaveLength(1);
  });

  test('a dropped connection after sending leaves the row unknown and is never resent', async () => {
    api.fake.inject({ kind: 'reset', processed: true });
    const res = await post({ to: TO, body: 'x' });
    expect(res.status).toBe(502);
    expect(res.body.error.message).toMatch(/^The request reached Twilio but no usable answer came back, so its outcome is unknown; it was not resent \(outcome unknown \(connection-lost\)/);
    expect(api.fake.requests).toHaveLength(1);
    expect(await api.t.store.getOutbound(res.body.error.requestId as string)).toMatchObject({ state: 'unknown', attempts: 1 });
  });
});

describe('defaults from the configuration', () => {
  test('with a messaging service configured, it is the default sender', async () => {
    api = await startApiTest({ TWILIO_MESSAGING_SERVICE_SID: SERVICE_SID, PUBLIC_BASE_URL: '' });
    const res = await post({ to: TO, body: 'x' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ status: 'accepted', from: null, messagingServiceSid: SERVICE_SID });
    expect(posts(api.fake)).toEqual([[['To', TO], ['MessagingServiceSid', SERVICE_SID], ['Body', 'x']]]);
  });

  test('with no sender configured, `from` is required', async () => {
    api = await startApiTest({ TWILIO_FROM_NUMBER: '' });
    const res = await post({ to: TO, body: 'x' });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      error: { message: 'Expected `from` or `messagingServiceSid` (neither TWILIO_MESSAGING_SERVICE_SID nor TWILIO_FROM_NUMBER is configured)', field: 'from' },
    });
  });
});
