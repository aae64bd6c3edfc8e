import { SaxesParser } from 'saxes';
import { invalidValue } from './errors';

/** Twilio refuses inline TwiML longer than this. */
export const MAX_TWIML_LENGTH = 4000;

/**
 * Checks raw TwiML is a well-formed XML document whose root is `<Response>`. Strict XML
 * (saxes): unclosed tags, undefined entities and duplicate attributes are refused. DTDs are
 * refused too: Twilio does not need them and they are the vector of entity expansion attacks.
 */
export function checkTwiml(field: string, xml: string): void {
  if (xml.length > MAX_TWIML_LENGTH) throw invalidValue(field, `Expected \`${field}\` to be at most ${MAX_TWIML_LENGTH} characters`, xml);
  const parser = new SaxesParser({ xmlns: false });
  let root: string | undefined;
  let problem: string | undefined;
  parser.on('error', (err) => {
    problem ??= err.message;
  });
  parser.on('doctype', () => {
    problem ??= 'a DOCTYPE is not allowed';
  });
  parser.on('opentag', (tag) => {
    root ??= tag.name;
  });
  try {
    parser.write(xml).close();
  } catch (err) {
    problem ??= (err as Error).message;
  }
  if (problem !== undefined) throw invalidValue(field, `Expected \`${field}\` to be well-formed XML: ${problem}`, xml);
  if (root !== 'Response') throw invalidValue(field, `Expected \`${field}\` to have <Response> as its root element`, xml);
}
