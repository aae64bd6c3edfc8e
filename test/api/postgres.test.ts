// The outbound API and status callbacks through the app over PostgreSQL: the same answers as
// over SQLite (test/api/*), end to end.
import request from 'supertest';
import { openPostgresStore } from '../../src/store';
import { FIXED_NOW, settableClock } from '../support/app';
import { startPostgres, type PostgresCluster } from '../support/postgres';
import { describeNeeding, postgresPart } from '../support/system-parts';
import { AUTH, OUR_NUMBER, startApiTest, type ApiTest } from './setup';

describeNeeding(postgresPart())('the API over PostgreSQL', () => {
  let cluster: PostgresCluster;
  let api: ApiTest;
  beforeAll(async () => {
    cluster = await startPostgres();
  }, 60_000);
  afterAll(() => cluster?.stop());
  beforeEach(async () => {
    const clock = settableClock(FIXED_NOW);
    const store = await openPostgresStore({ url: await cluster.createDatabase(), poolSize: 4 }, clock);
    api = await startApiTest({ WEBHOOK_VALIDATION: 'false', MESSAGES_PER_SECOND: '1000' }, { idleMs: 10, store: { store, clock } });
  });
  afterEach(() => api.close());

  const get = (path: string) => request(api.t.app).get(path).set('Authorization', AUTH);
  const send = (body: Record<string, unknown>) => request(api.t.app).post('/api/messages').set('Authorization', AUTH).send(body);

  test('a message is sent, listed newest first with a cursor, and its callbacks make its history', async () => {
    const sids: string[] = [];
    for (const [i, to] of ['+15550300000', '+15550300001', '+15550300002'].entries()) {
      api.t.clock.set(new Date(FIXED_NOW.getTime() + i * 60_000));
      const res = await send({ to, body: `m${i}` });
      expect(res.status).toBe(201);
      sids.push(res.body.sid as string);
    }
    const first = await get('/api/messages?limit=2');
    expect(first.body.messages.map((m: { sid: string }) => m.sid)).toEqual([sids[2], sids[1]]);
    expect(first.body.messages[0]).toEqual({
      sid: sids[2], direction: 'outbound-api', from: OUR_NUMBER, to: '+15550300002', body: 'm2', numMedia: 0, mediaUrls: [], status: 'queued',
      errorCode: null, price: null, priceUnit: null, createdAt: '2026-01-02T03:06:05.000Z', updatedAt: '2026-01-02T03:06:05.000Z',
    });
    const second = await get(`/api/messages?limit=2&cursor=${first.body.nextCursor as string}`);
    expect(second.body).toEqual({ messages: [expect.objectContaining({ sid: sids[0] })], nextCursor: null });

    for (const status of ['delivered', 'sent']) {
      const callback = await request(api.t.app).post('/status/message').type('form').send({ MessageSid: sids[0], MessageStatus: status, To: '+15550300000', From: OUR_NUMBER });
      expect(callback.status).toBe(204);
    }
    const history = await get(`/api/messages/${sids[0] as string}`);
    expect(history.status).toBe(200);
    expect(history.body).toMatchObject({ sid: sids[0], status: 'delivered' });
    expect(history.body.events.map((e: { status: string }) => e.status)).toEqual(['delivered', 'sent']);
  });

  test('a 21610 answer marks the number opted out; the next send is 409 without calling Twilio', async () => {
    api.fake.inject({ kind: 'status', status: 400, code: 21610, message: 'Attempt to send to unsubscribed recipient' });
    expect((await send({ to: '+15550300005', body: 'x' })).status).toBe(502);
    expect((await send({ to: '+15550300005', body: 'again' })).status).toBe(409);
    expect(api.fake.requests).toHaveLength(1);
  });

  test('a bulk job sends to everyone but the opted-out, and reports its counts', async () => {
    await api.t.store.applyOptChange({ ourNumber: OUR_NUMBER, theirNumber: '+15550300011', action: 'opt-out', keyword: 'STOP', source: 'inbound-sms', messageSid: null });
    await api.t.outbox?.start();
    const accepted = await request(api.t.app).post('/api/messages/bulk').set('Authorization', AUTH).send({ to: ['+15550300010', '+15550300011', '+15550300012'], body: 'sale' });
    expect(accepted.status).toBe(202);
    let job = (await get(`/api/jobs/${accepted.body.id as string}`)).body;
    for (let i = 0; i < 500 && job.state !== 'completed'; i++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      job = (await get(`/api/jobs/${accepted.body.id as string}`)).body;
    }
    expect(job).toMatchObject({ state: 'completed', total: 3, counts: { queued: 0, inFlight: 0, sent: 2, failed: 0, unknown: 0, notSent: 0, skippedOptedOut: 1 }, failures: [] });
    expect(api.fake.requests.map((r) => new URLSearchParams(r.rawBody).get('To'))).toEqual(['+15550300010', '+15550300012']);
  });
});
