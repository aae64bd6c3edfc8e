import { safeEqual } from '../security/safe-equal';

/** An API key accepted as Basic credentials in place of the account's auth token. */
export interface ApiKeyCredential {
  sid: string;
  secret: string;
}

export interface SandboxCredentials {
  accountSid: string;
  /** Undefined when only an API key is configured: then nothing "Twilio" sends is signed. */
  authToken: string | undefined;
  apiKeys: readonly ApiKeyCredential[];
}

export type AuthIdentity =
  | { kind: 'account'; sid: string }
  | { kind: 'api-key'; sid: string }
  | { kind: 'missing' }
  | { kind: 'invalid'; username: string | null };

/** Who a Basic `Authorization` header names, checked as Twilio checks it. */
export function identify(header: string | undefined, credentials: SandboxCredentials): AuthIdentity {
  if (header === undefined) return { kind: 'missing' };
  const match = /^Basic ([A-Za-z0-9+/=]+)$/.exec(header);
  if (match?.[1] === undefined) return { kind: 'invalid', username: null };
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return { kind: 'invalid', username: null };
  const username = decoded.slice(0, colon);
  const password = decoded.slice(colon + 1);
  if (username === credentials.accountSid && credentials.authToken !== undefined && safeEqual(password, credentials.authToken)) return { kind: 'account', sid: username };
  if (credentials.apiKeys.some((key) => key.sid === username && safeEqual(password, key.secret))) return { kind: 'api-key', sid: username };
  return { kind: 'invalid', username };
}
