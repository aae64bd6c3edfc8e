import type { Config } from '../config';
import type { CallStatusCallbackEvent, CreateCallInput } from '../twilio';
import { SayLanguage, SayVoice, VoiceResponse } from '../twiml';
import { invalid, invalidValue } from './errors';
import { bodyObject, CLIENT_ID, E164, parseFields, SIP_URI, type Schema } from './fields';
import { checkTwiml, MAX_TWIML_LENGTH } from './twiml-check';

export const CALL_FIELDS = {
  to: { type: 'string', max: 256, patterns: [E164, CLIENT_ID, SIP_URI], expected: 'an E.164 number (+15551234567), client:name or a sip: URI' },
  from: { type: 'string', max: 128, patterns: [E164, CLIENT_ID], expected: 'an E.164 number (+15551234567) or client:name' },
  url: { type: 'url' },
  twiml: { type: 'string', max: MAX_TWIML_LENGTH },
  say: { type: 'string', max: MAX_TWIML_LENGTH },
  voice: { type: 'enum', values: SayVoice },
  language: { type: 'enum', values: SayLanguage },
  record: { type: 'boolean' },
  timeout: { type: 'integer', min: 1, max: 600 },
  machineDetection: { type: 'enum', values: ['Enable', 'DetectMessageEnd'] as const },
  sendDigits: { type: 'string', max: 32, patterns: [/^[0-9#*wW]+$/], expected: 'digits, #, * and w (a half-second pause), at most 32' },
  statusCallback: { type: 'url' },
} as const satisfies Schema;

export const ALL_CALL_EVENTS: readonly CallStatusCallbackEvent[] = ['initiated', 'ringing', 'answered', 'completed'];

/** Turns a POST /api/calls body into the Twilio request, defaults applied. Throws ApiError(400). */
export function validateCall(body: unknown, config: Config): CreateCallInput {
  const f = parseFields(bodyObject(body), CALL_FIELDS);
  if (f.to === undefined) throw invalid('to', 'Expected `to`: an E.164 number (+15551234567), client:name or a sip: URI');
  const from = f.from ?? config.twilio.fromNumber;
  if (from === undefined) throw invalid('from', 'Expected `from` (no TWILIO_FROM_NUMBER is configured)');

  const given = (['url', 'twiml', 'say'] as const).filter((name) => f[name] !== undefined);
  if (given.length !== 1) {
    throw invalid(given[1] ?? 'url', `Expected exactly one of \`url\`, \`twiml\` or \`say\`${given.length > 1 ? `, got ${given.join(' and ')}` : ''}`);
  }
  for (const name of ['voice', 'language'] as const) {
    if (f[name] !== undefined && f.say === undefined) throw invalidValue(name, `\`${name}\` applies only with \`say\``, f[name]);
  }

  let instructions: { url: string } | { twiml: string };
  if (f.url !== undefined) {
    instructions = { url: f.url };
  } else if (f.twiml !== undefined) {
    checkTwiml('twiml', f.twiml);
    instructions = { twiml: f.twiml };
  } else {
    const attributes = { ...(f.voice !== undefined && { voice: f.voice }), ...(f.language !== undefined && { language: f.language }) };
    const response = new VoiceResponse();
    response.say(attributes, f.say ?? '');
    const twiml = response.toString();
    if (twiml.length > MAX_TWIML_LENGTH) throw invalidValue('say', `Expected \`say\` to fit in ${MAX_TWIML_LENGTH} characters of TwiML`, f.say);
    instructions = { twiml };
  }

  const statusCallback = f.statusCallback ?? (config.publicBaseUrl === undefined ? undefined : `${config.publicBaseUrl}/status/call`);
  return {
    to: f.to,
    from,
    ...instructions,
    ...(f.record !== undefined && { record: f.record }),
    ...(f.timeout !== undefined && { timeout: f.timeout }),
    ...(f.machineDetection !== undefined && { machineDetection: f.machineDetection }),
    ...(f.sendDigits !== undefined && { sendDigits: f.sendDigits }),
    ...(statusCallback !== undefined && { statusCallback, statusCallbackEvent: ALL_CALL_EVENTS }),
  };
}
