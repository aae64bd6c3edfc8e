// Workarounds for xmlbuilder2 4.x's writer, so that what it writes parses back to exactly the value given and
// matches twilio-node byte for byte (TWIML.md §7).
//
// Why: its text and attribute escaping (lib/writers/BaseWriter.js) replaces `&` with the regex
// /&(?![A-Za-z]+;|#\d+;)/g, i.e. it leaves anything that already looks like an entity or a *decimal* character
// reference alone. A value `a&amp;b` would be written as `a&amp;b` and read back as `a&b`: silent corruption.
// It also writes CR, and TAB/LF in attribute values, raw, which a parser normalises away (CR to LF, TAB/LF
// in attributes to spaces), where twilio-node writes `&#xD;`, `&#x9;`, `&#xA;`.
//
// So before a value reaches xmlbuilder2 we escape every `&` ourselves (its regex then leaves our `&amp;` as
// it is) and encode those characters as references. The references must be *decimal* (`&#13;`): the regex
// does not recognise hex ones and would turn `&#xD;` into `&amp;#xD;`. `restoreHexReferences` then rewrites
// them in the finished document to twilio-node's hex spelling. `<`, `>` and `"` are left to xmlbuilder2.
//
// If a future xmlbuilder2 escapes every `&`, our `&amp;` would come out as `&amp;amp;`; the golden, parity and
// round-trip tests (and test/twiml/xmlbuilder2.test.ts, which pins the behaviour relied on here) catch that.

const TEXT_SPECIAL = /[&\r]/g;
const TEXT_REF: { readonly [char: string]: string } = { '&': '&amp;', '\r': '&#13;' };
const ATTR_SPECIAL = /[&\t\n\r]/g;
const ATTR_REF: { readonly [char: string]: string } = { '&': '&amp;', '\t': '&#9;', '\n': '&#10;', '\r': '&#13;' };

/** A text value prepared for xmlbuilder2's text escaping. */
export function preEscapeText(text: string): string {
  TEXT_SPECIAL.lastIndex = 0;
  return TEXT_SPECIAL.test(text) ? text.replace(TEXT_SPECIAL, (c) => TEXT_REF[c]!) : text;
}

/** An attribute value prepared for xmlbuilder2's attribute escaping. */
export function preEscapeAttribute(value: string): string {
  ATTR_SPECIAL.lastIndex = 0;
  return ATTR_SPECIAL.test(value) ? value.replace(ATTR_SPECIAL, (c) => ATTR_REF[c]!) : value;
}

// After pre-escaping, every `&` from user data is followed by `amp;`, so outside comments each `&#9;`,
// `&#10;`, `&#13;` in the output is one of ours. Comments are written unescaped, so they are skipped: `<` is
// always escaped elsewhere, so `<!--` starts a real comment, and its text has no `--`, so the first `-->` ends it.
const DECIMAL_REF = /<!--[^]*?-->|&#(?:9|10|13);/g;
const HEX_REF: { readonly [ref: string]: string } = { '&#9;': '&#x9;', '&#10;': '&#xA;', '&#13;': '&#xD;' };

/** Rewrites our decimal references in a serialized document as twilio-node's `&#x9;`, `&#xA;`, `&#xD;`. */
export function restoreHexReferences(xml: string): string {
  // Fast path: no `&#` means neither references nor comments that contain them.
  if (!xml.includes('&#')) return xml;
  return xml.replace(DECIMAL_REF, (match) => HEX_REF[match] ?? match);
}
