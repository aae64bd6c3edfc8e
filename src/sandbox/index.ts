// `switchboard sandbox` without the command line: the REST API server with Twilio's lifecycle
// and the event log, from typed settings.
import type { SandboxCredentials } from './auth';
import type { CallScript } from './call-script';
import { sandboxLifecycle } from './lifecycle';
import type { SandboxLog } from './log';
import { startSandboxServer, type SandboxServer } from './server';
import { loadTwilioSpecFile } from './spec-index';
import { createSandboxState, type SandboxState } from './state';

export interface SandboxSettings {
  credentials: SandboxCredentials;
  host: string;
  port: number;
  /** The Twilio spec file (see locateTwilioSpec). */
  specFile: string;
  stepMs: number;
  maxSteps: number;
  /** How long a TwiML request may take before it fails; Twilio's 15 s when not given. */
  webhookTimeoutMs?: number;
  /** Where inbound calls and texts go, from which number to which, and what the caller does. */
  inbound: { voiceUrl: string; smsUrl: string; from: string; to: string };
  script: CallScript;
  now(): Date;
  log: SandboxLog;
}

export interface Sandbox {
  server: SandboxServer;
  state: SandboxState;
}

export async function startSandbox(settings: SandboxSettings): Promise<Sandbox> {
  const { credentials, log, now } = settings;
  const state = createSandboxState();
  const server = await startSandboxServer({
    spec: loadTwilioSpecFile(settings.specFile),
    credentials,
    state,
    host: settings.host,
    port: settings.port,
    now,
    onAnswer: (record) =>
      log({ event: 'request', method: record.method, path: record.path, status: record.status, code: record.errorCode, sid: record.resourceSid }),
    lifecycle: sandboxLifecycle({
      state,
      accountSid: credentials.accountSid,
      authToken: credentials.authToken,
      log,
      now,
      stepMs: settings.stepMs,
      maxSteps: settings.maxSteps,
      ...(settings.webhookTimeoutMs !== undefined && { webhookTimeoutMs: settings.webhookTimeoutMs }),
      inbound: { ...settings.inbound, script: settings.script },
    }),
  });
  log({ event: 'listening', url: server.baseUrl, accountSid: credentials.accountSid, signed: credentials.authToken !== undefined });
  return { server, state };
}
