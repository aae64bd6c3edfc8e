import { createHmac } from 'node:crypto';
import { safeEqual } from './safe-equal';
import { urlPortVariants } from './url-port-variants';

/** Decoded form parameters: ordered pairs, or a parsed body where repeated keys are arrays. */
export type SignatureParams =
  | ReadonlyArray<readonly [string, string]>
  | Readonly<Record<string, string | readonly string[]>>;

/** Default JS sort (UTF-16 code units), which is what Twilio's libraries use. */
function byCodeUnit(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The string Twilio signs: the URL exactly as given, then every parameter
 * name+value with no separators, names sorted, and for a repeated name each
 * distinct value once, sorted (twilio-node and twilio-python both de-duplicate).
 */
export function signaturePayload(url: string, params: SignatureParams): string {
  return url + paramsPayload(params);
}

function paramsPayload(params: SignatureParams): string {
  return Array.isArray(params)
    ? pairsPayload(params as ReadonlyArray<readonly [string, string]>)
    : recordPayload(params as Readonly<Record<string, string | readonly string[]>>);
}

function pairsPayload(params: ReadonlyArray<readonly [string, string]>): string {
  // One sort by name then value; a repeated name with the same value counts once.
  const pairs = [...params].sort((a, b) => byCodeUnit(a[0], b[0]) || byCodeUnit(a[1], b[1]));
  let data = '';
  let previous: readonly [string, string] | undefined;
  for (const pair of pairs) {
    if (previous === undefined || pair[0] !== previous[0] || pair[1] !== previous[1]) data += pair[0] + pair[1];
    previous = pair;
  }
  return data;
}

/**
 * The same from a parsed form, as every webhook has, without building pairs: a record's names
 * are unique already, so only a repeated name's values need sorting.
 */
function recordPayload(record: Readonly<Record<string, string | readonly string[]>>): string {
  let data = '';
  // The default sort compares UTF-16 code units, as byCodeUnit does.
  for (const name of Object.keys(record).sort()) {
    const value = record[name] as string | readonly string[];
    if (typeof value === 'string') {
      data += name + value;
      continue;
    }
    let previous: string | undefined;
    for (const item of [...value].sort()) {
      if (item !== previous) data += name + item;
      previous = item;
    }
  }
  return data;
}

/** base64 HMAC-SHA1 of {@link signaturePayload}, keyed by the auth token. */
export function computeTwilioSignature(authToken: string, url: string, params: SignatureParams): string {
  return createHmac('sha1', authToken).update(signaturePayload(url, params), 'utf8').digest('base64');
}

export interface SignatureCheck {
  authToken: string;
  /** The X-Twilio-Signature header value; empty or missing never validates. */
  signature: string | undefined;
  /** The full public URL Twilio requested, as received (not re-encoded). */
  url: string;
  /** Form parameters; pass none for GET requests and JSON (bodySHA256) requests. */
  params?: SignatureParams;
}

/**
 * True when the signature matches the URL as received or with the scheme's
 * default port added/removed (the two forms Twilio's libraries accept). The
 * parameters are serialised once; the second spelling is tried only when the
 * first fails (which spelling matched is no secret).
 */
export function validateTwilioSignature({ authToken, signature, url, params = [] }: SignatureCheck): boolean {
  if (!signature || !authToken) return false;
  const tail = paramsPayload(params);
  const matches = (candidate: string) =>
    safeEqual(createHmac('sha1', authToken).update(candidate + tail, 'utf8').digest('base64'), signature);
  // The URL as received matches nearly always; the other port spelling is built only if not.
  if (matches(url)) return true;
  return urlPortVariants(url).some((candidate) => candidate !== url && matches(candidate));
}
