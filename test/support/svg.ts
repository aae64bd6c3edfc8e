import { SaxesParser } from 'saxes';

export interface SvgElement {
  name: string;
  attributes: Record<string, string>;
  /** The element's text, entities decoded (for <text> and <title>). */
  text: string;
  /** Names of the enclosing elements, outermost first. */
  ancestors: string[];
}

/** Every element of an SVG (or XHTML-compatible) fragment, in document order; throws when not well-formed XML. */
export function svgElements(markup: string): SvgElement[] {
  const parser = new SaxesParser({ xmlns: false });
  const all: SvgElement[] = [];
  const open: SvgElement[] = [];
  parser.on('error', (err) => {
    throw err;
  });
  parser.on('opentag', (tag) => {
    const element = { name: tag.name, attributes: { ...(tag.attributes as Record<string, string>) }, text: '', ancestors: open.map((e) => e.name) };
    all.push(element);
    open.push(element);
  });
  parser.on('text', (text) => {
    for (const element of open) element.text += text;
  });
  parser.on('closetag', () => void open.pop());
  parser.write(markup.replace(/^<\?xml[^>]*\?>\s*/, '')).close();
  return all;
}

/** The SVG element inside an HTML page (the page itself is not XML). */
export function svgIn(page: string): string {
  const match = /<svg[\s\S]*?<\/svg>/.exec(page);
  if (match === null) throw new Error('no <svg> on the page');
  return match[0];
}
