import express from 'express';
import request from 'supertest';
import { bearerAuth } from '../../src/security';

const KEY = 'sk_live_4f9c2a7e8b1d';

function buildApp(apiKey: string | undefined) {
  const app = express();
  const router = express.Router();
  router.use(bearerAuth({ apiKey }));
  router.get('/calls', (_req, res) => {
    res.json({ ok: true });
  });
  app.use('/api', router);
  return app;
}

const disabled = { error: { message: 'API_KEY is not configured; the API is disabled' } };
const missing = { error: { message: 'missing bearer token' } };
const invalid = { error: { message: 'invalid API key' } };

describe('bearerAuth', () => {
  it.each<[string, string | undefined, string | undefined, number, object]>([
    ['correct key', KEY, `Bearer ${KEY}`, 200, { ok: true }],
    ['scheme name in lowercase', KEY, `bearer ${KEY}`, 200, { ok: true }],
    ['no Authorization header', KEY, undefined, 401, missing],
    ['empty Authorization header', KEY, '', 401, missing],
    ['Basic scheme', KEY, `Basic ${Buffer.from(`x:${KEY}`).toString('base64')}`, 401, missing],
    ['Bearer with no token', KEY, 'Bearer ', 401, missing],
    ['bare key without scheme', KEY, KEY, 401, missing],
    ['two tokens', KEY, `Bearer ${KEY} ${KEY}`, 401, missing],
    ['wrong key', KEY, 'Bearer sk_live_000000000000', 401, invalid],
    ['prefix of the key', KEY, `Bearer ${KEY.slice(0, -1)}`, 401, invalid],
    ['key with a suffix', KEY, `Bearer ${KEY}x`, 401, invalid],
    ['key in another case', KEY, `Bearer ${KEY.toUpperCase()}`, 401, invalid],
    ['no key configured, correct-looking request', undefined, `Bearer ${KEY}`, 503, disabled],
    ['no key configured, no header', undefined, undefined, 503, disabled],
    ['empty key counts as not configured', '', 'Bearer ', 503, disabled],
  ])('%s -> %i', async (_name, apiKey, authorization, status, body) => {
    let req = request(buildApp(apiKey)).get('/api/calls');
    if (authorization !== undefined) req = req.set('Authorization', authorization);
    const res = await req;
    expect({ status: res.status, body: res.body }).toEqual({ status, body });
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(res.headers['www-authenticate']).toBe(status === 401 ? 'Bearer' : undefined);
  });
});
