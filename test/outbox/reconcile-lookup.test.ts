// The look-up walks every page of Twilio's list, keeps what fits the row, and says when the
// page limit stopped it (then "no match" proves nothing).
import { lookUp, LookupStopped, MAX_PAGES } from '../../src/outbox/reconcile-lookup';
import type { OutboundRequest } from '../../src/store';
import type { MessageListFilter, MessagePage, MessageResource, TwilioClient } from '../../src/twilio';

const row: OutboundRequest = {
  id: 'r1',
  kind: 'message',
  params: { to: '+15551230000', messagingServiceSid: 'MG' + 'a'.repeat(32), body: 'hi' },
  state: 'unknown',
  attempts: 1,
  twilioSid: null,
  response: null,
  errorStatus: null,
  errorCode: null,
  errorMessage: 'outcome unknown (timeout)',
  jobId: null,
  skipReason: null,
  nextAttemptAt: null,
  createdAt: '2026-01-02T03:04:05.000Z',
  updatedAt: '2026-01-02T03:04:15.000Z',
};

function message(sid: string, fields: Partial<MessageResource> = {}): MessageResource {
  return {
    sid,
    to: '+15551230000',
    from: '+15005550006',
    messaging_service_sid: 'MG' + 'a'.repeat(32),
    body: 'hi',
    direction: 'outbound-api',
    date_created: 'Fri, 02 Jan 2026 03:04:10 +0000',
    ...fields,
  } as MessageResource;
}

function clientWith(pages: (call: number) => MessagePage, asked: Array<[MessageListFilter, string | undefined]>): TwilioClient {
  const unused = () => Promise.reject(new Error('not used'));
  return {
    createCall: unused,
    sendMessage: unused,
    updateCall: unused,
    fetchCall: unused,
    fetchMessage: unused,
    listCalls: unused,
    async listMessages(filter, page) {
      asked.push([filter, page?.pageUri]);
      return pages(asked.length);
    },
  };
}

test('every page is read; only outbound messages to the same number, from the same service, with the same body, in the window fit', async () => {
  const asked: Array<[MessageListFilter, string | undefined]> = [];
  const pages: MessagePage[] = [
    {
      items: [
        message('SM1'),
        message('SM2', { body: 'other' }),
        message('SM3', { direction: 'inbound' }),
        message('SM4', { messaging_service_sid: 'MG' + 'b'.repeat(32) }),
        message('SM5', { date_created: 'Fri, 02 Jan 2026 03:01:04 +0000' }), // 3 min before: outside
        message('SM6', { date_created: 'Fri, 02 Jan 2026 03:06:15 +0000' }), // 2 min after: the edge
        message('SM7', { date_created: null }),
      ],
      nextPageUri: '/next?Page=1',
    },
    { items: [message('SM8', { to: '+15551230001' }), null as unknown as MessageResource, message('SM9')], nextPageUri: null },
  ];
  const found = await lookUp(clientWith((n) => pages[n - 1] as MessagePage, asked), row);
  expect(found.complete).toBe(true);
  expect(found.candidates.map((c) => c.resource.sid)).toEqual(['SM1', 'SM6', 'SM9']);
  // No From filter for a Messaging Service sender.
  expect(asked).toEqual([
    [{ to: '+15551230000', pageSize: 1000 }, undefined],
    [{ to: '+15551230000', pageSize: 1000 }, '/next?Page=1'],
  ]);
});

test(`stops after ${MAX_PAGES} pages and says the look-up is incomplete`, async () => {
  const asked: Array<[MessageListFilter, string | undefined]> = [];
  const found = await lookUp(clientWith((n) => ({ items: [], nextPageUri: `/next?Page=${n}` }), asked), row);
  expect(found).toEqual({ candidates: [], complete: false });
  expect(asked).toHaveLength(MAX_PAGES);
});

test('a body Twilio rewrites is not compared', async () => {
  const asked: Array<[MessageListFilter, string | undefined]> = [];
  const smart = { ...row, params: { ...row.params, smartEncoded: true } };
  const found = await lookUp(clientWith(() => ({ items: [message('SM1', { body: 'hi, rewritten' })], nextPageUri: null }), asked), smart);
  expect(found.candidates.map((c) => c.resource.sid)).toEqual(['SM1']);
});

test('stops between pages when the server is stopping', async () => {
  const asked: Array<[MessageListFilter, string | undefined]> = [];
  let stopping = false;
  const client = clientWith((n) => {
    stopping = n === 2;
    return { items: [], nextPageUri: `/next?Page=${n}` };
  }, asked);
  await expect(lookUp(client, row, () => stopping)).rejects.toBeInstanceOf(LookupStopped);
  expect(asked).toHaveLength(2);
});
