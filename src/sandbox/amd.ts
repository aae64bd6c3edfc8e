// Answering machine detection as Twilio reports it (https://www.twilio.com/docs/voice/answering-machine-detection):
// MachineDetection=Enable names the party as soon as it is known (human, machine_start, fax,
// unknown); DetectMessageEnd waits for the end of a machine's greeting (machine_end_beep,
// machine_end_silence, machine_end_other) and names humans and faxes at once. Synchronous AMD puts
// AnsweredBy on the first TwiML request; AsyncAmd=true fetches the TwiML at once and sends
// AnsweredBy to AsyncAmdStatusCallback (AccountSid, CallSid, AnsweredBy, MachineDetectionDuration).
// Who answers is the sandbox's script: X-Sandbox-Answered-By per call, --answered-by for all.
import type { Params } from '../cli/webhook-client';
import { firstValue, type FormPairs } from './resources';

export const ANSWERED_BY = ['human', 'machine_start', 'machine_end_beep', 'machine_end_silence', 'machine_end_other', 'fax', 'unknown'] as const;
export type AnsweredBy = (typeof ANSWERED_BY)[number];

export type MachineDetectionMode = 'Enable' | 'DetectMessageEnd';

export interface AmdPlan {
  mode: MachineDetectionMode;
  /** AsyncAmd=true: the TwiML runs at once, AnsweredBy goes to `callback`. */
  async: boolean;
  callback: string | null;
  callbackMethod: 'GET' | 'POST';
  /** MachineDetectionTimeout: how long an `unknown` took to decide. */
  timeoutSeconds: number;
}

/** Twilio's default MachineDetectionTimeout. */
const DEFAULT_TIMEOUT_SECONDS = 30;

// MachineDetectionDuration, in ms: fixed figures of the right order (a greeting's end comes
// seconds after a human's "hello"), so the same call always reports the same numbers.
const DETECTION_MS: Readonly<Record<Exclude<AnsweredBy, 'unknown'>, number>> = {
  human: 1800,
  fax: 1200,
  machine_start: 2400,
  machine_end_beep: 8200,
  machine_end_silence: 9600,
  machine_end_other: 8800,
};

/**
 * The AMD a CreateCall asked for, or null. Twilio ignores MachineDetection when SendDigits is
 * given (the parameter's description in the spec says so).
 */
export function amdFromCreate(form: FormPairs): AmdPlan | null {
  const mode = firstValue(form, 'MachineDetection');
  if ((mode !== 'Enable' && mode !== 'DetectMessageEnd') || firstValue(form, 'SendDigits') !== null) return null;
  const timeout = Number(firstValue(form, 'MachineDetectionTimeout') ?? DEFAULT_TIMEOUT_SECONDS);
  return {
    mode,
    async: firstValue(form, 'AsyncAmd') === 'true',
    callback: firstValue(form, 'AsyncAmdStatusCallback'),
    callbackMethod: firstValue(form, 'AsyncAmdStatusCallbackMethod') === 'GET' ? 'GET' : 'POST',
    timeoutSeconds: Number.isSafeInteger(timeout) && timeout > 0 ? timeout : DEFAULT_TIMEOUT_SECONDS,
  };
}

/**
 * What Twilio reports, in `mode`, for the party the script says answered: Enable reports any
 * machine at the start of its greeting; DetectMessageEnd reports a machine only at the end of
 * it, usually at the beep.
 */
export function reportedAnsweredBy(mode: MachineDetectionMode, scripted: AnsweredBy): AnsweredBy {
  const machine = scripted.startsWith('machine_');
  if (mode === 'Enable') return machine ? 'machine_start' : scripted;
  return scripted === 'machine_start' ? 'machine_end_beep' : scripted;
}

export function detectionMs(plan: AmdPlan, answeredBy: AnsweredBy): number {
  return answeredBy === 'unknown' ? plan.timeoutSeconds * 1000 : DETECTION_MS[answeredBy];
}

/** The parameters that carry the result: on the first TwiML request (synchronous AMD) or the async callback. */
export function amdParams(plan: AmdPlan, answeredBy: AnsweredBy): Params {
  return [
    ['AnsweredBy', answeredBy],
    ['MachineDetectionDuration', String(detectionMs(plan, answeredBy))],
  ];
}

export function isAnsweredBy(value: string | undefined): value is AnsweredBy {
  return ANSWERED_BY.some((known) => known === value);
}
