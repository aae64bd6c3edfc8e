import { randomBytes } from 'node:crypto';

/** A Twilio-shaped SID: two-letter prefix and 32 hex digits. Simulated, so random. */
export function fakeSid(prefix: 'CA' | 'SM' | 'RE' | 'AC'): string {
  return prefix + randomBytes(16).toString('hex');
}

export function isSid(value: string, prefix: string): boolean {
  return new RegExp(`^${prefix}[0-9a-fA-F]{32}$`).test(value);
}
