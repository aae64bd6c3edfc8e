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
    ['empty', '', 'the response body is empty, not TwiML'],
    ['blank', '  \n', 'the response body is empty, not TwiML'],
    ['HTML', '<html><body>hi</body></html>', "the document's root is <html>, not <Response>"],
    ['plain text', 'Internal error', /^the response is not XML: /],
    ['40 nested Dials', `<Response>${'<Dial>'.repeat(40)}${'</Dial>'.repeat(40)}</Response>`, 'elements nested deeper than 32 levels'],
  ])('%s is refused', (_label, xml, message) => {
    expect(() => parseTwiml(xml)).toThrow(TwimlParseError);
    expect(() => parseTwiml(xml)).toThrow(message);
  });
});
