import { createHash } from 'node:crypto';
import { safeEqual } from './safe-equal';
import { validateTwilioSignature } from './twilio-signature';

/** Lowercase hex SHA-256 of the raw body, as Twilio puts it in `bodySHA256`. */
export function computeBodySha256(rawBody: string | Buffer): string {
  return createHash('sha256').update(rawBody).digest('hex');
}

/**
 * Constant-time check of a raw body against a `bodySHA256` value. Case-sensitive,
 * like twilio-node: Twilio sends lowercase hex.
 */
export function validateBodySha256(rawBody: string | Buffer, bodySha256: string | undefined): boolean {
  if (!bodySha256) return false;
  return safeEqual(computeBodySha256(rawBody), bodySha256);
}

/**
 * The `bodySHA256` query parameter of a URL, or undefined. Reads the query
 * without `new URL()` so relative URLs (`/hook?bodySHA256=…`) work too.
 */
export function bodySha256FromUrl(url: string): string | undefined {
  const queryStart = url.indexOf('?');
  // Checked before parsing the query: nearly every webhook has none, or one without the hash.
  if (queryStart === -1 || !url.includes('bodySHA256', queryStart)) return undefined;
  const queryEnd = url.indexOf('#', queryStart);
  const query = url.slice(queryStart + 1, queryEnd === -1 ? undefined : queryEnd);
  return new URLSearchParams(query).get('bodySHA256') ?? undefined;
}

export interface BodySignatureCheck {
  authToken: string;
  signature: string | undefined;
  /** The full public URL, including its `bodySHA256` query parameter. */
  url: string;
  /** The request body exactly as received; re-serialised JSON will not hash the same. */
  rawBody: string | Buffer;
}

/**
 * JSON-body webhooks: the HMAC covers only the URL, and the URL's `bodySHA256`
 * binds the body. Both must hold; a URL without `bodySHA256` never validates.
 */
export function validateTwilioBodySignature({ authToken, signature, url, rawBody }: BodySignatureCheck): boolean {
  const signatureOk = validateTwilioSignature({ authToken, signature, url });
  const bodyOk = validateBodySha256(rawBody, bodySha256FromUrl(url));
  return signatureOk && bodyOk;
}
