// Recording status callbacks: for <Record recordingStatusCallback=…> and for Record=true calls
// with RecordingStatusCallback, the in-progress / completed / absent requests Twilio sends, with
// its parameters, signed; `completed` alone when no event is named.
import type { SandboxEvent } from '../../src/sandbox/log';
import { ended, HARNESS_ACCOUNT, HARNESS_ACCOUNT_SID, param, startHarness, type Harness } from '../support/sandbox-harness';

const FROM = '+15005550006';
const TO = '+15551230000';
const NOW = new Date('2026-03-02T10:00:00Z');
const STARTED = 'Mon, 02 Mar 2026 10:00:00 +0000';

let h: Harness;

beforeEach(async () => {
  h = await startHarness(
    {
      '/record': () => ({
        body: '<Response><Record action="/recorded" recordingStatusCallback="/rec" recordingStatusCallbackEvent="in-progress completed"/></Response>',
      }),
      '/recorded': () => ({ body: '<Response><Hangup/></Response>' }),
      '/record-get': () => ({ body: '<Response><Record action="/recorded" recordingStatusCallback="/rec" recordingStatusCallbackMethod="GET"/></Response>' }),
      '/record-all': () => ({
        body: '<Response><Record action="/recorded" recordingStatusCallback="/rec" recordingStatusCallbackEvent="in-progress completed absent"/><Say>No message</Say></Response>',
      }),
      '/record-odd': () => ({ body: '<Response><Record action="/recorded" recordingStatusCallback="/rec" recordingStatusCallbackEvent="started completed"/></Response>' }),
    },
    { now: () => NOW, stepMs: 20 },
  );
});

afterEach(() => h.close());

const urls = () => h.app.received.map((r) => (r.url === '/rec' ? `/rec ${param(r.params, 'RecordingStatus')}` : r.url.split('?')[0]));
const warnings = (events: readonly SandboxEvent[]) =>
  events.filter((e) => e.event === 'debugger' && e.level === 'warning').map((e) => (e.event === 'debugger' ? [e.code, e.message] : []));

describe('<Record recordingStatusCallback>', () => {
  test('in-progress before the action request, completed after, with Twilio\'s parameters, signed; the URL serves the recording', async () => {
    const origin = h.app.origin;
    const sid = await h.call([['To', TO], ['From', FROM], ['Url', `${origin}/record`]]);
    await h.app.waitFor(() => ended(h.events, sid) && h.app.to('/rec').length === 2);
    const order = urls();
    expect(order.indexOf('/rec in-progress')).toBeLessThan(order.indexOf('/recorded'));
    expect(order.indexOf('/rec in-progress')).toBeLessThan(order.indexOf('/rec completed'));
    expect(order.sort()).toEqual(['/rec completed', '/rec in-progress', '/record', '/recorded']);
    expect(h.app.received.every((r) => r.signed && r.method === 'POST')).toBe(true);

    const recorded = h.app.to('/recorded')[0]?.params ?? [];
    const recordingSid = param(recorded, 'RecordingSid') ?? '';
    const recordingUrl = `${h.sandbox.server.baseUrl}${HARNESS_ACCOUNT}/Recordings/${recordingSid}`;
    expect(param(recorded, 'RecordingUrl')).toBe(recordingUrl);
    const expected = (status: string, duration: string): Array<[string, string]> => [
      ['AccountSid', HARNESS_ACCOUNT_SID],
      ['CallSid', sid],
      ['RecordingSid', recordingSid],
      ['RecordingUrl', recordingUrl],
      ['RecordingStatus', status],
      ['RecordingDuration', duration],
      ['RecordingChannels', '1'],
      ['RecordingSource', 'RecordVerb'],
      ['RecordingStartTime', STARTED],
    ];
    const byStatus = (status: string) => h.app.to('/rec').find((r) => param(r.params, 'RecordingStatus') === status)?.params;
    expect(byStatus('in-progress')).toEqual(expected('in-progress', '-1'));
    expect(byStatus('completed')).toEqual(expected('completed', '7'));
    const audio = await fetch(recordingUrl);
    expect([audio.status, audio.headers.get('content-type')]).toEqual([200, 'audio/wav']);
    expect(h.events.filter((e) => e.event === 'recording-callback').map((e) => (e.event === 'recording-callback' ? [e.sid, e.status, e.answer] : []))).toEqual([
      [recordingSid, 'in-progress', 204],
      [recordingSid, 'completed', 204],
    ]);
  });

  test('without recordingStatusCallbackEvent only completed is sent; recordingStatusCallbackMethod=GET puts it in the signed query', async () => {
    const sid = await h.call([['To', TO], ['From', FROM], ['Url', `${h.app.origin}/record-get`]]);
    await h.app.waitFor(() => ended(h.events, sid) && h.app.to('/rec').length === 1);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const callbacks = h.app.to('/rec');
    expect(callbacks).toHaveLength(1);
    expect(callbacks[0]).toMatchObject({ method: 'GET', params: [], signed: true });
    const query = new URLSearchParams(callbacks[0]?.url.split('?')[1]);
    expect([query.get('RecordingStatus'), query.get('RecordingDuration'), query.get('CallSid')]).toEqual(['completed', '7', sid]);
  });

  test('a silent caller (X-Sandbox-Recording: silent): in-progress then absent with ErrorCode 16102, no action request, the next verb runs', async () => {
    const sid = await h.call([['To', TO], ['From', FROM], ['Url', `${h.app.origin}/record-all`]], { 'X-Sandbox-Recording': 'silent' });
    await h.app.waitFor(() => ended(h.events, sid) && h.app.to('/rec').length === 2);
    expect(urls()).toEqual(['/record-all', '/rec in-progress', '/rec absent']);
    const recordingSid = param(h.app.to('/rec')[0]?.params ?? [], 'RecordingSid') ?? '';
    expect(recordingSid).toMatch(/^RE[0-9a-f]{32}$/);
    expect(h.app.to('/rec')[1]?.params).toEqual([
      ['AccountSid', HARNESS_ACCOUNT_SID],
      ['CallSid', sid],
      ['RecordingSid', recordingSid],
      ['RecordingStatus', 'absent'],
      ['RecordingDuration', '0'],
      ['RecordingChannels', '1'],
      ['RecordingSource', 'RecordVerb'],
      ['RecordingStartTime', STARTED],
      ['ErrorCode', '16102'],
    ]);
    const walk = h.events.find((e) => e.event === 'call-ended');
    expect(walk?.event === 'call-ended' && walk.transcript).toEqual(expect.arrayContaining(['  Caller says nothing: no recording, continuing with the next verb', '  Say: No message']));
    expect(h.sandbox.state.recordings.size).toBe(0);
  });

  test('an unknown event word is ignored with warning 13621, as Twilio does', async () => {
    const sid = await h.call([['To', TO], ['From', FROM], ['Url', `${h.app.origin}/record-odd`]]);
    await h.app.waitFor(() => ended(h.events, sid) && h.app.to('/rec').length === 1);
    expect(param(h.app.to('/rec')[0]?.params ?? [], 'RecordingStatus')).toBe('completed');
    expect(warnings(h.events)).toEqual([[13621, "Invalid recordingStatusCallbackEvent 'started' ignored"]]);
  });
});

describe('Record=true with RecordingStatusCallback', () => {
  test('in-progress at the answer, completed after the call\'s own completed callback, for the same recording', async () => {
    const origin = h.app.origin;
    const sid = await h.call([
      ['To', TO],
      ['From', FROM],
      ['Twiml', '<Response><Say>Recorded</Say></Response>'],
      ['Record', 'true'],
      ['RecordingChannels', 'dual'],
      ['RecordingStatusCallback', `${origin}/rec`],
      ['RecordingStatusCallbackEvent', 'in-progress'],
      ['RecordingStatusCallbackEvent', 'completed'],
      ['StatusCallback', `${origin}/status`],
    ]);
    await h.app.waitFor(() => h.app.to('/rec').length === 2);
    expect(urls()).toEqual(['/rec in-progress', '/status', '/rec completed']);
    const status = h.app.to('/status')[0]?.params ?? [];
    const recordingSid = param(status, 'RecordingSid') ?? '';
    const expected = (state: string, duration: string, url: boolean): Array<[string, string]> => [
      ['AccountSid', HARNESS_ACCOUNT_SID],
      ['CallSid', sid],
      ['RecordingSid', recordingSid],
      ...(url ? ([['RecordingUrl', `${h.sandbox.server.baseUrl}${HARNESS_ACCOUNT}/Recordings/${recordingSid}`]] as Array<[string, string]>) : []),
      ['RecordingStatus', state],
      ['RecordingDuration', duration],
      ['RecordingChannels', '2'],
      ['RecordingSource', 'OutboundAPI'],
      ['RecordingStartTime', STARTED],
    ];
    expect(h.app.to('/rec')[0]?.params).toEqual(expected('in-progress', '-1', true));
    expect(h.app.to('/rec')[1]?.params).toEqual(expected('completed', param(status, 'CallDuration') ?? '', true));
    expect(h.app.received.every((r) => r.signed)).toBe(true);
  });

  test('without a StatusCallback the recording is still made and reported (completed only, by default)', async () => {
    await h.call([
      ['To', TO],
      ['From', FROM],
      ['Twiml', '<Response><Say>Recorded</Say></Response>'],
      ['Record', 'true'],
      ['RecordingStatusCallback', `${h.app.origin}/rec`],
      ['RecordingStatusCallbackEvent', 'completed absent'],
    ]);
    await h.app.waitFor(() => h.app.to('/rec').length === 1);
    const params = h.app.to('/rec')[0]?.params ?? [];
    expect([param(params, 'RecordingStatus'), param(params, 'RecordingChannels'), param(params, 'RecordingDuration')]).toEqual(['completed', '1', '1']);
    expect(h.sandbox.state.recordings.get(param(params, 'RecordingSid') ?? '')?.seconds).toBe(1);
  });

  test('a RecordingStatusCallback that is not an absolute URL: the call goes on, warning 13256, no callback', async () => {
    const sid = await h.call([['To', TO], ['From', FROM], ['Twiml', '<Response><Say>Hi</Say></Response>'], ['Record', 'true'], ['RecordingStatusCallback', 'rec']]);
    await h.app.waitFor(() => ended(h.events, sid));
    expect(h.app.received).toEqual([]);
    expect(warnings(h.events)).toEqual([[13256, 'Invalid recordingStatusCallback URL "rec": the recording is kept, no status callback is sent']]);
  });
});

describe('bad input is refused with Twilio\'s error JSON', () => {
  test.each([
    ['RecordingStatusCallbackEvent', 'finished', "RecordingStatusCallbackEvent must be in-progress, completed, absent (space-separated or repeated); got 'finished'"],
    ['RecordingStatusCallbackEvent', 'in-progress ended', "RecordingStatusCallbackEvent must be in-progress, completed, absent (space-separated or repeated); got 'ended'"],
    ['RecordingStatusCallbackMethod', 'PUT', "RecordingStatusCallbackMethod must be one of GET, POST; got 'PUT'"],
  ])('%s=%s', async (name, value, message) => {
    const created = await h.post('/Calls.json', [['To', TO], ['From', FROM], ['Twiml', '<Response/>'], ['Record', 'true'], [name, value]]);
    expect(created).toEqual({ status: 400, body: { code: 400, message, more_info: 'https://www.twilio.com/docs/errors/400', status: 400 } });
    expect(h.sandbox.state.calls.size).toBe(0);
  });
});
