// `switchboard sandbox` and the real server, both as child processes (npm run build first),
// the server's TWILIO_API_BASE_URL pointing at the sandbox: what docs/sandbox.md shows.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startChildServer, type ChildServer } from '../support/child-server';
import { runCli } from '../support/cli';
import { freePort, startSandboxChild, type SandboxChild } from '../support/sandbox-child';
import { waitUntil } from '../support/webhook-receiver';

const ACCOUNT_SID = `AC${'7'.repeat(32)}`;
const AUTH_TOKEN = 'e2e-sandbox-token-3c9a1f7b';
const API_KEY = 'e2e-api-key-0123456789abcdef';
const ACCOUNT = `/2010-04-01/Accounts/${ACCOUNT_SID}`;

let dir: string;
let sandbox: SandboxChild;
let server: ChildServer;
let base: string;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'switchboard-sandbox-'));
  sandbox = await startSandboxChild(dir, { TWILIO_ACCOUNT_SID: ACCOUNT_SID, TWILIO_AUTH_TOKEN: AUTH_TOKEN }, ['--step-ms', '20']);
  const port = await freePort();
  server = await startChildServer(
    {
      PORT: String(port),
      API_KEY,
      TWILIO_ACCOUNT_SID: ACCOUNT_SID,
      TWILIO_AUTH_TOKEN: AUTH_TOKEN,
      TWILIO_FROM_NUMBER: '+15005550006',
      TWILIO_API_BASE_URL: sandbox.url,
      PUBLIC_BASE_URL: `http://127.0.0.1:${port}`,
      DATABASE_PATH: path.join(dir, 'switchboard.db'),
    },
    dir,
  );
  base = `http://127.0.0.1:${server.port}`;
});

afterAll(async () => {
  server?.child.kill('SIGTERM');
  await server?.exited;
  await sandbox?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function api(method: 'GET' | 'POST', urlPath: string, body?: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(base + urlPath, {
    method,
    headers: { Authorization: `Bearer ${API_KEY}`, ...(body !== undefined && { 'Content-Type': 'application/json' }) },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

const POLLS = 200;
const POLL_MS = 50;

/** The history entry once it reaches `wanted`; at most POLLS reads. */
async function statusOf(kind: 'messages' | 'calls', sid: string, wanted: string): Promise<Record<string, unknown>> {
  let last: Record<string, unknown> = {};
  for (let poll = 0; poll < POLLS; poll++) {
    last = (await api('GET', `/api/${kind}/${sid}`)).body;
    if (last.status === wanted) return last;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  throw new Error(`${sid} never reached ${wanted}: ${JSON.stringify(last)}`);
}

test('a message sent through /api/messages reaches delivered through the sandbox\'s signed callbacks', async () => {
  const sent = await api('POST', '/api/messages', { to: '+15551230000', body: 'Hello from the sandbox' });
  expect(sent.status).toBe(201);
  expect(sent.body).toMatchObject({ status: 'queued', to: '+15551230000', from: '+15005550006' });
  const history = await statusOf('messages', String(sent.body.sid), 'delivered');
  expect((history.events as Array<{ status: string }>).map((e) => e.status)).toEqual(['queued', 'sending', 'sent', 'delivered']);
});

test('a call with `say` reaches completed, with its duration', async () => {
  const placed = await api('POST', '/api/calls', { to: '+15551230000', say: 'Hello from the sandbox' });
  expect(placed.status).toBe(201);
  const history = await statusOf('calls', String(placed.body.sid), 'completed');
  expect((history.events as Array<{ status: string }>).map((e) => e.status)).toEqual(['initiated', 'ringing', 'in-progress', 'completed']);
  expect(history.duration).toBeGreaterThanOrEqual(1);
  const walk = sandbox.lines.find((line) => line.event === 'call-ended' && line.sid === placed.body.sid);
  expect(walk?.transcript).toContain('  Say: Hello from the sandbox');
});

test('+15005550009 cannot receive SMS: 502 carrying Twilio\'s 21614', async () => {
  const refused = await api('POST', '/api/messages', { to: '+15005550009', body: 'hi' });
  expect(refused.status).toBe(502);
  expect(refused.body.error).toMatchObject({ twilioCode: 21614, moreInfo: 'https://www.twilio.com/docs/errors/21614' });
});

test('straight to the sandbox: a wrong auth token is 401 (20003), an unknown parameter 400, as Twilio answers', async () => {
  const form = new URLSearchParams([['To', '+15551230000'], ['From', '+15005550006'], ['Body', 'hi']]);
  const post = (auth: string, body: URLSearchParams) =>
    fetch(`${sandbox.url}${ACCOUNT}/Messages.json`, {
      method: 'POST',
      headers: { Authorization: `Basic ${Buffer.from(auth).toString('base64')}`, 'Content-Type': 'application/x-www-form-urlencoded' },
      body: body.toString(),
    });
  const wrong = await post(`${ACCOUNT_SID}:not-the-token`, form);
  expect(wrong.status).toBe(401);
  expect(wrong.headers.get('www-authenticate')).toBe('Basic realm="Twilio API"');
  expect(await wrong.json()).toEqual({ code: 20003, message: 'Authenticate', more_info: 'https://www.twilio.com/docs/errors/20003', status: 401 });

  const unknown = await post(`${ACCOUNT_SID}:${AUTH_TOKEN}`, new URLSearchParams([...form, ['Colour', 'red']]));
  expect(unknown.status).toBe(400);
  expect(await unknown.json()).toEqual({
    code: 400,
    message: 'Unknown parameter Colour for CreateMessage',
    more_info: 'https://www.twilio.com/docs/errors/400',
    status: 400,
  });
});

test('the sandbox logged what it did as JSON lines, never the auth token', async () => {
  // A line is written once its answer is sent, so it may reach us just after the answer did.
  await waitUntil(() => sandbox.lines.some((line) => line.event === 'request' && line.status === 401));
  expect(sandbox.stdout()).not.toContain(AUTH_TOKEN);
  expect(sandbox.stderr()).toBe('');
  expect(sandbox.lines.filter((line) => line.event === 'request' && line.status === 401)).toHaveLength(1);
  expect(sandbox.lines.every((line) => typeof line.time === 'string')).toBe(true);
});

test('without credentials the sandbox does not start, and says in one line what to set', async () => {
  expect(await runCli(['sandbox', '--port', '0'])).toEqual({
    code: 1,
    stdout: '',
    stderr:
      'switchboard: the sandbox needs TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN (in the environment or .env), the same ones the server uses: ' +
      `any AC followed by 32 hex digits and any token will do, e.g. TWILIO_ACCOUNT_SID=AC${'0'.repeat(32)} TWILIO_AUTH_TOKEN=sandbox-token\n`,
  });
  expect(await runCli(['sandbox', '--port', '0'], { TWILIO_ACCOUNT_SID: 'AC123', TWILIO_AUTH_TOKEN: 'x' })).toEqual({
    code: 1,
    stdout: '',
    stderr: 'switchboard: TWILIO_ACCOUNT_SID must be AC followed by 32 hexadecimal characters (got "AC123")\n',
  });
});
