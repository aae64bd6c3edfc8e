import { parseTwiml, TwimlParseError } from '../../src/cli/twiml-document';

describe('parseTwiml (the simulator reads any server TwiML)', () => {
  test('elements in order with attributes; text decoded, SSML flattened; a Message body without its Media', () => {
    const doc = parseTwiml(
      '<?xml version="1.0"?>\n<Response>\n  <Say voice="alice">Fish &amp; <emphasis>chips</emphasis>\n now</Say>\n' +
        '  <Message to="+15550001111">Look<Media>https://example.com/a.jpg</Media></Message><Hangup/></Response>',
    );
    expect(doc.children.map((child) => [child.name, child.attributes, child.text, child.ownText])).toEqual([
      ['Say', { voice: 'alice' }, 'Fish & chips now', 'Fish & now'],
      ['Message', { to: '+15550001111' }, 'Lookhttps://example.com/a.jpg', 'Look'],
      ['Hangup', {}, '', ''],
    ]);
  });

  test.each([
    ['', 'the response body is empty, not TwiML'],
    ['  \n', 'the response body is empty, not TwiML'],
    ['<html><body>hi</body></html>', "the document's root is <html>, not <Response>"],
    ['Internal error', /^the response is not XML: /],
    [`<Response>${'<Dial>'.repeat(40)}${'</Dial>'.repeat(40)}</Response>`, 'elements nested deeper than 32 levels'],
  ])('%j is refused: %s', (xml, message) => {
    expect(() => parseTwiml(xml)).toThrow(TwimlParseError);
    expect(() => parseTwiml(xml)).toThrow(message);
  });
});
