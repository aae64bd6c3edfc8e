import { type GenericAttributes, attributeList, checkName, textValue } from './values';
import { type XmlComment, renderDocument } from './document';

/** Anything that can render the whole document; every node keeps one so `toString()` works anywhere. */
export interface DocumentRoot {
  toString(): string;
}

/**
 * One element of the light tree that the builder methods grow. Names and values are validated and converted
 * when they are added, so a bad value throws at the call that supplied it; xmlbuilder2 builds and writes the
 * document from this tree at `toString()` time (document.ts).
 */
export class TwimlNode {
  // `declare` + assignment in the constructor instead of class-field initializers: with one subclass per
  // element the fields were defined through V8's slow megamorphic define path (a fifth of the build time).
  /** @internal */ declare readonly _tag: string;
  /** @internal Attribute names and string values, alternating, in insertion order. */
  declare readonly _attrs: readonly string[];
  /** @internal Child elements, text runs and (on the root) comments, in document order. */
  declare readonly _kids: (TwimlNode | string | XmlComment)[];
  /** @internal */ declare readonly _doc: DocumentRoot;

  constructor(doc: DocumentRoot | null, tag: string, attributes?: object) {
    this._tag = tag;
    this._attrs = attributeList(tag, attributes);
    this._kids = [];
    this._doc = doc ?? this;
  }

  /** Appends text at the current position; adjacent text renders as one run (`Hi` + ` there`). */
  addText(text: string): this {
    const value = textValue(text, this._tag);
    if (value !== '') this._kids.push(value);
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
    return this._doc === this ? renderDocument(this, [], []) : this._doc.toString();
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
}
