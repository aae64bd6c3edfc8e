// Answering machine detection: MachineDetection puts AnsweredBy (and MachineDetectionDuration) on
// the first TwiML request, AsyncAmd sends them to AsyncAmdStatusCallback instead, the completed
// status callback and the Call resource carry the answer; who answers is X-Sandbox-Answered-By
// (or the sandbox-wide script), `human` by default; bad values are refused with 21234.
import type { SandboxEvent } from '../../src/sandbox/log';
import { ended, HARNESS_ACCOUNT_SID, param, startHarness, type Harness } from '../support/sandbox-harness';

const FROM = '+15005550006';
const TO = '+15551230000';

let h: Harness;

const ROUTES = {
  '/call': () => ({ body: '<Response><Say>Hello</Say></Response>' }),
};

beforeEach(async () => {
  h = await startHarness(ROUTES);
});

afterEach(() => h.close());

function create(extra: Array<[string, string]>, headers: Record<string, string> = {}): Promise<string> {
  return h.call(
    [
      ['To', TO],
      ['From', FROM],
      ['Url', `${h.app.origin}/call`],
      ['StatusCallback', `${h.app.origin}/status`],
      ['StatusCallbackEvent', 'answered'],
      ['StatusCallbackEvent', 'completed'],
      ...extra,
    ],
    headers,
  );
}

const amdEvents = (events: readonly SandboxEvent[]) => events.filter((e) => e.event === 'answered-by' || e.event === 'amd-callback' || e.event === 'debugger');

describe('synchronous AMD', () => {
  test('the first webhook carries AnsweredBy and MachineDetectionDuration; the completed callback and the Call resource carry the answer', async () => {
    const sid = await create([['MachineDetection', 'Enable']], { 'X-Sandbox-Answered-By': 'machine_start' });
    await h.app.waitFor(() => ended(h.events, sid) && h.app.to('/status').length === 2);
    expect(h.app.received.map((r) => r.url)).toEqual(['/status', '/call', '/status']);
    expect(h.app.received.every((r) => r.signed)).toBe(true);
    expect(h.app.to('/call')[0]?.params).toEqual([
      ['CallSid', sid],
      ['AccountSid', HARNESS_ACCOUNT_SID],
      ['From', FROM],
      ['To', TO],
      ['Caller', FROM],
      ['Called', TO],
      ['CallStatus', 'in-progress'],
      ['Direction', 'outbound-api'],
      ['ApiVersion', '2010-04-01'],
      ['AnsweredBy', 'machine_start'],
      ['MachineDetectionDuration', '2400'],
    ]);
    const [answered, completed] = h.app.to('/status').map((r) => r.params);
    // Detection runs after the answer: the answered callback does not know yet.
    expect([param(answered ?? [], 'CallStatus'), param(answered ?? [], 'AnsweredBy')]).toEqual(['in-progress', undefined]);
    expect([param(completed ?? [], 'CallStatus'), param(completed ?? [], 'AnsweredBy')]).toEqual(['completed', 'machine_start']);
    expect(completed?.at(-1)).toEqual(['AnsweredBy', 'machine_start']);
    expect(h.sandbox.state.calls.get(sid)?.answered_by).toBe('machine_start');
    expect(amdEvents(h.events)).toEqual([{ event: 'answered-by', sid, answeredBy: 'machine_start', mode: 'Enable', async: false }]);
  });

  test.each([
    // mode, who answers (the script), what Twilio reports in that mode, MachineDetectionDuration
    ['Enable', '(none)', 'human', '1800'],
    ['Enable', 'fax', 'fax', '1200'],
    ['Enable', 'machine_end_beep', 'machine_start', '2400'],
    ['Enable', 'unknown', 'unknown', '30000'],
    ['DetectMessageEnd', 'human', 'human', '1800'],
    ['DetectMessageEnd', 'machine_start', 'machine_end_beep', '8200'],
    ['DetectMessageEnd', 'machine_end_beep', 'machine_end_beep', '8200'],
    ['DetectMessageEnd', 'machine_end_silence', 'machine_end_silence', '9600'],
    ['DetectMessageEnd', 'machine_end_other', 'machine_end_other', '8800'],
    ['DetectMessageEnd', 'unknown', 'unknown', '30000'],
    ['DetectMessageEnd', 'robot', 'human', '1800'],
  ])('MachineDetection=%s, X-Sandbox-Answered-By: %s → AnsweredBy=%s after %s ms', async (mode, who, expected, duration) => {
    const sid = await create([['MachineDetection', mode]], who === '(none)' ? {} : { 'X-Sandbox-Answered-By': who });
    await h.app.waitFor(() => ended(h.events, sid) && h.app.to('/status').length === 2);
    const first = h.app.to('/call')[0]?.params ?? [];
    expect([param(first, 'AnsweredBy'), param(first, 'MachineDetectionDuration')]).toEqual([expected, duration]);
    expect(param(h.app.to('/status')[1]?.params ?? [], 'AnsweredBy')).toBe(expected);
  });

  test('MachineDetectionTimeout is how long an unknown took', async () => {
    const sid = await create([['MachineDetection', 'Enable'], ['MachineDetectionTimeout', '12']], { 'X-Sandbox-Answered-By': 'unknown' });
    await h.app.waitFor(() => ended(h.events, sid));
    expect(param(h.app.to('/call')[0]?.params ?? [], 'MachineDetectionDuration')).toBe('12000');
  });

  test('SendDigits makes Twilio ignore MachineDetection: no AnsweredBy anywhere', async () => {
    const sid = await create([['MachineDetection', 'Enable'], ['SendDigits', '1234']], { 'X-Sandbox-Answered-By': 'fax' });
    await h.app.waitFor(() => ended(h.events, sid) && h.app.to('/status').length === 2);
    expect(h.app.received.flatMap((r) => r.params).filter(([name]) => name === 'AnsweredBy')).toEqual([]);
    expect(h.sandbox.state.calls.get(sid)?.answered_by).toBeNull();
  });

  test('without MachineDetection nothing says AnsweredBy', async () => {
    const sid = await create([], { 'X-Sandbox-Answered-By': 'fax' });
    await h.app.waitFor(() => ended(h.events, sid) && h.app.to('/status').length === 2);
    expect(h.app.received.flatMap((r) => r.params).filter(([name]) => name === 'AnsweredBy')).toEqual([]);
  });
});

describe('AsyncAmd=true', () => {
  test('the TwiML is fetched without AnsweredBy; the answer goes, signed, to AsyncAmdStatusCallback with Twilio\'s four parameters', async () => {
    const sid = await create(
      [
        ['MachineDetection', 'DetectMessageEnd'],
        ['AsyncAmd', 'true'],
        ['AsyncAmdStatusCallback', `${h.app.origin}/amd`],
      ],
      { 'X-Sandbox-Answered-By': 'machine_end_beep' },
    );
    await h.app.waitFor(() => ended(h.events, sid) && h.app.to('/status').length === 2);
    expect(h.app.received.map((r) => r.url)).toEqual(['/status', '/call', '/amd', '/status']);
    expect(param(h.app.to('/call')[0]?.params ?? [], 'AnsweredBy')).toBeUndefined();
    expect(h.app.to('/amd')[0]).toMatchObject({
      method: 'POST',
      signed: true,
      params: [
        ['AccountSid', HARNESS_ACCOUNT_SID],
        ['CallSid', sid],
        ['AnsweredBy', 'machine_end_beep'],
        ['MachineDetectionDuration', '8200'],
      ],
    });
    expect(param(h.app.to('/status')[1]?.params ?? [], 'AnsweredBy')).toBe('machine_end_beep');
    expect(amdEvents(h.events)).toEqual([
      { event: 'answered-by', sid, answeredBy: 'machine_end_beep', mode: 'DetectMessageEnd', async: true },
      { event: 'amd-callback', sid, answeredBy: 'machine_end_beep', method: 'POST', url: `${h.app.origin}/amd`, answer: 204 },
    ]);
  });

  test('AsyncAmdStatusCallbackMethod=GET sends it as a signed query', async () => {
    const sid = await create([
      ['MachineDetection', 'Enable'],
      ['AsyncAmd', 'true'],
      ['AsyncAmdStatusCallback', `${h.app.origin}/amd`],
      ['AsyncAmdStatusCallbackMethod', 'GET'],
    ]);
    await h.app.waitFor(() => ended(h.events, sid) && h.app.to('/amd').length === 1);
    const amd = h.app.to('/amd')[0];
    expect(amd).toMatchObject({ method: 'GET', params: [], signed: true });
    expect([...new URLSearchParams(amd?.url.split('?')[1])]).toEqual([
      ['AccountSid', HARNESS_ACCOUNT_SID],
      ['CallSid', sid],
      ['AnsweredBy', 'human'],
      ['MachineDetectionDuration', '1800'],
    ]);
  });

  test('without AsyncAmdStatusCallback: warning 21262, the answer only on the Call resource and the completed callback', async () => {
    const sid = await create([['MachineDetection', 'Enable'], ['AsyncAmd', 'true']], { 'X-Sandbox-Answered-By': 'fax' });
    await h.app.waitFor(() => ended(h.events, sid) && h.app.to('/status').length === 2);
    expect(h.app.received.map((r) => r.url)).toEqual(['/status', '/call', '/status']);
    expect(amdEvents(h.events)).toEqual([
      { event: 'answered-by', sid, answeredBy: 'fax', mode: 'Enable', async: true },
      { event: 'debugger', sid, level: 'warning', code: 21262, message: 'No AMD status callback URL provided: AnsweredBy is on the Call resource only' },
    ]);
    expect(h.sandbox.state.calls.get(sid)?.answered_by).toBe('fax');
  });
});

describe('the sandbox-wide script', () => {
  test('answeredBy in the settings (--answered-by) applies to every call without the header', async () => {
    await h.close();
    h = await startHarness(ROUTES, { script: { digits: [], speech: [], dialStatus: 'completed', answeredBy: 'machine_end_silence' } });
    const sid = await create([['MachineDetection', 'DetectMessageEnd']]);
    await h.app.waitFor(() => ended(h.events, sid));
    expect(param(h.app.to('/call')[0]?.params ?? [], 'AnsweredBy')).toBe('machine_end_silence');
  });
});

describe('bad AMD values are refused with 21234, in Twilio\'s error JSON', () => {
  test.each([
    ['MachineDetection', 'enable', "MachineDetection must be one of Enable, DetectMessageEnd; got 'enable'"],
    ['MachineDetection', 'DetectMessageStart', "MachineDetection must be one of Enable, DetectMessageEnd; got 'DetectMessageStart'"],
    ['AsyncAmd', 'yes', "AsyncAmd must be one of true, false; got 'yes'"],
    ['MachineDetectionSpeechThreshold', '999', 'MachineDetectionSpeechThreshold must be from 1000 to 6000; got 999'],
    ['MachineDetectionSpeechEndThreshold', '5001', 'MachineDetectionSpeechEndThreshold must be from 500 to 5000; got 5001'],
    ['MachineDetectionSilenceTimeout', '1999', 'MachineDetectionSilenceTimeout must be from 2000 to 10000; got 1999'],
  ])('%s=%s', async (name, value, detail) => {
    const detection: Array<[string, string]> = name === 'MachineDetection' ? [] : [['MachineDetection', 'Enable']];
    const created = await h.post('/Calls.json', [['To', TO], ['From', FROM], ['Url', `${h.app.origin}/call`], ...detection, [name, value]]);
    expect(created).toEqual({
      status: 400,
      body: {
        code: 21234,
        message: `Invalid Machine Detection configuration value (${detail})`,
        more_info: 'https://www.twilio.com/docs/errors/21234',
        status: 400,
      },
    });
    expect(h.sandbox.state.calls.size).toBe(0);
  });

  test('a MachineDetectionTimeout that is not a number is a plain 400', async () => {
    const created = await h.post('/Calls.json', [['To', TO], ['From', FROM], ['Url', `${h.app.origin}/call`], ['MachineDetection', 'Enable'], ['MachineDetectionTimeout', 'soon']]);
    expect(created).toEqual({
      status: 400,
      body: { code: 400, message: "MachineDetectionTimeout must be an integer; got 'soon'", more_info: 'https://www.twilio.com/docs/errors/400', status: 400 },
    });
  });
});
