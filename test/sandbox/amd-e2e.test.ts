// Answering machine detection end to end: Switchboard's API places a call with machineDetection,
// `switchboard sandbox --answered-by …` (a child process, npm run build first) plays the callee's
// voicemail, and Switchboard's own status webhook stores the AnsweredBy it is told in the call's
// history, as it would from Twilio.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startChildServer, type ChildServer } from '../support/child-server';
import { freePort, startSandboxChild, type SandboxChild } from '../support/sandbox-child';
import { waitUntil } from '../support/webhook-receiver';

const ACCOUNT_SID = `AC${'8'.repeat(32)}`;
const AUTH_TOKEN = 'amd-e2e-token-7d2c91';
const API_KEY = 'amd-e2e-api-key-0123456789';

let dir: string;
let sandbox: SandboxChild;
let server: ChildServer;
let base: string;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'switchboard-amd-'));
  sandbox = await startSandboxChild(dir, { TWILIO_ACCOUNT_SID: ACCOUNT_SID, TWILIO_AUTH_TOKEN: AUTH_TOKEN }, ['--step-ms', '20', '--answered-by', 'machine_end_beep']);
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

/** The history entry once the call is completed; at most POLLS reads. */
async function completed(sid: string): Promise<Record<string, unknown>> {
  let last: Record<string, unknown> = {};
  for (let poll = 0; poll < POLLS; poll++) {
    last = (await api('GET', `/api/calls/${sid}`)).body;
    if (last.status === 'completed') return last;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  throw new Error(`${sid} never completed: ${JSON.stringify(last)}`);
}

test.each([
  // Switchboard's machineDetection, and what the sandbox's voicemail (machine_end_beep) is reported as.
  ['DetectMessageEnd', 'machine_end_beep'],
  ['Enable', 'machine_start'],
])('machineDetection=%s: the call ends with answered_by %s in Switchboard\'s history, from the signed completed callback', async (mode, expected) => {
  const placed = await api('POST', '/api/calls', { to: '+15551230000', say: 'Hello, leaving a message', machineDetection: mode });
  expect(placed.status).toBe(201);
  const sid = String(placed.body.sid);
  const history = await completed(sid);
  expect(history.answeredBy).toBe(expected);
  expect((history.events as Array<{ status: string }>).map((e) => e.status)).toEqual(['initiated', 'ringing', 'in-progress', 'completed']);
  // What the sandbox did: the create carried MachineDetection, AMD decided, and every callback was accepted.
  const create = sandbox.lines.find((line) => line.event === 'request' && line.sid === sid);
  expect(create).toMatchObject({ method: 'POST', status: 201 });
  expect(sandbox.lines.filter((line) => line.event === 'answered-by' && line.sid === sid)).toEqual([
    expect.objectContaining({ answeredBy: expected, mode, async: false }),
  ]);
  // A line is written once the app has answered, so it may reach us just after the history did.
  const callbacks = () => sandbox.lines.filter((line) => line.event === 'callback' && line.sid === sid);
  await waitUntil(() => callbacks().length === 4);
  expect(callbacks().map((line) => [line.status, line.answer])).toEqual([
    ['initiated', 204],
    ['ringing', 204],
    ['in-progress', 204],
    ['completed', 204],
  ]);
});

test('without machineDetection the history has no answered_by, whatever the sandbox\'s script', async () => {
  const placed = await api('POST', '/api/calls', { to: '+15551230000', say: 'Hello' });
  const history = await completed(String(placed.body.sid));
  expect(history.answeredBy).toBeNull();
});

test('the sandbox never logged the auth token', () => {
  expect(sandbox.stdout()).not.toContain(AUTH_TOKEN);
  expect(sandbox.stderr()).toBe('');
});
