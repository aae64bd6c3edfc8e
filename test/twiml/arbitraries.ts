import fc from 'fast-check';
import type { Op } from './helpers';

// Characters that stress the serializer: markup, quotes, whitespace, entity look-alikes, non-ASCII, emoji.
const TRICKY = ['&', '<', '>', '"', "'", '\r', '\n', '\t', '\r\n', ']]>', '&amp;', '&#xD;', '&#13;', '&#9;', '</Say><Dial>', '-',
  ' ', '\u0085', '\u007f', '\u00a0', '\u200b', '\u2028', 'é', '日本語', '😀', '👩‍👩‍👧'];

const XML_CHAR = /^[\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]*$/u;
export const isXmlText = (s: string): boolean => XML_CHAR.test(s);

const codePoint = fc.integer({ min: 0, max: 0x10ffff }).map((cp) => String.fromCodePoint(cp));
const validChar = fc.oneof(
  fc.constantFrom(...TRICKY),
  fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 1 }),
  codePoint.filter(isXmlText),
);
/** Any string XML 1.0 can carry. */
export const xmlText = fc.array(validChar, { maxLength: 10 }).map((parts) => parts.join(''));

const badChar = fc.oneof(
  fc.integer({ min: 0, max: 0x1f }).filter((c) => c !== 9 && c !== 10 && c !== 13),
  fc.integer({ min: 0xd800, max: 0xdfff }),
  fc.constantFrom(0xfffe, 0xffff),
).map((c) => String.fromCharCode(c));
/** Strings that usually contain a character XML 1.0 forbids (control characters, lone surrogates). */
export const hostileText = fc.array(fc.oneof(validChar, badChar), { maxLength: 8 }).map((parts) => parts.join(''));

const number = fc.oneof(fc.integer(), fc.double(), fc.constantFrom(0, -0, 1.5, 0.1 + 0.2));

function ops(text: fc.Arbitrary<string>, attributeText: fc.Arbitrary<string> = text): fc.Arbitrary<Op[]> {
  const child = fc.record({
    kind: fc.constant('child' as const),
    pick: fc.nat(),
    attrMask: fc.nat(),
    strs: fc.array(attributeText, { minLength: 1, maxLength: 3 }),
    nums: fc.array(number, { minLength: 1, maxLength: 3 }),
    bools: fc.array(fc.boolean(), { minLength: 1, maxLength: 2 }),
    text: fc.option(text),
  });
  const op: fc.Arbitrary<Op> = fc.oneof(
    { arbitrary: child, weight: 5 },
    { arbitrary: fc.constant({ kind: 'up' as const }), weight: 2 },
    { arbitrary: fc.record({ kind: fc.constant('text' as const), text }), weight: 1 },
    { arbitrary: fc.record({ kind: fc.constant('comment' as const), text }), weight: 1 },
  );
  return fc.array(op, { maxLength: 30 });
}

/** Random valid documents, as builder operations. */
export const validOps = ops(xmlText);
/**
 * The same without `>` in attribute values: the one place where our output (xmlbuilder2 writes `&gt;`) and
 * twilio-node's (a raw `>`) differ in bytes but not in meaning. Used for byte parity; xmlbuilder2.test.ts covers `>`.
 */
export const parityOps = ops(xmlText, xmlText.map((s) => s.replace(/>/g, '')));
/** Random documents whose values may contain forbidden characters. */
export const hostileOps = ops(hostileText);
