import { TwimlError } from './errors';

// Validation and conversion of user values, done when a value is added so a bad one throws at the call that
// supplied it. Escaping is not done here: it belongs to the serializer (see escape.ts and document.ts).

/** What an attribute may hold at runtime; `null`/`undefined` drop the attribute. */
export type AttributeValue = string | number | boolean | bigint | readonly (string | number | boolean)[];
export type GenericAttributes = { readonly [name: string]: AttributeValue | null | undefined };

// XML 1.0 Char production. With the `u` flag a lone surrogate is one code point in D800–DFFF, so it matches.
const INVALID_CHAR = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;
// Cheap pre-check without the `u` flag: also hits valid surrogate pairs (emoji), which then take the exact test.
const SUSPECT_CHAR = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD]/;

const INVALID_CHARS = new RegExp(INVALID_CHAR.source, 'gu');

/**
 * Caller-supplied text made safe for a TwiML value: characters XML 1.0 cannot carry (control
 * characters, lone surrogates) become U+FFFD. The builder refuses them, rightly, for values we
 * write; data from a request (a caller's SMS, a URL parameter) must not turn into a failed call.
 */
export function xmlSafe(text: string): string {
  return SUSPECT_CHAR.test(text) ? text.replace(INVALID_CHARS, '\uFFFD') : text;
}

// XML 1.0 (5th ed.) Name production; twilio-node accepts the same set (including ':' and '-').
const NAME_START = ':A-Z_a-z\\u00C0-\\u00D6\\u00D8-\\u00F6\\u00F8-\\u02FF\\u0370-\\u037D\\u037F-\\u1FFF' +
  '\\u200C-\\u200D\\u2070-\\u218F\\u2C00-\\u2FEF\\u3001-\\uD7FF\\uF900-\\uFDCF\\uFDF0-\\uFFFD\\u{10000}-\\u{EFFFF}';
const NAME = new RegExp(`^[${NAME_START}][${NAME_START}\\-.0-9\\u00B7\\u0300-\\u036F\\u203F-\\u2040]*$`, 'u');

// Names seen before skip the regex; bounded so attacker-chosen names cannot grow it forever.
const knownNames = new Set<string>();

export function checkName(name: string, element: string, attribute?: string): void {
  if (knownNames.has(name)) return;
  if (typeof name !== 'string' || !NAME.test(name)) {
    throw new TwimlError('INVALID_NAME', element, 'not a valid XML name', attribute);
  }
  if (knownNames.size < 1024) knownNames.add(name);
}

/**
 * Rejects characters XML 1.0 forbids. xmlbuilder2's writer would emit them raw (Twilio then fails the call
 * with error 12100); its `wellFormed` check would catch them only at `toString()`, without naming the element.
 */
export function checkChars(value: string, element: string, attribute?: string): void {
  if (!SUSPECT_CHAR.test(value)) return;
  const at = value.search(INVALID_CHAR);
  if (at === -1) return;
  const code = value.codePointAt(at)!.toString(16).toUpperCase().padStart(4, '0');
  const what = attribute === undefined ? 'text' : 'value';
  throw new TwimlError('INVALID_CHARACTER', element,
    `${what} contains U+${code} at index ${at}, which XML 1.0 does not allow`, attribute);
}

/** twilio-node's attribute conversion: arrays join with one space (holes/null → ''), the rest via String(). */
function attributeString(value: unknown): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.join(' ');
  return String(value);
}

/** Checked attributes as `[name, value, name, value, ...]` in insertion order; null/undefined are dropped. */
export function attributeList(tag: string, attributes: object | undefined): string[] {
  const out: string[] = [];
  if (attributes === undefined) return out;
  const record = attributes as { readonly [name: string]: unknown };
  for (const name of Object.keys(record)) {
    const raw = record[name];
    if (raw === undefined || raw === null) continue;
    checkName(name, tag, name);
    const value = attributeString(raw);
    checkChars(value, tag, name);
    out.push(name, value);
  }
  return out;
}

/** Checked text; '' means "no text node" (twilio-node then self-closes the element). */
export function textValue(text: unknown, element: string): string {
  if (text === undefined || text === null) return '';
  const value = typeof text === 'string' ? text : String(text);
  checkChars(value, element);
  return value;
}

/** Checked comment text, padded with the one space each side that twilio-node writes (`<!-- x -->`). */
export function commentValue(text: string): string {
  const value = String(text);
  checkChars(value, '#comment');
  // Comment text is written unescaped (as twilio-node does); '--' is the only sequence that could end it early.
  if (value.includes('--')) {
    throw new TwimlError('INVALID_COMMENT', '#comment', 'comment text cannot contain "--"');
  }
  return ' ' + value + ' ';
}
