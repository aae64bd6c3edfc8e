import request from 'supertest';
import { buildTestApp, FIXED_NOW, type TestApp } from '../support/app';
import { dbRows, MESSAGE_SID, messageParams, OUR_NUMBER, postCallback, THEIR_NUMBER } from './support';

let t: TestApp;
beforeEach(() => {
  t = buildTestApp();
});
afterEach(() => t.close());

const LATER = new Date('2026-01-02T03:06:00.000Z');

function messageRow() {
  return dbRows(t, 'SELECT * FROM messages')[0];
}

function statuses() {
  return dbRows(t, 'SELECT status FROM status_events ORDER BY id').map((row) => row.status);
}

describe('POST /status/message', () => {
  test('an outbound message unknown to us is created, then follows queued → sent → delivered', async () => {
    await postCallback(t, '/status/message', messageParams('queued', { Direction: 'outbound-api' }));
    await postCallback(t, '/status/message', messageParams('sent'));
    t.clock.set(LATER);
    await postCallback(t, '/status/message', messageParams('delivered', { Price: '-0.00790', PriceUnit: 'USD' }));
    expect(dbRows(t, 'SELECT * FROM messages')).toEqual([
      {
        sid: MESSAGE_SID,
        direction: 'outbound-api',
        from_number: OUR_NUMBER,
        to_number: THEIR_NUMBER,
        body: '',
        num_media: 0,
        media_urls: '[]',
        status: 'delivered',
        error_code: null,
        price: '-0.00790',
        price_unit: 'USD',
        created_at: FIXED_NOW.toISOString(),
        updated_at: LATER.toISOString(),
      },
    ]);
    expect(dbRows(t, 'SELECT resource, sid, status, sequence_number, dedupe_key FROM status_events ORDER BY id')).toEqual([
      { resource: 'message', sid: MESSAGE_SID, status: 'queued', sequence_number: null, dedupe_key: `message:${MESSAGE_SID}:queued:` },
      { resource: 'message', sid: MESSAGE_SID, status: 'sent', sequence_number: null, dedupe_key: `message:${MESSAGE_SID}:sent:` },
      { resource: 'message', sid: MESSAGE_SID, status: 'delivered', sequence_number: null, dedupe_key: `message:${MESSAGE_SID}:delivered:` },
    ]);
  });

  test('undelivered with ErrorCode 30003 stores the code, and it stays after a late "sent"', async () => {
    await postCallback(t, '/status/message', messageParams('sending'));
    await postCallback(t, '/status/message', messageParams('undelivered', { ErrorCode: '30003' }));
    await postCallback(t, '/status/message', messageParams('sent'));
    expect(messageRow()).toMatchObject({ status: 'undelivered', error_code: 30003 });
    expect(statuses()).toEqual(['sending', 'undelivered', 'sent']);
  });

  test('read comes after delivered; failed is final', async () => {
    await postCallback(t, '/status/message', messageParams('delivered'));
    await postCallback(t, '/status/message', messageParams('read'));
    expect(messageRow()?.status).toBe('read');
    await postCallback(t, '/status/message', messageParams('delivered', {}), 'another-token');
    expect(messageRow()?.status).toBe('read');
  });

  test('at equal rank the first outcome stays (no sequence numbers for messages)', async () => {
    await postCallback(t, '/status/message', messageParams('failed', { ErrorCode: '30008' }));
    await postCallback(t, '/status/message', messageParams('delivered'));
    expect(messageRow()).toMatchObject({ status: 'failed', error_code: 30008 });
  });

  test('a repeated delivery is stored once, with or without the idempotency token', async () => {
    await postCallback(t, '/status/message', messageParams('sent'), 'tok-a');
    await postCallback(t, '/status/message', messageParams('sent'), 'tok-a');
    await postCallback(t, '/status/message', messageParams('delivered'));
    await postCallback(t, '/status/message', messageParams('delivered'));
    expect(dbRows(t, 'SELECT dedupe_key FROM status_events ORDER BY id').map((row) => row.dedupe_key)).toEqual([
      'token:tok-a',
      `message:${MESSAGE_SID}:delivered:`,
    ]);
  });

  test('updates an inbound message recorded by /sms without touching its body', async () => {
    await request(t.app).post('/sms').type('form').send({ MessageSid: MESSAGE_SID, From: THEIR_NUMBER, To: OUR_NUMBER, Body: 'hi' });
    await postCallback(t, '/status/message', messageParams('delivered'));
    // 'received' is final for an inbound message: a stray callback does not change it.
    expect(messageRow()).toMatchObject({ direction: 'inbound', body: 'hi', status: 'received' });
    expect(statuses()).toEqual(['delivered']);
  });

  test('the legacy SmsSid/SmsStatus names alone are enough', async () => {
    await postCallback(t, '/status/message', { SmsSid: MESSAGE_SID, SmsStatus: 'sent', To: THEIR_NUMBER });
    expect(messageRow()).toMatchObject({ sid: MESSAGE_SID, status: 'sent', to_number: THEIR_NUMBER });
  });
});
