import { isClientIdentity } from './identity';

/** Where a browser's outgoing call may go, decided before anything is dialled. */
export type DialTarget =
  | { kind: 'number'; number: string }
  | { kind: 'client'; identity: string }
  | { kind: 'refused'; reason: 'missing' | 'malformed' | 'not-allowed' | 'no-caller-id' };

const E164 = /^\+[1-9]\d{1,14}$/;
/** What people type between digits: spaces, dashes, dots and brackets. */
const SEPARATORS = /[\s().-]/g;

export interface DialPolicyOptions {
  /** Numbers that may be dialled (CLIENT_DIAL_PATTERN); none when undefined. */
  pattern: string | undefined;
  /** The caller ID for numbers; without it no number can be dialled. */
  callerId: string | undefined;
}

/**
 * The toll-fraud guard of the TwiML App: a leaked token must not be able to call premium or
 * far-away numbers, so only numbers matching the pattern are dialled, and every other kind of
 * address (SIP, short codes, letters) is refused.
 */
export function dialPolicy(options: DialPolicyOptions): (to: string | undefined) => DialTarget {
  const allowed = options.pattern === undefined ? undefined : new RegExp(options.pattern);
  return (to) => {
    const raw = to?.trim() ?? '';
    if (raw === '') return { kind: 'refused', reason: 'missing' };
    if (raw.startsWith('client:')) {
      const identity = raw.slice('client:'.length);
      return isClientIdentity(identity) ? { kind: 'client', identity } : { kind: 'refused', reason: 'malformed' };
    }
    const number = raw.replace(SEPARATORS, '');
    if (!E164.test(number)) return { kind: 'refused', reason: 'malformed' };
    if (allowed === undefined || !allowed.test(number)) return { kind: 'refused', reason: 'not-allowed' };
    if (options.callerId === undefined) return { kind: 'refused', reason: 'no-caller-id' };
    return { kind: 'number', number };
  };
}
