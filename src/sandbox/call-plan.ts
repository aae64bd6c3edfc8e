// What a call was asked to do, read once from its create request: where its TwiML comes from
// (Url, or inline Twiml: Twilio ignores Twiml when Url is given too), where it falls back to when
// that fails, its status callbacks, its recording and answering machine detection.
import type { FallbackTarget } from '../cli/call-simulator';
import { amdFromCreate, type AmdPlan } from './amd';
import type { CallScript } from './call-script';
import { recordingCallbackFromCreate, type RecordingCallbackPlan, type RecordingWarning } from './recording-callbacks';
import { allValues, firstValue, type FormPairs } from './resources';

export type CallEvent = 'initiated' | 'ringing' | 'answered' | 'completed';

export interface CallPlan {
  direction: 'inbound' | 'outbound-api';
  url: string | null;
  method: 'GET' | 'POST';
  twiml: string | null;
  /** FallbackUrl/FallbackMethod; an UpdateCall may change it while the call runs. */
  fallback: FallbackTarget | null;
  statusCallback: string | null;
  callbackMethod: 'GET' | 'POST';
  events: ReadonlySet<CallEvent>;
  /** CreateCall's Record=true: the whole call is recorded, and the final callback says where. */
  record: boolean;
  /** RecordingStatusCallback* for that recording. */
  recordingCallback: RecordingCallbackPlan | null;
  /** RecordingChannels: mono (1) or dual (2). */
  recordingChannels: 1 | 2;
  amd: AmdPlan | null;
  /** What Twilio's debugger would warn of about the request itself. */
  warnings: readonly RecordingWarning[];
  script: CallScript;
}

export const httpMethod = (value: string | null | undefined): 'GET' | 'POST' => (value?.toUpperCase() === 'GET' ? 'GET' : 'POST');

/** FallbackUrl with its method (POST unless FallbackMethod=GET); null without a URL. */
export function fallbackFrom(form: FormPairs): FallbackTarget | null {
  const url = firstValue(form, 'FallbackUrl');
  return url === null || url === '' ? null : { url, method: httpMethod(firstValue(form, 'FallbackMethod')) };
}

/** A running call's fallback after an UpdateCall: a new URL replaces it (empty removes it); FallbackMethod alone changes its method. */
export function updatedFallback(current: FallbackTarget | null, form: FormPairs): FallbackTarget | null {
  const url = firstValue(form, 'FallbackUrl');
  const method = firstValue(form, 'FallbackMethod');
  if (url !== null) return url === '' ? null : { url, method: httpMethod(method ?? current?.method) };
  if (method !== null && current !== null) return { ...current, method: httpMethod(method) };
  return current;
}

export function planFromCreate(form: FormPairs, script: CallScript): CallPlan {
  const url = firstValue(form, 'Url');
  const named = allValues(form, 'StatusCallbackEvent') as CallEvent[];
  const recording = recordingCallbackFromCreate(form);
  return {
    direction: 'outbound-api',
    url,
    method: httpMethod(firstValue(form, 'Method')),
    twiml: url === null ? firstValue(form, 'Twiml') : null,
    fallback: fallbackFrom(form),
    statusCallback: firstValue(form, 'StatusCallback'),
    callbackMethod: httpMethod(firstValue(form, 'StatusCallbackMethod')),
    events: new Set(named.length > 0 ? named : ['completed']),
    record: firstValue(form, 'Record')?.toLowerCase() === 'true',
    recordingCallback: recording.plan,
    recordingChannels: firstValue(form, 'RecordingChannels') === 'dual' ? 2 : 1,
    amd: amdFromCreate(form),
    warnings: recording.warnings,
    script,
  };
}

/** An inbound call: the number's voice URL (and fallback), POST, only the final status callback. */
export function inboundPlan(url: string, fallback: FallbackTarget | null, statusCallback: string | null, script: CallScript): CallPlan {
  return {
    direction: 'inbound',
    url,
    method: 'POST',
    twiml: null,
    fallback,
    statusCallback,
    callbackMethod: 'POST',
    events: new Set(['completed']),
    record: false,
    recordingCallback: null,
    recordingChannels: 1,
    amd: null,
    warnings: [],
    script,
  };
}
