import type { Clock } from '../clock';
import type { Config } from '../config';
import type { SendMessageInput } from '../twilio';
import { invalid, invalidValue } from './errors';
import { bodyObject, E164, MESSAGING_SERVICE_SID, parseFields, type Parsed, type Schema } from './fields';

export const MAX_BODY_LENGTH = 1600;
export const MAX_MEDIA = 10;
// Twilio's window for scheduled messages.
const MIN_SCHEDULE_MS = 15 * 60_000;
const MAX_SCHEDULE_MS = 35 * 24 * 3_600_000;

const E164_RULE = { type: 'string', max: 16, patterns: [E164], expected: 'an E.164 number such as +15551234567' } as const;

export const MESSAGE_FIELDS = {
  to: E164_RULE,
  from: E164_RULE,
  messagingServiceSid: { type: 'string', max: 34, patterns: [MESSAGING_SERVICE_SID], expected: '"MG" followed by 32 hexadecimal characters' },
  body: { type: 'string', max: MAX_BODY_LENGTH },
  mediaUrl: { type: 'list', item: { type: 'url' }, max: MAX_MEDIA },
  sendAt: { type: 'datetime' },
  statusCallback: { type: 'url' },
} as const satisfies Schema;

/** A validated message: the Twilio request, plus the number the opt-out ledger is keyed on. */
export interface ValidMessage {
  input: SendMessageInput;
  /** Our sender: the From number, or the messaging service SID when Twilio picks the number. */
  sender: string;
}

type Sender = Pick<Parsed<typeof MESSAGE_FIELDS>, 'from' | 'messagingServiceSid'>;

/** From and/or messaging service, defaulting to the configured service, then the configured number. */
export function resolveSender(f: Sender, config: Config): { from?: string; messagingServiceSid?: string } {
  if (f.from !== undefined || f.messagingServiceSid !== undefined) {
    return { ...(f.from !== undefined && { from: f.from }), ...(f.messagingServiceSid !== undefined && { messagingServiceSid: f.messagingServiceSid }) };
  }
  const { messagingServiceSid, fromNumber } = config.twilio;
  if (messagingServiceSid !== undefined) return { messagingServiceSid };
  if (fromNumber !== undefined) return { from: fromNumber };
  throw invalid('from', 'Expected `from` or `messagingServiceSid` (neither TWILIO_MESSAGING_SERVICE_SID nor TWILIO_FROM_NUMBER is configured)');
}

export function defaultMessageCallback(config: Config): string | undefined {
  return config.publicBaseUrl === undefined ? undefined : `${config.publicBaseUrl}/status/message`;
}

/** Turns a POST /api/messages body into the Twilio request. Throws ApiError(400). */
export function validateMessage(body: unknown, config: Config, clock: Clock): ValidMessage {
  const input = bodyObject(body);
  const f = parseFields(input, MESSAGE_FIELDS);
  if (f.to === undefined) throw invalid('to', 'Expected `to`: an E.164 number such as +15551234567');
  if (f.body === undefined && f.mediaUrl === undefined) throw invalid('body', 'Expected `body` and/or `mediaUrl`');
  const sender = resolveSender(f, config);

  let schedule: { scheduleType: 'fixed'; sendAt: string } | undefined;
  if (f.sendAt !== undefined) {
    if (sender.messagingServiceSid === undefined) {
      throw invalid('sendAt', 'Scheduling with `sendAt` needs a messaging service: give `messagingServiceSid` or set TWILIO_MESSAGING_SERVICE_SID');
    }
    const ahead = f.sendAt.getTime() - clock.now().getTime();
    if (ahead < MIN_SCHEDULE_MS || ahead > MAX_SCHEDULE_MS) {
      throw invalidValue('sendAt', 'Expected `sendAt` between 15 minutes and 35 days from now', input.sendAt);
    }
    schedule = { scheduleType: 'fixed', sendAt: f.sendAt.toISOString().replace(/\.\d{3}Z$/, 'Z') };
  }
  const statusCallback = f.statusCallback ?? defaultMessageCallback(config);
  const request = {
    to: f.to,
    ...sender,
    ...(f.body !== undefined && { body: f.body }),
    ...(f.mediaUrl !== undefined && { mediaUrl: f.mediaUrl }),
    ...schedule,
    ...(statusCallback !== undefined && { statusCallback }),
  } as SendMessageInput;
  return { input: request, sender: sender.from ?? (sender.messagingServiceSid as string) };
}
