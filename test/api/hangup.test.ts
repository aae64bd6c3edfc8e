import request from 'supertest';
import { FAKE_ACCOUNT_SID } from '../support/fake-twilio';
import { AUTH, posts, startApiTest, type ApiTest } from './setup';

let api: ApiTest;
beforeEach(async () => {
  api = await startApiTest();
});
afterEach(() => api.close());

async function placeCall(): Promise<string> {
  const res = await request(api.t.app).post('/api/calls').set('Authorization', AUTH).send({ to: '+15551230004', say: 'hi' });
  return res.body.sid as string;
}

function hangup(sid: string) {
  return request(api.t.app).post(`/api/calls/${sid}/hangup`).set('Authorization', AUTH);
}

describe('POST /api/calls/:sid/hangup', () => {
  test('a queued call is canceled', async () => {
    const sid = await placeCall();
    const res = await hangup(sid);
    expect([res.status, res.body]).toEqual([200, { sid, status: 'canceled', previousStatus: 'queued' }]);
    expect(api.fake.requests.map((r) => [r.method, r.path])).toEqual([
      ['POST', `/2010-04-01/Accounts/${FAKE_ACCOUNT_SID}/Calls.json`],
      ['GET', `/2010-04-01/Accounts/${FAKE_ACCOUNT_SID}/Calls/${sid}.json`],
      ['POST', `/2010-04-01/Accounts/${FAKE_ACCOUNT_SID}/Calls/${sid}.json`],
    ]);
    expect(posts(api.fake)[1]).toEqual([['Status', 'canceled']]);
  });

  test('an answered call is completed', async () => {
    const sid = await placeCall();
    const call = api.fake.calls.get(sid);
    if (call) api.fake.calls.set(sid, { ...call, status: 'in-progress' });
    const res = await hangup(sid);
    expect([res.status, res.body]).toEqual([200, { sid, status: 'completed', previousStatus: 'in-progress' }]);
    expect(posts(api.fake)[1]).toEqual([['Status', 'completed']]);
  });

  test('a call that already ended is a 409', async () => {
    const sid = await placeCall();
    await hangup(sid);
    const res = await hangup(sid);
    expect([res.status, res.body]).toEqual([409, { error: { message: `Call ${sid} has already ended (status canceled)`, field: 'sid' } }]);
  });

  test('an unknown call is Twilio’s 404, a malformed sid a 400', async () => {
    const unknown = await hangup(`CA${'9'.repeat(32)}`);
    expect(unknown.status).toBe(404);
    expect(unknown.body.error).toMatchObject({ twilioCode: 20404 });
    const bad = await hangup('CA123');
    expect([bad.status, bad.body]).toEqual([400, { error: { message: 'Expected a call SID: CA followed by 32 hexadecimal characters', field: 'sid', received: 'CA123' } }]);
  });
});
