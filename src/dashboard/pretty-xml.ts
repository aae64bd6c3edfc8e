import { create } from 'xmlbuilder2';

/** TwiML indented one element a line, for reading on a page; the server sends it unindented. */
export function prettyXml(xml: string): string {
  return create(xml).end({ prettyPrint: true, indent: '  ' });
}
