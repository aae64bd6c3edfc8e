/**
 * A Twilio Client identity: what a browser registers as and what `<Client>` rings. Twilio allows
 * up to 121 characters and advises against anything but plain characters; this keeps to letters,
 * digits and `_ . @ -`, so an identity is always safe in a URL, a log line and `client:<identity>`.
 */
export const CLIENT_IDENTITY = /^[\w.@-]{1,121}$/;

export function isClientIdentity(value: unknown): value is string {
  return typeof value === 'string' && CLIENT_IDENTITY.test(value);
}
