import { identify } from '../../src/sandbox/auth';
import { sandboxCredentials } from '../../src/sandbox/credentials';

const ACCOUNT_SID = `AC${'a'.repeat(32)}`;
const KEY_SID = `SK${'b'.repeat(32)}`;
const basic = (user: string, pass: string) => `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;

describe('sandboxCredentials', () => {
  test('account SID and auth token, with an optional API key', () => {
    expect(sandboxCredentials({ TWILIO_ACCOUNT_SID: ACCOUNT_SID, TWILIO_AUTH_TOKEN: ' token ' })).toEqual({
      ok: true,
      credentials: { accountSid: ACCOUNT_SID, authToken: 'token', apiKeys: [] },
    });
    expect(sandboxCredentials({ TWILIO_ACCOUNT_SID: ACCOUNT_SID, TWILIO_AUTH_TOKEN: 't', TWILIO_API_KEY_SID: KEY_SID, TWILIO_API_KEY_SECRET: 's' })).toEqual({
      ok: true,
      credentials: { accountSid: ACCOUNT_SID, authToken: 't', apiKeys: [{ sid: KEY_SID, secret: 's' }] },
    });
  });

  test('an API key alone will do, as for the server: nothing is signed then', () => {
    expect(sandboxCredentials({ TWILIO_ACCOUNT_SID: ACCOUNT_SID, TWILIO_API_KEY_SID: KEY_SID, TWILIO_API_KEY_SECRET: 's' })).toEqual({
      ok: true,
      credentials: { accountSid: ACCOUNT_SID, authToken: undefined, apiKeys: [{ sid: KEY_SID, secret: 's' }] },
    });
  });

  test.each([
    [{}, /^the sandbox needs TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN \(in the environment or \.env\)/],
    [{ TWILIO_ACCOUNT_SID: ACCOUNT_SID }, /^the sandbox needs TWILIO_AUTH_TOKEN \(/],
    [{ TWILIO_AUTH_TOKEN: 't' }, /^the sandbox needs TWILIO_ACCOUNT_SID \(/],
    [{ TWILIO_ACCOUNT_SID: 'SKx', TWILIO_AUTH_TOKEN: 't' }, /^TWILIO_ACCOUNT_SID must be AC followed by 32 hexadecimal characters \(got "SKx"\)$/],
    [{ TWILIO_ACCOUNT_SID: ACCOUNT_SID, TWILIO_API_KEY_SID: KEY_SID }, /^TWILIO_API_KEY_SID and TWILIO_API_KEY_SECRET must be set together$/],
    [{ TWILIO_ACCOUNT_SID: ACCOUNT_SID, TWILIO_API_KEY_SID: 'SK1', TWILIO_API_KEY_SECRET: 's' }, /^TWILIO_API_KEY_SID must be SK followed/],
  ])('%j is refused with one line', (env, problem) => {
    const result = sandboxCredentials(env);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.problem).toMatch(problem);
      expect(result.problem).not.toContain('\n');
    }
  });
});

describe('identify', () => {
  const credentials = { accountSid: ACCOUNT_SID, authToken: 'right', apiKeys: [{ sid: KEY_SID, secret: 'key-secret' }] };
  test.each([
    [undefined, { kind: 'missing' }],
    ['Bearer x', { kind: 'invalid', username: null }],
    [basic(ACCOUNT_SID, 'right'), { kind: 'account', sid: ACCOUNT_SID }],
    [basic(ACCOUNT_SID, 'wrong'), { kind: 'invalid', username: ACCOUNT_SID }],
    [basic(KEY_SID, 'key-secret'), { kind: 'api-key', sid: KEY_SID }],
    [basic(KEY_SID, 'right'), { kind: 'invalid', username: KEY_SID }],
  ])('%s → %j', (header, identity) => {
    expect(identify(header, credentials)).toEqual(identity);
  });

  test('without an auth token no password opens the account, not even an empty one', () => {
    expect(identify(basic(ACCOUNT_SID, ''), { ...credentials, authToken: undefined })).toEqual({ kind: 'invalid', username: ACCOUNT_SID });
  });
});
