// Shared pieces of the hostile-input property test: a raw HTTP client (any bytes, any header),
// the generators of hostile values, and the checks every answer must pass.
import http from 'node:http';
import fc from 'fast-check';
import { SaxesParser } from 'saxes';

export interface RawRequest {
  method: string;
  /** Already percent-encoded; may hold encoded invalid UTF-8. */
  path: string;
  headers: Record<string, string>;
  body: Buffer;
}

export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** Sends exactly these bytes; a socket error is an answer too (status 0), so the caller can fail on it. */
export function send(agent: http.Agent, port: number, request: RawRequest): Promise<RawResponse> {
  return new Promise((resolve) => {
    const req = http.request(
      { host: '127.0.0.1', port, agent, method: request.method, path: request.path, headers: { ...request.headers, 'Content-Length': String(request.body.length) } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', (err) => resolve({ status: 0, headers: {}, body: String(err) }));
      },
    );
    req.on('error', (err) => resolve({ status: 0, headers: {}, body: String(err) }));
    req.end(request.body);
  });
}

/** Markers an injection would have to smuggle in as markup; none may ever come out as an element or attribute. */
export const INJECTED_ELEMENT = 'Pwned';
export const INJECTED_ATTRIBUTE = 'pwned';

export const INJECTIONS: readonly string[] = [
  `</Say><${INJECTED_ELEMENT}/><Say>`,
  `<Dial ${INJECTED_ATTRIBUTE}="1">+15550001234</Dial>`,
  `</Message><Redirect ${INJECTED_ATTRIBUTE}="1">https://evil.example/x</Redirect><Message>`,
  `" ${INJECTED_ATTRIBUTE}="1`,
  `' ${INJECTED_ATTRIBUTE}='1`,
  `]]><${INJECTED_ELEMENT}/><![CDATA[`,
  `<!--`,
  `--><${INJECTED_ELEMENT}/><!--`,
  `<?xml version="1.0"?><Response><${INJECTED_ELEMENT}/></Response>`,
  `<!DOCTYPE r [<!ENTITY x "y">]>&x;`,
  '&amp;&lt;&#x3C;&#60;&',
  `https://evil.example/"><${INJECTED_ELEMENT}/>`,
];

/** Numbers that are not what they seem. */
export const NUMBERISH: readonly string[] = [
  '١٢٣', '１２３', '²', '⅓', '1e309', '-0', 'NaN', 'Infinity', '-1', '0x10', ' 1', '1 ', '9'.repeat(400),
  '+1555\u200b0001111', '+１５５５０００１１１１', '+15550001111\n', '0', '00', '1.5', '99999999999999999999',
];

export const HOSTILE_KEYS: readonly string[] = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', '__proto__[x]', 'a[b]', '', ' ', '\u0000'];

const control = fc.integer({ min: 0, max: 0x1f }).map((code) => String.fromCharCode(code));
const loneSurrogate = fc.constantFrom('\uD800', '\uDFFF', 'a\uD83Db');

/** Text values: random, unicode, control characters, injections, number look-alikes. */
export const hostileText: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 20 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 20 }) },
  { weight: 3, arbitrary: fc.constantFrom(...INJECTIONS) },
  { weight: 2, arbitrary: fc.constantFrom(...NUMBERISH) },
  { weight: 1, arbitrary: fc.array(fc.oneof(control, loneSurrogate, fc.string({ minLength: 1, maxLength: 1 })), { maxLength: 10 }).map((chars) => chars.join('')) },
  { weight: 1, arbitrary: fc.constantFrom('+15551230000', 'client:alice', 'sip:a@b.example', 'https://example.com/a.mp3', 'CA' + 'a'.repeat(32)) },
);

/** Names Twilio sends, that handlers read, plus hostile ones. */
export const FIELD_NAMES: readonly string[] = [
  'From', 'To', 'Body', 'Digits', 'SpeechResult', 'CallSid', 'MessageSid', 'SmsSid', 'AccountSid', 'CallStatus',
  'MessageStatus', 'SmsStatus', 'SequenceNumber', 'Timestamp', 'CallDuration', 'Duration', 'ErrorCode', 'ErrorMessage',
  'NumMedia', 'MediaUrl0', 'MediaUrl1', 'RecordingSid', 'RecordingUrl', 'RecordingStatus', 'RecordingDuration',
  'TranscriptionSid', 'TranscriptionText', 'TranscriptionStatus', 'DialCallStatus', 'DialStatus', 'Direction',
  'MessagingServiceSid', 'ApiVersion', 'Caller', 'Called',
  // The API's and the twimlets' own
  'to', 'from', 'body', 'say', 'twiml', 'url', 'voice', 'language', 'mediaUrl', 'sendAt', 'timeout', 'record',
  'recipients', 'messagingServiceSid', 'statusCallback', 'identity', 'incoming', 'ttl', 'limit', 'cursor', 'number', 'status',
  'Message', 'PhoneNumber', 'PhoneNumbers[0]', 'PhoneNumbers[]', 'Timeout', 'FailUrl', 'Url', 'Email', 'Transcribe',
  'Options[1]', 'Name', 'Moderators[0]', 'Bucket', 'Twiml', 'HumanCheck', 'attempt', 'voicemail', 'Music', 'Password',
  ...HOSTILE_KEYS,
];

export const fieldName: fc.Arbitrary<string> = fc.oneof({ weight: 5, arbitrary: fc.constantFrom(...FIELD_NAMES) }, { weight: 1, arbitrary: fc.string({ maxLength: 12 }) });
export const pairs: fc.Arbitrary<Array<[string, string]>> = fc.array(fc.tuple(fieldName, hostileText), { maxLength: 12 });

/** `application/x-www-form-urlencoded`; keys and values may hold lone surrogates, encoded as U+FFFD like a browser. */
export function encodePairs(list: ReadonlyArray<readonly [string, string]>): string {
  return list.map(([k, v]) => `${encodeURIComponent(wellFormed(k))}=${encodeURIComponent(wellFormed(v))}`).join('&');
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

export function wellFormed(text: string): string {
  return text.replace(LONE_SURROGATE, '\uFFFD');
}

/** Percent-encodes arbitrary bytes, so a path or query can carry invalid UTF-8. */
export function encodeBytes(bytes: Uint8Array): string {
  return [...bytes].map((b) => `%${b.toString(16).padStart(2, '0').toUpperCase()}`).join('');
}

/** JSON text with keys a naive merge would turn into prototype pollution. */
export const pollutingJson: fc.Arbitrary<string> = fc
  .tuple(fc.constantFrom('__proto__', 'constructor', 'prototype'), hostileText, fc.constantFrom(...FIELD_NAMES))
  .map(([key, value, field]) => `{"${field}":${JSON.stringify(value)},"${key}":{"polluted":true,"isAdmin":true,"toString":1},"recipients":[{"__proto__":{"to":"+15551230000"}}]}`);

export function deepJson(depth: number, kind: 'array' | 'object'): string {
  return kind === 'array' ? '['.repeat(depth) + ']'.repeat(depth) : '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
}

export interface XmlSummary {
  root: string | undefined;
  elements: Set<string>;
  attributes: Set<string>;
}

/** Parses strictly (well-formedness errors throw); collects element and attribute names. */
export function parseTwiml(xml: string): XmlSummary {
  const parser = new SaxesParser({ xmlns: false });
  const summary: XmlSummary = { root: undefined, elements: new Set(), attributes: new Set() };
  let error: Error | undefined;
  parser.on('error', (err) => {
    error ??= err;
  });
  parser.on('doctype', () => {
    error ??= new Error('DOCTYPE in TwiML');
  });
  parser.on('opentag', (tag) => {
    summary.root ??= tag.name;
    summary.elements.add(tag.name);
    for (const name of Object.keys(tag.attributes)) summary.attributes.add(name);
  });
  parser.write(xml).close();
  if (error) throw error;
  return summary;
}

const API_ERROR_KEYS = new Set(['message', 'field', 'received', 'twilioCode', 'moreInfo', 'requestId']);
/** A shown value is cut to 80 characters, then says how long it was: `… (12345 characters)`. */
const MAX_RECEIVED_CHARS = 80 + ' (9999999 characters)'.length + 1;

/** The documented error shape: `{ error: { message, field?, received?, twilioCode?, moreInfo?, requestId? } }` and nothing else. */
export function apiErrorProblem(body: string): string | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return 'not JSON';
  }
  if (typeof parsed !== 'object' || parsed === null || Object.keys(parsed).join() !== 'error') return 'no single "error" key';
  const error = (parsed as { error: unknown }).error;
  if (typeof error !== 'object' || error === null) return '"error" is not an object';
  const fields = error as Record<string, unknown>;
  const extra = Object.keys(fields).find((key) => !API_ERROR_KEYS.has(key));
  if (extra !== undefined) return `unexpected key ${extra}`;
  if (typeof fields.message !== 'string' || fields.message === '') return 'no message';
  if (fields.field !== undefined && typeof fields.field !== 'string') return 'field is not a string';
  if (fields.twilioCode !== undefined && typeof fields.twilioCode !== 'number') return 'twilioCode is not a number';
  if ('received' in fields) {
    const received = fields.received;
    if (fields.field === undefined) return 'received without a field';
    if (received !== null && !['string', 'number', 'boolean'].includes(typeof received)) return 'received is not a plain value';
    if (typeof received === 'string' && received.length > MAX_RECEIVED_CHARS) return 'received is not truncated';
  }
  return undefined;
}
