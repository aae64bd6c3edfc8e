// Recording status callbacks, as Twilio sends them for `<Record recordingStatusCallback=…>` and for
// calls created with Record=true and RecordingStatusCallback: one request per subscribed event
// (`in-progress` when the recording starts, `completed` when its audio is ready, `absent` when
// there is no audio: error 16102, "recording is silent"); `completed` alone when none is named.
// Events are listed space-separated (TwiML, and the REST parameter's description) or repeated
// (as Twilio's helper libraries send arrays). Signed with the auth token like every callback.
import type { Params } from '../cli/webhook-client';
import { sendSigned } from './callbacks';
import type { SandboxLog } from './log';
import { allValues, firstValue, type FormPairs } from './resources';
import { isAbsoluteHttpUrl } from './spec-validate';

export const RECORDING_EVENTS = ['in-progress', 'completed', 'absent'] as const;
export type RecordingEvent = (typeof RECORDING_EVENTS)[number];

/** Twilio's code for a recording with no audio, sent with RecordingStatus=absent. */
export const SILENT_RECORDING_CODE = 16102;

export interface RecordingCallbackPlan {
  url: string;
  method: 'GET' | 'POST';
  events: ReadonlySet<RecordingEvent>;
}

/** Something Twilio's debugger would show as a warning: the recording is kept, a callback is not sent. */
export interface RecordingWarning {
  code: number;
  message: string;
}

export interface RecordingFacts {
  accountSid: string;
  callSid: string;
  recordingSid: string;
  /** Null for a recording with no audio. */
  url: string | null;
  /** Whole seconds; unknown (-1, as Twilio reports it) while in progress. */
  seconds: number;
  channels: 1 | 2;
  source: 'RecordVerb' | 'OutboundAPI';
  /** RFC 2822, like Twilio's other dates. */
  startTime: string;
}

const isEvent = (word: string): word is RecordingEvent => RECORDING_EVENTS.some((event) => event === word);
const words = (values: readonly string[]) => values.flatMap((value) => value.split(/\s+/)).filter((word) => word !== '');
const method = (value: string | null | undefined): 'GET' | 'POST' => (value?.toUpperCase() === 'GET' ? 'GET' : 'POST');

/** The events named (`completed` when none is), and the words that are not events. */
export function recordingEvents(values: readonly string[]): { events: Set<RecordingEvent>; unknown: string[] } {
  const named = words(values);
  const events = new Set(named.filter(isEvent));
  return { events: named.length === 0 ? new Set(['completed']) : events, unknown: named.filter((word) => !isEvent(word)) };
}

/** A CreateCall's RecordingStatusCallbackEvent naming something else than the three events: the refusal's message. */
export function recordingEventsProblem(form: FormPairs): string | null {
  const { unknown } = recordingEvents(allValues(form, 'RecordingStatusCallbackEvent'));
  if (unknown.length === 0) return null;
  return `RecordingStatusCallbackEvent must be ${RECORDING_EVENTS.join(', ')} (space-separated or repeated); got '${unknown.join(' ')}'`;
}

/** 13256: a callback URL that is not one; Twilio keeps the recording and sends no callback. */
function badUrl(url: string): RecordingWarning {
  return { code: 13256, message: `Invalid recordingStatusCallback URL "${url}": the recording is kept, no status callback is sent` };
}

/** CreateCall's RecordingStatusCallback* (its Record=true recording); the URL must be absolute. */
export function recordingCallbackFromCreate(form: FormPairs): { plan: RecordingCallbackPlan | null; warnings: RecordingWarning[] } {
  const url = firstValue(form, 'RecordingStatusCallback');
  if (url === null || url === '') return { plan: null, warnings: [] };
  if (!isAbsoluteHttpUrl(url)) return { plan: null, warnings: [badUrl(url)] };
  const { events } = recordingEvents(allValues(form, 'RecordingStatusCallbackEvent'));
  return { plan: { url, method: method(firstValue(form, 'RecordingStatusCallbackMethod')), events }, warnings: [] };
}

/** A `<Record>`'s recordingStatusCallback* attributes; a relative URL resolves against the document's. */
export function recordingCallbackFromVerb(
  attributes: Readonly<Record<string, string>>,
  docUrl: string,
): { plan: RecordingCallbackPlan | null; warnings: RecordingWarning[] } {
  const given = attributes.recordingStatusCallback;
  if (given === undefined || given === '') return { plan: null, warnings: [] };
  let url: string;
  try {
    url = new URL(given, docUrl).href;
  } catch {
    return { plan: null, warnings: [badUrl(given)] };
  }
  if (!isAbsoluteHttpUrl(url)) return { plan: null, warnings: [badUrl(given)] };
  const { events, unknown } = recordingEvents(attributes.recordingStatusCallbackEvent === undefined ? [] : [attributes.recordingStatusCallbackEvent]);
  // 13621: Twilio ignores the words it does not know and logs this warning.
  const warnings = unknown.length === 0 ? [] : [{ code: 13621, message: `Invalid recordingStatusCallbackEvent '${unknown.join(' ')}' ignored` }];
  return { plan: { url, method: method(attributes.recordingStatusCallbackMethod), events }, warnings };
}

/** The parameters of one recording status callback, in Twilio's names. */
export function recordingParams(facts: RecordingFacts, status: RecordingEvent): Params {
  const params: Params = [
    ['AccountSid', facts.accountSid],
    ['CallSid', facts.callSid],
    ['RecordingSid', facts.recordingSid],
  ];
  if (facts.url !== null) params.push(['RecordingUrl', facts.url]);
  params.push(
    ['RecordingStatus', status],
    ['RecordingDuration', String(status === 'in-progress' ? -1 : facts.seconds)],
    ['RecordingChannels', String(facts.channels)],
    ['RecordingSource', facts.source],
    ['RecordingStartTime', facts.startTime],
  );
  if (status === 'absent') params.push(['ErrorCode', String(SILENT_RECORDING_CODE)]);
  return params;
}

export interface RecordingCallbackDeps {
  authToken: string | undefined;
  log: SandboxLog;
}

/** Sends the callback for `status` when the plan subscribed to it, and logs what the app answered. */
export async function sendRecordingCallback(
  deps: RecordingCallbackDeps,
  plan: RecordingCallbackPlan,
  facts: RecordingFacts,
  status: RecordingEvent,
): Promise<void> {
  if (!plan.events.has(status)) return;
  const result = await sendSigned(deps.authToken, plan.method, plan.url, recordingParams(facts, status));
  deps.log({
    event: 'recording-callback',
    sid: facts.recordingSid,
    callSid: facts.callSid,
    status,
    method: plan.method,
    url: plan.url,
    answer: result.exchange?.status ?? null,
    ...(result.error !== undefined && { error: result.error }),
  });
}
