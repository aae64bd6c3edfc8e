import { SaxesParser } from 'saxes';
import { HttpError } from '../http/errors';
import type { TwimletRequest } from './request';

/**
 * `/echo`: answers the `Twiml` parameter verbatim, like the original, but only when it is a
 * well-formed XML document whose root is `<Response>`; the caller gets a 400 otherwise.
 */
export function echoTwimlet({ get }: TwimletRequest): string {
  const twiml = get.str('Twiml');
  const problem = twimlProblem(twiml);
  if (problem !== undefined) throw new HttpError(400, `Twiml ${problem}`, 'Twiml');
  return twiml;
}

/** Why the text is not a TwiML document, or undefined when it is one. A strict parse: saxes enforces well-formedness. */
export function twimlProblem(text: string): string | undefined {
  if (text.trim() === '') return 'is required: pass a TwiML document such as <Response><Say>Hi</Say></Response>';
  const parser = new SaxesParser({ xmlns: false });
  let root: string | undefined;
  let error: string | undefined;
  parser.on('opentag', (tag) => {
    root ??= tag.name;
  });
  parser.on('error', (err) => {
    error ??= err.message;
  });
  try {
    parser.write(text).close();
  } catch (err) {
    error ??= err instanceof Error ? err.message : String(err);
  }
  if (error !== undefined) return `is not well-formed XML (${error.split('\n')[0]})`;
  if (root !== 'Response') return `must have <Response> as its root element (got <${root ?? ''}>)`;
  return undefined;
}
