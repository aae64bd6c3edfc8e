// The credentials the sandbox accepts: those Switchboard will send, read from the same
// variables (environment or .env). The auth token also signs every request to the app; with
// only an API key (as the server allows) nothing is signed, and the server, without a token,
// checks no signature either.
import type { Env } from '../config';
import type { SandboxCredentials } from './auth';

export type CredentialsResult = { ok: true; credentials: SandboxCredentials } | { ok: false; problem: string };

const ACCOUNT_SID = /^AC[0-9a-fA-F]{32}$/;
const API_KEY_SID = /^SK[0-9a-fA-F]{32}$/;

export function sandboxCredentials(env: Env): CredentialsResult {
  const read = (name: string): string | undefined => {
    const value = env[name]?.trim();
    return value === undefined || value === '' ? undefined : value;
  };
  const accountSid = read('TWILIO_ACCOUNT_SID');
  const authToken = read('TWILIO_AUTH_TOKEN');
  const keySid = read('TWILIO_API_KEY_SID');
  const keySecret = read('TWILIO_API_KEY_SECRET');
  const missing = [accountSid === undefined && 'TWILIO_ACCOUNT_SID', authToken === undefined && keySid === undefined && 'TWILIO_AUTH_TOKEN'].filter(
    (name): name is string => name !== false,
  );
  if (accountSid === undefined || missing.length > 0) {
    return {
      ok: false,
      problem:
        `the sandbox needs ${missing.join(' and ')} (in the environment or .env), the same ones the server uses: ` +
        'any AC followed by 32 hex digits and any token will do, e.g. TWILIO_ACCOUNT_SID=AC' + '0'.repeat(32) + ' TWILIO_AUTH_TOKEN=sandbox-token',
    };
  }
  if (!ACCOUNT_SID.test(accountSid)) {
    return { ok: false, problem: `TWILIO_ACCOUNT_SID must be AC followed by 32 hexadecimal characters (got "${accountSid}")` };
  }
  if ((keySid === undefined) !== (keySecret === undefined)) {
    return { ok: false, problem: 'TWILIO_API_KEY_SID and TWILIO_API_KEY_SECRET must be set together' };
  }
  if (keySid !== undefined && !API_KEY_SID.test(keySid)) {
    return { ok: false, problem: `TWILIO_API_KEY_SID must be SK followed by 32 hexadecimal characters (got "${keySid}")` };
  }
  const apiKeys = keySid !== undefined && keySecret !== undefined ? [{ sid: keySid, secret: keySecret }] : [];
  return { ok: true, credentials: { accountSid, authToken, apiKeys } };
}
