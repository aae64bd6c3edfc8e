import { type GenericAttributes, DECLARATION, checkName, openTag, textMarkup } from './serialize';

/** Anything that can render the whole document; every node keeps one so `toString()` works anywhere. */
export interface DocumentRoot {
  toString(): string;
}

/**
 * One element. Attributes and text are validated, escaped and rendered to markup when they are
 * added, so a bad value throws at the call that supplied it and `toString()` only concatenates.
 */
export class TwimlNode {
  /** @internal */ readonly _tag: string;
  /** @internal */ readonly _open: string;
  /** @internal Child nodes, or ready-made markup (escaped text, comments). */
  readonly _kids: (TwimlNode | string)[] = [];
  /** @internal */ readonly _doc: DocumentRoot;

  constructor(doc: DocumentRoot | null, tag: string, attributes?: object) {
    this._tag = tag;
    this._open = openTag(tag, attributes);
    this._doc = doc ?? this;
  }

  /** Appends text at the current position; adjacent text renders as one run (`Hi` + ` there`). */
  addText(text: string): this {
    const markup = textMarkup(text, this._tag);
    if (markup !== '') this._kids.push(markup);
    return this;
  }

  /** Escape hatch for elements the table does not know; the child only has the generic methods. */
  addChild(tagName: string, attributes?: GenericAttributes): TwimlNode {
    checkName(tagName, tagName);
    const child = new TwimlNode(this._doc, tagName, attributes);
    this._kids.push(child);
    return child;
  }

  /** The whole document, from the XML declaration, whichever node it is called on (as in twilio-node). */
  toString(): string {
    return this._doc === this ? DECLARATION + this._render() : this._doc.toString();
  }

  /** @internal Used by the generated builder methods. */
  _append<T extends TwimlNode>(
    Ctor: new (doc: DocumentRoot, tag: string, attributes?: object) => T,
    tag: string,
    first: unknown,
    second: unknown,
  ): T {
    // twilio-node's rule: a non-object first argument is the text; otherwise it is the attributes.
    const isAttributes = typeof first === 'object' && first !== null;
    const child = new Ctor(this._doc, tag, isAttributes ? first : undefined);
    const text = isAttributes ? second : first;
    if (text !== undefined) child.addText(text as string);
    this._kids.push(child);
    return child;
  }

  /** @internal */
  _render(): string {
    const kids = this._kids;
    if (kids.length === 0) return this._open + '/>';
    let out = this._open + '>';
    for (const kid of kids) out += typeof kid === 'string' ? kid : kid._render();
    return out + '</' + this._tag + '>';
  }
}
