import { create } from 'xmlbuilder2';
import { XMLWriter } from 'xmlbuilder2/lib/writers';
import { preEscapeAttribute, preEscapeText, restoreHexReferences } from './escape';
import type { TwimlNode } from './node';

// Builds the xmlbuilder2 document for a finished light tree and serializes it with xmlbuilder2's XML writer.
// The tree is built only here, at toString() time: builder methods stay cheap, and xmlbuilder2's per-document
// set-up (option defaulting, which dominated a profile) is paid once per process instead of once per document.

type XmlDocument = NonNullable<ReturnType<typeof create>['node']['ownerDocument']>;
type XmlElement = ReturnType<XmlDocument['createElement']>;

/** A comment in the light tree (element content or around the root). `data` already has its padding spaces. */
export class XmlComment {
  constructor(readonly data: string) {}
}

// One factory for the whole process: `create()` defaults the options (declaration `version="1.0"
// encoding="UTF-8"`) and gives the DOM implementation; each document is a fresh, empty one from it.
const factory = create({ version: '1.0', encoding: 'UTF-8' });
const implementation = (factory.node as XmlDocument).implementation;
// The writer keeps no state between calls (serialize() resets it), so one instance is reused: `end()` would
// construct and default a new one per document. Compact output, with the declaration, as twilio-node writes it.
// XMLWriter comes from xmlbuilder2's lib/writers (typed, but not re-exported by its index): recheck on upgrades.
const writer = new XMLWriter(factory.options, { format: 'xml', headless: false, prettyPrint: false, wellFormed: false });

function appendContent(doc: XmlDocument, parent: XmlElement, node: TwimlNode): void {
  const attrs = node._attrs;
  for (let i = 0; i < attrs.length; i += 2) parent.setAttribute(attrs[i]!, preEscapeAttribute(attrs[i + 1]!));
  for (const kid of node._kids) {
    if (typeof kid === 'string') {
      parent.appendChild(doc.createTextNode(preEscapeText(kid)));
    } else if (kid instanceof XmlComment) {
      parent.appendChild(doc.createComment(kid.data));
    } else {
      const child = doc.createElement(kid._tag);
      appendContent(doc, child, kid);
      parent.appendChild(child);
    }
  }
}

/** The whole document: declaration, comments before, the root element, comments after. */
export function renderDocument(root: TwimlNode, before: readonly XmlComment[], after: readonly XmlComment[]): string {
  const doc = implementation.createDocument(null, '');
  for (const comment of before) doc.appendChild(doc.createComment(comment.data));
  const element = doc.createElement(root._tag);
  appendContent(doc, element, root);
  doc.appendChild(element);
  for (const comment of after) doc.appendChild(doc.createComment(comment.data));
  return restoreHexReferences(writer.serialize(doc));
}
