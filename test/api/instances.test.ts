// Two Switchboard apps on one PostgreSQL database, sharing one (fake) Twilio account: what two
// instances behind a load balancer must get right together.
import request from 'supertest';
import { openPostgresStore } from '../../src/store';
import { FIXED_NOW, settableClock } from '../support/app';
import { startFakeTwilio, type FakeTwilio } from '../support/fake-twilio';
import { startPostgres, type PostgresCluster } from '../support/postgres';
import { describeNeeding, postgresPart } from '../support/system-parts';
import { AUTH, OUR_NUMBER, startApiTest, type ApiTest } from './setup';

const TO = '+15551230007';

describeNeeding(postgresPart())('two instances on one PostgreSQL database', () => {
  let cluster: PostgresCluster;
  let fake: FakeTwilio;
  let a: ApiTest;
  let b: ApiTest;
  beforeAll(async () => {
    cluster = await startPostgres();
  }, 60_000);
  afterAll(() => cluster?.stop());

  beforeEach(async () => {
    fake = await startFakeTwilio();
    const url = await cluster.createDatabase();
    // One clock for both, as instances share real time.
    const clock = settableClock(FIXED_NOW);
    const instance = async () =>
      startApiTest(
        // Webhooks are posted unsigned here; signatures have their own tests.
        { WEBHOOK_VALIDATION: 'false' },
        { fake, store: { store: await openPostgresStore({ url, poolSize: 4 }, clock), clock } },
      );
    [a, b] = await Promise.all([instance(), instance()]);
  });
  afterEach(async () => {
    await Promise.all([a.close(), b.close()]);
    await fake.close();
  });

  /** A client as the API asks: a 409 "still being processed" is retried with the same key. */
  async function sendWithKey(api: ApiTest, key: string): Promise<request.Response> {
    for (let attempt = 0; ; attempt++) {
      const res = await request(api.t.app).post('/api/messages').set('Authorization', AUTH).set('Idempotency-Key', key).send({ to: TO, body: 'once' });
      if (res.status !== 409 || attempt >= 200) return res;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  test('one Idempotency-Key sent to both at the same moment: one Twilio request, both answers carry its sid', async () => {
    const [fromA, fromB] = await Promise.all([sendWithKey(a, 'order-7'), sendWithKey(b, 'order-7')]);
    expect([fromA.status, fromB.status]).toEqual([201, 201]);
    expect(fake.requests.filter((r) => r.method === 'POST')).toHaveLength(1);
    const sid = [...fake.messages.keys()][0];
    expect(sid).toMatch(/^SM/);
    expect(fromA.body.sid).toBe(sid);
    expect(fromB.body).toEqual(fromA.body);
  });

  test('STOP received by one refuses a send through the other with 409, and Twilio is not called', async () => {
    const stop = await request(a.t.app).post('/sms').type('form').send({ MessageSid: 'SM' + '1'.repeat(32), From: TO, To: OUR_NUMBER, Body: 'STOP' });
    expect(stop.status).toBe(200);
    const res = await request(b.t.app).post('/api/messages').set('Authorization', AUTH).send({ to: TO, body: 'hello?' });
    expect(res.status).toBe(409);
    expect(res.body).toEqual({
      error: { message: `${TO} has opted out of messages from ${OUR_NUMBER} (replied STOP); they must text START to receive messages again`, field: 'to' },
    });
    expect(fake.requests).toEqual([]);
  });

  test('status callbacks for one call reaching different instances out of order end in the furthest status', async () => {
    const sid = 'CA' + '9'.repeat(32);
    const callback = (status: string, sequence: number) => ({ CallSid: sid, CallStatus: status, SequenceNumber: String(sequence), Direction: 'outbound-api', From: OUR_NUMBER, To: TO });
    await Promise.all([
      request(a.t.app).post('/status/call').type('form').send(callback('completed', 3)),
      request(b.t.app).post('/status/call').type('form').send(callback('in-progress', 2)),
      request(a.t.app).post('/status/call').type('form').send(callback('ringing', 1)),
      request(b.t.app).post('/status/call').type('form').send(callback('initiated', 0)),
    ]).then((responses) => expect(responses.map((r) => r.status)).toEqual([204, 204, 204, 204]));
    expect((await a.t.store.getCall(sid))?.status).toBe('completed');
    expect((await b.t.store.getCallHistory(sid))?.events).toHaveLength(4);
  });
});
