import express from 'express';
import { apiContractStub, type ApiStubRequest } from '../support/api-contract-stub';
import { listen, runCli, type Listening } from '../support/cli';

const API_KEY = 'k'.repeat(32);

let server: Listening;
let requests: ApiStubRequest[];
let env: Record<string, string>;
beforeEach(async () => {
  const stub = apiContractStub(API_KEY);
  requests = stub.requests;
  server = await listen(stub.app);
  env = { API_KEY, SWITCHBOARD_URL: server.origin };
});
afterEach(() => server.close());

describe('switchboard call (POST /api/calls, against a stub of the contract)', () => {
  test('sends the options given as JSON with the bearer key; prints the call in one line', async () => {
    const run = await runCli(['call', '--to', '+15551230000', '--say', 'Your table is ready', '--voice', 'Polly.Joanna'], env);
    expect(run).toEqual({ code: 0, stderr: '', stdout: `call CA${'9'.repeat(32)} queued: +15005550001 → +15551230000\n` });
    expect(requests).toEqual([
      {
        path: '/api/calls',
        authorization: `Bearer ${API_KEY}`,
        contentType: 'application/json',
        body: { to: '+15551230000', say: 'Your table is ready', voice: 'Polly.Joanna' },
      },
    ]);
  });

  test('--json prints the answer as the server sent it; --server overrides SWITCHBOARD_URL', async () => {
    const run = await runCli(
      ['call', '--to', '+15551230000', '--from', '+15005550009', '--url', 'https://example.com/t.xml', '--json', '--server', server.origin],
      { API_KEY },
    );
    expect(JSON.parse(run.stdout)).toEqual({ sid: 'CA' + '9'.repeat(32), status: 'queued', to: '+15551230000', from: '+15005550009', direction: 'outbound-api' });
    expect(requests[0]?.body).toEqual({ to: '+15551230000', from: '+15005550009', url: 'https://example.com/t.xml' });
  });

  test.each([
    [['call', '--to', '555'], `switchboard: POST {origin}/api/calls answered 400: to: must be an E.164 number such as +15551234567\n`],
    [['call', '--to', '+15551230000', '--say', 'hi', '--twiml', '<Response/>'], 'switchboard: give only one of --say, --url and --twiml\n'],
    [['call', '--say', 'hi'], "switchboard: required option '--to <number>' not specified\n"],
  ])('%j: one line, exit code 1', async (args, line) => {
    expect(await runCli(args, env)).toEqual({ code: 1, stdout: '', stderr: line.replace('{origin}', server.origin) });
  });
});

describe('switchboard sms (POST /api/messages, against a stub of the contract)', () => {
  test('body and media; one media URL as a string, several as a list', async () => {
    const one = await runCli(['sms', '--to', '+15551230000', '--body', 'Hello', '--media', 'https://example.com/a.jpg'], env);
    expect(one).toEqual({ code: 0, stderr: '', stdout: `message SM${'9'.repeat(32)} queued: ? → +15551230000\n` });
    await runCli(['sms', '--to', '+15551230000', '--media', 'https://example.com/a.jpg', '--media', 'https://example.com/b.jpg'], env);
    expect(requests.map((request) => request.body)).toEqual([
      { to: '+15551230000', body: 'Hello', mediaUrl: 'https://example.com/a.jpg' },
      { to: '+15551230000', mediaUrl: ['https://example.com/a.jpg', 'https://example.com/b.jpg'] },
    ]);
  });

  test('a field error names the field once', async () => {
    const run = await runCli(['sms', '--to', 'nobody', '--body', 'x'], env);
    expect(run.stderr).toBe(`switchboard: POST ${server.origin}/api/messages answered 400: to must be an E.164 number\n`);
  });

  test('a wrong key: the 401 as one line, and the key is never printed', async () => {
    const run = await runCli(['sms', '--to', '+15551230000', '--body', 'x'], { ...env, API_KEY: 'w'.repeat(32) });
    expect(run).toEqual({ code: 1, stdout: '', stderr: `switchboard: POST ${server.origin}/api/messages answered 401: invalid API key\n` });
  });

  test('no API_KEY: nothing is sent', async () => {
    const run = await runCli(['sms', '--to', '+15551230000', '--body', 'x'], { SWITCHBOARD_URL: server.origin });
    expect(run).toEqual({ code: 1, stdout: '', stderr: 'switchboard: API_KEY is not set: the API needs the key the server was started with\n' });
    expect(requests).toEqual([]);
  });
});

describe('a server without the API', () => {
  test('a 404 page that is not JSON, and a server that is down', async () => {
    const bare = await listen(express());
    try {
      const run = await runCli(['call', '--to', '+15551230000', '--say', 'hi'], { API_KEY, SWITCHBOARD_URL: bare.origin });
      expect(run.stderr).toBe(`switchboard: POST ${bare.origin}/api/calls answered 404 without JSON: <!DOCTYPE html>\n`);
    } finally {
      await bare.close();
    }
    const down = await runCli(['call', '--to', '+15551230000', '--say', 'hi'], { API_KEY, SWITCHBOARD_URL: bare.origin });
    expect(down.stderr).toBe(`switchboard: cannot reach ${bare.origin}/api/calls: connection refused (is the server running? try npm start)\n`);
  });
});
