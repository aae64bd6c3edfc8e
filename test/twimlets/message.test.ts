import { buildTestApp, type TestApp } from '../support/app';
import { doc, get, post } from './helpers';

let t: TestApp;
beforeEach(() => {
  t = buildTestApp();
});
afterEach(() => t.close());

describe('/twimlets/message', () => {
  test.each([
    ['', '<Response/>'],
    ['?Message=https%3A%2F%2Fexample.com%2Frecorded-message.mp3', '<Response><Play>https://example.com/recorded-message.mp3</Play></Response>'],
    ['?Message=Single%20message', '<Response><Say>Single message</Say></Response>'],
    [
      '?Message%5B%5D=Message%20one&Message%5B%5D=https%3A%2F%2Fexample.com%2Fmessage-two.mp3&Message%5B%5D=Message%20three',
      '<Response><Say>Message one</Say><Play>https://example.com/message-two.mp3</Play><Say>Message three</Say></Response>',
    ],
    [
      '?Message[0]=http://myserver.com/hello.mp3&Message[1]=Thank+You+For+Calling',
      '<Response><Play>http://myserver.com/hello.mp3</Play><Say>Thank You For Calling</Say></Response>',
    ],
  ])('GET %s answers the same TwiML as twimlets.com', async (query, body) => {
    const res = await get(t, `/twimlets/message${query}`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/xml; charset=utf-8');
    expect(res.text).toBe(doc(body));
  });

  test('keeps the order of arrival, not the index, like PHP', async () => {
    const res = await get(t, '/twimlets/message?Message[1]=second&Message[0]=first');
    expect(res.text).toBe(doc('<Response><Say>second</Say><Say>first</Say></Response>'));
  });

  test('the URL rule: trimmed, case-insensitive "http" plays the untrimmed value; blank says nothing', async () => {
    const res = await get(t, '/twimlets/message?Message[]=%20HTTPS://EXAMPLE.COM/A.MP3&Message[]=%20%20&Message[]=It%5C%27s%20me');
    expect(res.text).toBe(doc("<Response><Play> HTTPS://EXAMPLE.COM/A.MP3</Play><Say>It's me</Say></Response>"));
  });

  test('text is escaped, never markup', async () => {
    const res = await get(t, '/twimlets/message?Message=%3C%2FSay%3E%3CDial%3E1%3C%2FDial%3E%20%26');
    expect(res.text).toBe(doc('<Response><Say>&lt;/Say&gt;&lt;Dial&gt;1&lt;/Dial&gt; &amp;</Say></Response>'));
  });

  test('a POST from Twilio answers the same TwiML and records the call', async () => {
    const sid = 'CA' + 'a'.repeat(32);
    const res = await post(t, '/twimlets/message?Message=Hello', { CallSid: sid, From: '+14155551212', To: '+15105551212', CallStatus: 'ringing' });
    expect(res.text).toBe(doc('<Response><Say>Hello</Say></Response>'));
    expect(await t.store.getCall(sid)).toMatchObject({ sid, direction: 'inbound', from: '+14155551212', to: '+15105551212', status: 'ringing' });
  });
});
