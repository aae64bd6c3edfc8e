// FallbackUrl / FallbackMethod: when a TwiML request fails, the sandbox requests the fallback with
// the same parameters plus ErrorCode and ErrorUrl, as Twilio does; without one (or when it fails
// too) the call ends as Twilio's application error ends it, and the log has the debugger's code.
import * as net from 'node:net';
import type { SandboxEvent } from '../../src/sandbox/log';
import { ended, HARNESS_ACCOUNT_SID, param, startHarness, type Harness } from '../support/sandbox-harness';

const SAY = (text: string) => `<Response><Say>${text}</Say></Response>`;
const FROM = '+15005550006';
const TO = '+15551230000';

let h: Harness;
let closedPort: number;

beforeAll(async () => {
  // A port nothing listens on: connection refused.
  closedPort = await new Promise<number>((resolve) => {
    const probe = net.createServer();
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
});

beforeEach(async () => {
  h = await startHarness(
    {
      '/broken': () => ({ status: 500, contentType: 'text/plain', body: 'Internal Server Error' }),
      '/broken2': () => ({ status: 503, contentType: 'text/plain', body: 'Unavailable' }),
      '/html': () => ({ contentType: 'text/html', body: '<html><body>Hello</body></html>' }),
      '/late': () => ({ body: SAY('Too late'), delayMs: 900 }),
      '/fallback': () => ({ body: '<Response><Say>Backup here</Say><Redirect>next</Redirect></Response>' }),
      '/next': () => ({ body: '<Response><Hangup/></Response>' }),
      '/fallback2': () => ({ body: SAY('Second backup') }),
      '/menu': () => ({ body: '<Response><Gather action="/broken"><Say>Press a key</Say></Gather></Response>' }),
      '/slow': () => ({ body: '<Response><Redirect>/broken</Redirect></Response>', delayMs: 200 }),
    },
    { webhookTimeoutMs: 500 },
  );
});

afterEach(() => h.close());

const debuggerEvents = (events: readonly SandboxEvent[]) =>
  events.filter((e): e is Extract<SandboxEvent, { event: 'debugger' }> => e.event === 'debugger').map(({ level, code, message }) => ({ level, code, message }));

const transcript = (events: readonly SandboxEvent[], sid: string) => {
  const walk = events.find((e) => e.event === 'call-ended' && e.sid === sid);
  return walk?.event === 'call-ended' ? walk.transcript : [];
};

function callParams(sid: string, status = 'in-progress', direction = 'outbound-api'): Array<[string, string]> {
  return [
    ['CallSid', sid],
    ['AccountSid', HARNESS_ACCOUNT_SID],
    ['From', FROM],
    ['To', TO],
    ['Caller', FROM],
    ['Called', TO],
    ['CallStatus', status],
    ['Direction', direction],
    ['ApiVersion', '2010-04-01'],
  ];
}

describe('a failed Url goes to the FallbackUrl', () => {
  test('a 500: the fallback gets the same parameters plus ErrorCode 11200 and ErrorUrl, signed, and its TwiML runs (relative URLs against the fallback)', async () => {
    const origin = h.app.origin;
    const sid = await h.call([
      ['To', TO],
      ['From', FROM],
      ['Url', `${origin}/broken`],
      ['FallbackUrl', `${origin}/fallback`],
      ['StatusCallback', `${origin}/status`],
    ]);
    await h.app.waitFor(() => ended(h.events, sid) && h.app.to('/status').length === 1);
    expect(h.app.received.map((r) => `${r.method} ${r.url}`)).toEqual(['POST /broken', 'POST /fallback', 'POST /next', 'POST /status']);
    expect(h.app.received.every((r) => r.signed)).toBe(true);
    expect(h.app.to('/broken')[0]?.params).toEqual(callParams(sid));
    expect(h.app.to('/fallback')[0]?.params).toEqual([...callParams(sid), ['ErrorCode', '11200'], ['ErrorUrl', `${origin}/broken`]]);
    // The fallback's own document goes on as any other: no error parameters after it.
    expect(h.app.to('/next')[0]?.params).toEqual(callParams(sid));
    expect(transcript(h.events, sid)).toContain('  Say: Backup here');
    expect(debuggerEvents(h.events)).toEqual([
      {
        level: 'error',
        code: 11200,
        message: `HTTP retrieval failure: POST ${origin}/broken answered 500: Internal Server Error; requesting the FallbackUrl`,
      },
    ]);
    expect(param(h.app.to('/status')[0]?.params ?? [], 'CallStatus')).toBe('completed');
  });

  const failingUrls: Record<string, () => string> = {
    'connection refused': () => `http://127.0.0.1:${closedPort}/voice`,
    'no answer within the timeout': () => `${h.app.origin}/late`,
    'a 200 that is not TwiML': () => `${h.app.origin}/html`,
  };
  test.each([
    ['connection refused', 11205],
    ['no answer within the timeout', 11205],
    ['a 200 that is not TwiML', 12100],
  ])('%s: ErrorCode %s; FallbackMethod=GET sends them in the signed query', async (name, code) => {
    const failing = failingUrls[name]?.() ?? '';
    const sid = await h.call([
      ['To', TO],
      ['From', FROM],
      ['Url', failing],
      ['FallbackUrl', `${h.app.origin}/fallback2`],
      ['FallbackMethod', 'GET'],
    ]);
    await h.app.waitFor(() => ended(h.events, sid));
    const fallback = h.app.to('/fallback2');
    expect(fallback).toHaveLength(1);
    expect(fallback[0]).toMatchObject({ method: 'GET', params: [], signed: true });
    expect([...new URLSearchParams(fallback[0]?.url.split('?')[1])]).toEqual([...callParams(sid), ['ErrorCode', String(code)], ['ErrorUrl', failing]]);
    expect(transcript(h.events, sid)).toContain('  Say: Second backup');
    expect(debuggerEvents(h.events).map((e) => e.code)).toEqual([code]);
  });

  test('a failed Gather action goes to the fallback too, with the digits it carried', async () => {
    const origin = h.app.origin;
    const sid = await h.call(
      [
        ['To', TO],
        ['From', FROM],
        ['Url', `${origin}/menu`],
        ['FallbackUrl', `${origin}/fallback2`],
      ],
      { 'X-Sandbox-Digits': '5' },
    );
    await h.app.waitFor(() => ended(h.events, sid));
    expect(h.app.received.map((r) => r.url)).toEqual(['/menu', '/broken', '/fallback2']);
    expect(h.app.to('/fallback2')[0]?.params).toEqual([...callParams(sid), ['Digits', '5'], ['ErrorCode', '11200'], ['ErrorUrl', `${origin}/broken`]]);
  });

  test('an inbound call with FallbackUrl (a number\'s VoiceFallbackUrl): the fallback hears the call still ringing', async () => {
    const origin = h.app.origin;
    const response = await fetch(`${h.sandbox.server.baseUrl}/sandbox/inbound/call`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams([['Url', `${origin}/broken`], ['FallbackUrl', `${origin}/fallback2`], ['From', '+15557654321']]).toString(),
    });
    const body = (await response.json()) as { call: { sid: string; status: string } };
    expect(body.call.status).toBe('completed');
    const fallback = h.app.to('/fallback2')[0]?.params ?? [];
    expect([param(fallback, 'CallStatus'), param(fallback, 'Direction'), param(fallback, 'ErrorCode')]).toEqual(['ringing', 'inbound', '11200']);
  });
});

describe('without a fallback that works, Twilio\'s application error', () => {
  test('no FallbackUrl: the caller hears the application error, the call completes, the log has 11200', async () => {
    const origin = h.app.origin;
    const sid = await h.call([
      ['To', TO],
      ['From', FROM],
      ['Url', `${origin}/broken`],
      ['StatusCallback', `${origin}/status`],
    ]);
    await h.app.waitFor(() => ended(h.events, sid) && h.app.to('/status').length === 1);
    expect(h.app.received.map((r) => r.url)).toEqual(['/broken', '/status']);
    expect(transcript(h.events, sid)).toContain('  Error 11200 (HTTP retrieval failure): Say: We are sorry, an application error has occurred. Goodbye.');
    expect(debuggerEvents(h.events)).toEqual([
      {
        level: 'error',
        code: 11200,
        message: `HTTP retrieval failure: POST ${origin}/broken answered 500: Internal Server Error; application error: the call ends`,
      },
    ]);
    expect(h.events.find((e) => e.event === 'call-ended')).toMatchObject({ outcome: 'error', error: `POST ${origin}/broken answered 500: Internal Server Error` });
    expect(param(h.app.to('/status')[0]?.params ?? [], 'CallStatus')).toBe('completed');
    expect(h.sandbox.state.calls.get(sid)?.status).toBe('completed');
  });

  test('a fallback that fails too ends the call: two debugger errors, the fallback tried once', async () => {
    const origin = h.app.origin;
    const sid = await h.call([
      ['To', TO],
      ['From', FROM],
      ['Url', `${origin}/broken`],
      ['FallbackUrl', `${origin}/broken2`],
    ]);
    await h.app.waitFor(() => ended(h.events, sid));
    expect(h.app.received.map((r) => r.url)).toEqual(['/broken', '/broken2']);
    expect(debuggerEvents(h.events)).toEqual([
      { level: 'error', code: 11200, message: `HTTP retrieval failure: POST ${origin}/broken answered 500: Internal Server Error; requesting the FallbackUrl` },
      { level: 'error', code: 11200, message: `HTTP retrieval failure: POST ${origin}/broken2 answered 503: Unavailable; application error: the call ends` },
    ]);
    expect(h.sandbox.state.calls.get(sid)?.status).toBe('completed');
  });
});

describe('UpdateCall', () => {
  test('a FallbackUrl set while the call runs is the one its next failure goes to', async () => {
    const origin = h.app.origin;
    const sid = await h.call([
      ['To', TO],
      ['From', FROM],
      ['Url', `${origin}/slow`],
      ['FallbackUrl', `${origin}/fallback`],
    ]);
    // /slow is answering (after 200 ms) with a Redirect to /broken: change the fallback meanwhile.
    await h.app.waitFor(() => h.app.to('/slow').length === 1);
    const updated = await h.post(`/Calls/${sid}.json`, [['FallbackUrl', `${origin}/fallback2`], ['FallbackMethod', 'POST']]);
    expect(updated.status).toBe(200);
    await h.app.waitFor(() => ended(h.events, sid));
    expect(h.app.received.map((r) => r.url)).toEqual(['/slow', '/broken', '/fallback2']);
    expect(param(h.app.to('/fallback2')[0]?.params ?? [], 'ErrorUrl')).toBe(`${origin}/broken`);
  });
});

describe('bad input is refused with Twilio\'s error JSON', () => {
  test.each([
    ['FallbackUrl', 'fallback.xml', 'FallbackUrl must be an absolute http(s) URL'],
    ['FallbackMethod', 'PUT', "FallbackMethod must be one of GET, POST; got 'PUT'"],
  ])('CreateCall with %s=%s', async (name, value, message) => {
    const created = await h.post('/Calls.json', [['To', TO], ['From', FROM], ['Url', `${h.app.origin}/fallback`], [name, value]]);
    expect(created).toEqual({ status: 400, body: { code: 400, message, more_info: 'https://www.twilio.com/docs/errors/400', status: 400 } });
    expect(h.sandbox.state.calls.size).toBe(0);
  });

  test('UpdateCall checks FallbackUrl the same way', async () => {
    const sid = await h.call([['To', TO], ['From', FROM], ['Url', `${h.app.origin}/slow`]]);
    expect(await h.post(`/Calls/${sid}.json`, [['FallbackUrl', 'not a url']])).toEqual({
      status: 400,
      body: { code: 400, message: 'FallbackUrl must be an absolute http(s) URL', more_info: 'https://www.twilio.com/docs/errors/400', status: 400 },
    });
    await h.app.waitFor(() => ended(h.events, sid));
  });
});
