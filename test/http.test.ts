import request from 'supertest';
import { buildTestApp, type TestApp } from './support/app';

let t: TestApp;
beforeEach(() => {
  t = buildTestApp();
});
afterEach(() => t.close());

describe('health', () => {
  test('GET /healthz answers that the process is alive', async () => {
    const res = await request(t.app).get('/healthz');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok' });
  });

  test('GET /readyz answers 200 when the database answers', async () => {
    const res = await request(t.app).get('/readyz');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok', database: 'ok' });
  });

  test('GET /readyz answers 503 when the database is gone', async () => {
    await t.store.close();
    const res = await request(t.app).get('/readyz');
    expect(res.status).toBe(503);
    expect(res.body).toEqual({ status: 'unavailable', database: 'unreachable' });
  });
});

describe('errors', () => {
  test('an unknown route answers 404 JSON', async () => {
    const res = await request(t.app).get('/nope?x=1');
    expect(res.status).toBe(404);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(res.body).toEqual({ error: { message: 'no route for GET /nope' } });
  });

  test('a body over 100 kB answers 413 JSON', async () => {
    const res = await request(t.app)
      .post('/nope')
      .set('Content-Type', 'application/json')
      .send(JSON.stringify({ big: 'x'.repeat(101 * 1024) }));
    expect(res.status).toBe(413);
    expect(res.body).toEqual({ error: { message: 'request body is larger than 100kb' } });
  });

  test('malformed JSON answers 400 JSON without a stack trace', async () => {
    const res = await request(t.app).post('/nope').set('Content-Type', 'application/json').send('{"a": ');
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: { message: 'request body is not valid JSON' } });
    expect(res.text).not.toMatch(/at \w+ \(/);
  });

  test('an unsupported charset answers 415 JSON', async () => {
    const res = await request(t.app).post('/nope').set('Content-Type', 'application/json; charset=latin-9').send('{}');
    expect(res.status).toBe(415);
    expect(res.body).toEqual({ error: { message: 'request body encoding is not supported; send UTF-8' } });
  });
});

describe('every response', () => {
  test('carries a request id, echoed from a well-formed incoming one', async () => {
    const fresh = await request(t.app).get('/healthz');
    expect(fresh.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    const kept = await request(t.app).get('/healthz').set('X-Request-Id', 'abc-123');
    expect(kept.headers['x-request-id']).toBe('abc-123');
    const replaced = await request(t.app).get('/healthz').set('X-Request-Id', 'bad id <script>');
    expect(replaced.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  test('has no X-Powered-By and does not let browsers sniff types', async () => {
    const res = await request(t.app).get('/healthz');
    expect(res.headers['x-powered-by']).toBeUndefined();
    expect(res.headers['x-content-type-options']).toBe('nosniff');
  });

  test('is logged as one JSON line with the request id, without secrets', async () => {
    await request(t.app)
      .get('/healthz?From=%2B15550001111')
      .set('Authorization', 'Bearer super-secret-key-123')
      .set('X-Twilio-Signature', 'c2lnbmF0dXJl')
      .set('X-Request-Id', 'req-1');
    const line = t.logs.find((entry) => entry.msg === 'request completed');
    expect(line).toMatchObject({ req: { id: 'req-1', method: 'GET', path: '/healthz' }, res: { statusCode: 200 } });
    expect(t.logText()).not.toContain('super-secret-key-123');
    expect(t.logText()).not.toContain('c2lnbmF0dXJl');
    expect(t.logText()).not.toContain('15550001111');
  });
});
