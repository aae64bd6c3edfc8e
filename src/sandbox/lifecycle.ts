// Twilio's side of the lifecycle, wired into the server: messages progress and call back, calls
// ring, answer, walk their TwiML and complete, recordings are served, inbound calls and texts
// reach the app. Everything "Twilio" does is told to the log.
import type { MessageResource } from '../twilio/types';
import type { Answer } from './answer';
import { CallRunner } from './call-lifecycle';
import { planFromCreate } from './call-plan';
import { scriptFrom } from './call-script';
import { INBOUND_CALL_PATH, INBOUND_SMS_PATH, inboundCall, inboundFields, inboundSms, type InboundDefaults, type InboundDeps } from './inbound';
import type { SandboxLog } from './log';
import { deliverMessage, type MessageLifecycleDeps } from './message-lifecycle';
import { recordingAnswer } from './recordings';
import { firstValue } from './resources';
import { createRuntime } from './runtime';
import type { SandboxLifecycle } from './server';
import type { SandboxState } from './state';

export interface LifecycleOptions {
  state: SandboxState;
  accountSid: string;
  /** Signs every request to the app, as Twilio signs with the account's auth token. */
  authToken: string | undefined;
  log: SandboxLog;
  now(): Date;
  /** Pause between two steps of a message or call (queued → sending, ringing → answered...). */
  stepMs: number;
  /** Requests a call's TwiML walk may make before it is cut. */
  maxSteps: number;
  /** How long a TwiML request may take before it fails (Twilio's 15 s when not given). */
  webhookTimeoutMs?: number;
  inbound: InboundDefaults;
}

function notFound(path: string): Answer {
  return { status: 404, body: { message: `No sandbox endpoint ${path}; try POST ${INBOUND_CALL_PATH} or ${INBOUND_SMS_PATH}`, status: 404 } };
}

export function sandboxLifecycle(options: LifecycleOptions): (baseUrl: string) => SandboxLifecycle {
  return (baseUrl) => {
    const { state, log, authToken, now, stepMs, maxSteps } = options;
    const runtime = createRuntime((err) => log({ event: 'error', message: err instanceof Error ? err.message : String(err) }));
    const messageDeps: MessageLifecycleDeps = { state, runtime, log, authToken, now, stepMs };
    const calls = new CallRunner({
      state,
      runtime,
      log,
      authToken,
      baseUrl,
      now,
      stepMs,
      maxSteps,
      ...(options.webhookTimeoutMs !== undefined && { webhookTimeoutMs: options.webhookTimeoutMs }),
    });
    const sendReply = (message: MessageResource) => runtime.spawn(() => deliverMessage(messageDeps, message, null));
    const inboundDeps: InboundDeps = { state, log, accountSid: options.accountSid, authToken, now, maxSteps, calls, sendReply };

    return {
      messageCreated(message, form) {
        const statusCallback = firstValue(form, 'StatusCallback');
        runtime.spawn(() => deliverMessage(messageDeps, message, statusCallback));
      },
      callCreated(call, form, headers) {
        calls.start(call, planFromCreate(form, scriptFrom(headers, options.inbound.script)));
      },
      callEnded(call) {
        calls.ended(call);
      },
      callUpdated(call, form) {
        calls.updated(call, form);
      },
      route(request) {
        const recording = recordingAnswer(request.method, request.url.pathname, state.recordings);
        if (recording !== null) return Promise.resolve(recording);
        const path = request.url.pathname;
        if (!path.startsWith('/sandbox/')) return null;
        if (request.method !== 'POST' || (path !== INBOUND_CALL_PATH && path !== INBOUND_SMS_PATH)) return Promise.resolve(notFound(path));
        const fields = inboundFields(request.headers['content-type'], request.rawBody);
        if (fields === null) return Promise.resolve<Answer>({ status: 400, body: { message: 'The body must be a form or a JSON object', status: 400 } });
        return path === INBOUND_CALL_PATH ? inboundCall(inboundDeps, options.inbound, fields) : inboundSms(inboundDeps, options.inbound, fields);
      },
      close: () => runtime.close(),
    };
  };
}
