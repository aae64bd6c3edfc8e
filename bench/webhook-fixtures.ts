import fs from 'node:fs';
import path from 'node:path';
import { computeTwilioSignature } from '../src/security';

export const BENCH_TOKEN = '0123456789abcdef0123456789abcdef';
export const BENCH_BASE_URL = 'https://bench.example.com';

/** The config file Switchboard runs with in the benchmark: a menu, as most numbers have. */
export const BENCH_SETTINGS = {
  voice: {
    start: 'main',
    nodes: {
      main: {
        type: 'menu',
        greeting: { say: 'Thanks for calling Acme.', voice: 'Polly.Joanna' },
        prompt: { say: 'For sales, press 1. For support, press 2.', voice: 'Polly.Joanna' },
        options: { '1': { type: 'forward', to: '+15005550006' }, '2': { type: 'hangup' } },
      },
    },
  },
  sms: { autoReply: 'Thanks! We will reply soon.' },
};

/** What the ceiling answers in the menu shape: the same document Switchboard renders for the menu. */
export const FIXED_TWIML =
  '<?xml version="1.0" encoding="UTF-8"?><Response><Say voice="Polly.Joanna">Thanks for calling Acme.</Say>' +
  `<Gather action="${BENCH_BASE_URL}/voice/node/main/gather?attempt=0" method="POST" input="dtmf" numDigits="1" timeout="5">` +
  '<Say voice="Polly.Joanna">For sales, press 1. For support, press 2.</Say></Gather>' +
  `<Redirect method="POST">${BENCH_BASE_URL}/voice/node/main/gather?attempt=0</Redirect></Response>`;

/** Switchboard's answer with no config file (its default greeting), which the bare ceiling sends as a fixed string. */
export const DEFAULT_GREETING_TWIML =
  '<?xml version="1.0" encoding="UTF-8"?><Response><Say>Hello! This is Switchboard. Your server is up and answering calls. Goodbye.</Say></Response>';

const CALL_PARAMS: Array<[string, string]> = [
  ['AccountSid', 'AC' + '0'.repeat(32)],
  ['ApiVersion', '2010-04-01'],
  ['CallSid', 'CA' + '1'.repeat(32)],
  ['CallStatus', 'ringing'],
  ['Direction', 'inbound'],
  ['From', '+15551230000'],
  ['FromCity', 'NEW YORK'],
  ['FromCountry', 'US'],
  ['To', '+15005550001'],
  ['ToCountry', 'US'],
];

const SMS_PARAMS: Array<[string, string]> = [
  ['AccountSid', 'AC' + '0'.repeat(32)],
  ['ApiVersion', '2010-04-01'],
  ['Body', 'Hello there'],
  ['From', '+15551230000'],
  ['MessageSid', 'SM' + '2'.repeat(32)],
  ['NumMedia', '0'],
  ['SmsStatus', 'received'],
  ['To', '+15005550001'],
];

export interface SignedRequest {
  method?: 'GET' | 'POST';
  path: string;
  body: string;
  signature: string;
}

/** A twimlet as a number's voice URL would call it: GET, the message in the query string, signed. */
export const TWIMLET_REQUEST: SignedRequest = (() => {
  const path = '/twimlets/message?Message%5B0%5D=' + encodeURIComponent('Thanks for calling Acme. Goodbye.');
  return { method: 'GET', path, body: '', signature: computeTwilioSignature(BENCH_TOKEN, `${BENCH_BASE_URL}${path}`, []) };
})();

function signed(route: string, params: Array<[string, string]>): SignedRequest {
  return {
    path: route,
    body: new URLSearchParams(params).toString(),
    signature: computeTwilioSignature(BENCH_TOKEN, `${BENCH_BASE_URL}${route}`, params),
  };
}

export const VOICE_REQUEST = signed('/voice', CALL_PARAMS);
export const SMS_REQUEST = signed('/sms', SMS_PARAMS);

/**
 * `size` requests like `VOICE_REQUEST` or `SMS_REQUEST`, each for a call or message of its own
 * (its sid replaced), each signed: as in production, every webhook writes a new row.
 */
export function uniqueRequests(kind: 'voice' | 'sms', size: number): SignedRequest[] {
  const [route, params, sidKey, prefix] = kind === 'voice' ? ['/voice', CALL_PARAMS, 'CallSid', 'CA'] : ['/sms', SMS_PARAMS, 'MessageSid', 'SM'];
  return Array.from({ length: size }, (_, i) =>
    signed(route, params.map(([key, value]): [string, string] => [key, key === sidKey ? prefix + i.toString(16).padStart(32, '0') : value])),
  );
}

/**
 * The environment of a Switchboard started for the webhook benches in `dir`: the bench's auth
 * token and public URL, and BENCH_SETTINGS written there as its config file; `extra` on top.
 */
export function webhookBenchEnv(dir: string, extra: Record<string, string>): Record<string, string> {
  const settingsFile = path.join(dir, 'switchboard.config.json');
  fs.writeFileSync(settingsFile, JSON.stringify(BENCH_SETTINGS));
  return { TWILIO_AUTH_TOKEN: BENCH_TOKEN, PUBLIC_BASE_URL: BENCH_BASE_URL, CONFIG_PATH: settingsFile, ...extra };
}
