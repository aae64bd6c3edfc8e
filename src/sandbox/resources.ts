// Builds Call and Message JSON the way Twilio answers a create (status `queued`,
// RFC 2822 dates, relative `uri`s). Values the client sent are echoed back.
import { randomBytes } from 'node:crypto';
import type { CallResource, MessageResource } from '../twilio/types';

export type FormPairs = ReadonlyArray<[string, string]>;

export function newSid(prefix: string): string {
  return prefix + randomBytes(16).toString('hex');
}

/** `Tue, 31 Aug 2010 20:36:28 +0000`, as Twilio formats dates. */
export function rfc2822(date: Date): string {
  return date.toUTCString().replace(/GMT$/, '+0000');
}

export function firstValue(form: FormPairs, name: string): string | null {
  const pair = form.find(([key]) => key === name);
  return pair === undefined ? null : pair[1];
}

export function allValues(form: FormPairs, name: string): string[] {
  return form.filter(([key]) => key === name).map(([, value]) => value);
}

const CALL_SUBRESOURCES = [
  'notifications',
  'recordings',
  'payments',
  'events',
  'siprec',
  'streams',
  'transcriptions',
  'user_defined_message_subscriptions',
  'user_defined_messages',
];

function subresourceName(key: string): string {
  return key
    .split('_')
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
}

export function buildCall(accountSid: string, form: FormPairs, now: Date): CallResource {
  const sid = newSid('CA');
  const base = `/2010-04-01/Accounts/${accountSid}/Calls/${sid}`;
  const subresources: Record<string, string> = {};
  for (const key of CALL_SUBRESOURCES) subresources[key] = `${base}/${subresourceName(key)}.json`;
  return {
    sid,
    account_sid: accountSid,
    parent_call_sid: null,
    date_created: rfc2822(now),
    date_updated: rfc2822(now),
    to: firstValue(form, 'To'),
    to_formatted: firstValue(form, 'To'),
    from: firstValue(form, 'From'),
    from_formatted: firstValue(form, 'From'),
    phone_number_sid: null,
    status: 'queued',
    start_time: null,
    end_time: null,
    duration: null,
    price: null,
    price_unit: 'USD',
    direction: 'outbound-api',
    answered_by: null,
    api_version: '2010-04-01',
    forwarded_from: null,
    group_sid: null,
    caller_name: null,
    queue_time: '0',
    trunk_sid: null,
    uri: `${base}.json`,
    subresource_uris: subresources,
  };
}

export function buildMessage(accountSid: string, form: FormPairs, now: Date): MessageResource {
  const media = allValues(form, 'MediaUrl');
  const sid = newSid(media.length > 0 ? 'MM' : 'SM');
  const base = `/2010-04-01/Accounts/${accountSid}/Messages/${sid}`;
  const body = firstValue(form, 'Body') ?? '';
  const from = firstValue(form, 'From');
  const scheduled = firstValue(form, 'ScheduleType') === 'fixed';
  return {
    sid,
    account_sid: accountSid,
    messaging_service_sid: firstValue(form, 'MessagingServiceSid'),
    to: firstValue(form, 'To'),
    from,
    body,
    num_segments: String(Math.max(1, Math.ceil(body.length / 160))),
    num_media: String(media.length),
    direction: 'outbound-api',
    // A Messaging Service without From picks the sender later: Twilio says `accepted`.
    status: scheduled ? 'scheduled' : from === null ? 'accepted' : 'queued',
    error_code: null,
    error_message: null,
    price: null,
    price_unit: 'USD',
    api_version: '2010-04-01',
    date_created: rfc2822(now),
    date_updated: rfc2822(now),
    date_sent: null,
    uri: `${base}.json`,
    subresource_uris: { media: `${base}/Media.json`, feedback: `${base}/Feedback.json` },
  };
}
