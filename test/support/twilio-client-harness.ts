// Shared wiring for client tests: a client pointed at a fake, with sleep and random
// injected so backoff is instant and deterministic.
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createTwilioClient, type TwilioClient, type TwilioClientOptions } from '../../src/twilio';
import type { FakeTwilio } from './fake-twilio';

export interface Harness {
  client: TwilioClient;
  /** Every delay the client asked to sleep, in order. */
  sleeps: number[];
}

export function clientFor(fake: Pick<FakeTwilio, 'baseUrl' | 'accountSid' | 'authToken'>, overrides: Partial<TwilioClientOptions> = {}): Harness {
  const sleeps: number[] = [];
  const client = createTwilioClient({
    baseUrl: fake.baseUrl,
    accountSid: fake.accountSid,
    authToken: fake.authToken,
    timeoutMs: 2_000,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    random: () => 0.5,
    ...overrides,
  });
  return { client, sleeps };
}

/** Resolves with the rejection of `promise`, failing the test if it resolves. */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('Expected the promise to reject');
}

/** A loopback port with nothing listening on it (fetch refuses "bad ports" like 1 outright). */
export async function closedPort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
