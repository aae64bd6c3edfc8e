// API_RATE_LIMIT with two instances on one PostgreSQL database: the budget of a key is counted in
// the database, so the instances together allow exactly the limit, not the limit each.
import { createHash } from 'node:crypto';
import pg from 'pg';
import request from 'supertest';
import { openPostgresStore } from '../../src/store';
import { FIXED_NOW, settableClock } from '../support/app';
import { startFakeTwilio, type FakeTwilio } from '../support/fake-twilio';
import { startPostgres, type PostgresCluster } from '../support/postgres';
import { describeNeeding, postgresPart } from '../support/system-parts';
import { API_KEY, AUTH, startApiTest, type ApiTest } from './setup';

const LIMIT = 5;
// FIXED_NOW is 03:04:05.000: the minute's window ends 55 s later.
const WINDOW_START = Date.parse('2026-01-02T03:04:00.000Z');

describeNeeding(postgresPart())('API_RATE_LIMIT across two instances on one PostgreSQL database', () => {
  let cluster: PostgresCluster;
  let fake: FakeTwilio;
  let url: string;
  let a: ApiTest;
  let b: ApiTest;
  const clock = settableClock(FIXED_NOW);
  beforeAll(async () => {
    cluster = await startPostgres();
  }, 60_000);
  afterAll(() => cluster?.stop());

  beforeEach(async () => {
    clock.set(FIXED_NOW);
    fake = await startFakeTwilio();
    url = await cluster.createDatabase();
    const instance = async () =>
      startApiTest({ API_RATE_LIMIT: String(LIMIT), TRUST_PROXY: 'true' }, { fake, store: { store: await openPostgresStore({ url, poolSize: 4 }, clock), clock } });
    [a, b] = await Promise.all([instance(), instance()]);
  });
  afterEach(async () => {
    await Promise.all([a.close(), b.close()]);
    await fake.close();
  });

  async function windows(): Promise<Array<{ key: string; window_start: number; count: number }>> {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const { rows } = await client.query('SELECT key, CAST(window_start AS FLOAT8) AS window_start, count FROM rate_windows ORDER BY key, window_start');
      return rows as Array<{ key: string; window_start: number; count: number }>;
    } finally {
      await client.end();
    }
  }
  const ask = (api: ApiTest) => request(api.t.app).get('/api/calls').set('Authorization', AUTH);
  const keyHash = `key:${createHash('sha256').update(API_KEY, 'utf8').digest('base64url')}`;

  test('N requests split across A and B pass; the N+1th, on either, is 429 with Retry-After to the minute\'s end', async () => {
    const statuses = [];
    for (const api of [a, b, a, b, a]) statuses.push((await ask(api)).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200]);
    for (const api of [b, a]) {
      const limited = await ask(api);
      expect(limited.status).toBe(429);
      expect(limited.headers['retry-after']).toBe('55');
      expect(limited.headers['content-type']).toMatch(/^application\/json/);
      expect(limited.body).toEqual({ error: { message: 'too many requests; retry after 55 s' } });
    }
    // The database holds the key's hash, never the key; refused requests count too.
    expect(await windows()).toEqual([{ key: keyHash, window_start: WINDOW_START, count: LIMIT + 2 }]);
    expect(JSON.stringify(await windows())).not.toContain(API_KEY);

    clock.set(new Date(WINDOW_START + 59_500));
    const last = await ask(b);
    expect([last.status, last.headers['retry-after'], last.body]).toEqual([429, '1', { error: { message: 'too many requests; retry after 1 s' } }]);
  });

  test('concurrent requests to both at once: exactly N pass', async () => {
    const responses = await Promise.all(Array.from({ length: 3 * LIMIT }, (_, i) => ask(i % 2 === 0 ? a : b)));
    const statuses = responses.map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(LIMIT);
    expect(statuses.filter((s) => s === 429)).toHaveLength(2 * LIMIT);
  });

  test('the next minute gives a fresh budget; windows before the previous one are pruned', async () => {
    for (let i = 0; i < LIMIT; i++) expect((await ask(i % 2 === 0 ? a : b)).status).toBe(200);
    expect((await ask(a)).status).toBe(429);
    clock.set(new Date(WINDOW_START + 60_000));
    for (let i = 0; i < LIMIT; i++) expect((await ask(i % 2 === 0 ? b : a)).status).toBe(200);
    expect((await ask(b)).status).toBe(429);
    expect((await windows()).map((w) => [w.window_start, w.count])).toEqual([
      [WINDOW_START, LIMIT + 1],
      [WINDOW_START + 60_000, LIMIT + 1],
    ]);
    clock.set(new Date(WINDOW_START + 120_000));
    expect((await ask(a)).status).toBe(200);
    expect((await windows()).map((w) => [w.window_start, w.count])).toEqual([
      [WINDOW_START + 60_000, LIMIT + 1],
      [WINDOW_START + 120_000, 1],
    ]);
  });

  test('key guesses are counted per client IP across instances, apart from the key\'s budget', async () => {
    const guess = (api: ApiTest) =>
      request(api.t.app).get('/api/calls').set('X-Forwarded-For', '203.0.113.9').set('Authorization', 'Bearer guess-0123456789abcdef');
    const statuses = [];
    for (const api of [a, b, a, b, a, b]) statuses.push((await guess(api)).status);
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
    expect((await ask(b)).status).toBe(200);
    expect((await windows()).map((w) => [w.key, w.count])).toEqual([
      ['ip:203.0.113.9', LIMIT + 1],
      [keyHash, 1],
    ]);
  });
});
