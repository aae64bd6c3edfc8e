import { createHmac } from 'node:crypto';
import { safeEqual } from '../security';

/** A dashboard login lasts this long; then the key must be given again. */
export const SESSION_MS = 12 * 3_600_000;
export const SESSION_COOKIE = 'switchboard_session';

/**
 * Sessions are stateless: the cookie holds an expiry and an HMAC over it, under a key derived
 * from API_KEY. Changing API_KEY therefore ends every session, and no table is needed.
 */
export class SessionSigner {
  private readonly key: Buffer;
  private readonly keyDigest: Buffer;

  constructor(apiKey: string) {
    this.key = createHmac('sha256', apiKey).update('switchboard dashboard session v1').digest();
    this.keyDigest = this.digest(apiKey);
  }

  issue(now: Date): string {
    const expires = String(now.getTime() + SESSION_MS);
    return `${expires}.${this.mac(expires)}`;
  }

  verify(token: string | undefined, now: Date): boolean {
    const match = /^(\d{1,15})\.([A-Za-z0-9_-]{43})$/.exec(token ?? '');
    if (!match) return false;
    const [, expires, mac] = match as unknown as [string, string, string];
    return safeEqual(mac, this.mac(expires)) && Number(expires) > now.getTime();
  }

  /** Constant time whatever the length of the guess: both sides are hashed to 32 bytes first. */
  isApiKey(candidate: string): boolean {
    return safeEqual(this.digest(candidate).toString('base64'), this.keyDigest.toString('base64'));
  }

  private mac(expires: string): string {
    return createHmac('sha256', this.key).update(`session:${expires}`).digest('base64url');
  }

  private digest(value: string): Buffer {
    return createHmac('sha256', this.key).update(`key:${value}`).digest();
  }
}

/** The value of one cookie from a `Cookie` header (no cookie-parser dependency for one name). */
export function readCookie(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/** The password of `Authorization: Basic …` (any user name), or undefined. */
export function basicPassword(header: string | undefined): string | undefined {
  const match = /^Basic +([A-Za-z0-9+/=]+) *$/i.exec(header ?? '');
  if (!match) return undefined;
  const decoded = Buffer.from(match[1] as string, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon < 0 ? undefined : decoded.slice(colon + 1);
}
