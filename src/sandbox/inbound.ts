// POST /sandbox/inbound/call and /sandbox/inbound/sms: "Twilio" calls or texts the app's voice
// or SMS URL from a number, signed, as a real inbound call or text would. The answer waits for
// the end (the call walked, the text answered) and says what happened.
import { simulateSms } from '../cli/sms-simulator';
import type { MessageResource } from '../twilio/types';
import type { Answer } from './answer';
import { signedTarget } from './callbacks';
import type { CallRunner } from './call-lifecycle';
import { fallbackFrom, inboundPlan } from './call-plan';
import { scriptFrom, SCRIPT_HEADERS, type CallScript } from './call-script';
import type { SandboxLog } from './log';
import { buildCall, buildMessage, type FormPairs } from './resources';
import { isAbsoluteHttpUrl } from './spec-validate';
import type { SandboxState } from './state';

export interface InboundDefaults {
  /** The app's voice webhook, e.g. http://127.0.0.1:3000/voice. */
  voiceUrl: string;
  smsUrl: string;
  /** The caller, and the number called (the app's own). */
  from: string;
  to: string;
  script: CallScript;
}

export interface InboundDeps {
  state: SandboxState;
  log: SandboxLog;
  accountSid: string;
  authToken: string | undefined;
  now(): Date;
  maxSteps: number;
  calls: CallRunner;
  /** Sends the app's `<Message>` replies on, as Twilio does. */
  sendReply(message: MessageResource): void;
}

export const INBOUND_CALL_PATH = '/sandbox/inbound/call';
export const INBOUND_SMS_PATH = '/sandbox/inbound/sms';

type Fields = Record<string, string[]>;

function badRequest(message: string): Answer {
  return { status: 400, body: { message, status: 400 } };
}

/** A form or JSON body as name → values; null when it cannot be read. */
export function inboundFields(contentType: string | undefined, rawBody: string): Fields | null {
  const fields: Fields = {};
  const add = (name: string, value: string) => (fields[name] ??= []).push(value);
  if ((contentType ?? '').toLowerCase().startsWith('application/json')) {
    let parsed: unknown;
    try {
      parsed = rawBody.trim() === '' ? {} : JSON.parse(rawBody);
    } catch {
      return null;
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return null;
    for (const [name, value] of Object.entries(parsed)) {
      for (const item of Array.isArray(value) ? value : [value]) {
        if (typeof item === 'string' || typeof item === 'number') add(name, String(item));
      }
    }
    return fields;
  }
  for (const [name, value] of new URLSearchParams(rawBody)) add(name, value);
  return fields;
}

const first = (fields: Fields, name: string): string | undefined => fields[name]?.[0];

export async function inboundCall(deps: InboundDeps, defaults: InboundDefaults, fields: Fields): Promise<Answer> {
  const url = first(fields, 'Url') ?? defaults.voiceUrl;
  if (!isAbsoluteHttpUrl(url)) return badRequest(`Url must be an absolute http(s) URL (got "${url}")`);
  const from = first(fields, 'From') ?? defaults.from;
  const to = first(fields, 'To') ?? defaults.to;
  const fallbackUrl = first(fields, 'FallbackUrl');
  if (fallbackUrl !== undefined && !isAbsoluteHttpUrl(fallbackUrl)) return badRequest(`FallbackUrl must be an absolute http(s) URL (got "${fallbackUrl}")`);
  const headers = {
    ...(first(fields, 'Digits') !== undefined && { [SCRIPT_HEADERS.digits]: first(fields, 'Digits') }),
    ...(first(fields, 'Speech') !== undefined && { [SCRIPT_HEADERS.speech]: first(fields, 'Speech') }),
    ...(first(fields, 'DialStatus') !== undefined && { [SCRIPT_HEADERS.dialStatus]: first(fields, 'DialStatus') }),
    ...(first(fields, 'Recording') !== undefined && { [SCRIPT_HEADERS.recording]: first(fields, 'Recording') }),
  };
  const form: FormPairs = [['To', to], ['From', from]];
  const call = { ...buildCall(deps.accountSid, form, deps.now()), direction: 'inbound', status: 'ringing' } as const;
  deps.state.calls.set(call.sid, call);
  const statusCallback = first(fields, 'StatusCallback') ?? null;
  // As a number's VoiceFallbackUrl: requested with POST, like the voice URL.
  const fallback = fallbackFrom(fallbackUrl === undefined ? [] : [['FallbackUrl', fallbackUrl]]);
  const plan = inboundPlan(url, fallback, statusCallback, scriptFrom(headers, defaults.script));
  const transcript = await deps.calls.runInbound(call, plan);
  return { status: 200, body: { call: deps.state.calls.get(call.sid) ?? call, transcript } };
}

export async function inboundSms(deps: InboundDeps, defaults: InboundDefaults, fields: Fields): Promise<Answer> {
  const url = first(fields, 'Url') ?? defaults.smsUrl;
  if (!isAbsoluteHttpUrl(url)) return badRequest(`Url must be an absolute http(s) URL (got "${url}")`);
  const from = first(fields, 'From') ?? defaults.from;
  const to = first(fields, 'To') ?? defaults.to;
  const body = first(fields, 'Body') ?? '';
  const media = fields.MediaUrl ?? [];
  const form: FormPairs = [['To', to], ['From', from], ['Body', body], ...media.map((m): [string, string] => ['MediaUrl', m])];
  const message: MessageResource = { ...buildMessage(deps.accountSid, form, deps.now()), direction: 'inbound', status: 'received' };
  deps.state.messages.set(message.sid, message);
  const result = await simulateSms({
    url,
    target: signedTarget(deps.authToken, url),
    message: { messageSid: message.sid, accountSid: deps.accountSid, from, to, body, mediaUrls: media },
    maxSteps: deps.maxSteps,
  });
  const replies = result.replies.map((reply) => {
    const replyForm: FormPairs = [
      ['To', reply.to ?? from],
      ['From', reply.from ?? to],
      ['Body', reply.body],
      ...reply.media.map((m): [string, string] => ['MediaUrl', m]),
    ];
    const sent: MessageResource = { ...buildMessage(deps.accountSid, replyForm, deps.now()), direction: 'outbound-reply' };
    deps.state.messages.set(sent.sid, sent);
    deps.sendReply(sent);
    return sent;
  });
  const status = result.steps[0]?.status ?? null;
  deps.log({ event: 'inbound-sms', sid: message.sid, url, answer: status, replies: replies.length, ...(result.error !== undefined && { error: result.error }) });
  return { status: 200, body: { message, replies, transcript: result.transcript } };
}
