import Database from 'better-sqlite3';
import request from 'supertest';
import { FIXED_NOW } from '../support/app';
import { MAX_PAGE_SIZE } from '../../src/store';
import { AUTH, OUR_NUMBER, startApiTest, type ApiTest } from './setup';

let api: ApiTest;
beforeEach(async () => {
  api = await startApiTest();
});
afterEach(() => api.close());

function get(path: string) {
  return request(api.t.app).get(path).set('Authorization', AUTH);
}

/** Sends messages one minute apart; returns their sids, oldest first. */
async function sendMessages(tos: string[]): Promise<string[]> {
  const sids: string[] = [];
  for (const [i, to] of tos.entries()) {
    api.t.clock.set(new Date(FIXED_NOW.getTime() + i * 60_000));
    const res = await request(api.t.app).post('/api/messages').set('Authorization', AUTH).send({ to, body: `m${i}` });
    sids.push(res.body.sid as string);
  }
  return sids;
}

describe('GET /api/messages and /api/calls', () => {
  test('newest first, paged with a cursor until the end', async () => {
    const sids = await sendMessages(['+15550300000', '+15550300001', '+15550300002', '+15550300003', '+15550300004']);
    const first = await get('/api/messages?limit=2');
    expect(first.status).toBe(200);
    expect(first.body.messages.map((m: { sid: string }) => m.sid)).toEqual([sids[4], sids[3]]);
    expect(first.body.messages[0]).toEqual({
      sid: sids[4],
      direction: 'outbound-api',
      from: OUR_NUMBER,
      to: '+15550300004',
      body: 'm4',
      numMedia: 0,
      mediaUrls: [],
      status: 'queued',
      errorCode: null,
      price: null,
      priceUnit: null,
      createdAt: '2026-01-02T03:08:05.000Z',
      updatedAt: '2026-01-02T03:08:05.000Z',
    });
    const second = await get(`/api/messages?limit=2&cursor=${first.body.nextCursor as string}`);
    expect(second.body.messages.map((m: { sid: string }) => m.sid)).toEqual([sids[2], sids[1]]);
    const third = await get(`/api/messages?limit=2&cursor=${second.body.nextCursor as string}`);
    expect(third.body).toEqual({ messages: [expect.objectContaining({ sid: sids[0] })], nextCursor: null });
  });

  test('filters by number (either party) and status', async () => {
    const sids = await sendMessages(['+15550300000', '+15550300001']);
    const byNumber = await get('/api/messages?number=%2B15550300001');
    expect(byNumber.body.messages.map((m: { sid: string }) => m.sid)).toEqual([sids[1]]);
    expect((await get(`/api/messages?number=${encodeURIComponent(OUR_NUMBER)}`)).body.messages).toHaveLength(2);
    expect((await get('/api/messages?status=delivered')).body).toEqual({ messages: [], nextCursor: null });
    const call = await request(api.t.app).post('/api/calls').set('Authorization', AUTH).send({ to: '+15550300009', say: 'hi' });
    expect((await get('/api/calls?status=queued')).body).toEqual({ calls: [expect.objectContaining({ sid: call.body.sid, direction: 'outbound-api' })], nextCursor: null });
  });

  test('`limit` goes up to the store\'s page size (200), one more is a 400', async () => {
    expect(MAX_PAGE_SIZE).toBe(200);
    const most = await get(`/api/messages?limit=${MAX_PAGE_SIZE}`);
    expect([most.status, most.body]).toEqual([200, { messages: [], nextCursor: null }]);
    const over = await get(`/api/messages?limit=${MAX_PAGE_SIZE + 1}`);
    expect([over.status, over.body.error.field, over.body.error.message]).toEqual([400, 'limit', expect.stringContaining('from 1 to 200')]);
  });

  test.each([
    ['/api/messages?limit=0', 'limit', 'Expected `limit` to be an integer from 1 to 200', '0'],
    ['/api/calls?number=555', 'number', 'Expected `number` to be an E.164 number (+15551234567), client:name or a sip: URI', '555'],
    [
      '/api/calls?number=+15551234567',
      'number',
      'Expected `number` to be an E.164 number (+15551234567), client:name or a sip: URI; its "+" arrived as a space, which is what a "+" sent unencoded in a form body decodes to: send it as %2B (curl --data-urlencode \'number=+15551234567\') or send JSON',
      ' 15551234567',
    ],
    ['/api/calls?cursor=nope', 'cursor', 'Expected `cursor` to be the `nextCursor` of a previous page', 'nope'],
    ['/api/calls?page=2', 'page', 'Unknown field `page`', undefined],
    ['/api/calls?direction=sideways', 'direction', 'Expected `direction` to be one of inbound, outbound-api, outbound-dial', 'sideways'],
    ['/api/calls?since=yesterday', 'since', 'Expected `since` to be an ISO 8601 date-time such as 2026-01-02T15:04:05Z', 'yesterday'],
  ])('%s is a 400 naming the field and showing the value', async (path, field, message, received) => {
    const res = await get(path);
    expect([res.status, res.body]).toEqual([400, { error: { message, field, ...(received !== undefined && { received }) } }]);
  });
});

describe('GET /api/messages/:sid and /api/calls/:sid', () => {
  test('the resource with its status-callback history, in arrival order', async () => {
    const [sid] = await sendMessages(['+15550300000']);
    const db = new Database(api.t.config.databasePath);
    const insert = db.prepare(
      'INSERT INTO status_events (resource, sid, status, sequence_number, dedupe_key, params, received_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
    insert.run('message', sid, 'sent', null, `${sid}:sent`, JSON.stringify({ MessageStatus: 'sent' }), '2026-01-02T03:05:00.000Z');
    insert.run('message', sid, 'delivered', null, `${sid}:delivered`, JSON.stringify({ MessageStatus: 'delivered' }), '2026-01-02T03:05:01.000Z');
    db.close();
    const res = await get(`/api/messages/${sid}`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ sid, to: '+15550300000' });
    expect(res.body.events).toEqual([
      { resource: 'message', status: 'sent', sequenceNumber: null, params: { MessageStatus: 'sent' }, receivedAt: '2026-01-02T03:05:00.000Z' },
      { resource: 'message', status: 'delivered', sequenceNumber: null, params: { MessageStatus: 'delivered' }, receivedAt: '2026-01-02T03:05:01.000Z' },
    ]);
  });

  test('unknown sids are 404', async () => {
    expect((await get(`/api/calls/CA${'0'.repeat(32)}`)).body).toEqual({ error: { message: `No call CA${'0'.repeat(32)} in the history` } });
    expect((await get(`/api/messages/SM${'0'.repeat(32)}`)).status).toBe(404);
  });
});
