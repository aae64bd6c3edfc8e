import { timingSafeEqual } from 'node:crypto';

/**
 * Constant-time string comparison. timingSafeEqual throws on unequal lengths,
 * so that case returns false up front; the lengths of the values compared here
 * (a base64 HMAC-SHA1, a hex SHA-256) are public anyway.
 */
export function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  if (left.length !== right.length) return false;
  return timingSafeEqual(left, right);
}
