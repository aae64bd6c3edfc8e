/** A parsed form: each value a string, or an array of strings for a repeated name. */
export type FlatForm = Readonly<Record<string, string | readonly string[]>>;

const NO_FORM: FlatForm = Object.freeze(Object.create(null) as FlatForm);

const isString = (item: unknown): item is string => typeof item === 'string';

/**
 * The parsed form body itself (`express.urlencoded({ extended: false })` and the webhook reader
 * give repeated keys as arrays), checked to be a flat string form before it is signed. Signing
 * what the handlers will read, rather than re-parsing the raw bytes, means a parser quirk can
 * only cause a rejection, never let unsigned values through. Undefined for anything else (nested
 * objects, numbers from a JSON body), which is never signed; no body is an empty form.
 */
export function flatForm(body: unknown): FlatForm | undefined {
  if (body === undefined || body === null) return NO_FORM;
  if (typeof body !== 'object' || Array.isArray(body)) return undefined;
  const form = body as Record<string, unknown>;
  for (const name of Object.keys(form)) {
    const value = form[name];
    if (typeof value !== 'string' && !(Array.isArray(value) && value.every(isString))) return undefined;
  }
  return form as FlatForm;
}
