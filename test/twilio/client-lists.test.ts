import { createTwilioClient, TwilioInputError, TwilioUnknownOutcomeError, type HttpRequest } from '../../src/twilio';
import { startFakeTwilio, type FakeTwilio } from '../support/fake-twilio';
import { clientFor, rejectionOf } from '../support/twilio-client-harness';

let fake: FakeTwilio;
beforeAll(async () => {
  fake = await startFakeTwilio();
});
afterAll(() => fake.close());
beforeEach(() => fake.reset());

describe('listMessages and listCalls', () => {
  test('send the filters under the spec names, and return the items and next link', async () => {
    const { client } = clientFor(fake);
    const sent = await client.sendMessage({ to: '+15551230000', from: '+15559870000', body: 'hi' });
    const page = await client.listMessages({
      to: '+15551230000',
      from: '+15559870000',
      dateSentAfter: new Date('2026-01-02T03:00:00.123Z'),
      dateSentBefore: new Date('2026-01-02T04:00:00Z'),
      pageSize: 1000,
    });

    // Twilio leaves date_sent empty until a message leaves it, so a DateSent filter leaves out a
    // queued one: why the reconciler filters by To and From only.
    expect(sent.date_sent).toBeNull();
    expect(page).toEqual({ items: [], nextPageUri: null });
    const list = fake.requests[1];
    expect(list).toMatchObject({ method: 'GET', operationId: 'ListMessage', status: 200, rawBody: '' });
    expect(list?.query).toEqual([
      ['To', '+15551230000'],
      ['From', '+15559870000'],
      ['DateSent>', '2026-01-02T03:00:00Z'],
      ['DateSent<', '2026-01-02T04:00:00Z'],
      ['PageSize', '1000'],
    ]);
  });

  test('calls: To, From, Status and StartTime> as the spec names them', async () => {
    const { client } = clientFor(fake);
    const call = await client.createCall({ to: '+15551230000', from: '+15559870000', url: 'https://example.com/twiml' });
    const page = await client.listCalls({ to: '+15551230000', from: '+15559870000', status: 'queued', startTimeAfter: new Date('2026-01-02T03:00:00Z') });

    // A queued call has no start_time yet, so StartTime> leaves it out, as at Twilio.
    expect(call.start_time).toBeNull();
    expect(page).toEqual({ items: [], nextPageUri: null });
    expect(fake.requests[1]).toMatchObject({ method: 'GET', operationId: 'ListCall', status: 200 });
    expect(fake.requests[1]?.query).toEqual([
      ['To', '+15551230000'],
      ['From', '+15559870000'],
      ['Status', 'queued'],
      ['StartTime>', '2026-01-02T03:00:00Z'],
    ]);
  });

  test('a page size outside 1–1000 is refused before anything is sent', async () => {
    const { client } = clientFor(fake);
    const error = await rejectionOf(client.listMessages({ pageSize: 1001 }));
    expect(error).toBeInstanceOf(TwilioInputError);
    expect((error as Error).message).toBe('Expected `pageSize` to be an integer from 1 to 1000');
    expect(fake.requests).toEqual([]);
  });

  test('follows next_page_uri on the same list only, and an answer without the list is malformed', async () => {
    const requests: HttpRequest[] = [];
    const account = fake.accountSid;
    const list = `/2010-04-01/Accounts/${account}/Messages.json`;
    const answers = [
      { messages: [{ sid: 'SM1' }], next_page_uri: `${list}?To=%2B1555&PageSize=1&Page=1&PageToken=PAx` },
      { messages: [{ sid: 'SM2' }], next_page_uri: null },
      { sid: 'SM3' },
    ];
    const client = createTwilioClient({
      accountSid: account,
      authToken: 'token',
      maxRetries: 0,
      http: async (request) => {
        requests.push(request);
        return { status: 200, retryAfter: null, text: JSON.stringify(answers[requests.length - 1]) };
      },
    });

    const first = await client.listMessages({ to: '+1555', pageSize: 1 });
    expect(first).toEqual({ items: [{ sid: 'SM1' }], nextPageUri: `${list}?To=%2B1555&PageSize=1&Page=1&PageToken=PAx` });
    const second = await client.listMessages({}, { pageUri: first.nextPageUri as string });
    expect(second).toEqual({ items: [{ sid: 'SM2' }], nextPageUri: null });
    expect(requests.map((r) => r.url)).toEqual([
      `https://api.twilio.com${list}?To=%2B1555&PageSize=1`,
      `https://api.twilio.com${list}?To=%2B1555&PageSize=1&Page=1&PageToken=PAx`,
    ]);

    await expect(client.listMessages({}, { pageUri: 'https://evil.example/steal' })).rejects.toThrow(
      new TwilioInputError(`Expected \`pageUri\` to be a next_page_uri of ${list}`),
    );
    await expect(client.listMessages({}, { pageUri: `/2010-04-01/Accounts/${account}/Calls.json?Page=1` })).rejects.toBeInstanceOf(TwilioInputError);
    expect(requests).toHaveLength(2);

    const malformed = await rejectionOf(client.listMessages({}));
    expect(malformed).toBeInstanceOf(TwilioUnknownOutcomeError);
    expect((malformed as TwilioUnknownOutcomeError).reason).toBe('malformed-response');
  });
});
