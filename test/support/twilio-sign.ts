import { createHmac } from 'node:crypto';

/** HMAC-SHA1/base64 over an exact string: the primitive, written out independently of src/. */
export function hmacBase64(token: string, data: string): string {
  return createHmac('sha1', token).update(Buffer.from(data, 'utf8')).digest('base64');
}

/**
 * A second, deliberately naive implementation of Twilio's signing rule for the
 * middleware tests: URL, then names sorted, each distinct value sorted.
 */
export function twilioSign(token: string, url: string, pairs: Array<[string, string]> = []): string {
  // A Map, not an object: a parameter named `constructor` or `__proto__` must be a plain name.
  const byName = new Map<string, string[]>();
  for (const [name, value] of pairs) {
    const values = byName.get(name) ?? [];
    byName.set(name, values);
    if (!values.includes(value)) values.push(value);
  }
  let data = url;
  for (const name of [...byName.keys()].sort()) {
    for (const value of (byName.get(name) ?? []).sort()) data += name + value;
  }
  return hmacBase64(token, data);
}

/** `application/x-www-form-urlencoded` body, repeated keys kept in order. */
export function formBody(pairs: Array<[string, string]>): string {
  return pairs.map(([name, value]) => `${encodeURIComponent(name)}=${encodeURIComponent(value)}`).join('&');
}
