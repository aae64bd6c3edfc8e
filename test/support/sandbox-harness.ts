// The sandbox in process with an app stand-in (test/support/webhook-receiver.ts) that records
// every request it gets and checks its signature: for tests of what "Twilio" sends the app.
import { startSandbox, type Sandbox, type SandboxSettings } from '../../src/sandbox';
import type { SandboxEvent } from '../../src/sandbox/log';
import { locateTwilioSpec } from '../../src/sandbox/spec-file';
import { startReceiver, type Receiver, type Reply } from './webhook-receiver';

export const HARNESS_ACCOUNT_SID = `AC${'6'.repeat(32)}`;
export const HARNESS_AUTH_TOKEN = 'harness-token-4e1b9c';
const AUTH = `Basic ${Buffer.from(`${HARNESS_ACCOUNT_SID}:${HARNESS_AUTH_TOKEN}`).toString('base64')}`;
export const HARNESS_ACCOUNT = `/2010-04-01/Accounts/${HARNESS_ACCOUNT_SID}`;

export interface Harness {
  sandbox: Sandbox;
  app: Receiver;
  events: SandboxEvent[];
  /** POSTs a form to the REST API path under the account (e.g. `/Calls.json`); the status and JSON body. */
  post(path: string, pairs: Array<[string, string]>, headers?: Record<string, string>): Promise<{ status: number; body: Record<string, unknown> }>;
  /** Creates a call (201 expected); its SID. */
  call(pairs: Array<[string, string]>, headers?: Record<string, string>): Promise<string>;
  close(): Promise<void>;
}

export type Routes = Record<string, (params: Array<[string, string]>) => Reply>;

export async function startHarness(routes: Routes, settings: Partial<Pick<SandboxSettings, 'script' | 'now' | 'webhookTimeoutMs' | 'stepMs'>> = {}): Promise<Harness> {
  const app = await startReceiver(HARNESS_AUTH_TOKEN, routes);
  const events: SandboxEvent[] = [];
  const sandbox = await startSandbox({
    credentials: { accountSid: HARNESS_ACCOUNT_SID, authToken: HARNESS_AUTH_TOKEN, apiKeys: [] },
    host: '127.0.0.1',
    port: 0,
    specFile: locateTwilioSpec({}),
    stepMs: settings.stepMs ?? 2,
    maxSteps: 20,
    inbound: { voiceUrl: `${app.origin}/voice`, smsUrl: `${app.origin}/sms`, from: '+15551110000', to: '+15005550006' },
    script: settings.script ?? { digits: [], speech: [], dialStatus: 'completed' },
    now: settings.now ?? (() => new Date()),
    ...(settings.webhookTimeoutMs !== undefined && { webhookTimeoutMs: settings.webhookTimeoutMs }),
    log: (event) => events.push(event),
  });
  const post: Harness['post'] = async (path, pairs, headers = {}) => {
    const response = await fetch(`${sandbox.server.baseUrl}${HARNESS_ACCOUNT}${path}`, {
      method: 'POST',
      headers: { Authorization: AUTH, 'Content-Type': 'application/x-www-form-urlencoded', ...headers },
      body: new URLSearchParams(pairs).toString(),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };
  return {
    sandbox,
    app,
    events,
    post,
    async call(pairs, headers) {
      const created = await post('/Calls.json', pairs, headers);
      if (created.status !== 201) throw new Error(`create answered ${created.status}: ${JSON.stringify(created.body)}`);
      return String(created.body.sid);
    },
    async close() {
      await sandbox.server.close();
      await app.close();
    },
  };
}

/** The first value of `name`, as Twilio's parameters are read. */
export const param = (params: Array<[string, string]>, name: string): string | undefined => params.find(([key]) => key === name)?.[1];

/** The call's end, as the log tells it (the walk is over and the final status set). */
export function ended(events: readonly SandboxEvent[], sid: string): boolean {
  return events.some((e) => e.event === 'status' && e.sid === sid && ['completed', 'busy', 'no-answer', 'failed', 'canceled'].includes(e.status));
}
