import fc from 'fast-check';
import { SaxesParser } from 'saxes';
import { FaxResponse, MessagingResponse, TwimlError, VoiceResponse } from '../../src/twiml';
import { ROOTS, type Model, type RootKey, interpret } from './helpers';
import { hostileOps, validOps } from './arbitraries';

// Random documents parsed back by saxes, a strict XML 1.0 parser: every value must survive unchanged.

const roots: Record<RootKey, new () => object> = { VoiceResponse, MessagingResponse, FaxResponse };

/** Parses `xml` (throwing on any well-formedness error) into the same shape as the builder model. */
function parse(xml: string): Model {
  const parser = new SaxesParser();
  const stack: Model[] = [{ tag: '#document', attrs: [], content: [] }];
  const top = (): Model => stack[stack.length - 1]!;
  parser.on('opentag', (tag) => {
    const attrs = Object.entries(tag.attributes as Record<string, string>);
    const element: Model = { tag: tag.name, attrs, content: [] };
    top().content.push(element);
    stack.push(element);
  });
  parser.on('closetag', () => void stack.pop());
  parser.on('text', (text) => {
    const content = top().content;
    const last = content[content.length - 1];
    // Adjacent text runs are one run once serialized.
    if (typeof last === 'string') content[content.length - 1] = last + text;
    else content.push(text);
  });
  parser.on('error', (error) => {
    throw error;
  });
  parser.write(xml).close();
  return top().content[0] as Model;
}

/** The model with adjacent text merged, as a parser would see it. */
function merged(model: Model): Model {
  const content: (Model | string)[] = [];
  for (const item of model.content) {
    const last = content[content.length - 1];
    if (typeof item === 'string' && typeof last === 'string') content[content.length - 1] = last + item;
    else content.push(typeof item === 'string' ? item : merged(item));
  }
  return { ...model, content };
}

describe('round trip through a strict XML parser', () => {
  test.each(ROOTS)('%s: every text and attribute value comes back unchanged', (root) => {
    fc.assert(
      fc.property(validOps, (ops) => {
        const response = new roots[root]();
        const model = interpret(root, ops, [response]);
        const xml = response.toString();
        expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>')).toBe(true);
        expect(parse(xml)).toEqual(merged(model));
      }),
      { numRuns: 400 },
    );
  });

  test.each(ROOTS)('%s: hostile values either throw TwimlError or still give well-formed XML', (root) => {
    fc.assert(
      fc.property(hostileOps, (ops) => {
        const response = new roots[root]();
        try {
          interpret(root, ops, [response]);
        } catch (error) {
          expect(error).toBeInstanceOf(TwimlError);
        }
        // Whatever was accepted before the error is still a parseable document.
        expect(() => parse(response.toString())).not.toThrow();
      }),
      { numRuns: 400 },
    );
  });
});
