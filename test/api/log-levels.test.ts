// Expected states (not configured, Twilio refused or not reached) are answered and explained;
// they are warnings in the log, so that error lines stay the ones someone must look at.
import request from 'supertest';
import { buildTestApp, type TestApp } from '../support/app';
import { FAKE_ACCOUNT_SID } from '../support/fake-twilio';
import { API_KEY, AUTH, startApiTest } from './setup';

const WARN = 40;
const ERROR = 50;

function requestLines(t: TestApp): Array<[unknown, unknown]> {
  return t.logs
    .filter((line) => line.msg === 'request completed')
    .map((line) => [(line.res as { statusCode: number }).statusCode, line.level]);
}

test('503 "Twilio is not configured" and 503 "API_KEY is not configured" are warnings', async () => {
  const t = buildTestApp({ API_KEY, TWILIO_ACCOUNT_SID: FAKE_ACCOUNT_SID });
  const res = await request(t.app).post('/api/messages').set('Authorization', AUTH).send({ to: '+15551230000', from: '+15005550006', body: 'x' });
  expect(res.status).toBe(503);
  const noKey = buildTestApp({});
  expect((await request(noKey.app).get('/api/calls').set('Authorization', AUTH)).status).toBe(503);
  expect(requestLines(t)).toEqual([[503, WARN]]);
  expect(requestLines(noKey)).toEqual([[503, WARN]]);
  await t.close();
  await noKey.close();
});

test('502 because Twilio refused the request, or could not be reached, is a warning', async () => {
  const api = await startApiTest();
  api.fake.inject({ kind: 'status', status: 400, code: 21211, message: "The 'To' number is not valid" });
  const refused = await request(api.t.app).post('/api/messages').set('Authorization', AUTH).send({ to: '+15551230000', body: 'x' });
  expect(refused.status).toBe(502);
  const hangup = await request(api.t.app).post(`/api/calls/CA${'1'.repeat(32)}/hangup`).set('Authorization', AUTH).send({});
  expect(hangup.status).toBe(404);
  await api.fake.close();
  const unreachable = await request(api.t.app).post('/api/messages').set('Authorization', AUTH).send({ to: '+15551230001', body: 'x' });
  expect(unreachable.status).toBe(502);
  expect(requestLines(api.t)).toEqual([
    [502, WARN],
    [404, WARN],
    [502, WARN],
  ]);
  expect(api.t.logs.filter((line) => line.level === ERROR)).toEqual([]);
  await api.t.close();
});
