import type { Request } from 'express';

export type TwilioParams = Readonly<Record<string, string>>;

/**
 * The parameters of a Twilio webhook: the POST form, or the query string when the number is set
 * to GET. A repeated key keeps its first value; Twilio never repeats the keys it documents.
 */
export function twilioParams(req: Request): TwilioParams {
  const source: unknown = req.method === 'POST' && isRecord(req.body) ? req.body : req.query;
  if (!isRecord(source)) return Object.create(null) as TwilioParams;
  // A form Twilio sent, parsed into an object without a prototype, is used as it is: this runs
  // on every webhook, and a copy is a new object of some twenty keys each time.
  if (Object.getPrototypeOf(source) === null && allStrings(source)) return source as TwilioParams;
  const params: Record<string, string> = Object.create(null) as Record<string, string>;
  // for...in, not Object.entries, for the same reason; the own-key check keeps a parsed JSON
  // body's prototype (if any) out.
  for (const key in source) {
    if (!Object.hasOwn(source, key)) continue;
    const value = source[key];
    const first = Array.isArray(value) ? value[0] : value;
    if (typeof first === 'string') params[key] = first;
  }
  return params;
}

function allStrings(record: Record<string, unknown>): boolean {
  for (const key in record) if (typeof record[key] !== 'string') return false;
  return true;
}

/** Twilio allows at most 10 media items per message. */
const MAX_MEDIA = 10;

/** The media URLs of an inbound message: `MediaUrl0` … `MediaUrl{NumMedia-1}`. */
export function mediaUrlsOf(params: TwilioParams): string[] {
  const urls: string[] = [];
  const count = Math.min(Number(params.NumMedia ?? 0) || 0, MAX_MEDIA);
  for (let i = 0; i < count; i++) {
    const url = params[`MediaUrl${i}`];
    if (url !== undefined) urls.push(url);
  }
  return urls;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
