// The sandbox's REST API beyond what the client uses: list filters and paging as Twilio answers them,
// magic test numbers, message redaction.
import { FAKE_ACCOUNT_SID, FAKE_AUTH_TOKEN, startFakeTwilio, type FakeTwilio } from '../support/fake-twilio';
import type { CallResource, MessageResource } from '../../src/twilio/types';

let fake: FakeTwilio;
beforeAll(async () => {
  fake = await startFakeTwilio();
});
afterAll(() => fake.close());
beforeEach(() => fake.reset());

const ACCOUNT = `/2010-04-01/Accounts/${FAKE_ACCOUNT_SID}`;
const AUTH = `Basic ${Buffer.from(`${FAKE_ACCOUNT_SID}:${FAKE_AUTH_TOKEN}`).toString('base64')}`;

async function get(pathAndQuery: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(fake.baseUrl + pathAndQuery, { headers: { Authorization: AUTH } });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

async function createMessage(to: string, from = '+15005550006'): Promise<MessageResource> {
  const response = await fetch(`${fake.baseUrl}${ACCOUNT}/Messages.json`, {
    method: 'POST',
    headers: { Authorization: AUTH, 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams([['To', to], ['From', from], ['Body', 'hi']]).toString(),
  });
  expect(response.status).toBe(201);
  return (await response.json()) as MessageResource;
}

/** A call as the sandbox holds it, with the times and status a test needs. */
function putCall(sid: string, fields: Partial<CallResource>): void {
  fake.calls.set(sid, { sid, to: '+15551230000', from: '+15005550006', status: 'completed', start_time: null, end_time: null, parent_call_sid: null, ...fields } as CallResource);
}

const sids = (body: Record<string, unknown>, key: string) => (body[key] as Array<{ sid: string }>).map((item) => item.sid);

describe('ListMessage', () => {
  test('newest first, filtered by To and From, with the page fields Twilio sends', async () => {
    const a = await createMessage('+15551230001');
    const b = await createMessage('+15551230002');
    const c = await createMessage('+15551230001', '+15005550099');
    const all = await get(`${ACCOUNT}/Messages.json`);
    expect(sids(all.body, 'messages')).toEqual([c.sid, b.sid, a.sid]);

    const filtered = await get(`${ACCOUNT}/Messages.json?To=%2B15551230001&From=%2B15005550006`);
    expect(filtered).toEqual({
      status: 200,
      body: {
        messages: [a],
        end: 0,
        first_page_uri: `${ACCOUNT}/Messages.json?To=%2B15551230001&From=%2B15005550006&PageSize=50&Page=0`,
        next_page_uri: null,
        page: 0,
        page_size: 50,
        previous_page_uri: null,
        start: 0,
        uri: `${ACCOUNT}/Messages.json?To=%2B15551230001&From=%2B15005550006&PageSize=50&Page=0`,
      },
    });
  });

  test('DateSent, DateSent< and DateSent> compare the day (or the instant) the message was sent', async () => {
    const early = await createMessage('+15551230001');
    const late = await createMessage('+15551230002');
    const unsent = await createMessage('+15551230003');
    fake.messages.set(early.sid, { ...early, date_sent: 'Mon, 02 Mar 2026 10:00:00 +0000' });
    fake.messages.set(late.sid, { ...late, date_sent: 'Wed, 04 Mar 2026 23:59:00 +0000' });
    const query = async (q: string) => sids((await get(`${ACCOUNT}/Messages.json?${q}`)).body, 'messages');
    expect(await query('DateSent=2026-03-02')).toEqual([early.sid]);
    expect(await query(`${encodeURIComponent('DateSent>')}=2026-03-03`)).toEqual([late.sid]);
    expect(await query(`${encodeURIComponent('DateSent<')}=2026-03-04`)).toEqual([late.sid, early.sid]);
    expect(await query(`${encodeURIComponent('DateSent<')}=2026-03-04T12:00:00Z`)).toEqual([early.sid]);
    expect(unsent.date_sent).toBeNull();
  });

  test('an unknown filter is refused like any unknown parameter', async () => {
    expect(await get(`${ACCOUNT}/Messages.json?Status=delivered`)).toEqual({
      status: 400,
      body: { code: 400, message: 'Unknown query parameter Status', more_info: 'https://www.twilio.com/docs/errors/400', status: 400 },
    });
  });
});

describe('ListCall', () => {
  test('Status, StartTime> and EndTime< filters', async () => {
    const ca = (n: number) => `CA${String(n).padStart(32, '0')}`;
    putCall(ca(1), { status: 'completed', start_time: 'Sun, 01 Mar 2026 09:00:00 +0000', end_time: 'Sun, 01 Mar 2026 09:05:00 +0000' });
    putCall(ca(2), { status: 'busy', start_time: null });
    putCall(ca(3), { status: 'completed', start_time: 'Tue, 03 Mar 2026 09:00:00 +0000', end_time: 'Tue, 03 Mar 2026 09:01:00 +0000' });
    const query = async (q: string) => sids((await get(`${ACCOUNT}/Calls.json?${q}`)).body, 'calls');
    expect(await query('Status=completed')).toEqual([ca(3), ca(1)]);
    expect(await query('Status=busy')).toEqual([ca(2)]);
    expect(await query(`${encodeURIComponent('StartTime>')}=2026-03-02`)).toEqual([ca(3)]);
    expect(await query(`${encodeURIComponent('EndTime<')}=2026-03-01`)).toEqual([ca(1)]);
    expect((await get(`${ACCOUNT}/Calls.json?Status=answered`)).status).toBe(400);
  });

  test('PageSize pages follow next_page_uri to the end and previous_page_uri back', async () => {
    const ca = (n: number) => `CA${String(n).padStart(32, '0')}`;
    for (let n = 1; n <= 5; n++) putCall(ca(n), {});
    const first = await get(`${ACCOUNT}/Calls.json?PageSize=2`);
    expect(sids(first.body, 'calls')).toEqual([ca(5), ca(4)]);
    expect(first.body).toMatchObject({
      page: 0,
      page_size: 2,
      start: 0,
      end: 1,
      previous_page_uri: null,
      next_page_uri: `${ACCOUNT}/Calls.json?PageSize=2&Page=1&PageToken=PA${ca(4)}`,
    });
    const second = await get(String(first.body.next_page_uri));
    expect(sids(second.body, 'calls')).toEqual([ca(3), ca(2)]);
    expect(second.body).toMatchObject({ page: 1, start: 2, end: 3, previous_page_uri: `${ACCOUNT}/Calls.json?PageSize=2&Page=0&PageToken=PB${ca(3)}` });
    const third = await get(String(second.body.next_page_uri));
    expect(sids(third.body, 'calls')).toEqual([ca(1)]);
    expect(third.body).toMatchObject({ page: 2, start: 4, end: 4, next_page_uri: null });
    const back = await get(String(second.body.previous_page_uri));
    expect(sids(back.body, 'calls')).toEqual([ca(5), ca(4)]);
    // Page alone (no token) counts pages from the start.
    expect(sids((await get(`${ACCOUNT}/Calls.json?PageSize=2&Page=1`)).body, 'calls')).toEqual([ca(3), ca(2)]);
  });
});

describe('magic numbers', () => {
  test.each([
    ['Messages', [['From', '+15005550001'], ['To', '+15551230000']], 21212],
    ['Messages', [['From', '+15005550006'], ['To', '+15005550001']], 21211],
    ['Messages', [['From', '+15005550006'], ['To', '+15005550002']], 21612],
    ['Messages', [['From', '+15005550006'], ['To', '+15005550003']], 21408],
    ['Messages', [['From', '+15005550006'], ['To', '+15005550004']], 21610],
    ['Messages', [['From', '+15005550006'], ['To', '+15005550009']], 21614],
    ['Messages', [['From', '+15005550007'], ['To', '+15551230000']], 21606],
    ['Messages', [['From', '+15005550008'], ['To', '+15551230000']], 21611],
    ['Calls', [['From', '+15005550001'], ['To', '+15551230000']], 21212],
    ['Calls', [['From', '+15005550006'], ['To', '+15005550001']], 21217],
    ['Calls', [['From', '+15005550006'], ['To', '+15005550002']], 21214],
    ['Calls', [['From', '+15005550006'], ['To', '+15005550003']], 21215],
    ['Calls', [['From', '+15005550006'], ['To', '+15005550004']], 21216],
  ] as const)('%s %j → 400 with code %d, nothing created', async (resource, pairs, code) => {
    const extra: Array<[string, string]> = resource === 'Calls' ? [['Url', 'https://example.com/t.xml']] : [['Body', 'hi']];
    const response = await fetch(`${fake.baseUrl}${ACCOUNT}/${resource}.json`, {
      method: 'POST',
      headers: { Authorization: AUTH, 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams([...pairs.map(([name, value]): [string, string] => [name, value]), ...extra]).toString(),
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ code, status: 400, more_info: `https://www.twilio.com/docs/errors/${code}` });
    expect(fake.calls.size + fake.messages.size).toBe(0);
  });
});

describe('UpdateMessage', () => {
  async function update(sid: string, pairs: Array<[string, string]>) {
    const response = await fetch(`${fake.baseUrl}${ACCOUNT}/Messages/${sid}.json`, {
      method: 'POST',
      headers: { Authorization: AUTH, 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(pairs).toString(),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  }

  test('an empty Body redacts the message; any other Body is refused', async () => {
    const message = await createMessage('+15551230001');
    expect(await update(message.sid, [['Body', 'rewritten']])).toEqual({
      status: 400,
      body: { code: 400, message: 'Body can only be set to an empty string, to redact the message', more_info: 'https://www.twilio.com/docs/errors/400', status: 400 },
    });
    const redacted = await update(message.sid, [['Body', '']]);
    expect(redacted).toMatchObject({ status: 200, body: { sid: message.sid, body: '' } });
    expect(fake.messages.get(message.sid)?.body).toBe('');
  });
});

test('a body larger than a megabyte is refused with 413 and creates nothing', async () => {
  const response = await fetch(`${fake.baseUrl}${ACCOUNT}/Messages.json`, {
    method: 'POST',
    headers: { Authorization: AUTH, 'Content-Type': 'application/x-www-form-urlencoded' },
    body: `To=%2B15551230000&From=%2B15005550006&Body=${'x'.repeat(1024 * 1024)}`,
  });
  expect(response.status).toBe(413);
  expect(await response.json()).toEqual({ code: 400, message: 'The request body is larger than 1048576 bytes', more_info: 'https://www.twilio.com/docs/errors/400', status: 413 });
  expect(fake.messages.size).toBe(0);
});
