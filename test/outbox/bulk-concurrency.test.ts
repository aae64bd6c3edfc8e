import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { BulkRunner } from '../../src/outbox/bulk-runner';
import { openSqliteStore, type Store } from '../../src/store';
import { createTwilioClient, type TwilioClient } from '../../src/twilio';
import { FAKE_ACCOUNT_SID, FAKE_AUTH_TOKEN, startFakeTwilio, type FakeTwilio } from '../support/fake-twilio';

let fake: FakeTwilio;
let store: Store;
let dir: string;

beforeEach(async () => {
  fake = await startFakeTwilio();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'switchboard-bulk-'));
  store = openSqliteStore(path.join(dir, 'db'), { now: () => new Date() });
});

afterEach(async () => {
  await store.close();
  await fake.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** The real client against the fake, counting the requests open at once. */
function countingClient(): { twilio: TwilioClient; open: () => number; most: () => number } {
  const real = createTwilioClient({ baseUrl: fake.baseUrl, accountSid: FAKE_ACCOUNT_SID, authToken: FAKE_AUTH_TOKEN });
  let open = 0;
  let most = 0;
  const counted: TwilioClient = {
    ...real,
    sendMessage: (input, options) =>
      real.sendMessage(input, {
        beforeSend: async (info) => {
          await options?.beforeSend?.(info);
          open += 1;
          most = Math.max(most, open);
        },
      }).finally(() => (open -= 1)),
  };
  return { twilio: counted, open: () => open, most: () => most };
}

test('at most `parallelSends` requests are open at Twilio, and that many are used, while outcomes are written', async () => {
  fake.inject({ kind: 'hang', ms: 25, times: 1_000 });
  const { twilio, most } = countingClient();
  const recipients = Array.from({ length: 24 }, (_, i) => ({
    id: `req_${i}`,
    kind: 'message' as const,
    params: { to: `+1555010${String(i).padStart(4, '0')}`, from: '+15005550006', body: 'hello' },
  }));
  await store.createBulkJob({ id: 'job_1', params: { body: 'hello' }, recipients });
  const runner = new BulkRunner(
    { store, twilio, logger: pino({ level: 'silent' }) },
    { messagesPerSecond: 10_000, now: Date.now, idleMs: 10, parallelSends: 3 },
  );
  runner.start();
  const deadline = Date.now() + 10_000;
  while ((await store.getBulkJob('job_1'))?.state !== 'completed' && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  await runner.stop();

  expect((await store.getBulkJob('job_1'))?.counts).toEqual({ queued: 0, inFlight: 0, sent: 24, failed: 0, unknown: 0, notSent: 0, skippedOptedOut: 0 });
  expect(most()).toBe(3);
  const sentTo = fake.requests.map((r) => r.form.find(([k]) => k === 'To')?.[1]);
  expect(new Set(sentTo).size).toBe(24);
  expect(sentTo).toHaveLength(24);
});
