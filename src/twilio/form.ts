// Maps typed inputs to Twilio's form parameters. The maps are total over the
// input types, so adding a field without a Twilio name fails to compile; they also
// fix the order of keys in the body, which keeps requests byte-for-byte stable.
import { TwilioInputError } from './errors';
import type { CreateCallOptions, SendMessageOptions, UpdateCallInput } from './types';

type ParamNames<T> = { readonly [K in keyof Required<T>]: string };

export const CREATE_CALL_PARAMS: ParamNames<CreateCallOptions> = {
  to: 'To',
  from: 'From',
  url: 'Url',
  twiml: 'Twiml',
  applicationSid: 'ApplicationSid',
  method: 'Method',
  fallbackUrl: 'FallbackUrl',
  fallbackMethod: 'FallbackMethod',
  statusCallback: 'StatusCallback',
  statusCallbackEvent: 'StatusCallbackEvent',
  statusCallbackMethod: 'StatusCallbackMethod',
  sendDigits: 'SendDigits',
  timeout: 'Timeout',
  record: 'Record',
  recordingChannels: 'RecordingChannels',
  recordingStatusCallback: 'RecordingStatusCallback',
  recordingStatusCallbackMethod: 'RecordingStatusCallbackMethod',
  recordingStatusCallbackEvent: 'RecordingStatusCallbackEvent',
  recordingTrack: 'RecordingTrack',
  trim: 'Trim',
  sipAuthUsername: 'SipAuthUsername',
  sipAuthPassword: 'SipAuthPassword',
  machineDetection: 'MachineDetection',
  machineDetectionTimeout: 'MachineDetectionTimeout',
  machineDetectionSpeechThreshold: 'MachineDetectionSpeechThreshold',
  machineDetectionSpeechEndThreshold: 'MachineDetectionSpeechEndThreshold',
  machineDetectionSilenceTimeout: 'MachineDetectionSilenceTimeout',
  asyncAmd: 'AsyncAmd',
  asyncAmdStatusCallback: 'AsyncAmdStatusCallback',
  asyncAmdStatusCallbackMethod: 'AsyncAmdStatusCallbackMethod',
  callerId: 'CallerId',
  timeLimit: 'TimeLimit',
  byoc: 'Byoc',
  callReason: 'CallReason',
  callToken: 'CallToken',
  clientNotificationUrl: 'ClientNotificationUrl',
};

export const UPDATE_CALL_PARAMS: ParamNames<UpdateCallInput> = {
  url: 'Url',
  method: 'Method',
  status: 'Status',
  fallbackUrl: 'FallbackUrl',
  fallbackMethod: 'FallbackMethod',
  statusCallback: 'StatusCallback',
  statusCallbackMethod: 'StatusCallbackMethod',
  twiml: 'Twiml',
  timeLimit: 'TimeLimit',
};

export const SEND_MESSAGE_PARAMS: ParamNames<SendMessageOptions> = {
  to: 'To',
  from: 'From',
  messagingServiceSid: 'MessagingServiceSid',
  body: 'Body',
  mediaUrl: 'MediaUrl',
  contentSid: 'ContentSid',
  contentVariables: 'ContentVariables',
  statusCallback: 'StatusCallback',
  applicationSid: 'ApplicationSid',
  validityPeriod: 'ValidityPeriod',
  scheduleType: 'ScheduleType',
  sendAt: 'SendAt',
  sendAsMms: 'SendAsMms',
  shortenUrls: 'ShortenUrls',
  smartEncoded: 'SmartEncoded',
  persistentAction: 'PersistentAction',
  provideFeedback: 'ProvideFeedback',
  attempt: 'Attempt',
  forceDelivery: 'ForceDelivery',
  contentRetention: 'ContentRetention',
  addressRetention: 'AddressRetention',
  trafficType: 'TrafficType',
  riskCheck: 'RiskCheck',
  fallbackFrom: 'FallbackFrom',
  maxPrice: 'MaxPrice',
};

/** Twilio wants `YYYY-MM-DDTHH:mm:ssZ` (twilio-node's iso8601DateTime). */
export function formatIsoDateTime(date: Date): string {
  if (Number.isNaN(date.getTime())) throw new TwilioInputError('Expected a valid Date');
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function encodeScalar(name: string, value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TwilioInputError(`Expected \`${name}\` to be a finite number`);
    return String(value);
  }
  if (value instanceof Date) return formatIsoDateTime(value);
  if (typeof value === 'object' && value !== null) return JSON.stringify(value);
  throw new TwilioInputError(`Unsupported value type for \`${name}\``);
}

/**
 * Encodes `input` as a form body. Arrays become repeated keys (`MediaUrl=a&MediaUrl=b`),
 * booleans `true`/`false`; undefined fields are left out. URLSearchParams percent-encodes
 * `+` as `%2B`, which E.164 numbers need.
 */
export function encodeForm<T extends object>(input: T, names: ParamNames<T>): URLSearchParams {
  const form = new URLSearchParams();
  const values = input as Record<string, unknown>;
  for (const key of Object.keys(values)) {
    if (!Object.prototype.hasOwnProperty.call(names, key)) {
      throw new TwilioInputError(`Unknown field \`${key}\``);
    }
  }
  for (const [key, name] of Object.entries(names) as Array<[string, string]>) {
    const value = values[key];
    if (value === undefined) continue;
    if (Array.isArray(value)) {
      for (const item of value) form.append(name, encodeScalar(name, item));
    } else {
      form.append(name, encodeScalar(name, value));
    }
  }
  return form;
}
