// The sandbox (src/sandbox) as the tests' fake Twilio REST API on 127.0.0.1: every request
// checked against Twilio's OpenAPI file, recorded, and answered the way Twilio answers, plus
// injected faults to test the client's retry and unknown-outcome handling. No lifecycle: the
// fake sends no callbacks, so resources stay as created unless a test changes them.
import { createFaultController, type FaultOptions, type FaultSpec, type SandboxFault } from '../../src/sandbox/faults';
import { startSandboxServer, type ApiKeyCredential, type AuthIdentity, type RecordedRequest } from '../../src/sandbox/server';
import { createSandboxState } from '../../src/sandbox/state';
import type { CallResource, MessageResource } from '../../src/twilio/types';
import { loadTwilioSpec } from './twilio-spec';

export type { AuthIdentity, FaultOptions, FaultSpec, RecordedRequest };
export type FakeApiKey = ApiKeyCredential;
export type FakeTwilioFault = SandboxFault;

export const FAKE_ACCOUNT_SID = `AC${'0123456789abcdef'.repeat(2)}`;
export const FAKE_AUTH_TOKEN = 'fake-auth-token-5b1f0c9e2d7a4e38';
export const FAKE_API_KEY_SID = `SK${'fedcba9876543210'.repeat(2)}`;
export const FAKE_API_KEY_SECRET = 'fake-api-key-secret-9c3e7d21a0b6';

export interface FakeTwilioOptions {
  accountSid?: string;
  authToken?: string;
  /** API keys accepted as Basic credentials; default one key (FAKE_API_KEY_SID). */
  apiKeys?: readonly FakeApiKey[];
  /** Delay before every answer, e.g. for benchmarks. */
  latencyMs?: number;
  /** Clock for `date_created`/`date_updated`. */
  now?: () => Date;
}

export interface FakeTwilio {
  baseUrl: string;
  accountSid: string;
  authToken: string;
  apiKeys: readonly FakeApiKey[];
  /** Every request received, in order (a live array; `reset()` empties it). */
  requests: RecordedRequest[];
  calls: Map<string, CallResource>;
  messages: Map<string, MessageResource>;
  inject(fault: FaultSpec): void;
  /** Faults injected but not yet used up. */
  pendingFaults(): number;
  /** Forgets requests, resources and pending faults. */
  reset(): void;
  close(): Promise<void>;
}

export async function startFakeTwilio(options: FakeTwilioOptions = {}): Promise<FakeTwilio> {
  const accountSid = options.accountSid ?? FAKE_ACCOUNT_SID;
  const authToken = options.authToken ?? FAKE_AUTH_TOKEN;
  const apiKeys = options.apiKeys ?? [{ sid: FAKE_API_KEY_SID, secret: FAKE_API_KEY_SECRET }];
  const requests: RecordedRequest[] = [];
  const state = createSandboxState();
  const faults = createFaultController();
  const server = await startSandboxServer({
    spec: loadTwilioSpec(),
    credentials: { accountSid, authToken, apiKeys },
    state,
    faults,
    onRequest: (record) => requests.push(record),
    ...(options.latencyMs !== undefined && { latencyMs: options.latencyMs }),
    ...(options.now !== undefined && { now: options.now }),
  });
  return {
    baseUrl: server.baseUrl,
    accountSid,
    authToken,
    apiKeys,
    requests,
    calls: state.calls,
    messages: state.messages,
    inject: (fault) => faults.inject(fault),
    pendingFaults: () => faults.pending(),
    reset() {
      requests.length = 0;
      faults.clear();
      server.reset();
    },
    close: () => server.close(),
  };
}
