// The fake is only useful if it refuses what Twilio would refuse: these tests
// send raw requests to it, bypassing the client.
import fs from 'node:fs';
import os from 'node:os';
import * as path from 'node:path';
import {
  FAKE_ACCOUNT_SID,
  FAKE_API_KEY_SECRET,
  FAKE_API_KEY_SID,
  FAKE_AUTH_TOKEN,
  startFakeTwilio,
  type FakeTwilio,
} from '../support/fake-twilio';
import { bundledTwilioSpec } from '../../src/sandbox/spec-file';
import { loadTwilioSpec, locateTwilioSpec } from '../support/twilio-spec';

let fake: FakeTwilio;
beforeAll(async () => {
  fake = await startFakeTwilio();
});
afterAll(() => fake.close());
beforeEach(() => fake.reset());

const ACCOUNT = `/2010-04-01/Accounts/${FAKE_ACCOUNT_SID}`;
const basic = (user: string, pass: string) => `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;
const GOOD_AUTH = basic(FAKE_ACCOUNT_SID, FAKE_AUTH_TOKEN);
const CALL_FORM: Array<[string, string]> = [
  ['To', '+15551230000'],
  ['From', '+15559870000'],
  ['Url', 'https://switchboard.example/voice'],
];

interface RawOptions {
  method?: string;
  auth?: string | null;
  contentType?: string | null;
  body?: string;
}

async function raw(urlPath: string, options: RawOptions = {}): Promise<{ status: number; body: Record<string, unknown> | null }> {
  const headers: Record<string, string> = {};
  const auth = options.auth === undefined ? GOOD_AUTH : options.auth;
  if (auth !== null) headers.Authorization = auth;
  const contentType = options.contentType === undefined ? 'application/x-www-form-urlencoded' : options.contentType;
  if (contentType !== null && options.body !== undefined) headers['Content-Type'] = contentType;
  const response = await fetch(fake.baseUrl + urlPath, { method: options.method ?? 'POST', headers, body: options.body });
  const text = await response.text();
  return { status: response.status, body: text === '' ? null : (JSON.parse(text) as Record<string, unknown>) };
}

function post(urlPath: string, pairs: Array<[string, string]>, options: RawOptions = {}) {
  return raw(urlPath, { ...options, body: new URLSearchParams(pairs).toString() });
}

describe('spec loading', () => {
  test('indexes the operations the client uses', () => {
    const ids = loadTwilioSpec().operations.map((op) => op.operationId);
    for (const id of ['CreateCall', 'FetchCall', 'UpdateCall', 'CreateMessage', 'FetchMessage']) expect(ids).toContain(id);
  });

  test('reads the spec committed in the repository, and honours TWILIO_OAI_SPEC', () => {
    const bundled = bundledTwilioSpec();
    expect(path.relative(process.cwd(), bundled)).toBe(path.join('src', 'sandbox', 'twilio-api-v2010.json'));
    expect(locateTwilioSpec({})).toBe(bundled);
    const other = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'switchboard-spec-')), 'full.json');
    fs.writeFileSync(other, '{}');
    try {
      expect(locateTwilioSpec({ TWILIO_OAI_SPEC: other })).toBe(other);
    } finally {
      fs.rmSync(path.dirname(other), { recursive: true, force: true });
    }
  });

  test('the committed spec records its source and keeps Twilio\'s licence', () => {
    const spec = JSON.parse(fs.readFileSync(bundledTwilioSpec(), 'utf8')) as {
      info: { license: { name: string } };
      'x-switchboard-trimmed': { source: string; keptPaths: string[] };
      paths: Record<string, unknown>;
    };
    expect(spec.info.license.name).toBe('Apache 2.0');
    expect(spec['x-switchboard-trimmed'].source).toMatch(/^twilio\/twilio-oai/);
    expect(Object.keys(spec.paths)).toEqual(spec['x-switchboard-trimmed'].keptPaths);
  });

  test('fails with a clear message when the spec is missing', () => {
    expect(() => locateTwilioSpec({ TWILIO_OAI_SPEC: '/nonexistent/spec.json' })).toThrow(/^TWILIO_OAI_SPEC points at a missing file: \/nonexistent\/spec.json$/);
    expect(() => locateTwilioSpec({}, '/nonexistent/bundled.json')).toThrow(/missing at \/nonexistent\/bundled.json; it is part of the repository/);
  });
});

describe('answers like Twilio', () => {
  test('201 with a queued call for a valid create', async () => {
    const { status, body } = await post(`${ACCOUNT}/Calls.json`, CALL_FORM);
    expect(status).toBe(201);
    expect(body).toMatchObject({ status: 'queued', account_sid: FAKE_ACCOUNT_SID, to: '+15551230000' });
    expect(String(body?.sid)).toMatch(/^CA[0-9a-f]{32}$/);
  });

  test('records method, path, ordered form pairs and auth identity', async () => {
    await post(`${ACCOUNT}/Calls.json`, [...CALL_FORM, ['StatusCallbackEvent', 'initiated'], ['StatusCallbackEvent', 'completed']]);
    expect(fake.requests[0]).toMatchObject({
      seq: 1,
      method: 'POST',
      path: `${ACCOUNT}/Calls.json`,
      form: [...CALL_FORM, ['StatusCallbackEvent', 'initiated'], ['StatusCallbackEvent', 'completed']],
      auth: { kind: 'account', sid: FAKE_ACCOUNT_SID },
      operationId: 'CreateCall',
      status: 201,
    });
  });

  test('accepts an API key as Basic credentials', async () => {
    const { status } = await post(`${ACCOUNT}/Messages.json`, [['To', '+1555'], ['From', '+1666'], ['Body', 'x']], {
      auth: basic(FAKE_API_KEY_SID, FAKE_API_KEY_SECRET),
    });
    expect(status).toBe(201);
    expect(fake.requests[0]?.auth).toEqual({ kind: 'api-key', sid: FAKE_API_KEY_SID });
  });

  test('404 with code 20404 for an unknown call, a malformed SID and an unknown path', async () => {
    for (const urlPath of [`${ACCOUNT}/Calls/CA${'0'.repeat(32)}.json`, `${ACCOUNT}/Calls/CA123.json`, `${ACCOUNT}/Calls`]) {
      const { status, body } = await raw(urlPath, { method: 'GET' });
      expect(status).toBe(404);
      expect(body).toMatchObject({ code: 20404, status: 404, more_info: 'https://www.twilio.com/docs/errors/20404' });
    }
  });

  test('405 for a method the path does not have', async () => {
    const { status, body } = await raw(`${ACCOUNT}/Calls.json`, { method: 'DELETE' });
    expect(status).toBe(405);
    expect(body).toMatchObject({ code: 20004 });
  });

  test('400 21220 when updating a call that already ended', async () => {
    const created = await post(`${ACCOUNT}/Calls.json`, CALL_FORM);
    const callPath = `${ACCOUNT}/Calls/${String(created.body?.sid)}.json`;
    expect((await post(callPath, [['Status', 'completed']])).status).toBe(200);
    const again = await post(callPath, [['Status', 'completed']]);
    expect(again).toMatchObject({ status: 400, body: { code: 21220 } });
  });
});

describe('rejects what Twilio would reject', () => {
  test.each([
    ['missing To on a call', `Calls.json`, [['From', '+1666'], ['Url', 'https://x.example/v']], 21201],
    ['missing From on a call', `Calls.json`, [['To', '+1555'], ['Url', 'https://x.example/v']], 21213],
    ['a call without Url, Twiml or ApplicationSid', `Calls.json`, [['To', '+1555'], ['From', '+1666']], 21205],
    ['missing To on a message', `Messages.json`, [['From', '+1666'], ['Body', 'x']], 21604],
    ['an empty To on a message', `Messages.json`, [['To', ''], ['From', '+1666'], ['Body', 'x']], 21604],
    ['a message without From or MessagingServiceSid', `Messages.json`, [['To', '+1555'], ['Body', 'x']], 21603],
    ['a message without Body, MediaUrl or ContentSid', `Messages.json`, [['To', '+1555'], ['From', '+1666']], 21602],
    ['a To whose + was sent unencoded (decoded to a space)', `Messages.json`, [['To', ' 15551230000'], ['From', '+1666'], ['Body', 'x']], 21211],
  ] as Array<[string, string, Array<[string, string]>, number]>)('%s', async (_label, resource, pairs, code) => {
    const { status, body } = await post(`${ACCOUNT}/${resource}`, pairs);
    expect(status).toBe(400);
    expect(body).toMatchObject({ code, status: 400, more_info: `https://www.twilio.com/docs/errors/${code}` });
    expect(fake.calls.size + fake.messages.size).toBe(0);
  });

  test.each([
    ['a bad StatusCallbackEvent', [...CALL_FORM, ['StatusCallbackEvent', 'answered'], ['StatusCallbackEvent', 'picked-up']], /StatusCallbackEvent must be one of initiated, ringing, answered, completed/],
    ['a bad Method', [...CALL_FORM, ['Method', 'PUT']], /Method must be one of GET, POST/],
    ['an unknown parameter', [...CALL_FORM, ['StatusCallbackEvents', 'initiated']], /Unknown parameter StatusCallbackEvents/],
    ['a non-integer Timeout', [...CALL_FORM, ['Timeout', '30s']], /Timeout must be an integer/],
    ['a non-boolean Record', [...CALL_FORM, ['Record', 'yes']], /Record must be true or false/],
    ['a repeated non-list parameter', [...CALL_FORM, ['To', '+15550000000']], /To is not a list but was sent 2 times/],
    ['a relative StatusCallback', [...CALL_FORM, ['StatusCallback', '/status']], /StatusCallback must be an absolute/],
    ['a malformed ApplicationSid', [['To', '+1555'], ['From', '+1666'], ['ApplicationSid', 'AP123']], /ApplicationSid/],
    ['PHP-style StatusCallbackEvent[] keys', [...CALL_FORM, ['StatusCallbackEvent[]', 'initiated']], /Unknown parameter StatusCallbackEvent\[\]/],
  ] as Array<[string, Array<[string, string]>, RegExp]>)('a call with %s', async (_label, pairs, message) => {
    const { status, body } = await post(`${ACCOUNT}/Calls.json`, pairs);
    expect(status).toBe(400);
    expect(String(body?.message)).toMatch(message);
    expect(fake.calls.size).toBe(0);
  });

  test('a bad Status enum on update, and message enums', async () => {
    const created = await post(`${ACCOUNT}/Calls.json`, CALL_FORM);
    const update = await post(`${ACCOUNT}/Calls/${String(created.body?.sid)}.json`, [['Status', 'hangup']]);
    expect(update.status).toBe(400);
    expect(String(update.body?.message)).toMatch(/Status must be one of canceled, completed/);
    const sms = await post(`${ACCOUNT}/Messages.json`, [['To', '+1555'], ['From', '+1666'], ['Body', 'x'], ['ScheduleType', 'later']]);
    expect(String(sms.body?.message)).toMatch(/ScheduleType must be one of fixed/);
    const sendAt = await post(`${ACCOUNT}/Messages.json`, [['To', '+1555'], ['From', '+1666'], ['Body', 'x'], ['SendAt', 'tomorrow']]);
    expect(String(sendAt.body?.message)).toMatch(/SendAt must be an ISO 8601/);
  });

  test.each([
    ['no Authorization header', null],
    ['a wrong auth token', basic(FAKE_ACCOUNT_SID, 'not-the-token')],
    ['a wrong API key secret', basic(FAKE_API_KEY_SID, 'not-the-secret')],
    ['a Bearer token', 'Bearer abc'],
    ['Basic without a colon', `Basic ${Buffer.from('nocolon').toString('base64')}`],
  ])('401 with code 20003 for %s', async (_label, auth) => {
    const { status, body } = await post(`${ACCOUNT}/Calls.json`, CALL_FORM, { auth });
    expect(status).toBe(401);
    expect(body).toMatchObject({ code: 20003, status: 401 });
    expect(fake.calls.size).toBe(0);
  });

  test('401 when the credentials belong to another account than the path', async () => {
    const other = `/2010-04-01/Accounts/AC${'9'.repeat(32)}/Calls.json`;
    expect((await post(other, CALL_FORM)).status).toBe(401);
  });

  test.each([
    ['JSON', 'application/json', JSON.stringify({ To: '+1555', From: '+1666', Url: 'https://x.example/v' })],
    ['text/plain', 'text/plain', new URLSearchParams(CALL_FORM).toString()],
  ])('400 for a %s body', async (_label, contentType, body) => {
    const response = await raw(`${ACCOUNT}/Calls.json`, { contentType, body });
    expect(response.status).toBe(400);
    expect(String(response.body?.message)).toMatch(/Content-Type must be application\/x-www-form-urlencoded/);
    expect(fake.calls.size).toBe(0);
  });

  test('accepts a charset parameter on the content type', async () => {
    const response = await raw(`${ACCOUNT}/Calls.json`, {
      contentType: 'application/x-www-form-urlencoded; charset=utf-8',
      body: new URLSearchParams(CALL_FORM).toString(),
    });
    expect(response.status).toBe(201);
  });
});

describe('faults', () => {
  test('are used up in order, only by matching requests', async () => {
    fake.inject({ kind: 'status', status: 503, retryAfter: '7', match: { method: 'POST', path: '/Messages.json' }, times: 2 });
    expect(fake.pendingFaults()).toBe(2);
    expect((await post(`${ACCOUNT}/Calls.json`, CALL_FORM)).status).toBe(201);
    const first = await fetch(`${fake.baseUrl}${ACCOUNT}/Messages.json`, {
      method: 'POST',
      headers: { Authorization: GOOD_AUTH, 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'To=%2B1555&From=%2B1666&Body=x',
    });
    expect(first.status).toBe(503);
    expect(first.headers.get('retry-after')).toBe('7');
    expect(await first.json()).toMatchObject({ code: 20500, status: 503 });
    expect((await post(`${ACCOUNT}/Messages.json`, [['To', '+1'], ['From', '+2'], ['Body', 'x']])).status).toBe(503);
    expect((await post(`${ACCOUNT}/Messages.json`, [['To', '+1'], ['From', '+2'], ['Body', 'x']])).status).toBe(201);
    expect(fake.pendingFaults()).toBe(0);
    expect(fake.requests.map((r) => r.fault)).toEqual([null, 'status', 'status', null]);
  });

  test('processed faults still create the resource', async () => {
    fake.inject({ kind: 'status', status: 500, processed: true });
    expect((await post(`${ACCOUNT}/Calls.json`, CALL_FORM)).status).toBe(500);
    expect(fake.calls.size).toBe(1);
  });

  test('malformed JSON and HTML bodies', async () => {
    fake.inject({ kind: 'malformed-json' });
    fake.inject({ kind: 'html' });
    const body = new URLSearchParams(CALL_FORM).toString();
    const init = { method: 'POST', headers: { Authorization: GOOD_AUTH, 'Content-Type': 'application/x-www-form-urlencoded' }, body };
    const malformed = await fetch(`${fake.baseUrl}${ACCOUNT}/Calls.json`, init);
    expect(malformed.status).toBe(201);
    await expect(malformed.json()).rejects.toThrow();
    const html = await fetch(`${fake.baseUrl}${ACCOUNT}/Calls.json`, init);
    expect(html.status).toBe(502);
    expect(html.headers.get('content-type')).toBe('text/html');
  });

  test('a slow answer arrives after the delay', async () => {
    fake.inject({ kind: 'hang', ms: 150 });
    const started = Date.now();
    expect((await post(`${ACCOUNT}/Calls.json`, CALL_FORM)).status).toBe(201);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
  });

  test('a reset closes the socket with no answer', async () => {
    fake.inject({ kind: 'reset' });
    await expect(post(`${ACCOUNT}/Calls.json`, CALL_FORM)).rejects.toThrow(/fetch failed/);
    expect(fake.requests[0]).toMatchObject({ fault: 'reset', status: null });
  });
});
