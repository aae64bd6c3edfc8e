import * as util from 'node:util';
import { createTwilioClient, TwilioApiError, TwilioError } from '../../src/twilio';
import { FAKE_ACCOUNT_SID, FAKE_API_KEY_SID, startFakeTwilio, type FakeTwilio } from '../support/fake-twilio';
import { clientFor, closedPort, rejectionOf } from '../support/twilio-client-harness';

const WRONG_TOKEN = 'wrong-token-7f3a9c2e51d84b06';
const KEY_SECRET = 'key-secret-0d9e8f7a6b5c4d3e';

let fake: FakeTwilio;
beforeAll(async () => {
  fake = await startFakeTwilio();
});
afterAll(() => fake.close());
beforeEach(() => fake.reset());

describe('TwilioApiError', () => {
  test('carries status, code, message and moreInfo from Twilio’s error JSON', async () => {
    const { client } = clientFor(fake);
    const error = await rejectionOf(client.sendMessage({ to: '', from: '+15559870000', body: 'x' }));
    expect(error).toBeInstanceOf(TwilioApiError);
    expect(error).toBeInstanceOf(TwilioError);
    const apiError = error as TwilioApiError;
    expect(apiError.status).toBe(400);
    expect(apiError.code).toBe(21604);
    expect(apiError.message).toMatch(/'To' phone number is required/);
    expect(apiError.moreInfo).toBe('https://www.twilio.com/docs/errors/21604');
    expect(apiError.outcome).toBe('rejected');
    expect(apiError.operation).toBe('sendMessage');
    expect(apiError.method).toBe('POST');
    expect(apiError.path).toBe(`/2010-04-01/Accounts/${fake.accountSid}/Messages.json`);
    expect(apiError.name).toBe('TwilioApiError');
  });

  test('a 4xx is never retried', async () => {
    const { client, sleeps } = clientFor(fake);
    await rejectionOf(client.createCall({ to: '+15551230000', from: '', url: 'https://switchboard.example/v' }));
    expect(fake.requests).toHaveLength(1);
    expect(fake.requests[0]?.errorCode).toBe(21213);
    expect(sleeps).toEqual([]);
  });

  test('wrong credentials give 401 with code 20003', async () => {
    const { client } = clientFor({ ...fake, authToken: WRONG_TOKEN });
    const error = await rejectionOf(client.fetchCall(`CA${'1'.repeat(32)}`));
    expect(error).toMatchObject({ name: 'TwilioApiError', status: 401, code: 20003 });
    expect(fake.requests[0]?.auth).toEqual({ kind: 'invalid', username: FAKE_ACCOUNT_SID });
  });

  test('an HTML error page gives a TwilioApiError with code null on GET', async () => {
    const { client } = clientFor(fake, { maxRetries: 0 });
    fake.inject({ kind: 'html', status: 404 });
    const error = await rejectionOf(client.fetchCall(`CA${'1'.repeat(32)}`));
    expect(error).toMatchObject({ name: 'TwilioApiError', status: 404, code: null, moreInfo: null });
    expect((error as Error).message).toContain('non-JSON');
  });
});

describe('secrets never appear in errors', () => {
  function secretsOf(username: string, password: string): string[] {
    return [password, Buffer.from(`${username}:${password}`).toString('base64'), 'Basic '];
  }

  function expectClean(error: unknown, secrets: string[]): void {
    const renderings = [
      JSON.stringify(error),
      (error as Error).message,
      String(error),
      (error as Error).stack ?? '',
      util.inspect(error, { depth: 10, showHidden: true }),
    ];
    for (const text of renderings) {
      for (const secret of secrets) expect(text).not.toContain(secret);
    }
  }

  test('on a 401 with a wrong auth token', async () => {
    const { client } = clientFor({ ...fake, authToken: WRONG_TOKEN });
    const error = await rejectionOf(client.createCall({ to: '+15551230000', from: '+15559870000', url: 'https://switchboard.example/v' }));
    expect(error).toBeInstanceOf(TwilioApiError);
    expectClean(error, secretsOf(FAKE_ACCOUNT_SID, WRONG_TOKEN));
  });

  test('on unknown outcomes, timeouts and connection failures, with token or API key', async () => {
    const tokenClient = clientFor({ ...fake, authToken: WRONG_TOKEN }, { timeoutMs: 150 }).client;
    const keyClient = clientFor(fake, { apiKeySid: FAKE_API_KEY_SID, apiKeySecret: KEY_SECRET, timeoutMs: 150 }).client;
    const refused = clientFor({ ...fake, baseUrl: `http://127.0.0.1:${await closedPort()}`, authToken: WRONG_TOKEN }, { maxRetries: 0 }).client;
    const sms = { to: '+15551230000', from: '+15559870000', body: 'x' };

    fake.inject({ kind: 'status', status: 500, times: 2 });
    fake.inject({ kind: 'hang', times: 2 });
    const errors = [
      await rejectionOf(tokenClient.sendMessage(sms)),
      await rejectionOf(keyClient.sendMessage(sms)),
      await rejectionOf(tokenClient.sendMessage(sms)),
      await rejectionOf(keyClient.sendMessage(sms)),
      await rejectionOf(refused.sendMessage(sms)),
    ];
    expect(errors.map((e) => (e as Error).name)).toEqual([
      'TwilioUnknownOutcomeError',
      'TwilioUnknownOutcomeError',
      'TwilioUnknownOutcomeError',
      'TwilioUnknownOutcomeError',
      'TwilioConnectionError',
    ]);
    for (const error of errors) {
      expectClean(error, [...secretsOf(FAKE_ACCOUNT_SID, WRONG_TOKEN), ...secretsOf(FAKE_API_KEY_SID, KEY_SECRET)]);
    }
  });

  test('on bad options, and the client object itself holds nothing printable', () => {
    const token = 'token-that-must-not-leak-1234';
    const attempt = () =>
      createTwilioClient({ accountSid: FAKE_ACCOUNT_SID, authToken: token, baseUrl: `https://user:${token}@api.example` });
    expect(attempt).toThrow(/must not contain credentials/);
    try {
      attempt();
    } catch (error) {
      expectClean(error, [token]);
    }
    const client = createTwilioClient({ accountSid: FAKE_ACCOUNT_SID, authToken: token });
    expect(JSON.stringify(client)).not.toContain(token);
    expect(util.inspect(client, { showHidden: true, depth: 10 })).not.toContain(token);
  });
});
