import { createTwilioClient, TwilioInputError, type AttemptInfo } from '../../src/twilio';
import { FAKE_API_KEY_SECRET, FAKE_API_KEY_SID, startFakeTwilio, type FakeTwilio } from '../support/fake-twilio';
import { clientFor, rejectionOf } from '../support/twilio-client-harness';

const RFC_2822 = /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} \+0000$/;

let fake: FakeTwilio;
beforeAll(async () => {
  fake = await startFakeTwilio();
});
afterAll(() => fake.close());
beforeEach(() => fake.reset());

describe('createCall', () => {
  test('posts the exact form body, repeated StatusCallbackEvent keys included', async () => {
    const { client } = clientFor(fake);
    await client.createCall({
      to: '+15551230000',
      from: '+15559870000',
      url: 'https://switchboard.example/voice/answer',
      method: 'POST',
      statusCallback: 'https://switchboard.example/voice/status',
      statusCallbackEvent: ['initiated', 'ringing', 'answered', 'completed'],
      statusCallbackMethod: 'POST',
      timeout: 25,
      record: false,
      machineDetection: 'Enable',
      sendDigits: 'ww1234#',
    });

    expect(fake.requests).toHaveLength(1);
    const request = fake.requests[0];
    expect(request?.method).toBe('POST');
    expect(request?.path).toBe(`/2010-04-01/Accounts/${fake.accountSid}/Calls.json`);
    expect(request?.contentType).toBe('application/x-www-form-urlencoded');
    expect(request?.rawBody).toBe(
      'To=%2B15551230000&From=%2B15559870000&Url=https%3A%2F%2Fswitchboard.example%2Fvoice%2Fanswer&Method=POST' +
        '&StatusCallback=https%3A%2F%2Fswitchboard.example%2Fvoice%2Fstatus' +
        '&StatusCallbackEvent=initiated&StatusCallbackEvent=ringing&StatusCallbackEvent=answered&StatusCallbackEvent=completed' +
        '&StatusCallbackMethod=POST&SendDigits=ww1234%23&Timeout=25&Record=false&MachineDetection=Enable',
    );
    expect(request?.form.filter(([key]) => key === 'StatusCallbackEvent').map(([, v]) => v)).toEqual([
      'initiated',
      'ringing',
      'answered',
      'completed',
    ]);
    expect(request?.status).toBe(201);
  });

  test('returns the typed Call resource', async () => {
    const { client } = clientFor(fake);
    const call = await client.createCall({ to: '+15551230000', from: '+15559870000', twiml: '<Response><Say>Hi</Say></Response>' });
    expect(call.sid).toMatch(/^CA[0-9a-f]{32}$/);
    expect(call.status).toBe('queued');
    expect(call.direction).toBe('outbound-api');
    expect(call.to).toBe('+15551230000');
    expect(call.from).toBe('+15559870000');
    expect(call.account_sid).toBe(fake.accountSid);
    expect(call.date_created).toMatch(RFC_2822);
    expect(call.uri).toBe(`/2010-04-01/Accounts/${fake.accountSid}/Calls/${call.sid}.json`);
    expect(fake.calls.get(call.sid)).toEqual(call);
  });

  test('needs Url, Twiml or ApplicationSid at compile time', () => {
    const { client } = clientFor(fake);
    // @ts-expect-error no call instructions
    const check = () => client.createCall({ to: '+1', from: '+2' });
    expect(typeof check).toBe('function');
  });
});

describe('sendMessage', () => {
  test('posts repeated MediaUrl keys, SendAt in ISO 8601 and booleans as true/false', async () => {
    const { client } = clientFor(fake);
    const message = await client.sendMessage({
      to: '+15551230000',
      messagingServiceSid: `MG${'ab'.repeat(16)}`,
      body: 'Your table is ready',
      mediaUrl: ['https://cdn.example/a.png', 'https://cdn.example/b.png'],
      statusCallback: 'https://switchboard.example/sms/status',
      validityPeriod: 600,
      scheduleType: 'fixed',
      sendAt: new Date(Date.UTC(2030, 5, 1, 12, 0, 0)),
      shortenUrls: true,
    });

    expect(fake.requests[0]?.rawBody).toBe(
      `To=%2B15551230000&MessagingServiceSid=MG${'ab'.repeat(16)}&Body=Your+table+is+ready` +
        '&MediaUrl=https%3A%2F%2Fcdn.example%2Fa.png&MediaUrl=https%3A%2F%2Fcdn.example%2Fb.png' +
        '&StatusCallback=https%3A%2F%2Fswitchboard.example%2Fsms%2Fstatus&ValidityPeriod=600&ScheduleType=fixed' +
        '&SendAt=2030-06-01T12%3A00%3A00Z&ShortenUrls=true',
    );
    expect(message.sid).toMatch(/^MM[0-9a-f]{32}$/);
    expect(message.status).toBe('scheduled');
    expect(message.num_media).toBe('2');
    expect(message.error_code).toBeNull();
  });

  test('returns a queued SM message for a plain SMS', async () => {
    const { client } = clientFor(fake);
    const message = await client.sendMessage({ to: '+15551230000', from: '+15559870000', body: 'hello' });
    expect(message.sid).toMatch(/^SM[0-9a-f]{32}$/);
    expect(message.status).toBe('queued');
    expect(message.body).toBe('hello');
    expect(message.date_created).toMatch(RFC_2822);
    expect(fake.requests[0]?.form).toEqual([
      ['To', '+15551230000'],
      ['From', '+15559870000'],
      ['Body', 'hello'],
    ]);
  });
});

describe('updateCall, fetchCall, fetchMessage', () => {
  test('hangs up a call with Status=completed and fetches it back', async () => {
    const { client } = clientFor(fake);
    const call = await client.createCall({ to: '+15551230000', from: '+15559870000', url: 'https://switchboard.example/v' });
    const updated = await client.updateCall(call.sid, { status: 'completed' });
    expect(fake.requests[1]?.path).toBe(`/2010-04-01/Accounts/${fake.accountSid}/Calls/${call.sid}.json`);
    expect(fake.requests[1]?.rawBody).toBe('Status=completed');
    expect(updated.status).toBe('completed');

    const fetched = await client.fetchCall(call.sid);
    expect(fake.requests[2]?.method).toBe('GET');
    expect(fake.requests[2]?.rawBody).toBe('');
    expect(fetched.status).toBe('completed');
  });

  test('fetches a message by SID', async () => {
    const { client } = clientFor(fake);
    const sent = await client.sendMessage({ to: '+15551230000', from: '+15559870000', body: 'x' });
    const fetched = await client.fetchMessage(sent.sid);
    expect(fetched).toEqual(sent);
    expect(fake.requests[1]?.path).toBe(`/2010-04-01/Accounts/${fake.accountSid}/Messages/${sent.sid}.json`);
  });

  test('refuses malformed SIDs without sending anything', async () => {
    const { client } = clientFor(fake);
    expect(await rejectionOf(client.fetchCall('../../Messages'))).toBeInstanceOf(TwilioInputError);
    expect(await rejectionOf(client.fetchMessage(`CA${'0'.repeat(32)}`))).toBeInstanceOf(TwilioInputError);
    expect(await rejectionOf(client.updateCall('CA123', { status: 'canceled' }))).toBeInstanceOf(TwilioInputError);
    expect(fake.requests).toHaveLength(0);
  });
});

describe('authentication', () => {
  test('uses the account SID and auth token by default', async () => {
    const { client } = clientFor(fake);
    await client.sendMessage({ to: '+15551230000', from: '+15559870000', body: 'x' });
    expect(fake.requests[0]?.auth).toEqual({ kind: 'account', sid: fake.accountSid });
  });

  test('uses the API key when one is set, keeping the account SID in the path', async () => {
    const { client } = clientFor(fake, { apiKeySid: FAKE_API_KEY_SID, apiKeySecret: FAKE_API_KEY_SECRET });
    await client.sendMessage({ to: '+15551230000', from: '+15559870000', body: 'x' });
    expect(fake.requests[0]?.auth).toEqual({ kind: 'api-key', sid: FAKE_API_KEY_SID });
    expect(fake.requests[0]?.path).toContain(`/Accounts/${fake.accountSid}/`);
  });

  test('rejects incomplete or malformed credentials at construction', () => {
    const base = { baseUrl: fake.baseUrl, accountSid: fake.accountSid };
    expect(() => createTwilioClient({ ...base })).toThrow(TwilioInputError);
    expect(() => createTwilioClient({ ...base, apiKeySid: FAKE_API_KEY_SID })).toThrow(/together/);
    expect(() => createTwilioClient({ ...base, apiKeySid: 'AK1', apiKeySecret: 's' })).toThrow(/apiKeySid/);
    expect(() => createTwilioClient({ ...base, accountSid: 'SK123', authToken: 't' })).toThrow(/accountSid/);
    expect(() => createTwilioClient({ ...base, authToken: 't', baseUrl: 'ftp://x' })).toThrow(/http/);
  });
});

describe('attempt hooks', () => {
  test('onAttempt and beforeSend run right before each HTTP attempt', async () => {
    const seen: string[] = [];
    const { client } = clientFor(fake, {
      onAttempt: (info) => {
        seen.push(`onAttempt ${info.operation} #${info.attempt} (requests so far: ${fake.requests.length})`);
      },
    });
    fake.inject({ kind: 'status', status: 429 });
    await client.createCall(
      { to: '+15551230000', from: '+15559870000', url: 'https://switchboard.example/v' },
      {
        beforeSend: async (info: AttemptInfo) => {
          seen.push(`beforeSend ${info.method} #${info.attempt} (requests so far: ${fake.requests.length})`);
        },
      },
    );
    expect(seen).toEqual([
      'onAttempt createCall #1 (requests so far: 0)',
      'beforeSend POST #1 (requests so far: 0)',
      'onAttempt createCall #2 (requests so far: 1)',
      'beforeSend POST #2 (requests so far: 1)',
    ]);
  });

  test('a throwing beforeSend stops the request before it is sent', async () => {
    const { client } = clientFor(fake);
    const failure = new Error('outbox row is gone');
    const error = await rejectionOf(
      client.sendMessage({ to: '+15551230000', from: '+15559870000', body: 'x' }, { beforeSend: () => Promise.reject(failure) }),
    );
    expect(error).toBe(failure);
    expect(fake.requests).toHaveLength(0);
  });
});
