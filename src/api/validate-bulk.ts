import type { Config } from '../config';
import type { SendMessageInput } from '../twilio';
import { ApiError, invalid, invalidValue } from './errors';
import { bodyObject, parseFields, type Schema } from './fields';
import { defaultMessageCallback, MESSAGE_FIELDS, resolveSender } from './validate-message';

export const MAX_RECIPIENTS = 10_000;

export const BULK_FIELDS = {
  to: { type: 'list', item: MESSAGE_FIELDS.to, max: MAX_RECIPIENTS },
  from: MESSAGE_FIELDS.from,
  messagingServiceSid: MESSAGE_FIELDS.messagingServiceSid,
  body: MESSAGE_FIELDS.body,
  mediaUrl: MESSAGE_FIELDS.mediaUrl,
  statusCallback: MESSAGE_FIELDS.statusCallback,
} as const satisfies Schema;

const RECIPIENT_FIELDS = { to: MESSAGE_FIELDS.to, body: MESSAGE_FIELDS.body } as const satisfies Schema;

export interface ValidBulk {
  /** One Twilio request per recipient, in the order given. */
  messages: SendMessageInput[];
  sender: string;
}

/** Reads `recipients: [{ to, body? }]` (JSON only), naming the failing entry as `recipients[i].field`. */
function readRecipients(raw: unknown): Array<{ to: string; body?: string }> {
  if (!Array.isArray(raw) || raw.length === 0 || raw.length > MAX_RECIPIENTS) {
    throw invalidValue('recipients', `Expected \`recipients\` to be a list of 1 to ${MAX_RECIPIENTS} objects { to, body? }`, raw);
  }
  return raw.map((entry, index) => {
    try {
      const f = parseFields(bodyObject(entry), RECIPIENT_FIELDS);
      if (f.to === undefined) throw invalid('to', 'Expected `to`: an E.164 number such as +15551234567');
      return { to: f.to, ...(f.body !== undefined && { body: f.body }) };
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      const { field = 'to', received } = err.details;
      throw new ApiError(400, `recipients[${index}]: ${err.message}`, { field: `recipients[${index}].${field}`, ...(received !== undefined && { received }) });
    }
  });
}

/** Turns a POST /api/messages/bulk body into one message per recipient. Throws ApiError(400). */
export function validateBulk(body: unknown, config: Config): ValidBulk {
  const { recipients: rawRecipients, ...rest } = bodyObject(body);
  const f = parseFields(rest, BULK_FIELDS);
  if ((f.to === undefined) === (rawRecipients === undefined)) {
    throw invalid('to', 'Expected exactly one of `to` (a list of numbers) or `recipients` (a list of { to, body })');
  }
  const recipients = rawRecipients === undefined ? (f.to ?? []).map((to) => ({ to })) : readRecipients(rawRecipients);
  if (recipients.length > MAX_RECIPIENTS) throw invalid('to', `Expected at most ${MAX_RECIPIENTS} recipients`);

  const seen = new Set<string>();
  recipients.forEach(({ to }, index) => {
    const field = rawRecipients === undefined ? `to[${index}]` : `recipients[${index}].to`;
    if (seen.has(to)) throw invalidValue(field, `${to} is listed twice (entry ${index}); each recipient gets one message`, to);
    seen.add(to);
  });
  const missing = recipients.findIndex((r) => (r as { body?: string }).body === undefined && f.body === undefined);
  if (missing >= 0 && f.mediaUrl === undefined) {
    throw invalid('body', `Expected \`body\` and/or \`mediaUrl\` (recipient ${missing} has no body of its own)`);
  }

  const sender = resolveSender(f, config);
  const statusCallback = f.statusCallback ?? defaultMessageCallback(config);
  const messages = recipients.map((recipient) => {
    const text = (recipient as { body?: string }).body ?? f.body;
    return {
      to: recipient.to,
      ...sender,
      ...(text !== undefined && { body: text }),
      ...(f.mediaUrl !== undefined && { mediaUrl: f.mediaUrl }),
      ...(statusCallback !== undefined && { statusCallback }),
    } as SendMessageInput;
  });
  return { messages, sender: sender.from ?? (sender.messagingServiceSid as string) };
}

