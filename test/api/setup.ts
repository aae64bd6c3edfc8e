import type { Env } from '../../src/config';
import type { OutboundRequest } from '../../src/store';
import { createTwilioClient } from '../../src/twilio';
import { buildTestApp, type TestApp, type TestAppExtras } from '../support/app';
import { FAKE_ACCOUNT_SID, FAKE_AUTH_TOKEN, startFakeTwilio, type FakeTwilio } from '../support/fake-twilio';

export const API_KEY = 'test-api-key-0123456789abcdef';
export const AUTH = `Bearer ${API_KEY}`;
export const OUR_NUMBER = '+15005550006';
export const SERVICE_SID = 'MG' + 'ab'.repeat(16);
export const CALLS_PATH = `/2010-04-01/Accounts/${FAKE_ACCOUNT_SID}/Calls.json`;
export const MESSAGES_PATH = `/2010-04-01/Accounts/${FAKE_ACCOUNT_SID}/Messages.json`;

export interface ApiTest {
  t: TestApp;
  fake: FakeTwilio;
  close(): Promise<void>;
}

/** An app with the API on, talking to a fresh fake Twilio; retries do not wait. */
export async function startApiTest(
  env: Env = {},
  options: {
    timeoutMs?: number;
    idleMs?: number;
    now?: () => number;
    parallelSends?: number;
    /** A fake shared with another app (closed by its owner, not here). */
    fake?: FakeTwilio;
    store?: TestAppExtras['store'];
    reconcileIntervalMs?: number;
    /** The fake dates what it creates by the app's settable clock, not the wall clock. */
    twilioUsesAppClock?: boolean;
    /** Where the client sends Twilio requests instead of the fake, given the fake's URL (a gate in front of it). */
    twilioBaseUrl?: (fakeUrl: string) => Promise<string>;
  } = {},
): Promise<ApiTest> {
  let appClock: (() => Date) | undefined;
  const fake = options.fake ?? (await startFakeTwilio(options.twilioUsesAppClock === true ? { now: () => appClock?.() ?? new Date() } : {}));
  const baseUrl = options.twilioBaseUrl ? await options.twilioBaseUrl(fake.baseUrl) : fake.baseUrl;
  const twilio = createTwilioClient({
    baseUrl,
    accountSid: FAKE_ACCOUNT_SID,
    authToken: FAKE_AUTH_TOKEN,
    sleep: async () => undefined,
    random: () => 0,
    timeoutMs: options.timeoutMs ?? 5_000,
  });
  const t = buildTestApp(
    {
      API_KEY,
      TWILIO_ACCOUNT_SID: FAKE_ACCOUNT_SID,
      TWILIO_AUTH_TOKEN: FAKE_AUTH_TOKEN,
      TWILIO_API_BASE_URL: fake.baseUrl,
      TWILIO_FROM_NUMBER: OUR_NUMBER,
      PUBLIC_BASE_URL: 'https://switchboard.example.com',
      ...env,
    },
    twilio,
    {
      outbox: {
        // One at a time unless a test asks for more, so that request order is deterministic.
        parallelSends: options.parallelSends ?? 1,
        ...(options.idleMs !== undefined && { idleMs: options.idleMs }),
        ...(options.now && { now: options.now }),
        ...(options.reconcileIntervalMs !== undefined && { reconcileIntervalMs: options.reconcileIntervalMs }),
      },
      ...(options.store && { store: options.store }),
    },
  );
  if (options.twilioUsesAppClock === true) appClock = () => t.clock.now();
  return {
    t,
    fake,
    async close() {
      await t.close();
      if (options.fake === undefined) await fake.close();
    },
  };
}

/** Outbox rows without the generated id and timestamps, for exact comparison. */
export function stable(row: OutboundRequest | undefined): Omit<OutboundRequest, 'id' | 'createdAt' | 'updatedAt'> | undefined {
  if (row === undefined) return undefined;
  const { id: _id, createdAt: _c, updatedAt: _u, ...rest } = row;
  return rest;
}

/** Form pairs of the POSTs the fake received (also those answered with an injected fault). */
export function posts(fake: FakeTwilio): Array<Array<[string, string]>> {
  return fake.requests.filter((r) => r.method === 'POST').map((r) => [...new URLSearchParams(r.rawBody)]);
}
