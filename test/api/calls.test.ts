import request from 'supertest';
import { AUTH, CALLS_PATH, OUR_NUMBER, posts, stable, startApiTest, type ApiTest } from './setup';

const TO = '+15551230001';
const SAY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response><Say voice="alice" language="en-GB">Your table is ready</Say></Response>';
const CALLBACK: Array<[string, string]> = [
  ['StatusCallback', 'https://switchboard.example.com/status/call'],
  ['StatusCallbackEvent', 'initiated'],
  ['StatusCallbackEvent', 'ringing'],
  ['StatusCallbackEvent', 'answered'],
  ['StatusCallbackEvent', 'completed'],
];

let api: ApiTest;
beforeEach(async () => {
  api = await startApiTest();
});
afterEach(() => api.close());

function post(body: Record<string, unknown> | string, type: 'json' | 'form' = 'json') {
  return request(api.t.app).post('/api/calls').set('Authorization', AUTH).type(type).send(body);
}

describe('POST /api/calls', () => {
  test('`say` becomes TwiML from our builder; defaults fill from and the status callback', async () => {
    const res = await post({ to: TO, say: 'Your table is ready', voice: 'alice', language: 'en-GB' });
    const sid = res.body.sid as string;
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      sid,
      status: 'queued',
      to: TO,
      from: OUR_NUMBER,
      direction: 'outbound-api',
      dateCreated: expect.stringMatching(/ \+0000$/),
      requestId: expect.stringMatching(/^[0-9a-f-]{36}$/),
    });
    expect(api.fake.requests.map((r) => [r.method, r.path])).toEqual([['POST', CALLS_PATH]]);
    expect(posts(api.fake)).toEqual([[['To', TO], ['From', OUR_NUMBER], ['Twiml', SAY_TWIML], ...CALLBACK]]);
    const row = await api.t.store.getOutbound(res.body.requestId as string);
    expect(stable(row)).toEqual({
      kind: 'call',
      params: {
        to: TO,
        from: OUR_NUMBER,
        twiml: SAY_TWIML,
        statusCallback: 'https://switchboard.example.com/status/call',
        statusCallbackEvent: ['initiated', 'ringing', 'answered', 'completed'],
      },
      state: 'sent',
      attempts: 1,
      twilioSid: sid,
      response: api.fake.calls.get(sid),
      errorStatus: null,
      errorCode: null,
      errorMessage: null,
      jobId: null,
      skipReason: null,
      nextAttemptAt: null,
    });
    expect(await api.t.store.getCall(sid)).toEqual({
      sid,
      direction: 'outbound-api',
      from: OUR_NUMBER,
      to: TO,
      status: 'queued',
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

  test('a form body with url and every option is sent field for field', async () => {
    const res = await post(
      `to=client%3Aalice&from=%2B15559870000&url=https%3A%2F%2Fexample.com%2Ftwiml&record=true&timeout=25&machineDetection=Enable&sendDigits=1234%23ww9`,
      'form',
    );
    expect(res.status).toBe(201);
    expect(posts(api.fake)).toEqual([
      [
        ['To', 'client:alice'],
        ['From', '+15559870000'],
        ['Url', 'https://example.com/twiml'],
        ...CALLBACK,
        ['SendDigits', '1234#ww9'],
        ['Timeout', '25'],
        ['Record', 'true'],
        ['MachineDetection', 'Enable'],
      ],
    ]);
  });

  test('raw TwiML is passed on unchanged, and a sip: address is accepted', async () => {
    const twiml = '<Response><Play>https://example.com/a.mp3</Play></Response>';
    const res = await post({ to: 'sip:alice@example.com', twiml, statusCallback: 'https://hooks.example.com/calls' });
    expect(res.status).toBe(201);
    expect(posts(api.fake)[0]).toEqual([
      ['To', 'sip:alice@example.com'],
      ['From', OUR_NUMBER],
      ['Twiml', twiml],
      ['StatusCallback', 'https://hooks.example.com/calls'],
      ...CALLBACK.slice(1),
    ]);
  });

  test.each([
    [{ say: 'hi' }, 'to', 'Expected `to`: an E.164 number (+15551234567), client:name or a sip: URI'],
    [{ to: '5551230001', say: 'hi' }, 'to', 'Expected `to` to be an E.164 number (+15551234567), client:name or a sip: URI', '5551230001'],
    [{ to: '+05551230001', say: 'hi' }, 'to', 'Expected `to` to be an E.164 number (+15551234567), client:name or a sip: URI', '+05551230001'],
    [{ to: TO }, 'url', 'Expected exactly one of `url`, `twiml` or `say`'],
    [{ to: TO, say: 'hi', url: 'https://example.com/x' }, 'say', 'Expected exactly one of `url`, `twiml` or `say`, got url and say'],
    [{ to: TO, url: 'ftp://example.com/x' }, 'url', 'Expected `url` to be an absolute http(s) URL', 'ftp://example.com/x'],
    [{ to: TO, url: '/relative' }, 'url', 'Expected `url` to be an absolute http(s) URL', '/relative'],
    [{ to: TO, twiml: '<Response><Say>hi</Response>' }, 'twiml', 'Expected `twiml` to be well-formed XML: 1:28: unexpected close tag.', '<Response><Say>hi</Response>'],
    [{ to: TO, twiml: '<Response>&bogus;</Response>' }, 'twiml', 'Expected `twiml` to be well-formed XML: 1:17: undefined entity.', '<Response>&bogus;</Response>'],
    [{ to: TO, twiml: '<Response/><Hangup/>' }, 'twiml', 'Expected `twiml` to be well-formed XML: 1:19: documents may contain only one root.', '<Response/><Hangup/>'],
    [{ to: TO, twiml: 'hello' }, 'twiml', 'Expected `twiml` to be well-formed XML: 1:5: text data outside of root node.', 'hello'],
    [{ to: TO, twiml: '<Say>hi</Say>' }, 'twiml', 'Expected `twiml` to have <Response> as its root element', '<Say>hi</Say>'],
    [{ to: TO, twiml: '<!DOCTYPE r [<!ENTITY a "b">]><Response>&a;</Response>' }, 'twiml', 'Expected `twiml` to be well-formed XML: a DOCTYPE is not allowed', '<!DOCTYPE r [<!ENTITY a "b">]><Response>&a;</Response>'],
    [{ to: TO, twiml: `<Response><Say>${'a'.repeat(4000)}</Say></Response>` }, 'twiml', 'Expected `twiml` to be a string of 1 to 4000 characters', `<Response><Say>${'a'.repeat(65)}… (4032 characters)`],
    [{ to: TO, say: 'a'.repeat(3950) }, 'say', 'Expected `say` to fit in 4000 characters of TwiML', `${'a'.repeat(80)}… (3950 characters)`],
    [{ to: TO, say: 'hi', voice: 'robot' }, 'voice', 'Expected `voice` to be a supported value (see "Place a call" in the README)', 'robot'],
    [{ to: TO, say: 'hi', language: 'xx-XX' }, 'language', 'Expected `language` to be a supported value (see "Place a call" in the README)', 'xx-XX'],
    [{ to: TO, url: 'https://example.com/x', voice: 'alice' }, 'voice', '`voice` applies only with `say`', 'alice'],
    [{ to: TO, say: 'hi', record: 'yes' }, 'record', 'Expected `record` to be true or false', 'yes'],
    [{ to: TO, say: 'hi', timeout: 601 }, 'timeout', 'Expected `timeout` to be an integer from 1 to 600', 601],
    [{ to: TO, say: 'hi', timeout: 1.5 }, 'timeout', 'Expected `timeout` to be an integer from 1 to 600', 1.5],
    [{ to: TO, say: 'hi', machineDetection: 'on' }, 'machineDetection', 'Expected `machineDetection` to be one of Enable, DetectMessageEnd', 'on'],
    [{ to: TO, say: 'hi', sendDigits: '12a' }, 'sendDigits', 'Expected `sendDigits` to be digits, #, * and w (a half-second pause), at most 32', '12a'],
    [{ to: TO, say: 'hi', From: OUR_NUMBER }, 'From', 'Unknown field `From`'],
    [{ to: [TO, TO], say: 'hi' }, 'to', 'Expected `to` once, got 2 values', `["${TO}","${TO}"]`],
  ])('refuses bad input #%# with 400 naming the field and showing the value, and sends nothing', async (body, field, message, ...shown: unknown[]) => {
    // Rows without a fourth entry refuse a missing value; `...shown` keeps jest from passing `done`.
    const received = shown[0];
    const res = await post(body);
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: { message, field, ...(received !== undefined && { received }) } });
    expect(api.fake.requests).toEqual([]);
  });

  test('a JSON body that is not an object is refused', async () => {
    const res = await request(api.t.app).post('/api/calls').set('Authorization', AUTH).set('Content-Type', 'application/json').send('[1]');
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: { message: 'Expected the request body to be a JSON object or form fields', field: 'body' } });
  });

  test('malformed JSON gets a 400 in the API error shape', async () => {
    const res = await request(api.t.app).post('/api/calls').set('Authorization', AUTH).set('Content-Type', 'application/json').send('{"to":');
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: { message: 'request body is not valid JSON', field: 'body' } });
  });

  test('Twilio refusing the call is a 502 with its code and message; the row is failed', async () => {
    api.fake.inject({ kind: 'status', status: 400, code: 21215, message: 'Account not authorized to call +15551230001' });
    const res = await post({ to: TO, say: 'hi' });
    expect(res.status).toBe(502);
    expect(res.body).toEqual({
      error: { message: 'Account not authorized to call +15551230001', twilioCode: 21215, moreInfo: 'https://www.twilio.com/docs/errors/21215', requestId: expect.any(String) },
    });
    const row = await api.t.store.getOutbound(res.body.error.requestId as string);
    expect(row).toMatchObject({ state: 'failed', attempts: 1, errorStatus: 400, errorCode: 21215, errorMessage: 'Account not authorized to call +15551230001' });
  });

  test('a 500 after sending is an unknown outcome: 502, row unknown, never resent', async () => {
    api.fake.inject({ kind: 'status', status: 500, processed: true });
    const res = await post({ to: TO, say: 'hi' });
    expect(res.status).toBe(502);
    expect(res.body.error.message).toBe(
      "The request reached Twilio but no usable answer came back, so its outcome is unknown; it was not resent (outcome unknown (server-error): Internal Server Error (HTTP 500; the request may have been processed))",
    );
    expect(api.fake.requests).toHaveLength(1);
    expect(api.fake.calls.size).toBe(1);
    expect(await api.t.store.getOutbound(res.body.error.requestId as string)).toMatchObject({ state: 'unknown', attempts: 1, twilioSid: null });
  });

  test('a 429 is retried by the client and then succeeds, attempts counted on the row', async () => {
    api.fake.inject({ kind: 'status', status: 429, retryAfter: '0', times: 2 });
    const res = await post({ to: TO, say: 'hi' });
    expect(res.status).toBe(201);
    expect(api.fake.requests.map((r) => r.status)).toEqual([429, 429, 201]);
    expect(await api.t.store.getOutbound(res.body.requestId as string)).toMatchObject({ state: 'sent', attempts: 3 });
  });
});
