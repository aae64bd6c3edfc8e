import type { Request } from 'express';

export type TwilioParams = Readonly<Record<string, string>>;

/**
 * The parameters of a Twilio webhook: the POST form, or the query string when the number is set
 * to GET. A repeated key keeps its first value; Twilio never repeats the keys it documents.
 */
export function twilioParams(req: Request): TwilioParams {
  const source: unknown = req.method === 'POST' && isRecord(req.body) ? req.body : req.query;
  const params: Record<string, string> = Object.create(null) as Record<string, string>;
  if (!isRecord(source)) return params;
  for (const [key, value] of Object.entries(source)) {
    const first = Array.isArray(value) ? value[0] : value;
    if (typeof first === 'string') params[key] = first;
  }
  return params;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
