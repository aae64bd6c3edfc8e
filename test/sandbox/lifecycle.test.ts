// Twilio's side of the lifecycle, in process: status callbacks, the call walk, recordings,
// inbound calls and texts, and the log. The app is a stand-in that checks every signature.
import { startSandbox, type Sandbox } from '../../src/sandbox';
import { eventText, lineLog, type SandboxEvent } from '../../src/sandbox/log';
import { locateTwilioSpec } from '../../src/sandbox/spec-file';
import { startReceiver, type Receiver } from '../support/webhook-receiver';

const ACCOUNT_SID = `AC${'5'.repeat(32)}`;
const AUTH_TOKEN = 'lifecycle-test-token-8d1e2f';
const AUTH = `Basic ${Buffer.from(`${ACCOUNT_SID}:${AUTH_TOKEN}`).toString('base64')}`;
const ACCOUNT = `/2010-04-01/Accounts/${ACCOUNT_SID}`;
const SAY = (text: string) => `<?xml version="1.0" encoding="UTF-8"?><Response><Say>${text}</Say></Response>`;

let app: Receiver;
let sandbox: Sandbox;
let events: SandboxEvent[];
let jsonLines: string[];

beforeEach(async () => {
  app = await startReceiver(AUTH_TOKEN, {
    '/call': () => ({
      body: '<Response><Gather numDigits="2" action="/gathered"><Say>Enter your code</Say></Gather><Say>Nothing entered</Say></Response>',
    }),
    '/gathered': () => ({ body: '<Response><Record action="/recorded" finishOnKey="#"/></Response>' }),
    '/recorded': () => ({ body: '<Response><Say>Thanks</Say><Hangup/></Response>' }),
    '/voice': () => ({ body: '<Response><Gather action="/menu"><Say>Press 1 for sales</Say></Gather></Response>' }),
    '/menu': (params) => ({ body: SAY(`You chose ${params.find(([name]) => name === 'Digits')?.[1] ?? 'nothing'}`) }),
    '/sms': () => ({ body: '<Response><Message>Got it</Message></Response>' }),
    '/slow': () => ({ body: SAY('Still there?'), delayMs: 300 }),
    '/transfer': () => ({ body: '<Response><Dial action="/dialed">+15557770000</Dial></Response>' }),
    '/dialed': () => ({ body: '<Response><Hangup/></Response>' }),
  });
  events = [];
  jsonLines = [];
  const json = lineLog((line) => jsonLines.push(line), true, () => new Date('2026-03-01T12:00:00Z'));
  sandbox = await startSandbox({
    credentials: { accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, apiKeys: [] },
    host: '127.0.0.1',
    port: 0,
    specFile: locateTwilioSpec({}),
    stepMs: 2,
    maxSteps: 20,
    inbound: { voiceUrl: `${app.origin}/voice`, smsUrl: `${app.origin}/sms`, from: '+15551110000', to: '+15005550006' },
    script: { digits: [], speech: [], dialStatus: 'completed' },
    now: () => new Date(),
    log: (event) => {
      events.push(event);
      json(event);
    },
  });
});

afterEach(async () => {
  await sandbox.server.close();
  await app.close();
});

async function create(resource: 'Calls' | 'Messages', pairs: Array<[string, string]>, headers: Record<string, string> = {}) {
  const response = await fetch(`${sandbox.server.baseUrl}${ACCOUNT}/${resource}.json`, {
    method: 'POST',
    headers: { Authorization: AUTH, 'Content-Type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(pairs).toString(),
  });
  expect(response.status).toBe(201);
  return (await response.json()) as { sid: string };
}

const param = (params: Array<[string, string]>, name: string) => params.find(([key]) => key === name)?.[1];
const statuses = (path: string, field: string) => app.to(path).map((r) => param(r.params, field));

describe('messages', () => {
  test('queued → sending → sent → delivered, one signed callback each, and the resource follows', async () => {
    const { sid } = await create('Messages', [['To', '+15551230000'], ['From', '+15005550006'], ['Body', 'hi'], ['StatusCallback', `${app.origin}/status/sms`]]);
    await app.waitFor(() => app.to('/status/sms').length === 4);
    expect(statuses('/status/sms', 'MessageStatus')).toEqual(['queued', 'sending', 'sent', 'delivered']);
    expect(app.to('/status/sms').every((r) => r.signed && r.method === 'POST')).toBe(true);
    expect(app.to('/status/sms')[3]?.params).toEqual([
      ['MessageSid', sid],
      ['SmsSid', sid],
      ['AccountSid', ACCOUNT_SID],
      ['From', '+15005550006'],
      ['To', '+15551230000'],
      ['MessageStatus', 'delivered'],
      ['SmsStatus', 'delivered'],
      ['ApiVersion', '2010-04-01'],
    ]);
    expect(sandbox.state.messages.get(sid)).toMatchObject({ status: 'delivered', error_code: null });
    expect(sandbox.state.messages.get(sid)?.date_sent).not.toBeNull();
  });

  test.each([
    ['+15005550010', ['queued', 'sending', 'sent', 'undelivered'], '30003'],
    ['+15005550011', ['queued', 'failed'], '30008'],
  ])('%s ends %j with ErrorCode %s', async (to, expected, code) => {
    const { sid } = await create('Messages', [['To', to], ['From', '+15005550006'], ['Body', 'hi'], ['StatusCallback', `${app.origin}/status/sms`]]);
    await app.waitFor(() => app.to('/status/sms').length === expected.length);
    expect(statuses('/status/sms', 'MessageStatus')).toEqual(expected);
    expect(statuses('/status/sms', 'ErrorCode')).toEqual([...expected.slice(0, -1).map(() => undefined), code]);
    expect(sandbox.state.messages.get(sid)).toMatchObject({ status: expected[expected.length - 1], error_code: Number(code) });
  });
});

describe('calls', () => {
  test('the TwiML walk: Gather gets the scripted digits, Record leaves a WAV the sandbox serves, callbacks honour StatusCallbackEvent', async () => {
    const { sid } = await create(
      'Calls',
      [
        ['To', '+15551230000'],
        ['From', '+15005550006'],
        ['Url', `${app.origin}/call`],
        ['StatusCallback', `${app.origin}/status/call`],
        ['StatusCallbackEvent', 'initiated'],
        ['StatusCallbackEvent', 'answered'],
        ['StatusCallbackEvent', 'completed'],
      ],
      { 'X-Sandbox-Digits': '42' },
    );
    await app.waitFor(() => sandbox.state.calls.get(sid)?.status === 'completed' && app.to('/status/call').length === 3);
    expect(app.received.map((r) => `${r.method} ${r.url}`)).toEqual([
      'POST /status/call',
      'POST /status/call',
      'POST /call',
      'POST /gathered',
      'POST /recorded',
      'POST /status/call',
    ]);
    expect(app.received.every((r) => r.signed)).toBe(true);
    expect(statuses('/status/call', 'CallStatus')).toEqual(['initiated', 'in-progress', 'completed']);
    expect(statuses('/status/call', 'SequenceNumber')).toEqual(['0', '1', '2']);
    const duration = statuses('/status/call', 'CallDuration');
    expect(duration.slice(0, 2)).toEqual([undefined, undefined]);
    expect(Number(duration[2])).toBeGreaterThanOrEqual(1);

    const fetched = app.to('/call')[0]?.params ?? [];
    expect([param(fetched, 'CallSid'), param(fetched, 'Direction'), param(fetched, 'CallStatus')]).toEqual([sid, 'outbound-api', 'in-progress']);
    expect(param(app.to('/gathered')[0]?.params ?? [], 'Digits')).toBe('42');
    const recorded = app.to('/recorded')[0]?.params ?? [];
    const recordingUrl = param(recorded, 'RecordingUrl') ?? '';
    expect(recordingUrl).toMatch(new RegExp(`^${sandbox.server.baseUrl}${ACCOUNT}/Recordings/RE[0-9a-f]{32}$`));
    expect(param(recorded, 'Digits')).toBe('#');

    for (const url of [recordingUrl, `${recordingUrl}.wav`]) {
      const audio = await fetch(url);
      expect(audio.status).toBe(200);
      expect(audio.headers.get('content-type')).toBe('audio/wav');
      const bytes = Buffer.from(await audio.arrayBuffer());
      expect(bytes.subarray(0, 4).toString('ascii')).toBe('RIFF');
      expect(bytes.subarray(8, 12).toString('ascii')).toBe('WAVE');
      // 7 s of 8 kHz 16-bit mono, as RecordingDuration says.
      expect(bytes.length).toBe(44 + 7 * 8000 * 2);
      expect(param(recorded, 'RecordingDuration')).toBe('7');
    }
    expect((await fetch(`${sandbox.server.baseUrl}${ACCOUNT}/Recordings/RE${'0'.repeat(32)}.wav`)).status).toBe(404);
    expect(sandbox.state.calls.get(sid)).toMatchObject({ status: 'completed', duration: duration[2] });
  });

  test('without StatusCallbackEvent only the completed callback is sent; the default script lets the Gather time out', async () => {
    await create('Calls', [['To', '+15551230000'], ['From', '+15005550006'], ['Url', `${app.origin}/call`], ['StatusCallback', `${app.origin}/status/call`]]);
    await app.waitFor(() => app.to('/status/call').length === 1);
    expect(app.received.map((r) => r.url)).toEqual(['/call', '/status/call']);
    expect(statuses('/status/call', 'CallStatus')).toEqual(['completed']);
    expect(statuses('/status/call', 'SequenceNumber')).toEqual(['0']);
  });

  test('Record=true: the completed callback carries a recording of the whole call, served as a WAV as long as it says', async () => {
    const { sid } = await create('Calls', [
      ['To', '+15551230000'],
      ['From', '+15005550006'],
      ['Twiml', SAY('Recorded')],
      ['Record', 'true'],
      ['StatusCallback', `${app.origin}/status/call`],
    ]);
    await app.waitFor(() => app.to('/status/call').length === 1);
    const params = app.to('/status/call')[0]?.params ?? [];
    const recordingSid = param(params, 'RecordingSid') ?? '';
    expect(recordingSid).toMatch(/^RE[0-9a-f]{32}$/);
    expect(param(params, 'RecordingUrl')).toBe(`${sandbox.server.baseUrl}${ACCOUNT}/Recordings/${recordingSid}`);
    expect(param(params, 'RecordingDuration')).toBe(param(params, 'CallDuration'));
    expect(sandbox.state.recordings.get(recordingSid)).toEqual({ sid: recordingSid, callSid: sid, seconds: Number(param(params, 'CallDuration')) });
    const audio = await fetch(param(params, 'RecordingUrl') ?? '');
    expect(audio.headers.get('content-type')).toBe('audio/wav');
    expect((await audio.arrayBuffer()).byteLength).toBe(44 + Number(param(params, 'RecordingDuration')) * 8000 * 2);
  });

  test('X-Sandbox-Dial-Status decides how a <Dial> ends; StatusCallbackMethod=GET sends the callback as a signed query', async () => {
    const { sid } = await create(
      'Calls',
      [
        ['To', '+15551230000'],
        ['From', '+15005550006'],
        ['Url', `${app.origin}/transfer`],
        ['StatusCallback', `${app.origin}/status/call`],
        ['StatusCallbackMethod', 'GET'],
      ],
      { 'X-Sandbox-Dial-Status': 'busy' },
    );
    await app.waitFor(() => app.to('/status/call').length === 1);
    const dialed = app.to('/dialed')[0]?.params ?? [];
    expect([param(dialed, 'DialCallStatus'), param(dialed, 'DialCallSid')]).toEqual(['busy', undefined]);
    const callback = app.to('/status/call')[0];
    expect(callback).toMatchObject({ method: 'GET', params: [], signed: true });
    const query = new URLSearchParams(callback?.url.split('?')[1]);
    expect([query.get('CallSid'), query.get('CallStatus'), query.get('SequenceNumber')]).toEqual([sid, 'completed', '0']);
  });

  test('inline Twiml runs without a fetch; a busy number never answers (CallDuration 0)', async () => {
    const inline = await create('Calls', [['To', '+15551230000'], ['From', '+15005550006'], ['Twiml', SAY('Hello')], ['StatusCallback', `${app.origin}/status/call`]]);
    const busy = await create('Calls', [['To', '+15005550011'], ['From', '+15005550006'], ['Url', `${app.origin}/call`], ['StatusCallback', `${app.origin}/status/call`]]);
    await app.waitFor(() => app.to('/status/call').length === 2);
    const bySid = (sid: string) => app.to('/status/call').find((r) => param(r.params, 'CallSid') === sid)?.params ?? [];
    expect([param(bySid(inline.sid), 'CallStatus'), param(bySid(busy.sid), 'CallStatus'), param(bySid(busy.sid), 'CallDuration')]).toEqual([
      'completed',
      'busy',
      '0',
    ]);
    expect(app.to('/call')).toEqual([]);
    const ended = events.find((e) => e.event === 'call-ended' && e.sid === inline.sid);
    expect(ended).toMatchObject({ outcome: 'end' });
    expect(ended?.event === 'call-ended' && ended.transcript).toContain('  Say: Hello');
  });
});

describe('hanging up through the API', () => {
  test('Status=completed ends an answered call: one completed callback, sent for the hang-up, and the walk adds none', async () => {
    const { sid } = await create('Calls', [
      ['To', '+15551230000'],
      ['From', '+15005550006'],
      ['Url', `${app.origin}/slow`],
      ['StatusCallback', `${app.origin}/status/call`],
      ['StatusCallbackEvent', 'answered'],
      ['StatusCallbackEvent', 'completed'],
    ]);
    await app.waitFor(() => app.to('/status/call').length === 1);
    const hangup = await fetch(`${sandbox.server.baseUrl}${ACCOUNT}/Calls/${sid}.json`, {
      method: 'POST',
      headers: { Authorization: AUTH, 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'Status=completed',
    });
    expect(hangup.status).toBe(200);
    expect(await hangup.json()).toMatchObject({ sid, status: 'completed' });
    await app.waitFor(() => events.some((e) => e.event === 'call-ended' && e.sid === sid));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(statuses('/status/call', 'CallStatus')).toEqual(['in-progress', 'completed']);
    expect(statuses('/status/call', 'SequenceNumber')).toEqual(['0', '1']);
    expect(sandbox.state.calls.get(sid)?.status).toBe('completed');
  });
});

describe('inbound', () => {
  test('POST /sandbox/inbound/call calls the voice URL as an inbound call and answers with the walk', async () => {
    const response = await fetch(`${sandbox.server.baseUrl}/sandbox/inbound/call`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams([['From', '+15557654321'], ['Digits', '1']]).toString(),
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { call: { sid: string; status: string; direction: string }; transcript: string[] };
    expect(body.call).toMatchObject({ status: 'completed', direction: 'inbound', from: '+15557654321', to: '+15005550006' });
    expect(body.transcript).toContain('  Say: You chose 1');
    const first = app.to('/voice')[0];
    expect(first?.signed).toBe(true);
    expect([param(first?.params ?? [], 'Direction'), param(first?.params ?? [], 'CallStatus'), param(first?.params ?? [], 'From')]).toEqual([
      'inbound',
      'ringing',
      '+15557654321',
    ]);
    expect(param(app.to('/menu')[0]?.params ?? [], 'Digits')).toBe('1');
  });

  test('POST /sandbox/inbound/sms (JSON) texts the SMS URL; the app\'s reply is sent and delivered', async () => {
    const response = await fetch(`${sandbox.server.baseUrl}/sandbox/inbound/sms`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ From: '+15557654321', Body: 'hello there' }),
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { message: { sid: string }; replies: Array<{ sid: string; to: string; from: string; body: string; direction: string }> };
    expect(body.replies).toHaveLength(1);
    expect(body.replies[0]).toMatchObject({ to: '+15557654321', from: '+15005550006', body: 'Got it', direction: 'outbound-reply' });
    const sms = app.to('/sms')[0];
    expect(sms?.signed).toBe(true);
    expect([param(sms?.params ?? [], 'Body'), param(sms?.params ?? [], 'From'), param(sms?.params ?? [], 'MessageSid')]).toEqual([
      'hello there',
      '+15557654321',
      body.message.sid,
    ]);
    const replySid = body.replies[0]?.sid ?? '';
    await app.waitFor(() => sandbox.state.messages.get(replySid)?.status === 'delivered');
    expect(sandbox.state.messages.get(body.message.sid)).toMatchObject({ direction: 'inbound', status: 'received' });
  });

  test('a bad Url or body is refused with 400; other /sandbox paths are 404', async () => {
    const post = (path: string, body: string, type = 'application/x-www-form-urlencoded') =>
      fetch(`${sandbox.server.baseUrl}${path}`, { method: 'POST', headers: { 'Content-Type': type }, body });
    expect((await post('/sandbox/inbound/call', 'Url=ftp%3A%2F%2Fexample.com')).status).toBe(400);
    expect((await post('/sandbox/inbound/sms', '[1]', 'application/json')).status).toBe(400);
    expect((await post('/sandbox/outbound', '')).status).toBe(404);
    expect(app.received).toEqual([]);
  });
});

describe('the log', () => {
  test('one JSON line per event, with a time; readable lines too; never the auth token', async () => {
    const { sid } = await create('Messages', [['To', '+15551230000'], ['From', '+15005550006'], ['Body', 'hi'], ['StatusCallback', `${app.origin}/status/sms`]]);
    await app.waitFor(() => events.some((e) => e.event === 'callback' && e.status === 'delivered'));
    const parsed = jsonLines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(jsonLines.every((line) => line.endsWith('\n') && line.indexOf('\n') === line.length - 1)).toBe(true);
    expect(parsed[0]).toEqual({ time: '2026-03-01T12:00:00.000Z', event: 'listening', url: sandbox.server.baseUrl, accountSid: ACCOUNT_SID, signed: true });
    expect(parsed[1]).toEqual({
      time: '2026-03-01T12:00:00.000Z',
      event: 'request',
      method: 'POST',
      path: `${ACCOUNT}/Messages.json`,
      status: 201,
      code: null,
      sid,
    });
    expect(parsed.filter((e) => e.event === 'status').map((e) => e.status)).toEqual(['sending', 'sent', 'delivered']);
    expect(parsed.filter((e) => e.event === 'callback').map((e) => [e.status, e.answer])).toEqual([
      ['queued', 204],
      ['sending', 204],
      ['sent', 204],
      ['delivered', 204],
    ]);
    expect(eventText(events[1] as SandboxEvent)).toBe(`API POST ${ACCOUNT}/Messages.json → 201 ${sid}`);
    expect(eventText(events[events.length - 1] as SandboxEvent)).toBe(`${sid} status callback delivered: POST ${app.origin}/status/sms → 204`);
    const everything = jsonLines.join('') + events.map(eventText).join('\n');
    expect(everything).not.toContain(AUTH_TOKEN);
  });
});
