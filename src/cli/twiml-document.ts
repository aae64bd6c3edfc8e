import { create } from 'xmlbuilder2';

/** One element of a TwiML document, stripped to what a caller's phone acts on. */
export interface TwimlElement {
  readonly name: string;
  readonly attributes: Readonly<Record<string, string>>;
  readonly children: readonly TwimlElement[];
  /** All text inside, entities decoded, SSML tags dropped, whitespace collapsed. */
  readonly text: string;
  /** Only the element's own text nodes (a `<Message>`'s body without its `<Media>` URLs). */
  readonly ownText: string;
}

export class TwimlParseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TwimlParseError';
  }
}

/** The DOM subset we read; xmlbuilder2's own node type is not exported from its main entry. */
interface DomNode {
  readonly nodeType: number;
  readonly nodeName: string;
  readonly textContent: string | null;
  readonly childNodes: ArrayLike<DomNode>;
  readonly attributes?: ArrayLike<{ readonly name: string; readonly value: string }>;
}

const ELEMENT_NODE = 1;
const TEXT_NODE = 3;
const CDATA_NODE = 4;
/** Deeper than any real TwiML (Response > Dial > Sip > Headers > Header); stops hostile nesting. */
const MAX_DEPTH = 32;

/** Parses a TwiML response; the root must be `<Response>`. */
export function parseTwiml(xml: string): TwimlElement {
  if (xml.trim() === '') throw new TwimlParseError('the response body is empty, not TwiML');
  let root: DomNode;
  try {
    root = create(xml).root().node as unknown as DomNode;
  } catch (err) {
    throw new TwimlParseError(`the response is not XML: ${(err as Error).message}`);
  }
  if (root.nodeName !== 'Response') {
    throw new TwimlParseError(`the document's root is <${root.nodeName || '?'}>, not <Response>`);
  }
  return toElement(root, 0);
}

function toElement(node: DomNode, depth: number): TwimlElement {
  if (depth > MAX_DEPTH) throw new TwimlParseError(`elements nested deeper than ${MAX_DEPTH} levels`);
  const attributes: Record<string, string> = {};
  for (const attribute of Array.from(node.attributes ?? [])) attributes[attribute.name] = attribute.value;
  const children: TwimlElement[] = [];
  let ownText = '';
  for (const child of Array.from(node.childNodes)) {
    if (child.nodeType === ELEMENT_NODE) children.push(toElement(child, depth + 1));
    else if (child.nodeType === TEXT_NODE || child.nodeType === CDATA_NODE) ownText += child.textContent ?? '';
  }
  return { name: node.nodeName, attributes, children, text: collapse(node.textContent ?? ''), ownText: collapse(ownText) };
}

function collapse(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
