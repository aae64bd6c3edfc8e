import { commentValue } from './values';
import { XmlComment, renderDocument } from './document';
import { TwimlNode } from './node';

/** The `<Response>` root: renders the document and holds the comment escape hatches. */
export class TwimlResponse extends TwimlNode {
  readonly #before: XmlComment[] = [];
  readonly #after: XmlComment[] = [];

  constructor() {
    super(null, 'Response');
  }

  /** `<!-- text -->` inside `<Response>` at the current position. Text is not escaped; `--` throws. */
  comment(text: string): this {
    this._kids.push(new XmlComment(commentValue(text)));
    return this;
  }

  /** A comment between the XML declaration and `<Response>`. */
  commentBefore(text: string): this {
    this.#before.push(new XmlComment(commentValue(text)));
    return this;
  }

  /** A comment after `</Response>`. Like twilio-node, each new one goes directly after the root (reverse order). */
  commentAfter(text: string): this {
    this.#after.unshift(new XmlComment(commentValue(text)));
    return this;
  }

  override toString(): string {
    return renderDocument(this, this.#before, this.#after);
  }
}
