// Unknown outcomes settled by looking them up in Twilio's lists (src/outbox/reconciler.ts),
// end to end: the API answers 502 with the request id, the fake Twilio holds (or does not hold)
// what was created, the reconciler runs, and GET /api/requests/:id, the history and the fake's
// log show the result.
import request from 'supertest';
import type { Outbox } from '../../src/outbox';
import { createTwilioClient } from '../../src/twilio';
import { FIXED_NOW } from '../support/app';
import { FAKE_ACCOUNT_SID, FAKE_AUTH_TOKEN } from '../support/fake-twilio';
import { until } from '../support/until';
import { AUTH, CALLS_PATH, MESSAGES_PATH, OUR_NUMBER, startApiTest, type ApiTest } from './setup';

const TO = '+15551230007';
const BODY = 'Your code is 4242';
const CALLBACK = 'https://switchboard.example.com/status/message';
const GIVE_UP_MS = 900_000;

let api: ApiTest;
afterEach(() => api.close());

const outbox = () => api.t.outbox as Outbox;
const at = (ms: number) => new Date(FIXED_NOW.getTime() + ms);
const later = (ms: number) => api.t.clock.set(at(ms));

function postMessage(body: Record<string, unknown> = { to: TO, body: BODY }) {
  return request(api.t.app).post('/api/messages').set('Authorization', AUTH).send(body);
}
function getRequest(id: string) {
  return request(api.t.app).get(`/api/requests/${id}`).set('Authorization', AUTH);
}
function resend(id: string) {
  return request(api.t.app).post(`/api/requests/${id}/resend`).set('Authorization', AUTH);
}
/** POSTs that reached the fake's Messages list (also those answered with a fault). */
function messagePosts(): number {
  return api.fake.requests.filter((r) => r.method === 'POST' && r.path === MESSAGES_PATH).length;
}
/** A send whose answer is lost; `processed`: Twilio created the message before the connection dropped. */
async function lostAnswer(processed: boolean, path = MESSAGES_PATH, send = () => postMessage()): Promise<string> {
  api.fake.inject({ kind: 'reset', processed, match: { method: 'POST', path } });
  const res = await send();
  expect(res.status).toBe(502);
  const id = res.body.error.requestId as string;
  const row = await api.t.store.getOutbound(id);
  expect(res.body).toEqual({
    error: {
      message: `The request reached Twilio but no usable answer came back, so its outcome is unknown; it was not resent (${row?.errorMessage ?? ''})`,
      requestId: id,
    },
  });
  expect(row?.state).toBe('unknown');
  return id;
}
/** The view of a row as GET /api/requests/:id shows it, for the fields a test does not set. */
function view(id: string, fields: Record<string, unknown>) {
  return {
    id,
    kind: 'message',
    to: TO,
    attempts: 1,
    jobId: null,
    createdAt: FIXED_NOW.toISOString(),
    updatedAt: FIXED_NOW.toISOString(),
    errorStatus: null,
    errorCode: null,
    ...fields,
  };
}

describe('a lost answer is reconciled to what Twilio created', () => {
  beforeEach(async () => {
    api = await startApiTest({}, { twilioUsesAppClock: true });
  });

  test('a message: 502 with requestId, then sent with exactly the sid the fake created, in the history, one CreateMessage', async () => {
    const id = await lostAnswer(true);
    const before = await getRequest(id);
    expect(before.status).toBe(200);
    expect(before.body).toEqual(view(id, { state: 'unknown', sid: null, errorMessage: expect.stringMatching(/^outcome unknown \(connection-lost\)/), reconciliation: null }));

    later(30_000);
    expect(await outbox().reconcileNow()).toEqual({ checked: 1, sent: 1, notSent: 0, ambiguous: 0, pending: 0 });

    const [sid, ...others] = [...api.fake.messages.keys()];
    expect(others).toEqual([]);
    const res = await getRequest(id);
    expect(res.body).toEqual(
      view(id, {
        state: 'sent',
        sid,
        updatedAt: at(30_000).toISOString(),
        errorMessage: null,
        reconciliation: { checkedAt: at(30_000).toISOString(), checks: 1, candidates: [sid], outcome: 'matched', message: `found ${sid} at Twilio` },
      }),
    );
    const history = await request(api.t.app).get(`/api/messages/${sid}`).set('Authorization', AUTH);
    expect(history.status).toBe(200);
    expect(history.body).toMatchObject({ sid, direction: 'outbound-api', from: OUR_NUMBER, to: TO, body: BODY, status: 'queued' });

    expect(api.fake.requests.map((r) => [r.method, r.operationId])).toEqual([
      ['POST', 'CreateMessage'],
      ['GET', 'ListMessage'],
    ]);
    expect(api.fake.requests[1]?.query).toEqual([['To', TO], ['From', OUR_NUMBER], ['PageSize', '1000']]);
    expect(api.t.logs.filter((l) => l.msg === 'unknown outcome reconciled: it was sent')).toEqual([
      expect.objectContaining({ level: 30, requestId: id, kind: 'message', sid }),
    ]);
    // Settled: a later pass has nothing to look up.
    expect(await outbox().reconcileNow()).toEqual({ checked: 0, sent: 0, notSent: 0, ambiguous: 0, pending: 0 });
    expect(api.fake.requests).toHaveLength(2);
  });

  test('a call: sent with the sid the fake created, in the call history, one CreateCall', async () => {
    const call = () => request(api.t.app).post('/api/calls').set('Authorization', AUTH).send({ to: TO, say: 'Your table is ready' });
    const id = await lostAnswer(true, CALLS_PATH, call);
    later(5_000);
    expect(await outbox().reconcileNow()).toMatchObject({ checked: 1, sent: 1 });

    const [sid, ...others] = [...api.fake.calls.keys()];
    expect(others).toEqual([]);
    expect((await getRequest(id)).body).toEqual(
      view(id, {
        kind: 'call',
        state: 'sent',
        sid,
        updatedAt: at(5_000).toISOString(),
        errorMessage: null,
        reconciliation: { checkedAt: at(5_000).toISOString(), checks: 1, candidates: [sid], outcome: 'matched', message: `found ${sid} at Twilio` },
      }),
    );
    const history = await request(api.t.app).get(`/api/calls/${sid}`).set('Authorization', AUTH);
    expect(history.body).toMatchObject({ sid, direction: 'outbound-api', from: OUR_NUMBER, to: TO, status: 'queued' });
    expect(api.fake.requests.map((r) => [r.method, r.operationId])).toEqual([
      ['POST', 'CreateCall'],
      ['GET', 'ListCall'],
    ]);
    expect(api.fake.requests[1]?.query).toEqual([['To', TO], ['From', OUR_NUMBER], ['PageSize', '1000']]);
  });

  test('a message with another body, sender, recipient or time does not match', async () => {
    const twilio = createTwilioClient({ baseUrl: api.fake.baseUrl, accountSid: FAKE_ACCOUNT_SID, authToken: FAKE_AUTH_TOKEN });
    await twilio.sendMessage({ to: TO, from: OUR_NUMBER, body: 'another body' });
    await twilio.sendMessage({ to: TO, from: '+15005550009', body: BODY });
    await twilio.sendMessage({ to: '+15551230008', from: OUR_NUMBER, body: BODY });
    later(-3 * 60_000); // before the window opens (2 minutes before the request)
    await twilio.sendMessage({ to: TO, from: OUR_NUMBER, body: BODY });
    later(0);
    const id = await lostAnswer(false);

    expect(await outbox().reconcileNow()).toMatchObject({ checked: 1, pending: 1 });
    expect((await getRequest(id)).body.reconciliation).toEqual({ checkedAt: FIXED_NOW.toISOString(), checks: 1, candidates: [], outcome: 'no-match', message: 'no match at Twilio yet' });
  });

  test('on the timer too: started, the outbox reconciles without being asked', async () => {
    await api.close();
    api = await startApiTest({}, { twilioUsesAppClock: true, reconcileIntervalMs: 10 });
    const id = await lostAnswer(true);
    await outbox().start();
    await until('the timer to reconcile it', async () => (await api.t.store.getOutbound(id))?.state !== 'unknown');
    const [sid] = [...api.fake.messages.keys()];
    expect((await getRequest(id)).body).toMatchObject({ state: 'sent', sid });
    expect(messagePosts()).toBe(1);
  });
});

describe('no match: unknown until the give-up time, then not_sent, resent only on purpose', () => {
  beforeEach(async () => {
    api = await startApiTest({}, { twilioUsesAppClock: true });
  });

  test('nothing created: unknown, then not_sent (logged), and a resend makes exactly one more CreateMessage', async () => {
    const id = await lostAnswer(false);
    expect(api.fake.messages.size).toBe(0);

    later(60_000);
    expect(await outbox().reconcileNow()).toEqual({ checked: 1, sent: 0, notSent: 0, ambiguous: 0, pending: 1 });
    later(GIVE_UP_MS - 1_000);
    expect(await outbox().reconcileNow()).toMatchObject({ pending: 1 });
    const waiting = await getRequest(id);
    expect(waiting.body).toMatchObject({ state: 'unknown', reconciliation: { checks: 2, outcome: 'no-match', candidates: [] } });

    later(GIVE_UP_MS);
    expect(await outbox().reconcileNow()).toMatchObject({ checked: 1, notSent: 1 });
    const message = 'not sent: no matching message at Twilio 900 s after the outcome became unknown; resend it on purpose if wanted';
    expect((await getRequest(id)).body).toEqual(
      view(id, {
        state: 'not_sent',
        sid: null,
        updatedAt: at(GIVE_UP_MS).toISOString(),
        errorMessage: message,
        reconciliation: { checkedAt: at(GIVE_UP_MS).toISOString(), checks: 3, candidates: [], outcome: 'gave-up', message },
      }),
    );
    expect(api.t.logs.filter((l) => l.msg === 'outbound request not sent: no match at Twilio; not resent automatically')).toEqual([
      expect.objectContaining({ level: 40, requestId: id, kind: 'message', jobId: null, to: TO }),
    ]);
    // Never resent by itself: more passes, no POST.
    later(2 * GIVE_UP_MS);
    expect(await outbox().reconcileNow()).toMatchObject({ checked: 0 });
    expect(messagePosts()).toBe(1);

    const res = await resend(id);
    const [sid, ...others] = [...api.fake.messages.keys()];
    expect(others).toEqual([]);
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      sid,
      status: 'queued',
      to: TO,
      from: OUR_NUMBER,
      messagingServiceSid: null,
      body: BODY,
      numSegments: '1',
      numMedia: '0',
      direction: 'outbound-api',
      dateCreated: api.fake.messages.get(sid as string)?.date_created,
      requestId: id,
    });
    expect(messagePosts()).toBe(2);
    const last = api.fake.requests.at(-1);
    expect([...new URLSearchParams(last?.rawBody)]).toEqual([['To', TO], ['From', OUR_NUMBER], ['Body', BODY], ['StatusCallback', CALLBACK]]);
    expect((await getRequest(id)).body).toMatchObject({ state: 'sent', sid, attempts: 2, errorMessage: null });

    // Sent now: a second resend is refused and sends nothing.
    const again = await resend(id);
    expect(again.status).toBe(409);
    expect(again.body).toEqual({ error: { message: `Request ${id} is sent; only a request in state not_sent can be resent` } });
    expect(messagePosts()).toBe(2);
  });

  test('an unknown request cannot be resent (it may have been sent); unknown and malformed ids are 404 and 400', async () => {
    const id = await lostAnswer(false);
    const res = await resend(id);
    expect(res.status).toBe(409);
    expect(res.body).toEqual({ error: { message: `Request ${id} is unknown; only a request in state not_sent can be resent` } });

    const missing = '0190a8c2-0000-7000-8000-000000000000';
    expect((await getRequest(missing)).body).toEqual({ error: { message: `No outbound request ${missing}` } });
    expect((await getRequest(missing)).status).toBe(404);
    expect((await resend(missing)).status).toBe(404);
    const bad = await getRequest('nope');
    expect(bad.status).toBe(400);
    expect(bad.body).toEqual({ error: { message: 'Expected a request id (the requestId of an answer, a UUID); got "nope"', field: 'id' } });
    expect(messagePosts()).toBe(1);
  });

  test('a resend to someone who has since opted out is refused and sends nothing', async () => {
    const id = await lostAnswer(false);
    later(GIVE_UP_MS);
    await outbox().reconcileNow();
    await api.t.store.applyOptChange({ ourNumber: OUR_NUMBER, theirNumber: TO, action: 'opt-out', keyword: 'STOP', source: 'inbound-sms', messageSid: null });
    const res = await resend(id);
    expect(res.status).toBe(409);
    expect(res.body).toEqual({
      error: { message: `${TO} has opted out of messages from ${OUR_NUMBER} (replied STOP); they must text START to receive messages again`, field: 'to' },
    });
    expect((await api.t.store.getOutbound(id))?.state).toBe('not_sent');
    expect(messagePosts()).toBe(1);
  });

  test('a lost answer to a resend is unknown again, and reconciled like the first', async () => {
    const id = await lostAnswer(false);
    later(GIVE_UP_MS);
    await outbox().reconcileNow();
    expect((await api.t.store.getOutbound(id))?.state).toBe('not_sent');

    await lostAnswer(true, MESSAGES_PATH, () => resend(id));
    expect(await outbox().reconcileNow()).toMatchObject({ sent: 1 });
    const [sid] = [...api.fake.messages.keys()];
    expect((await getRequest(id)).body).toMatchObject({ state: 'sent', sid, attempts: 2, reconciliation: { checks: 2, outcome: 'matched' } });
    expect(messagePosts()).toBe(2);
  });
});

describe('when Twilio cannot be asked', () => {
  beforeEach(async () => {
    api = await startApiTest({}, { twilioUsesAppClock: true });
  });

  test('a list that fails leaves the request unknown, even past the give-up time, reported once', async () => {
    const id = await lostAnswer(true);
    // Every attempt of two look-ups (a GET is retried 3 times).
    api.fake.inject({ kind: 'status', status: 500, match: { method: 'GET' }, times: 8 });
    expect(await outbox().reconcileNow()).toMatchObject({ checked: 1, pending: 1 });
    later(GIVE_UP_MS + 1);
    expect(await outbox().reconcileNow()).toMatchObject({ checked: 1, pending: 1 });
    expect(api.fake.pendingFaults()).toBe(0);
    expect((await getRequest(id)).body).toMatchObject({
      state: 'unknown',
      sid: null,
      reconciliation: { checks: 2, candidates: [], outcome: 'lookup-failed', message: "could not read Twilio's list: Internal Server Error" },
    });
    expect(api.t.logs.filter((l) => l.msg === 'could not look up an unknown outcome at Twilio; trying again later')).toEqual([
      expect.objectContaining({ level: 40, requestId: id }),
    ]);
    // Twilio back: the message it created is found.
    expect(await outbox().reconcileNow()).toMatchObject({ sent: 1 });
    expect((await getRequest(id)).body).toMatchObject({ state: 'sent', sid: [...api.fake.messages.keys()][0] });
  });
});

describe('candidates', () => {
  beforeEach(async () => {
    api = await startApiTest({}, { twilioUsesAppClock: true });
  });

  test('two identical messages in the window: stays unknown with both sids listed, even past the give-up time', async () => {
    const twilio = createTwilioClient({ baseUrl: api.fake.baseUrl, accountSid: FAKE_ACCOUNT_SID, authToken: FAKE_AUTH_TOKEN });
    later(-60_000);
    const earlier = await twilio.sendMessage({ to: TO, from: OUR_NUMBER, body: BODY });
    later(0);
    const id = await lostAnswer(true);
    const created = [...api.fake.messages.keys()].filter((sid) => sid !== earlier.sid);
    expect(created).toHaveLength(1);

    expect(await outbox().reconcileNow()).toMatchObject({ ambiguous: 1 });
    later(GIVE_UP_MS + 1);
    expect(await outbox().reconcileNow()).toMatchObject({ ambiguous: 1 });
    expect((await getRequest(id)).body).toEqual(
      view(id, {
        state: 'unknown',
        sid: null,
        errorMessage: expect.stringMatching(/^outcome unknown/),
        reconciliation: {
          checkedAt: at(GIVE_UP_MS + 1).toISOString(),
          checks: 2,
          // Newest first, as Twilio lists them.
          candidates: [created[0], earlier.sid],
          outcome: 'ambiguous',
          message: '2 calls or messages at Twilio fit this request; left for a person to decide',
        },
      }),
    );
    // Reported once, not on every pass.
    expect(api.t.logs.filter((l) => l.msg === 'unknown outcome is ambiguous: several candidates at Twilio; left unknown')).toEqual([
      expect.objectContaining({ level: 40, requestId: id, candidates: [created[0], earlier.sid] }),
    ]);
  });

  test('a sid another request already holds is not matched twice', async () => {
    const first = await postMessage();
    expect(first.status).toBe(201);
    const held = first.body.sid as string;

    // Nothing created: the only fitting message is the first request's, so no match, then not_sent.
    const lost = await lostAnswer(false);
    expect(await outbox().reconcileNow()).toMatchObject({ pending: 1 });
    expect((await getRequest(lost)).body.reconciliation).toMatchObject({
      candidates: [],
      outcome: 'no-match',
      message: `no match at Twilio yet (${held} already belong to other requests)`,
    });
    later(GIVE_UP_MS);
    expect(await outbox().reconcileNow()).toMatchObject({ notSent: 1 });

    // Created this time: of the two fitting messages, the one nobody holds is the match.
    later(GIVE_UP_MS + 1_000);
    const id = await lostAnswer(true);
    const created = [...api.fake.messages.keys()].filter((sid) => sid !== held);
    expect(created).toHaveLength(1);
    // The window of this row starts at its creation: move the first message into it.
    const firstMessage = api.fake.messages.get(held);
    if (firstMessage) api.fake.messages.set(held, { ...firstMessage, date_created: api.fake.messages.get(created[0] as string)?.date_created ?? null });
    expect(await outbox().reconcileNow()).toMatchObject({ sent: 1 });
    expect((await getRequest(id)).body).toMatchObject({ state: 'sent', sid: created[0], reconciliation: { candidates: [created[0]] } });
    expect((await getRequest(first.body.requestId as string)).body).toMatchObject({ state: 'sent', sid: held });
  });
});

describe('bulk jobs', () => {
  test('counts move as recipients are reconciled: unknown → sent, unknown → notSent', async () => {
    api = await startApiTest({ MESSAGES_PER_SECOND: '1000' }, { twilioUsesAppClock: true, idleMs: 10 });
    const recipients = ['+15551230010', '+15551230011', '+15551230012'];
    api.fake.inject({ kind: 'reset', processed: true, match: { method: 'POST', path: MESSAGES_PATH } });
    api.fake.inject({ kind: 'reset', processed: false, match: { method: 'POST', path: MESSAGES_PATH } });
    const res = await request(api.t.app).post('/api/messages/bulk').set('Authorization', AUTH).send({ to: recipients, body: BODY });
    expect(res.status).toBe(202);
    const jobId = res.body.id as string;
    const job = async () => (await request(api.t.app).get(`/api/jobs/${jobId}`).set('Authorization', AUTH)).body;
    await outbox().start();
    await until('the job to complete', async () => (await job()).state === 'completed');
    expect((await job()).counts).toEqual({ queued: 0, inFlight: 0, sent: 1, failed: 0, unknown: 2, notSent: 0, skippedOptedOut: 0 });

    expect(await outbox().reconcileNow()).toMatchObject({ checked: 2, sent: 1, pending: 1 });
    expect((await job()).counts).toEqual({ queued: 0, inFlight: 0, sent: 2, failed: 0, unknown: 1, notSent: 0, skippedOptedOut: 0 });

    later(GIVE_UP_MS);
    expect(await outbox().reconcileNow()).toMatchObject({ checked: 1, notSent: 1 });
    const done = await job();
    expect(done.counts).toEqual({ queued: 0, inFlight: 0, sent: 2, failed: 0, unknown: 0, notSent: 1, skippedOptedOut: 0 });
    expect(done.failures).toEqual([
      {
        to: recipients[1],
        state: 'not_sent',
        errorStatus: null,
        errorCode: null,
        errorMessage: 'not sent: no matching message at Twilio 900 s after the outcome became unknown; resend it on purpose if wanted',
      },
    ]);
    expect(messagePosts()).toBe(3);

    // Reported with its request id; resent on purpose, it goes back to its job, answered as the job was.
    const reported = api.t.logs.filter((l) => l.msg === 'outbound request not sent: no match at Twilio; not resent automatically');
    expect(reported).toEqual([expect.objectContaining({ level: 40, jobId, to: recipients[1] })]);
    const id = reported[0]?.requestId as string;
    const again = await resend(id);
    expect(again.status).toBe(202);
    expect(again.body).toEqual({ id: jobId, state: 'running', total: 3, createdAt: FIXED_NOW.toISOString() });
    await until('the job to complete again', async () => (await job()).state === 'completed');
    expect((await job()).counts).toEqual({ queued: 0, inFlight: 0, sent: 3, failed: 0, unknown: 0, notSent: 0, skippedOptedOut: 0 });
    const to = (r: (typeof api.fake.requests)[number]) => new URLSearchParams(r.rawBody).get('To');
    expect(api.fake.requests.filter((r) => r.method === 'POST').map(to)).toEqual([recipients[0], recipients[1], recipients[2], recipients[1]]);
    expect((await getRequest(id)).body).toMatchObject({ state: 'sent', attempts: 2, jobId });
  });
});
