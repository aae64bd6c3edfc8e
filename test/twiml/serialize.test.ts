import { MessagingResponse, TwimlError, VoiceResponse } from '../../src/twiml';

// One test per serialization rule of the reference (TWIML.md §7), with the exact twilio-node output.

const DECL = '<?xml version="1.0" encoding="UTF-8"?>';
const doc = (body: string): string => `${DECL}<Response>${body}</Response>`;

describe('document shape', () => {
  test('an empty response is a self-closing root right after the declaration', () => {
    expect(new VoiceResponse().toString()).toBe(`${DECL}<Response/>`);
    expect(new MessagingResponse().toString()).toBe(`${DECL}<Response/>`);
  });

  test('elements without content self-close with no space before the slash', () => {
    const r = new VoiceResponse();
    r.hangup();
    r.pause({ length: 5 });
    r.say({ voice: 'alice' });
    expect(r.toString()).toBe(doc('<Hangup/><Pause length="5"/><Say voice="alice"/>'));
  });

  test('empty text leaves the element self-closing', () => {
    const r = new VoiceResponse();
    r.say('');
    r.say({}, '');
    r.play('').addText('');
    expect(r.toString()).toBe(doc('<Say/><Say/><Play/>'));
  });

  test('no whitespace is added; leading and trailing spaces in text are kept', () => {
    const r = new VoiceResponse();
    r.gather().say('  padded  ');
    expect(r.toString()).toBe(doc('<Gather><Say>  padded  </Say></Gather>'));
  });

  test('toString on any node renders the whole document, and reflects later additions', () => {
    const r = new VoiceResponse();
    const say = r.say('a');
    r.hangup();
    expect(say.toString()).toBe(doc('<Say>a</Say><Hangup/>'));
    expect(`${r}`).toBe(say.toString());
  });
});

describe('text escaping', () => {
  test('& < > are escaped, quotes are not', () => {
    const r = new VoiceResponse();
    r.say(`Tom & Jerry <3 > "x" 'y'`);
    expect(r.toString()).toBe(doc(`<Say>Tom &amp; Jerry &lt;3 &gt; "x" 'y'</Say>`));
  });

  test('CR becomes &#xD;, LF and TAB stay raw', () => {
    const r = new VoiceResponse();
    r.say('a\r\nb\tc');
    expect(r.toString()).toBe(doc('<Say>a&#xD;\nb\tc</Say>'));
  });

  test('already-escaped input is escaped again, and ]]> cannot end anything', () => {
    const r = new VoiceResponse();
    r.say('&amp; ]]>');
    expect(r.toString()).toBe(doc('<Say>&amp;amp; ]]&gt;</Say>'));
  });

  test('character references in text are escaped again, decimal or hex', () => {
    const r = new VoiceResponse();
    r.say('&#13; &#xD; &#10; &lt;');
    expect(r.toString()).toBe(doc('<Say>&amp;#13; &amp;#xD; &amp;#10; &amp;lt;</Say>'));
  });

  test('markup in text stays text: no element injection', () => {
    const r = new VoiceResponse();
    r.say('</Say><Dial>+15551234567</Dial><Say>');
    expect(r.toString()).toBe(doc('<Say>&lt;/Say&gt;&lt;Dial&gt;+15551234567&lt;/Dial&gt;&lt;Say&gt;</Say>'));
  });

  test('unicode, emoji, NBSP, U+2028, DEL and C1 controls are emitted literally', () => {
    const text = 'é — 日本語 😀 👩‍👩‍👧 \u00a0\u200b\u2028\u007f\u0085';
    const r = new VoiceResponse();
    r.say(text);
    expect(r.toString()).toBe(doc(`<Say>${text}</Say>`));
  });

  test('addText appends at the current position and adjacent text runs merge', () => {
    const r = new VoiceResponse();
    const say = r.say('Hi');
    say.break({ time: '1s' });
    say.addText(' there');
    say.addText(' & bye');
    expect(r.toString()).toBe(doc('<Say>Hi<break time="1s"/> there &amp; bye</Say>'));
  });
});

describe('attribute values', () => {
  test('& < " TAB LF CR are escaped, and > (twilio-node leaves > raw, see xmlbuilder2.test.ts); \' is not', () => {
    const r = new VoiceResponse();
    r.redirect({ method: `a&b<c>d"e'f\tg\nh\ri` }, '/next');
    expect(r.toString()).toBe(doc(`<Redirect method="a&amp;b&lt;c&gt;d&quot;e'f&#x9;g&#xA;h&#xD;i">/next</Redirect>`));
  });

  test('already-escaped input and character references are escaped again', () => {
    const r = new VoiceResponse();
    r.redirect({ method: '&amp; &#13; &#xD; &#9;' }, '/next');
    expect(r.toString()).toBe(doc('<Redirect method="&amp;amp; &amp;#13; &amp;#xD; &amp;#9;">/next</Redirect>'));
  });

  test('attributes keep the order they were given in', () => {
    const r = new VoiceResponse();
    r.gather({ timeout: 3, action: '/a', numDigits: 1 });
    r.gather({ numDigits: 1, action: '/a', timeout: 3 });
    expect(r.toString()).toBe(doc('<Gather timeout="3" action="/a" numDigits="1"/><Gather numDigits="1" action="/a" timeout="3"/>'));
  });

  test('undefined and null drop the attribute; the empty string is kept', () => {
    const r = new VoiceResponse();
    r.dial({ action: undefined, callerId: null, method: '' }, '+1');
    expect(r.toString()).toBe(doc('<Dial method="">+1</Dial>'));
  });

  test('booleans render as true/false', () => {
    const r = new VoiceResponse();
    r.dial({ answerOnBridge: true, hangupOnStar: false });
    expect(r.toString()).toBe(doc('<Dial answerOnBridge="true" hangupOnStar="false"/>'));
  });

  test('numbers render with String()', () => {
    const r = new VoiceResponse();
    r.pause({ length: 0 });
    r.pause({ length: 1.5 });
    r.pause({ length: 0.1 + 0.2 });
    r.pause({ length: NaN });
    expect(r.toString()).toBe(doc('<Pause length="0"/><Pause length="1.5"/><Pause length="0.30000000000000004"/><Pause length="NaN"/>'));
  });

  test('arrays join with one space; an empty array is an empty value; a single item is accepted', () => {
    const r = new VoiceResponse();
    r.gather({ input: ['dtmf', 'speech'] });
    r.gather({ input: [] });
    r.gather({ input: 'speech' });
    r.pay().prompt({ attempt: [1, 2] });
    expect(r.toString()).toBe(doc('<Gather input="dtmf speech"/><Gather input=""/><Gather input="speech"/><Pay><Prompt attempt="1 2"/></Pay>'));
  });

  test('hyphenated and prefixed attribute names are written as given', () => {
    const r = new VoiceResponse();
    const say = r.say();
    say.sayAs({ 'interpret-as': 'digits' }, '123');
    say.lang({ 'xml:lang': 'fr-FR' }, 'Bonjour');
    expect(r.toString()).toBe(doc('<Say><say-as interpret-as="digits">123</say-as><lang xml:lang="fr-FR">Bonjour</lang></Say>'));
  });
});

describe('comments', () => {
  test('comment() writes <!-- x --> at the current position, unescaped', () => {
    const r = new VoiceResponse();
    r.say('a');
    r.comment('hello & <x>');
    r.hangup();
    expect(r.toString()).toBe(doc('<Say>a</Say><!-- hello & <x> --><Hangup/>'));
  });

  test('commentBefore/commentAfter sit outside the root; later "after" comments come first', () => {
    const r = new MessagingResponse();
    r.commentBefore('b1');
    r.commentBefore('b2');
    r.commentAfter('a1');
    r.commentAfter('a2');
    expect(r.toString()).toBe(`${DECL}<!-- b1 --><!-- b2 --><Response/><!-- a2 --><!-- a1 -->`);
  });

  test('comment text that looks like a character reference is left as written', () => {
    const r = new VoiceResponse();
    r.commentBefore('&#13;');
    r.say('a\r');
    r.comment('&#9; &#10; &#13;');
    r.commentAfter('&#10;');
    expect(r.toString()).toBe(`${DECL}<!-- &#13; --><Response><Say>a&#xD;</Say><!-- &#9; &#10; &#13; --></Response><!-- &#10; -->`);
  });

  test('an empty comment has two spaces', () => {
    expect(new VoiceResponse().comment('').toString()).toBe(doc('<!--  -->'));
  });

  test('"--" in a comment is rejected', () => {
    expect(() => new VoiceResponse().comment('a -- b')).toThrow(TwimlError);
    expect(() => new VoiceResponse().commentAfter('-->')).toThrow(/cannot contain "--"/);
  });
});

describe('escape hatches', () => {
  test('addChild adds any element with converted attributes and returns a node with addText/addChild', () => {
    const r = new VoiceResponse();
    const foo = r.addChild('Foo', { a: 1, b: undefined, c: [1, 2], d: true });
    foo.addText('x & y');
    foo.addChild('Bar');
    expect(r.toString()).toBe(doc('<Foo a="1" c="1 2" d="true">x &amp; y<Bar/></Foo>'));
  });

  test('names that are not XML names are rejected', () => {
    const r = new VoiceResponse();
    for (const bad of ['1bad', '', 'a b', '-a', '<x>', 'a"b']) {
      expect(() => r.addChild(bad)).toThrow(TwimlError);
      expect(() => r.addChild('Ok', { [bad]: 'v' })).toThrow(TwimlError);
    }
    expect(r.toString()).toBe(`${DECL}<Response/>`);
  });
});

describe('characters XML 1.0 forbids', () => {
  const bad = ['\u0000', '\u0001', '\u0008', '\u000b', '\u000c', '\u001f', '\ud800', '\udfff', '\ufffe', '\uffff'];

  test.each(bad.map((c) => [c.codePointAt(0)!.toString(16)]))('U+%s in text throws a TwimlError naming the element', (hex) => {
    const ch = String.fromCharCode(parseInt(hex, 16));
    const r = new VoiceResponse();
    const error = (() => {
      try {
        r.gather().say(`ok${ch}`);
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(TwimlError);
    expect(error).toMatchObject({ code: 'INVALID_CHARACTER', element: 'Say', attribute: undefined });
    expect((error as Error).message).toContain(`U+${hex.toUpperCase().padStart(4, '0')} at index 2`);
    expect(r.toString()).toBe(doc('<Gather/>'));
  });

  test('in an attribute value it throws too (twilio-node would emit invalid XML)', () => {
    const r = new VoiceResponse();
    expect(() => r.dial({ callerId: '+1\u0000' })).toThrow(
      expect.objectContaining({ name: 'TwimlError', element: 'Dial', attribute: 'callerId' }),
    );
    expect(() => r.gather({ input: ['dtmf', '\u0007' as 'dtmf'] })).toThrow(TwimlError);
  });

  test('in addText, a message body and a comment it throws', () => {
    const r = new MessagingResponse();
    expect(() => r.message('hi').addText('\u0003')).toThrow(/<Message>: text contains U\+0003/);
    expect(() => r.message().body('\ud83d')).toThrow(/<Body>/);
    expect(() => r.comment('\u0000')).toThrow(TwimlError);
  });

  test('the message never includes the offending value', () => {
    expect(() => new VoiceResponse().say('secret-token\u0000')).toThrow(/^(?!.*secret-token)/);
  });

  test('valid surrogate pairs (emoji) pass', () => {
    const r = new VoiceResponse();
    r.say({ voice: 'alice' }, '😀');
    expect(r.toString()).toBe(doc('<Say voice="alice">😀</Say>'));
  });
});
