import path from 'node:path';
import { loadSettingsFile, parseSettings } from '../../src/settings';
import { buildTestApp, type TestApp } from '../support/app';
import { listen, runCli, type Listening } from '../support/cli';

const TOKEN = 'abcdefabcdefabcdefabcdefabcdef12';
const BASE = 'https://acme.example.com';
const CALL_SID = 'CA' + 'c'.repeat(32);
const settings = loadSettingsFile(path.resolve(__dirname, '../../switchboard.config.example.json'), true);
// Wednesday 2026-01-07 10:00 in New York: the office is open, so calls reach the main menu.
const OPEN = new Date('2026-01-07T15:00:00Z');

interface Step {
  request: { method: string; url: string; publicUrl: string; params: Record<string, string>; signed: boolean };
  status: number;
  twiml: string;
  heard: string[];
}
interface Result {
  steps: Step[];
  outcome: string;
  error?: string;
  transcript: string[];
}

let t: TestApp;
let server: Listening;
let env: Record<string, string>;
beforeEach(async () => {
  t = buildTestApp({ TWILIO_AUTH_TOKEN: TOKEN, PUBLIC_BASE_URL: BASE }, undefined, { settings });
  t.clock.set(OPEN);
  server = await listen(t.app);
  env = { TWILIO_AUTH_TOKEN: TOKEN, PUBLIC_BASE_URL: BASE, SWITCHBOARD_URL: server.origin };
});
afterEach(async () => {
  await server.close();
  await t.close();
});

/** Recording SIDs are random; everything else in a transcript is fixed by the options. */
const stable = (text: string) => text.replace(/RE[0-9a-f]{32}/g, 'RE…').replace(/CA[0-9a-f]{32}/g, (sid) => (sid === CALL_SID ? sid : 'CA…'));

describe('switchboard simulate call, against the example IVR', () => {
  test('menu, sub-menu, ring group without answer, voicemail: the transcript, and the voicemail is stored', async () => {
    const run = await runCli(['simulate', 'call', '--digits', '2,1', '--dial-status', 'no-answer', '--call-sid', CALL_SID], env);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const o = server.origin;
    expect(stable(run.stdout)).toBe(
      [
        `Call ${CALL_SID} from +15555550100 to +15555550199`,
        `Requests are signed with TWILIO_AUTH_TOKEN for ${BASE} (the URL Twilio would use)`,
        `→ POST ${o}/voice`,
        '  Say: Thanks for calling Acme.',
        '  Gather (keys, speech):',
        '    Say: For sales, press 1 or say sales. For support, press 2 or say support. To leave a message, press 3.',
        '  Caller presses 2',
        `→ POST ${o}/voice/node/main/gather?attempt=0  Digits=2`,
        '  Gather (keys):',
        '    Say: For billing, press 1. For technical support, press 2.',
        '  Caller presses 1',
        `→ POST ${o}/voice/node/support/gather?attempt=0  Digits=1`,
        '  Dial: +15005550007, +15005550008',
        '  Dial result: no-answer',
        `→ POST ${o}/voice/node/support.1/dial-result  DialCallStatus=no-answer`,
        '  Say: Please leave your name, number and message after the beep.',
        '  Record (beep)',
        '  Caller leaves a 7-second recording and presses #',
        `→ POST ${o}/voice/node/voicemail/recorded  RecordingUrl=https://recordings.example.com/simulated/RE…, RecordingSid=RE…, RecordingDuration=7, Digits=#`,
        '  Say: Thank you for your message. Goodbye.',
        '  Hangup',
        'Call ends: completed, 57 s',
        `→ POST ${o}/status/call  CallStatus=completed, CallDuration=57`,
        'Outcome: hangup after 5 requests',
        '',
      ].join('\n'),
    );
    const [voicemail] = await t.store.listVoicemails({ limit: 10 });
    expect(voicemail).toMatchObject({ callSid: CALL_SID, from: '+15555550100', to: '+15555550199', duration: 7, source: 'flow:voicemail' });
    expect(voicemail?.recordingSid).toMatch(/^RE[0-9a-f]{32}$/);
    expect(voicemail?.recordingUrl).toBe(`https://recordings.example.com/simulated/${voicemail?.recordingSid}`);
    // The status callback that ended the call: the history shows how it ended, not "ringing".
    expect(await t.store.getCall(CALL_SID)).toMatchObject({ direction: 'inbound', from: '+15555550100', to: '+15555550199', status: 'completed', duration: 57 });
    expect(t.logText()).toContain('/voice/node/voicemail/recorded');
  });

  test('--json: every request with its parameters, status, TwiML and what was heard', async () => {
    const run = await runCli(['simulate', 'call', '--speech', 'sales', '--call-sid', CALL_SID, '--to', '+15005550001', '--json'], env);
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout) as Result;
    expect(Object.keys(result)).toEqual(['steps', 'statusCallback', 'outcome', 'transcript']);
    expect(result.outcome).toBe('hangup');
    expect(result.steps.map((step) => [step.request.url, step.status, step.heard])).toEqual([
      [
        `${server.origin}/voice`,
        200,
        ['Thanks for calling Acme.', 'For sales, press 1 or say sales. For support, press 2 or say support. To leave a message, press 3.'],
      ],
      [`${server.origin}/voice/node/main/gather?attempt=0`, 200, ['Connecting you to sales.']],
      [`${server.origin}/voice/node/sales/dial-result`, 200, []],
    ]);
    const [first, second, third] = result.steps;
    expect(first?.request).toEqual({
      method: 'POST',
      url: `${server.origin}/voice`,
      publicUrl: `${BASE}/voice`,
      params: {
        CallSid: CALL_SID,
        AccountSid: expect.stringMatching(/^AC[0-9a-f]{32}$/) as unknown as string,
        From: '+15555550100',
        To: '+15005550001',
        Caller: '+15555550100',
        Called: '+15005550001',
        CallStatus: 'ringing',
        Direction: 'inbound',
        ApiVersion: '2010-04-01',
      },
      signed: true,
    });
    expect(second?.request.params).toMatchObject({ CallStatus: 'in-progress', SpeechResult: 'sales', Confidence: '0.92' });
    expect(third?.request.params).toMatchObject({ DialCallStatus: 'completed', DialCallDuration: '30' });
    expect(third?.request.params.DialCallSid).toMatch(/^CA[0-9a-f]{32}$/);
    expect(third?.twiml).toBe('<?xml version="1.0" encoding="UTF-8"?><Response><Hangup/></Response>');
    expect(result.transcript.at(-1)).toBe('Outcome: hangup after 3 requests');
  });

  test('no input: the Gather times out, the menu repeats, then its default (voicemail) takes the message', async () => {
    const run = await runCli(['simulate', 'call', '--json'], env);
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout) as Result;
    expect(result.steps.map((step) => step.request.publicUrl)).toEqual([
      `${BASE}/voice`,
      `${BASE}/voice/node/main/gather?attempt=0`,
      `${BASE}/voice/node/main/gather?attempt=1`,
      `${BASE}/voice/node/main/gather?attempt=2`,
      `${BASE}/voice/node/voicemail/recorded`,
    ]);
    expect(result.steps[1]?.request.params).not.toHaveProperty('Digits');
    expect(result.steps[1]?.heard[0]).toBe('Sorry, that is not an option.');
    expect(result.transcript).toContain('  No input: timeout, continuing with the next verb');
    expect(result.outcome).toBe('hangup');
  });

  test('an empty --digits entry leaves that Gather to --speech; speech at a keys-only Gather is not heard', async () => {
    const run = await runCli(['simulate', 'call', '--speech', 'support,billing', '--digits', ',', '--json'], env);
    const result = JSON.parse(run.stdout) as Result;
    expect(result.steps[1]?.request.params).toMatchObject({ SpeechResult: 'support' });
    expect(result.transcript).toContain(
      '  No input: timeout, continuing with the next verb (caller says "billing", which this Gather does not listen for)',
    );
  });

  test('with the wrong auth token the server refuses: the 403 reason as one line, exit code 1', async () => {
    const run = await runCli(['simulate', 'call'], { ...env, TWILIO_AUTH_TOKEN: 'not-the-token' });
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(`switchboard: POST ${server.origin}/voice answered 403: invalid X-Twilio-Signature\n`);
    expect(run.stdout.split('\n').at(-2)).toBe(
      `Outcome: error after 1 request: POST ${server.origin}/voice answered 403: invalid X-Twilio-Signature`,
    );
    expect(await t.store.listVoicemails({ limit: 10 })).toEqual([]);
  });

  test('without a token nothing is signed, and the error says how to fix it', async () => {
    const run = await runCli(['simulate', 'call'], { SWITCHBOARD_URL: server.origin });
    expect(run.code).toBe(1);
    expect(run.stdout.split('\n')[1]).toBe('Requests are not signed (TWILIO_AUTH_TOKEN is not set)');
    expect(run.stderr).toBe(
      `switchboard: POST ${server.origin}/voice answered 403: missing X-Twilio-Signature header (set TWILIO_AUTH_TOKEN so the simulator signs its requests)\n`,
    );
  });

  test('signed for the public URL even when --url is elsewhere; --public-url overrides PUBLIC_BASE_URL', async () => {
    const wrongBase = await runCli(['simulate', 'call', '--url', `${server.origin}/voice`, '--public-url', 'https://other.example.com'], env);
    expect(wrongBase.stderr).toBe(`switchboard: POST ${server.origin}/voice answered 403: invalid X-Twilio-Signature\n`);
    const rightBase = await runCli(['simulate', 'call', '--digits', '3', '--url', `${server.origin}/voice`, '--public-url', `${BASE}/`], {
      TWILIO_AUTH_TOKEN: TOKEN,
    });
    expect(rightBase.stderr).toBe('');
    expect(rightBase.code).toBe(0);
  });

  test('a server that is not running: one line naming the URL', async () => {
    await server.close();
    const run = await runCli(['simulate', 'call', '--url', `${server.origin}/voice`], env);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(
      `switchboard: cannot reach ${server.origin}/voice: connection refused (is the server running? try npm start)\n`,
    );
    server = { ...server, close: async () => undefined };
  });

  test.each([
    [['--max-steps', '0'], "switchboard: option '--max-steps <n>' argument '0' is invalid. must be a whole number from 1 to 999999\n"],
    [['--dial-status', 'maybe'], "switchboard: option '--dial-status <status>' argument 'maybe' is invalid. Allowed choices are completed, answered, busy, no-answer, failed, canceled.\n"],
    [['--call-sid', 'CA123'], `switchboard: option '--call-sid <sid>' argument 'CA123' is invalid. must be "CA" followed by 32 hexadecimal characters\n`],
    [['--url', 'localhost:3000/voice'], 'switchboard: --url must use http or https (got "localhost:")\n'],
    [['--url', 'nonsense'], 'switchboard: --url must be an absolute http(s) URL such as http://localhost:3000 (got "nonsense")\n'],
    [['--at', 'tomorrow'], "switchboard: option '--at <time>' argument 'tomorrow' is invalid. must be an ISO 8601 time such as 2026-01-07T15:00:00Z\n"],
    [['--at', '2026-02-30T25:00:00Z'], "switchboard: option '--at <time>' argument '2026-02-30T25:00:00Z' is invalid. must be an ISO 8601 time such as 2026-01-07T15:00:00Z\n"],
  ])('bad option %j: one line, exit code 1, nothing sent', async (args, line) => {
    const run = await runCli(['simulate', 'call', ...args], env);
    expect(run).toEqual({ code: 1, stdout: '', stderr: line });
    expect(t.logText()).not.toContain('/voice');
  });
});

describe('switchboard simulate call --at: the server evaluates business hours at that time, its clock unchanged', () => {
  test('after hours by --at while the server clock says open: the closed message, and a note in the transcript', async () => {
    const run = await runCli(['simulate', 'call', '--at', '2026-01-07T18:00:00-05:00', '--call-sid', CALL_SID, '--no-status-callback'], env);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout.split('\n').slice(0, 5)).toEqual([
      `Call ${CALL_SID} from +15555550100 to +15555550199`,
      `Requests are signed with TWILIO_AUTH_TOKEN for ${BASE} (the URL Twilio would use)`,
      'The server answers as if it were 2026-01-07T23:00:00.000Z (--at; its clock is not changed)',
      `→ POST ${server.origin}/voice`,
      '  Say: Our office is closed. We are open Monday to Friday, nine to five.',
    ]);
    expect(t.clock.now()).toEqual(OPEN);
    // Without --at the same server answers at its own (open) time.
    const now = await runCli(['simulate', 'call', '--no-status-callback'], env);
    expect(now.stdout).toContain('  Say: Thanks for calling Acme.\n');
  });

  test('--at without TWILIO_AUTH_TOKEN: one line saying the time must be signed, nothing sent', async () => {
    const run = await runCli(['simulate', 'call', '--at', '2026-01-07T23:00:00Z'], { SWITCHBOARD_URL: server.origin });
    expect(run).toEqual({
      code: 1,
      stdout: '',
      stderr: 'switchboard: --at needs TWILIO_AUTH_TOKEN: the server honours a simulated time only when it is signed with the auth token\n',
    });
    expect(t.logText()).not.toContain('/voice');
  });

  test('simulate sms --at: the time goes with the message, signed; a bad --at is one line', async () => {
    const run = await runCli(['simulate', 'sms', '--body', 'hours', '--at', '2026-01-07T23:00:00Z', '--json'], env);
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout) as { transcript: string[] };
    expect(result.transcript[2]).toBe('The server answers as if it were 2026-01-07T23:00:00.000Z (--at; its clock is not changed)');
    const bad = await runCli(['simulate', 'sms', '--at', 'noon'], env);
    expect(bad).toEqual({
      code: 1,
      stdout: '',
      stderr: "switchboard: option '--at <time>' argument 'noon' is invalid. must be an ISO 8601 time such as 2026-01-07T15:00:00Z\n",
    });
  });
});

describe('switchboard simulate call: the call ends with the status callback Twilio sends', () => {
  // A forward without a fallback: when nobody takes the call, the caller hears so and it ends.
  const forward = parseSettings({ voice: { start: { type: 'forward', to: '+15005550007', timeout: 20 } } }, 'test');
  let ft: TestApp;
  let fserver: Listening;
  beforeEach(async () => {
    ft = buildTestApp({ TWILIO_AUTH_TOKEN: TOKEN, PUBLIC_BASE_URL: BASE }, undefined, { settings: forward });
    fserver = await listen(ft.app);
  });
  afterEach(async () => {
    await fserver.close();
    await ft.close();
  });

  test.each([
    ['completed', 'completed', '30'],
    ['no-answer', 'no-answer', undefined],
    ['busy', 'busy', undefined],
  ])('--dial-status %s: the callback says %s, signed, and the history shows it', async (dialStatus, status, duration) => {
    const sid = 'CA' + 'd'.repeat(32);
    const run = await runCli(['simulate', 'call', '--dial-status', dialStatus, '--call-sid', sid, '--json'], {
      ...env,
      SWITCHBOARD_URL: fserver.origin,
    });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout) as Result & { statusCallback: { status: number; request: Step['request'] } };
    // The 30 s the simulator gives an answered dial.
    const callDuration = duration;
    expect(result.statusCallback).toEqual({
      status: 204,
      request: {
        method: 'POST',
        url: `${fserver.origin}/status/call`,
        publicUrl: `${BASE}/status/call`,
        params: {
          CallSid: sid,
          AccountSid: expect.stringMatching(/^AC[0-9a-f]{32}$/) as unknown as string,
          From: '+15555550100',
          To: '+15555550199',
          Caller: '+15555550100',
          Called: '+15555550199',
          CallStatus: status,
          Direction: 'inbound',
          ApiVersion: '2010-04-01',
          CallbackSource: 'call-progress-events',
          SequenceNumber: '0',
          ...(callDuration !== undefined && { CallDuration: callDuration }),
        },
        signed: true,
      },
    });
    const history = await ft.store.getCallHistory(sid);
    expect(history?.call).toMatchObject({ status, duration: callDuration === undefined ? null : Number(callDuration) });
    expect(history?.events.map((event) => event.status)).toEqual([status]);
  });

  test('--no-status-callback leaves the call ringing in the history', async () => {
    const sid = 'CA' + 'e'.repeat(32);
    const run = await runCli(['simulate', 'call', '--no-status-callback', '--call-sid', sid], { ...env, SWITCHBOARD_URL: fserver.origin });
    expect(run.code).toBe(0);
    expect(run.stdout).not.toContain('/status/call');
    expect((await ft.store.getCall(sid))?.status).toBe('ringing');
  });
});
