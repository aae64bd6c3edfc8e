import type { TwilioParams } from '../http/twilio-params';
import type { CallStatusEvent, MessageStatusEvent, RecordingEvent, TranscriptionEvent } from '../store/status-types';
import type { Direction } from '../store/types';
import { CallbackInputError } from './errors';

export interface CallbackInput {
  params: TwilioParams;
  /** Twilio's `I-Twilio-Idempotency-Token` header: equal on every retry of one delivery. */
  idempotencyToken: string | undefined;
}

const SID = /^[A-Za-z0-9]{1,64}$/;
const STATUS = /^[a-z][a-z_-]{0,39}$/;
const INTEGER = /^-?\d{1,10}$/;
const SOURCE = /^[\w.:-]{1,64}$/;
const DIRECTIONS: ReadonlySet<string> = new Set<Direction>(['inbound', 'outbound-api', 'outbound-dial']);
const MAX_TOKEN_LENGTH = 256;

/** Twilio leaves some parameters empty instead of omitting them; both mean "not known". */
function optional(params: TwilioParams, name: string): string | null {
  const value = params[name];
  return value === undefined || value === '' ? null : value;
}

function required(params: TwilioParams, names: readonly [string, ...string[]], shape: RegExp): string {
  for (const name of names) {
    const value = optional(params, name);
    if (value === null) continue;
    if (!shape.test(value)) throw new CallbackInputError(name, 'is malformed');
    return value;
  }
  throw new CallbackInputError(names[0], 'is missing');
}

function optionalInteger(params: TwilioParams, name: string, min: number, expected: string): number | null {
  const value = optional(params, name);
  if (value === null) return null;
  const number = INTEGER.test(value) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(number) || number < min) throw new CallbackInputError(name, `must be ${expected}`);
  return number;
}

function parseSequence(params: TwilioParams): number | null {
  return optionalInteger(params, 'SequenceNumber', 0, 'a non-negative integer');
}

function errorCode(params: TwilioParams): number | null {
  return optionalInteger(params, 'ErrorCode', 0, 'a numeric error code');
}

/** Negative durations (Twilio reports -1 for unfinished recordings) mean "not known yet". */
function optionalDuration(params: TwilioParams, name: string): number | null {
  const value = optionalInteger(params, name, -1, 'a whole number of seconds');
  return value === null || value < 0 ? null : value;
}

function direction(params: TwilioParams): Direction | null {
  const value = optional(params, 'Direction');
  return value !== null && DIRECTIONS.has(value) ? (value as Direction) : null;
}

/** The retry token when Twilio sent one, else what identifies the event itself. */
function dedupeKey(input: CallbackInput, natural: ReadonlyArray<string | number | null>): string {
  const token = input.idempotencyToken?.trim();
  if (token && token.length <= MAX_TOKEN_LENGTH) return `token:${token}`;
  return natural.map((part) => part ?? '').join(':');
}

export function parseCallStatus(input: CallbackInput): CallStatusEvent {
  const { params } = input;
  const callSid = required(params, ['CallSid'], SID);
  const status = required(params, ['CallStatus'], STATUS);
  const sequenceNumber = parseSequence(params);
  return {
    callSid,
    status,
    sequenceNumber,
    dedupeKey: dedupeKey(input, ['call', callSid, status, sequenceNumber]),
    direction: direction(params),
    from: optional(params, 'From'),
    to: optional(params, 'To'),
    duration: optionalDuration(params, 'CallDuration'),
    price: optional(params, 'Price'),
    priceUnit: optional(params, 'PriceUnit'),
    errorCode: errorCode(params),
    recordingUrl: optional(params, 'RecordingUrl'),
    answeredBy: optional(params, 'AnsweredBy'),
    params,
  };
}

export function parseMessageStatus(input: CallbackInput): MessageStatusEvent {
  const { params } = input;
  // SmsSid/SmsStatus are the legacy names Twilio still sends alongside the new ones.
  const messageSid = required(params, ['MessageSid', 'SmsSid'], SID);
  const status = required(params, ['MessageStatus', 'SmsStatus'], STATUS);
  const sequenceNumber = parseSequence(params);
  return {
    messageSid,
    status,
    sequenceNumber,
    dedupeKey: dedupeKey(input, ['message', messageSid, status, sequenceNumber]),
    direction: direction(params),
    from: optional(params, 'From'),
    to: optional(params, 'To'),
    body: optional(params, 'Body'),
    errorCode: errorCode(params),
    price: optional(params, 'Price'),
    priceUnit: optional(params, 'PriceUnit'),
    params,
  };
}

function optionalSid(params: TwilioParams, name: string): string | null {
  return optional(params, name) === null ? null : required(params, [name], SID);
}

function optionalStatus(params: TwilioParams, name: string): string | null {
  return optional(params, name) === null ? null : required(params, [name], STATUS);
}

export function parseRecording(input: CallbackInput): RecordingEvent {
  const { params } = input;
  const recordingSid = required(params, ['RecordingSid'], SID);
  const status = optionalStatus(params, 'RecordingStatus');
  return {
    callSid: optionalSid(params, 'CallSid'),
    recordingSid,
    status,
    recordingUrl: optional(params, 'RecordingUrl'),
    duration: optionalDuration(params, 'RecordingDuration'),
    dedupeKey: dedupeKey(input, ['recording', recordingSid, status]),
    params,
  };
}

export function parseTranscription(input: CallbackInput): TranscriptionEvent {
  const { params } = input;
  const recordingSid = required(params, ['RecordingSid'], SID);
  const status = optionalStatus(params, 'TranscriptionStatus');
  return {
    callSid: optionalSid(params, 'CallSid'),
    recordingSid,
    status,
    dedupeKey: dedupeKey(input, ['transcription', optionalSid(params, 'TranscriptionSid') ?? recordingSid, status]),
    params,
  };
}

/** `?voicemail=<source>` on a transcribeCallback URL: the flow that took the message. */
export function parseVoicemailSource(value: unknown): string | null {
  if (value === undefined) return null;
  if (typeof value !== 'string' || !SOURCE.test(value)) throw new CallbackInputError('voicemail', 'is malformed');
  return value;
}
