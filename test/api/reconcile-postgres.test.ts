// Reconciling unknown outcomes with two Switchboard apps on one PostgreSQL database and one
// (fake) Twilio account: both reconcile the same rows at once, and clients resend on both. The
// sid ends on one row, the give-up happens once, and a resend reaches Twilio once.
import request from 'supertest';
import type { Outbox } from '../../src/outbox';
import { openPostgresStore } from '../../src/store';
import { FIXED_NOW, settableClock } from '../support/app';
import { startFakeTwilio, type FakeTwilio } from '../support/fake-twilio';
import { startPostgres, type PostgresCluster } from '../support/postgres';
import { describeNeeding, postgresPart } from '../support/system-parts';
import { AUTH, MESSAGES_PATH, startApiTest, type ApiTest } from './setup';

const TO = '+15551230007';
const BODY = 'Your code is 4242';
const GIVE_UP_MS = 900_000;

describeNeeding(postgresPart())('reconciling on two instances over one PostgreSQL database', () => {
  let cluster: PostgresCluster;
  let fake: FakeTwilio;
  let a: ApiTest;
  let b: ApiTest;
  let clock: ReturnType<typeof settableClock>;
  beforeAll(async () => {
    cluster = await startPostgres();
  }, 60_000);
  afterAll(() => cluster?.stop());

  beforeEach(async () => {
    // One clock for both apps and the fake, as instances share real time and Twilio dates by it.
    clock = settableClock(FIXED_NOW);
    fake = await startFakeTwilio({ now: () => clock.now() });
    const url = await cluster.createDatabase();
    const instance = async () => startApiTest({}, { fake, store: { store: await openPostgresStore({ url, poolSize: 4 }, clock), clock } });
    [a, b] = await Promise.all([instance(), instance()]);
  });
  afterEach(async () => {
    await Promise.all([a.close(), b.close()]);
    await fake.close();
  });

  const later = (ms: number) => clock.set(new Date(FIXED_NOW.getTime() + ms));
  const outbox = (api: ApiTest) => api.t.outbox as Outbox;
  const messagePosts = () => fake.requests.filter((r) => r.method === 'POST' && r.path === MESSAGES_PATH).length;
  async function lostAnswer(processed: boolean): Promise<string> {
    fake.inject({ kind: 'reset', processed, match: { method: 'POST', path: MESSAGES_PATH } });
    const res = await request(a.t.app).post('/api/messages').set('Authorization', AUTH).send({ to: TO, body: BODY });
    expect(res.status).toBe(502);
    return res.body.error.requestId as string;
  }

  test('both reconcile a lost answer at once: the row is sent with the one sid Twilio created', async () => {
    const id = await lostAnswer(true);
    later(30_000);
    const summaries = await Promise.all([outbox(a).reconcileNow(), outbox(b).reconcileNow()]);
    // An instance that listed the row while it was still unknown matched it (writing the same sid
    // to the same row twice is no conflict); one that listed it after the other's commit saw none.
    // Which happens depends on how the two interleave; at least one saw it.
    const matched = { checked: 1, sent: 1, notSent: 0, ambiguous: 0, pending: 0 };
    const none = { checked: 0, sent: 0, notSent: 0, ambiguous: 0, pending: 0 };
    for (const summary of summaries) expect([matched, none]).toContainEqual(summary);
    expect(summaries).toContainEqual(matched);
    const [sid, ...others] = [...fake.messages.keys()];
    expect(others).toEqual([]);
    expect(await a.t.store.getOutbound(id)).toMatchObject({ state: 'sent', twilioSid: sid, attempts: 1 });
    expect(await b.t.store.getReconciliation(id)).toMatchObject({ outcome: 'matched', candidates: [sid] });
    expect(await a.t.store.getMessage(sid as string)).toMatchObject({ sid, direction: 'outbound-api', to: TO, body: BODY });
    expect(messagePosts()).toBe(1);
  });

  test('nothing created: not_sent once, and resends on both instances at once reach Twilio once', async () => {
    const id = await lostAnswer(false);
    later(GIVE_UP_MS);
    const summaries = await Promise.all([outbox(a).reconcileNow(), outbox(b).reconcileNow()]);
    // As above: an instance that listed the row after the other had settled it saw nothing.
    for (const summary of summaries) expect([[1, 1], [0, 0]]).toContainEqual([summary.checked, summary.notSent]);
    expect(summaries.map((s) => [s.checked, s.notSent])).toContainEqual([1, 1]);
    // Only one instance made it not_sent, so one warning across both.
    const warnings = [...a.t.logs, ...b.t.logs].filter((l) => l.msg === 'outbound request not sent: no match at Twilio; not resent automatically');
    expect(warnings).toEqual([expect.objectContaining({ level: 40, requestId: id, to: TO })]);
    expect(await a.t.store.getOutbound(id)).toMatchObject({ state: 'not_sent', attempts: 1 });

    const resend = (api: ApiTest) => request(api.t.app).post(`/api/requests/${id}/resend`).set('Authorization', AUTH);
    const answers = await Promise.all([resend(a), resend(b)]);
    expect(answers.map((r) => r.status).sort()).toEqual([201, 409]);
    const refused = answers.find((r) => r.status === 409);
    expect([`Request ${id} is already being resent`, `Request ${id} is in_flight; only a request in state not_sent can be resent`, `Request ${id} is pending; only a request in state not_sent can be resent`, `Request ${id} is sent; only a request in state not_sent can be resent`]).toContain(refused?.body.error.message);
    const [sid, ...others] = [...fake.messages.keys()];
    expect(others).toEqual([]);
    expect(messagePosts()).toBe(2);
    expect(await b.t.store.getOutbound(id)).toMatchObject({ state: 'sent', twilioSid: sid, attempts: 2, errorMessage: null });
  });
});
