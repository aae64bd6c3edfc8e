import { type Attributes, MessagingResponse, type TwimlElement, VoiceResponse } from '../../src/twiml';

// Compile-time tests: `tsc --noEmit` fails if any @ts-expect-error line below stops being an error.
// Jest runs the file too, so every call here must also be valid at runtime (or sit in a function never called).

function invalidNesting(): void {
  const r = new VoiceResponse();
  // @ts-expect-error <Dial> cannot be nested in <Gather>
  r.gather().dial();
  // @ts-expect-error <Gather> cannot be nested in <Gather>
  r.gather().gather();
  // @ts-expect-error <Number> is a noun of <Dial>, not a verb
  r.number('+15551234567');
  // @ts-expect-error <Parameter> is never a direct child of <Response>
  r.parameter({ name: 'a', value: 'b' });
  // @ts-expect-error SSML <say-as> has no children
  r.say().sayAs('123').break();
  // @ts-expect-error <Sip> under <Refer> has no <Uri>
  r.refer().sip('sip:a@b').uri('sip:c@d');
  // @ts-expect-error voice verbs are not messaging verbs
  new MessagingResponse().say('hi');
  // @ts-expect-error <Media> is a noun of <Message>
  new MessagingResponse().media('https://example.com/a.png');
  // @ts-expect-error comments exist only on the root
  r.say('x').comment('no');
}

function invalidAttributes(): void {
  const r = new VoiceResponse();
  // @ts-expect-error voice typo
  r.say({ voice: 'Polly.Joana' }, 'hi');
  // @ts-expect-error language outside the enum
  r.say({ language: 'xx-XX' }, 'hi');
  // @ts-expect-error Gather.input values are 'dtmf' | 'speech'
  r.gather({ input: ['dtmf', 'voice'] });
  // @ts-expect-error Reject.reason is 'rejected' | 'busy'
  r.reject({ reason: 'nope' });
  // @ts-expect-error numbers are numbers
  r.pause({ length: '5' });
  // @ts-expect-error unknown attribute
  r.dial({ callerID: '+1' });
  // @ts-expect-error elements without typed attributes take none
  r.hangup({ foo: 'bar' });
  // @ts-expect-error attribute-only elements take no text
  r.gather('text');
  // @ts-expect-error text is a string
  r.say(42);
}

test('valid documents type-check and build', () => {
  const r = new VoiceResponse();
  const gather = r.gather({ input: ['dtmf', 'speech'], language: 'en-US', numDigits: 1, action: '/menu' });
  gather.say({ voice: 'Polly.Joanna', language: 'en-US', loop: 2 }, 'Press 1');
  gather.pause({ length: 1 });
  const dial: TwimlElement<'Dial'> = r.dial({ callerId: '+15550000000', record: 'record-from-answer' });
  dial.number({ statusCallbackEvent: ['initiated', 'answered'] }, '+15551112222');
  dial.client().identity('alice');
  dial.sip('sip:a@example.com').uri('sip:b@example.com');
  r.connect().stream({ url: 'wss://example.com/s', track: 'both_tracks' }).parameter({ name: 'k', value: 'v' });
  r.say().sayAs({ 'interpret-as': 'digits' }, '123').addText('!');
  const attrs: Attributes<'Gather'> = { input: 'speech', timeout: null };
  r.gather(attrs);
  r.reject({ reason: 'busy' });
  const m = new MessagingResponse();
  m.message({ to: '+1', from: '+2' }, 'hi').media('https://example.com/a.png');
  expect(typeof invalidNesting).toBe('function');
  expect(typeof invalidAttributes).toBe('function');
  expect(r.toString()).toContain('<Reject reason="busy"/>');
  expect(m.toString()).toContain('<Media>https://example.com/a.png</Media>');
});
