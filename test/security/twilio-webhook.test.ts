import express from 'express';
import pino from 'pino';
import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import request from 'supertest';
import { captureRawBody, computeBodySha256, REJECT_REASONS, twilioWebhookAuth } from '../../src/security';
import type { TwilioWebhookAuthOptions, WebhookLogger } from '../../src/security';
import { formBody, twilioSign } from '../support/twilio-sign';

const TOKEN = 'test-auth-token-0123456789abcdef';
const BASE = 'https://sb.example.com';
const TWIML = '<Response/>';
const CALL: Array<[string, string]> = [
  ['CallSid', 'CA123'],
  ['From', '+15551230000'],
  ['To', '+15559870000'],
];
const JSON_BODY = '{"EventType":"onMessageAdded","Body":"héllo ✓","Index":3}';
const JSON_PATH = `/twilio/voice?bodySHA256=${computeBodySha256(JSON_BODY)}`;

type Parsers = 'form+json' | 'form+json-no-raw' | 'none';

/**
 * The app shape the middleware expects: body parsers first, raw body kept for
 * JSON, and the middleware inside a mounted router so `req.url` differs from
 * `req.originalUrl`.
 */
function buildApp(options: Partial<TwilioWebhookAuthOptions> = {}, parsers: Parsers = 'form+json') {
  const warnings: Array<{ obj: object; msg: string }> = [];
  const logger: WebhookLogger = { warn: (obj, msg) => warnings.push({ obj, msg }) };
  const app = express();
  if (parsers !== 'none') {
    app.use(express.urlencoded({ extended: false }));
    app.use(express.json(parsers === 'form+json' ? { verify: captureRawBody } : {}));
  }
  const router = express.Router();
  router.use(twilioWebhookAuth({ authToken: TOKEN, publicBaseUrl: BASE, trustProxy: false, enabled: true, logger, ...options }));
  router.all('/voice', (_req, res) => {
    res.type('text/xml').send(TWIML);
  });
  app.use('/twilio', router);
  return { app, warnings };
}

interface Row {
  name: string;
  app?: Partial<TwilioWebhookAuthOptions>;
  parsers?: Parsers;
  method?: 'get' | 'post';
  path?: string;
  headers?: Record<string, string>;
  /** Form pairs sent; signed too unless `signedPairs` says otherwise. */
  form?: Array<[string, string]>;
  json?: string;
  signedUrl?: string;
  signedPairs?: Array<[string, string]>;
  signToken?: string;
  /** A literal header value, or null to omit the header. */
  signature?: string | null;
  status: number;
  body: string;
}

const ok = { status: 200, body: TWIML };
const bad = { status: 403, body: REJECT_REASONS.badSignature };
const proxied = { host: 'internal:3000', 'X-Forwarded-Proto': 'https', 'X-Forwarded-Host': 'sb.example.com' };

const rows: Row[] = [
  { name: 'valid form POST', ...ok },
  { name: 'changed parameter', form: [...CALL.slice(0, 2), ['To', '+15559870001']], signedPairs: CALL, ...bad },
  { name: 'added parameter', form: [...CALL, ['Digits', '1']], signedPairs: CALL, ...bad },
  { name: 'dropped parameter', form: CALL.slice(1), signedPairs: CALL, ...bad },
  { name: 'changed URL path', signedUrl: `${BASE}/twilio/sms`, ...bad },
  { name: 'changed URL query', path: '/twilio/voice?id=2', signedUrl: `${BASE}/twilio/voice?id=1`, ...bad },
  { name: 'changed host', signedUrl: 'https://other.example.com/twilio/voice', ...bad },
  { name: 'wrong token', signToken: 'not-the-token', ...bad },
  { name: 'missing header', signature: null, status: 403, body: REJECT_REASONS.missingSignature },
  { name: 'empty header', signature: '', status: 403, body: REJECT_REASONS.missingSignature },
  { name: 'garbage header', signature: 'x'.repeat(28), ...bad },
  { name: 'repeated keys', form: [['Digits', '2'], ['Digits', '1'], ['To', '+1']], ...ok },
  { name: 'repeated key with an unsigned second value', form: [['Digits', '1'], ['Digits', '9']], signedPairs: [['Digits', '1']], ...bad },
  { name: 'unicode values', form: [['Body', 'héllo ✓ 😀 — 你好'], ['From', '+15551230000']], ...ok },
  { name: 'unicode value forged', form: [['Body', 'cafe']], signedPairs: [['Body', 'café']], ...bad },
  { name: 'form value with reserved characters', form: [['Body', 'a&b=c+d %20']], ...ok },
  {
    name: 'behind a trusted proxy (X-Forwarded-Proto/Host)',
    app: { publicBaseUrl: undefined, trustProxy: true },
    headers: proxied,
    ...ok,
  },
  {
    name: 'forwarded headers ignored when the proxy is not trusted',
    app: { publicBaseUrl: undefined, trustProxy: false },
    headers: proxied,
    ...bad,
  },
  {
    name: 'trusted proxy that forwards only the protocol',
    app: { publicBaseUrl: undefined, trustProxy: true },
    headers: { host: 'sb.example.com', 'X-Forwarded-Proto': 'https' },
    ...ok,
  },
  {
    name: 'trusted proxy reports http but Twilio signed https',
    app: { publicBaseUrl: undefined, trustProxy: true },
    headers: { ...proxied, 'X-Forwarded-Proto': 'http' },
    ...bad,
  },
  {
    name: 'trusted proxy passes Host with the default port',
    app: { publicBaseUrl: undefined, trustProxy: true },
    headers: { host: 'sb.example.com:443', 'X-Forwarded-Proto': 'https' },
    ...ok,
  },
  {
    name: 'no PUBLIC_BASE_URL, no proxy: own protocol and Host',
    app: { publicBaseUrl: undefined },
    headers: { host: 'sb.example.com' },
    signedUrl: 'http://sb.example.com/twilio/voice',
    ...ok,
  },
  {
    name: 'PUBLIC_BASE_URL with a path prefix and trailing slash',
    app: { publicBaseUrl: 'https://example.com/sb/' },
    signedUrl: 'https://example.com/sb/twilio/voice',
    ...ok,
  },
  { name: 'signed with :443, base without', signedUrl: 'https://sb.example.com:443/twilio/voice', ...ok },
  { name: 'signed without :443, base with', app: { publicBaseUrl: 'https://sb.example.com:443' }, signedUrl: `${BASE}/twilio/voice`, ...ok },
  { name: 'signed with :80 on http', app: { publicBaseUrl: 'http://sb.example.com' }, signedUrl: 'http://sb.example.com:80/twilio/voice', ...ok },
  { name: 'signed with a non-default port', signedUrl: 'https://sb.example.com:8443/twilio/voice', ...bad },
  {
    name: 'GET with query-only params',
    method: 'get',
    path: '/twilio/voice?CallSid=CA123&From=%2B15551230000',
    ...ok,
  },
  {
    name: 'GET with a tampered query',
    method: 'get',
    path: '/twilio/voice?CallSid=CA124&From=%2B15551230000',
    signedUrl: `${BASE}/twilio/voice?CallSid=CA123&From=%2B15551230000`,
    ...bad,
  },
  { name: 'GET with a percent-encoded query kept verbatim', method: 'get', path: '/twilio/voice?name=it%27s+ok%7E', ...ok },
  {
    name: 'GET signed over a decoded spelling of the query',
    method: 'get',
    path: '/twilio/voice?name=it%27s+ok',
    signedUrl: `${BASE}/twilio/voice?name=it's ok`,
    ...bad,
  },
  { name: 'JSON body with bodySHA256', path: JSON_PATH, json: JSON_BODY, ...ok },
  {
    name: 'JSON body changed after signing',
    path: JSON_PATH,
    json: JSON_BODY.replace('3', '4'),
    status: 403,
    body: REJECT_REASONS.badBodyHash,
  },
  {
    name: 'JSON body with bodySHA256 swapped for an unsigned one',
    path: `/twilio/voice?bodySHA256=${computeBodySha256('{}')}`,
    signedUrl: `${BASE}${JSON_PATH}`,
    json: '{}',
    ...bad,
  },
  {
    name: 'JSON body when the app did not capture the raw body',
    parsers: 'form+json-no-raw',
    path: JSON_PATH,
    json: JSON_BODY,
    status: 403,
    body: REJECT_REASONS.rawBodyMissing,
  },
  { name: 'nested JSON body without bodySHA256', json: '{"a":{"b":"c"}}', status: 403, body: REJECT_REASONS.bodyNotForm },
  { name: 'form POST with no body parser mounted', parsers: 'none', status: 403, body: REJECT_REASONS.bodyNotParsed },
  { name: 'enabled without an auth token fails closed', app: { authToken: undefined }, status: 403, body: REJECT_REASONS.noAuthToken },
  { name: 'disabled: no header needed', app: { enabled: false }, signature: null, ...ok },
  { name: 'disabled: forged signature passes', app: { enabled: false, authToken: undefined }, signToken: 'x', ...ok },
];

function send(row: Row) {
  const { app } = buildApp(row.app, row.parsers);
  const path = row.path ?? '/twilio/voice';
  const method = row.method ?? 'post';
  const form = method === 'get' || row.json !== undefined ? [] : (row.form ?? CALL);
  const signature =
    row.signature !== undefined
      ? row.signature
      : twilioSign(row.signToken ?? TOKEN, row.signedUrl ?? `${BASE}${path}`, row.signedPairs ?? form);

  let req = request(app)[method](path);
  for (const [name, value] of Object.entries(row.headers ?? {})) req = req.set(name, value);
  if (signature !== null) req = req.set('X-Twilio-Signature', signature);
  if (row.json !== undefined) return req.set('Content-Type', 'application/json').send(row.json);
  if (method === 'post') return req.type('form').send(formBody(form));
  return req;
}

describe('twilioWebhookAuth', () => {
  it.each(rows)('$name -> $status', async (row) => {
    const res = await send(row);
    expect({ status: res.status, body: res.text }).toEqual({ status: row.status, body: row.body });
  });

  it('answers rejections as text/plain', async () => {
    const res = await send({ name: 'missing', signature: null, status: 403, body: '' });
    expect(res.headers['content-type']).toBe('text/plain; charset=utf-8');
  });

  it('logs the reason and URL of a rejection', async () => {
    const { app, warnings } = buildApp();
    await request(app).post('/twilio/voice?id=7').type('form').send('a=1').set('X-Twilio-Signature', 'bogus');
    expect(warnings).toEqual([
      { obj: { reason: REJECT_REASONS.badSignature, url: `${BASE}/twilio/voice?id=7` }, msg: 'twilio signature rejected' },
    ]);
  });

  it('does not log accepted requests', async () => {
    const { app, warnings } = buildApp();
    const signature = twilioSign(TOKEN, `${BASE}/twilio/voice`, CALL);
    await request(app).post('/twilio/voice').type('form').send(formBody(CALL)).set('X-Twilio-Signature', signature).expect(200);
    expect(warnings).toEqual([]);
  });

  it('never writes the token or the signature to a pino log', async () => {
    let output = '';
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        output += chunk.toString();
        done();
      },
    });
    const logger = pino(sink);
    const { app } = buildApp({ logger });
    const signature = twilioSign(TOKEN, `${BASE}/twilio/other`, CALL);
    await request(app).post('/twilio/voice').type('form').send(formBody(CALL)).set('X-Twilio-Signature', signature).expect(403);

    expect(JSON.parse(output)).toMatchObject({
      level: 40,
      reason: REJECT_REASONS.badSignature,
      url: `${BASE}/twilio/voice`,
      msg: 'twilio signature rejected',
    });
    expect(output).not.toContain(TOKEN);
    expect(output).not.toContain(signature);
  });

  // supertest re-encodes `'` to `%27` before sending, so use node:http, which
  // sends the path as written, to prove the URL is signed as received.
  it('accepts a raw apostrophe in the query exactly as the client sent it', async () => {
    const { app } = buildApp();
    const path = "/twilio/voice?name=it's+ok";
    const signature = twilioSign(TOKEN, `${BASE}${path}`);
    const server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const status = await new Promise<number | undefined>((resolve, reject) => {
        httpRequest({ host: '127.0.0.1', port, path, headers: { 'X-Twilio-Signature': signature } }, (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode));
        })
          .on('error', reject)
          .end();
      });
      expect(status).toBe(200);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
