// The real server as a child process: SIGKILLed while a message is in flight (Twilio has
// created it, the answer never comes), restarted on the same database. Start-up marks the
// request unknown, and the reconciler's first pass finds the message Twilio created: the request
// ends `sent` with exactly that sid, and Twilio was asked to create it once.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { until } from '../support/until';
import { startChildServer } from '../support/child-server';
import { FAKE_ACCOUNT_SID, FAKE_AUTH_TOKEN, startFakeTwilio, type FakeTwilio } from '../support/fake-twilio';
import { API_KEY, AUTH, MESSAGES_PATH, OUR_NUMBER } from './setup';

const TO = '+15551230099';

let dir: string;
let fake: FakeTwilio;
beforeEach(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'switchboard-reconcile-crash-'));
  fake = await startFakeTwilio();
});
afterEach(async () => {
  await fake.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const env = () => ({
  API_KEY,
  TWILIO_ACCOUNT_SID: FAKE_ACCOUNT_SID,
  TWILIO_AUTH_TOKEN: FAKE_AUTH_TOKEN,
  TWILIO_API_BASE_URL: fake.baseUrl,
  TWILIO_FROM_NUMBER: OUR_NUMBER,
  DATABASE_PATH: 'sb.db',
});

test('SIGKILL while a created message waits for its answer; after the restart it is reconciled to the created sid', async () => {
  const first = await startChildServer(env(), dir);
  fake.inject({ kind: 'hang', processed: true, match: { method: 'POST', path: MESSAGES_PATH } });
  const pending = fetch(`http://127.0.0.1:${first.port}/api/messages`, {
    method: 'POST',
    headers: { Authorization: AUTH, 'Content-Type': 'application/json' },
    body: JSON.stringify({ to: TO, body: 'Your order shipped' }),
  }).catch((error: unknown) => error);
  await until('Twilio to create the message', () => fake.messages.size === 1);
  first.child.kill('SIGKILL');
  await first.exited;
  expect(((await pending) as Error).message).toBe('fetch failed'); // no answer: the server died
  const [sid] = [...fake.messages.keys()];

  const second = await startChildServer(env(), dir);
  try {
    const interrupted = await second.waitForLog('outbound request interrupted: outcome unknown, not resent');
    const reconciled = await second.waitForLog('unknown outcome reconciled: it was sent');
    expect(reconciled).toMatchObject({ requestId: interrupted.requestId, kind: 'message', sid });

    const res = await fetch(`http://127.0.0.1:${second.port}/api/requests/${String(interrupted.requestId)}`, { headers: { Authorization: AUTH } });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      id: interrupted.requestId,
      state: 'sent',
      sid,
      attempts: 1,
      reconciliation: { checks: 1, candidates: [sid], outcome: 'matched' },
    });
    const history = await fetch(`http://127.0.0.1:${second.port}/api/messages/${String(sid)}`, { headers: { Authorization: AUTH } });
    expect(await history.json()).toMatchObject({ sid, direction: 'outbound-api', to: TO, body: 'Your order shipped' });
  } finally {
    second.child.kill('SIGTERM');
    await second.exited;
  }
  expect(fake.requests.filter((r) => r.method === 'POST').map((r) => r.operationId)).toEqual(['CreateMessage']);
  expect(fake.requests.filter((r) => r.method === 'GET').map((r) => r.operationId)).toEqual(['ListMessage']);
});
