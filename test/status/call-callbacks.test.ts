import request from 'supertest';
import { buildTestApp, FIXED_NOW, type TestApp } from '../support/app';
import { CALL_SID, callParams, dbRows, OUR_NUMBER, postCallback, THEIR_NUMBER } from './support';

let t: TestApp;
beforeEach(() => {
  t = buildTestApp();
});
afterEach(() => t.close());

const LATER = new Date('2026-01-02T03:05:00.000Z');

function callRows() {
  return dbRows(t, 'SELECT * FROM calls');
}

function eventRows() {
  return dbRows(t, 'SELECT id, resource, sid, status, sequence_number, dedupe_key, received_at FROM status_events ORDER BY id');
}

describe('POST /status/call', () => {
  test('updates the inbound call through its life and keeps every event with its raw parameters', async () => {
    await request(t.app).post('/voice').type('form').send(callParams('ringing', undefined));
    expect((await postCallback(t, '/status/call', callParams('in-progress', 1))).status).toBe(204);
    t.clock.set(LATER);
    const final = callParams('completed', 2, { CallDuration: '42', Price: '-0.0085', PriceUnit: 'USD', Timestamp: 'Fri, 02 Jan 2026 03:05:00 +0000' });
    const res = await postCallback(t, '/status/call', final);
    expect(res.status).toBe(204);
    expect(res.text).toBe('');
    expect(callRows()).toEqual([
      {
        sid: CALL_SID,
        direction: 'inbound',
        from_number: THEIR_NUMBER,
        to_number: OUR_NUMBER,
        status: 'completed',
        duration: 42,
        price: '-0.0085',
        price_unit: 'USD',
        error_code: null,
        recording_url: null,
        answered_by: null,
        created_at: FIXED_NOW.toISOString(),
        updated_at: LATER.toISOString(),
      },
    ]);
    expect(eventRows()).toEqual([
      { id: 1, resource: 'call', sid: CALL_SID, status: 'in-progress', sequence_number: 1, dedupe_key: `call:${CALL_SID}:in-progress:1`, received_at: FIXED_NOW.toISOString() },
      { id: 2, resource: 'call', sid: CALL_SID, status: 'completed', sequence_number: 2, dedupe_key: `call:${CALL_SID}:completed:2`, received_at: LATER.toISOString() },
    ]);
    expect(JSON.parse(dbRows(t, 'SELECT params FROM status_events WHERE id = 2')[0]?.params as string)).toEqual(final);
  });

  test('the same delivery twice (same idempotency token) is stored once', async () => {
    const params = callParams('completed', 3, { CallDuration: '7' });
    await postCallback(t, '/status/call', params, 'token-1');
    t.clock.set(LATER);
    expect((await postCallback(t, '/status/call', params, 'token-1')).status).toBe(204);
    expect(eventRows()).toEqual([
      { id: 1, resource: 'call', sid: CALL_SID, status: 'completed', sequence_number: 3, dedupe_key: 'token:token-1', received_at: FIXED_NOW.toISOString() },
    ]);
    expect(callRows()[0]?.updated_at).toBe(FIXED_NOW.toISOString());
  });

  test('without a token, the same sid + status + sequence number is stored once', async () => {
    await postCallback(t, '/status/call', callParams('ringing', 0));
    await postCallback(t, '/status/call', callParams('ringing', 0, { Timestamp: 'a retry carries a new timestamp' }));
    await postCallback(t, '/status/call', callParams('ringing', 1));
    expect(eventRows().map((row) => row.dedupe_key)).toEqual([`call:${CALL_SID}:ringing:0`, `call:${CALL_SID}:ringing:1`]);
  });

  test('an event arriving after the final one is stored but does not move the call back', async () => {
    await postCallback(t, '/status/call', callParams('completed', 3, { CallDuration: '30' }));
    t.clock.set(LATER);
    await postCallback(t, '/status/call', callParams('ringing', 1));
    await postCallback(t, '/status/call', callParams('in-progress', 2));
    expect(callRows()[0]).toMatchObject({ status: 'completed', duration: 30, updated_at: FIXED_NOW.toISOString() });
    expect(eventRows().map((row) => [row.status, row.sequence_number])).toEqual([
      ['completed', 3],
      ['ringing', 1],
      ['in-progress', 2],
    ]);
  });

  test('a late event still fills a field the row lacks, but never overwrites one', async () => {
    await postCallback(t, '/status/call', callParams('completed', 3));
    await postCallback(t, '/status/call', callParams('in-progress', 2, { AnsweredBy: 'human', CallDuration: '5' }));
    await postCallback(t, '/status/call', callParams('ringing', 1, { AnsweredBy: 'machine_start' }));
    expect(callRows()[0]).toMatchObject({ status: 'completed', answered_by: 'human', duration: 5 });
  });

  test('a final event corrects the fields that earlier events set, and no event erases one', async () => {
    await postCallback(t, '/status/call', callParams('in-progress', 1, { CallDuration: '1', RecordingUrl: 'https://api.twilio.com/rec/1' }));
    await postCallback(t, '/status/call', callParams('completed', 2, { CallDuration: '61' }));
    expect(callRows()[0]).toMatchObject({ status: 'completed', duration: 61, recording_url: 'https://api.twilio.com/rec/1' });
  });

  test('at equal rank only a later SequenceNumber replaces the status', async () => {
    await postCallback(t, '/status/call', callParams('initiated', 1));
    await postCallback(t, '/status/call', callParams('queued', 0));
    expect(callRows()[0]?.status).toBe('initiated');
    await postCallback(t, '/status/call', callParams('queued', 2));
    expect(callRows()[0]?.status).toBe('queued');
  });

  test('a callback for a call never seen creates the row from its parameters', async () => {
    const params = callParams('failed', 1, { Direction: 'outbound-api', ErrorCode: '13224', From: OUR_NUMBER, To: '+15550003333' });
    expect((await postCallback(t, '/status/call', params)).status).toBe(204);
    expect(callRows()).toEqual([
      {
        sid: CALL_SID,
        direction: 'outbound-api',
        from_number: OUR_NUMBER,
        to_number: '+15550003333',
        status: 'failed',
        duration: null,
        price: null,
        price_unit: null,
        error_code: 13224,
        recording_url: null,
        answered_by: null,
        created_at: FIXED_NOW.toISOString(),
        updated_at: FIXED_NOW.toISOString(),
      },
    ]);
  });

  test('without a known Direction the created row is taken as one we started', async () => {
    await postCallback(t, '/status/call', { CallSid: CALL_SID, CallStatus: 'ringing', Direction: 'sideways' });
    expect(callRows()[0]).toMatchObject({ direction: 'outbound-api', from_number: '', to_number: '', status: 'ringing' });
  });

  test('a status Twilio adds later is stored as an event but does not replace a known status', async () => {
    await postCallback(t, '/status/call', callParams('ringing', 0));
    await postCallback(t, '/status/call', callParams('teleported', 1));
    expect(callRows()[0]?.status).toBe('ringing');
    expect(eventRows().map((row) => row.status)).toEqual(['ringing', 'teleported']);
  });

  test('is accepted as GET with query parameters too', async () => {
    const query = new URLSearchParams(callParams('busy', 1)).toString();
    expect((await request(t.app).get(`/status/call?${query}`)).status).toBe(204);
    expect(callRows()[0]?.status).toBe('busy');
  });
});
