import { DECLARATION, commentMarkup } from './serialize';
import { TwimlNode } from './node';

/** The `<Response>` root: renders the document and holds the comment escape hatches. */
export class TwimlResponse extends TwimlNode {
  readonly #before: string[] = [];
  readonly #after: string[] = [];

  constructor() {
    super(null, 'Response');
  }

  /** `<!-- text -->` inside `<Response>` at the current position. Text is not escaped; `--` throws. */
  comment(text: string): this {
    this._kids.push(commentMarkup(text));
    return this;
  }

  /** A comment between the XML declaration and `<Response>`. */
  commentBefore(text: string): this {
    this.#before.push(commentMarkup(text));
    return this;
  }

  /** A comment after `</Response>`. Like twilio-node, each new one goes directly after the root (reverse order). */
  commentAfter(text: string): this {
    this.#after.unshift(commentMarkup(text));
    return this;
  }

  override toString(): string {
    return DECLARATION + this.#before.join('') + this._render() + this.#after.join('');
  }
}
