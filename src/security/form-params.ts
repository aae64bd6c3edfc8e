/**
 * Flattens a parsed form body (`express.urlencoded({ extended: false })` gives
 * `Record<string, string | string[]>`, repeated keys as arrays) into name/value
 * pairs for signing. Signing what the handlers will read, rather than re-parsing
 * the raw bytes, means a parser quirk can only cause a rejection, never let
 * unsigned values through. Returns undefined for anything that is not a flat
 * string form (nested objects, numbers from a JSON body), which is never signed.
 */
export function formParams(body: unknown): Array<[string, string]> | undefined {
  if (body === undefined || body === null) return [];
  if (typeof body !== 'object' || Array.isArray(body)) return undefined;

  const pairs: Array<[string, string]> = [];
  const form = body as Record<string, unknown>;
  for (const name in form) {
    if (!Object.hasOwn(form, name)) continue;
    const value = form[name];
    if (typeof value === 'string') {
      pairs.push([name, value]);
    } else if (Array.isArray(value) && value.every((item): item is string => typeof item === 'string')) {
      for (const item of value) pairs.push([name, item]);
    } else {
      return undefined;
    }
  }
  return pairs;
}
