import express from 'express';
import request from 'supertest';
import { gzipSync } from 'node:zlib';
import { jsonErrorHandler } from '../../src/http/errors';
import { twilioBody } from '../../src/http/twilio-body';
import type { RawBodyRequest } from '../../src/security/raw-body';

// A bare app around the reader: what it puts in req.body, and how it refuses.
function app() {
  const server = express();
  server.use((req, _res, next) => {
    req.log = { info: () => undefined, error: () => undefined } as unknown as typeof req.log;
    next();
  });
  server.use(twilioBody({ limit: 1000, parameterLimit: 5 }));
  server.post('/', (req, res) => {
    const body: unknown = req.body;
    res.json({
      body: body === undefined ? '(unread)' : body,
      prototype: body === undefined ? null : Object.getPrototypeOf(body) === null ? 'none' : 'Object',
      raw: (req as RawBodyRequest).rawBody?.toString() ?? null,
    });
  });
  server.use(jsonErrorHandler('1000 bytes'));
  return server;
}

const FORM = 'application/x-www-form-urlencoded';

test('reads a UTF-8 form as Twilio sends it: repeated keys as arrays, + and %-escapes decoded', async () => {
  const res = await request(app()).post('/').set('Content-Type', FORM).send('To=%2B15005550006&Body=h%C3%A9llo+there&MediaUrl=a&MediaUrl=b');
  expect(res.status).toBe(200);
  expect(res.body).toEqual({ body: { To: '+15005550006', Body: 'héllo there', MediaUrl: ['a', 'b'] }, prototype: 'none', raw: null });
});

test('__proto__ is an ordinary key of an object without a prototype', async () => {
  const res = await request(app()).post('/').set('Content-Type', FORM).send('__proto__=x&constructor=y');
  expect(res.text).toBe('{"body":{"__proto__":"x","constructor":"y"},"prototype":"none","raw":null}');
});

test.each(['application/x-www-form-urlencoded; charset=UTF-8', 'Application/X-WWW-Form-Urlencoded; charset="utf-8"'])('accepts %s', async (type) => {
  const res = await request(app()).post('/').set('Content-Type', type).send('A=1');
  expect(res.body.body).toEqual({ A: '1' });
});

test('an empty form is an empty object', async () => {
  const res = await request(app()).post('/').set('Content-Type', FORM).send('');
  expect(res.body).toEqual({ body: {}, prototype: 'none', raw: null });
});

test.each([
  ['another charset', { 'Content-Type': `${FORM}; charset=latin1` }, 'A=1', 415, 'request body encoding is not supported; send UTF-8'],
  ['a compressed body', { 'Content-Type': FORM, 'Content-Encoding': 'gzip' }, gzipSync('A=1'), 415, 'request body encoding is not supported; send UTF-8'],
  ['a body over the limit', { 'Content-Type': FORM }, `A=${'x'.repeat(1000)}`, 413, 'request body is larger than 1000 bytes'],
  ['too many parameters', { 'Content-Type': FORM }, 'a=1&b=2&c=3&d=4&e=5&f=6', 413, 'request body has too many parameters'],
])('refuses %s with a JSON error', async (_label, headers, body, status, message) => {
  const res = await request(app()).post('/').set(headers).send(body);
  expect(res.status).toBe(status);
  expect(res.body).toEqual({ error: { message } });
});

test('a chunked body over the limit is refused while it is read', async () => {
  const req = request(app()).post('/').set('Content-Type', FORM).set('Transfer-Encoding', 'chunked');
  req.write(`A=${'x'.repeat(600)}`);
  req.write('x'.repeat(600));
  const res = await req;
  expect(res.status).toBe(413);
});

test('JSON goes to the JSON parser, with the raw bytes kept for bodySHA256', async () => {
  const res = await request(app()).post('/').set('Content-Type', 'application/json').send('{"a": 1}');
  expect(res.body).toEqual({ body: { a: 1 }, prototype: 'Object', raw: '{"a": 1}' });
});

test('any other type is left unread', async () => {
  const res = await request(app()).post('/').set('Content-Type', 'text/plain').send('A=1');
  expect(res.body).toEqual({ body: '(unread)', prototype: null, raw: null });
});
