import { buildTestApp, type TestApp } from '../support/app';
import { HANGUP, doc, get, post } from './helpers';

let t: TestApp;
beforeEach(() => {
  t = buildTestApp();
});
afterEach(() => t.close());

const FAIL = 'https%3A%2F%2Fexample.com%2Fplease-try-later.mp3';
const FAIL_URL = 'https://example.com/please-try-later.mp3';

describe('/twimlets/forward (live recordings FORWARD-*)', () => {
  const dial = (attrs: string, number = '415-555-1212') => doc(`<Response><Dial ${attrs}>${number}</Dial></Response>`);
  test.each([
    ['1-1 forward', 'PhoneNumber=415-555-1212', dial('action="/twimlets/forward?Dial=true" timeout="20"')],
    [
      '1-2 with FailUrl',
      `PhoneNumber=415-555-1212&FailUrl=${FAIL}`,
      dial(`action="/twimlets/forward?Dial=true&amp;FailUrl=${FAIL}" timeout="20"`),
    ],
    [
      '1-3 caller allowed',
      'PhoneNumber=415-555-1212&AllowedCallers%5B0%5D=650-555-1212&AllowedCallers%5B1%5D=510-555-1212&From=5105551212',
      dial('action="/twimlets/forward?Dial=true" timeout="20"'),
    ],
    [
      '1-4 caller not allowed',
      'PhoneNumber=415-555-1212&AllowedCallers%5B%5D=650-555-1212&AllowedCallers%5B%5D=510-555-1212&From=9165550123',
      doc('<Response><Say>Sorry, you are calling from a restricted number. Good bye.</Say></Response>'),
    ],
    [
      '1-5 ApiVersion 2008-08-01',
      'PhoneNumber=415-555-1212&AllowedCallers%5B%5D=%2B1-510-555-1212&ApiVersion=2008-08-01&From=5105551212',
      dial('action="/twimlets/forward?Dial=true" timeout="20"'),
    ],
    [
      '1-6 called number allowed',
      'PhoneNumber=415-555-1212&AllowedCallers%5B%5D=510-555-1212&From=9165550123&To=5105551212',
      dial('action="/twimlets/forward?Dial=true" timeout="20"'),
    ],
    [
      '1-7 timeout and caller id',
      'PhoneNumber=415-555-1212&Timeout=42&CallerId=510-555-1212',
      dial('action="/twimlets/forward?Dial=true" timeout="42" callerId="510-555-1212"'),
    ],
    ['2-1 completed', `Dial=true&DialCallStatus=completed&FailUrl=${FAIL}`, HANGUP],
    ['2-2 answered (2008 API)', `Dial=true&DialStatus=answered&FailUrl=${FAIL}`, HANGUP],
    ['2-3 busy, no FailUrl', 'Dial=true&DialCallStatus=busy', HANGUP],
  ])('%s', async (_name, query, twiml) => {
    const res = await get(t, `/twimlets/forward?${query}`);
    expect(res.status).toBe(200);
    expect(res.text).toBe(twiml);
  });

  test('2-4 busy with FailUrl: a bodiless HTTP 302 to FailUrl', async () => {
    const res = await get(t, `/twimlets/forward?Dial=true&DialCallStatus=busy&FailUrl=${FAIL}`);
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe(FAIL_URL);
    expect(res.text).toBe('');
  });

  test('an E.164 caller matches a dashed AllowedCallers entry (the original compared raw From)', async () => {
    const res = await post(t, '/twimlets/forward?PhoneNumber=415-555-1212&AllowedCallers[]=510-555-1212', { From: '+15105551212', To: '+14155550000' });
    expect(res.text).toBe(dial('action="/twimlets/forward?Dial=true" timeout="20"'));
  });

  test('driven as Twilio would: POST first, then POST the Dial action with the result', async () => {
    const first = await post(t, `/twimlets/forward?PhoneNumber=%2B14155551212&FailUrl=${FAIL}`, { CallSid: 'CA1', From: '+19165550123', To: '+15105551212' });
    expect(first.text).toBe(dial(`action="/twimlets/forward?Dial=true&amp;FailUrl=${FAIL}" timeout="20"`, '+14155551212'));
    const action = `/twimlets/forward?Dial=true&FailUrl=${FAIL}`;
    const noAnswer = await post(t, action, { CallSid: 'CA1', DialCallStatus: 'no-answer' });
    expect([noAnswer.status, noAnswer.headers.location]).toEqual([302, FAIL_URL]);
    const completed = await post(t, action, { CallSid: 'CA1', DialCallStatus: 'completed' });
    expect(completed.text).toBe(HANGUP);
  });

  test.each([
    ['PhoneNumber missing', '', 'PhoneNumber is required'],
    ['PhoneNumber not a number', 'PhoneNumber=call-me-maybe', 'PhoneNumber must be a phone number such as +14155551212'],
    ['Timeout not numeric', 'PhoneNumber=415-555-1212&Timeout=soon', 'Timeout must be a whole number of seconds from 1 to 600'],
    ['Timeout too long', 'PhoneNumber=415-555-1212&Timeout=601', 'Timeout must be a whole number of seconds from 1 to 600'],
    ['CallerId not a number', 'PhoneNumber=415-555-1212&CallerId=me', 'CallerId must be a phone number such as +14155551212'],
    ['FailUrl with a line break', 'Dial=true&DialCallStatus=busy&FailUrl=https://x.example/%0D%0ASet-Cookie:a', 'FailUrl must be a URL without spaces or control characters'],
  ])('%s: plain 400', async (_name, query, message) => {
    const res = await get(t, `/twimlets/forward?${query}`);
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(res.text).toBe(message);
  });
});

describe('/twimlets/simulring (live recordings SIMULRING-*)', () => {
  const numbers = 'PhoneNumbers%5B%5D=415-555-1414&PhoneNumbers%5B%5D=415-555-1212&PhoneNumbers%5B%5D=415-555-1313';
  const ring = (action: string, timeout: string, message: string) =>
    doc(
      `<Response><Dial action="${action}" timeout="${timeout}">` +
        ['415-555-1212', '415-555-1313', '415-555-1414'].map((n) => `<Number url="whisper?Message=${message}">${n}</Number>`).join('') +
        '</Dial></Response>',
    );
  test.each([
    ['1-1 three numbers, sorted', numbers, ring('/twimlets/simulring?Dial=true&amp;FailUrl=', '20', '')],
    ['1-2 with FailUrl', `${numbers}&FailUrl=${FAIL}`, ring(`/twimlets/simulring?Dial=true&amp;FailUrl=${FAIL}`, '20', '')],
    [
      '1-3 timeout and message',
      `${numbers}&FailUrl=${FAIL}&Timeout=42&Message=Custom%20message`,
      ring(`/twimlets/simulring?Dial=true&amp;FailUrl=${FAIL}`, '42', 'Custom+message'),
    ],
    ['4-1 completed', 'Dial=true&DialCallStatus=completed', HANGUP],
    ['4-2 answered', 'Dial=true&DialStatus=answered', HANGUP],
    ['4-3 failed, no FailUrl', 'Dial=true&DialCallStatus=no-answer', HANGUP],
  ])('%s', async (_name, query, twiml) => {
    expect((await get(t, `/twimlets/simulring?${query}`)).text).toBe(twiml);
  });

  test('4-4 failed with FailUrl: the Dial action redirects', async () => {
    const res = await post(t, `/twimlets/simulring?Dial=true&FailUrl=${FAIL}`, { DialCallStatus: 'busy' });
    expect([res.status, res.headers.location]).toEqual([302, FAIL_URL]);
  });

  test.each([
    ['no numbers', '', 'PhoneNumbers[] is required'],
    ['a number that is not one', 'PhoneNumbers[]=415-555-1212&PhoneNumbers[]=sales', 'PhoneNumbers[] must be a phone number such as +14155551212'],
    ['Timeout', `${numbers}&Timeout=1.5`, 'Timeout must be a whole number of seconds from 1 to 600'],
  ])('400 for %s', async (_name, query, message) => {
    const res = await get(t, `/twimlets/simulring?${query}`);
    expect([res.status, res.text]).toEqual([400, message]);
  });
});

describe('/twimlets/findme (live recordings FIND-ME-*)', () => {
  const rest = (numbers: string[]) => numbers.map((n) => `&amp;PhoneNumbers%5B%5D=${n}`).join('');
  const findme = (failUrl: string, timeoutParam: string, message: string, next: string, others: string[], timeout = '60') =>
    doc(
      `<Response><Dial action="/twimlets/findme?Dial=true&amp;FailUrl=${failUrl}&amp;Timeout=${timeoutParam}&amp;Message=${message}${rest(others)}" timeout="${timeout}">` +
        `<Number url="whisper?Message=${message}&amp;HumanCheck=1">${next}</Number></Dial></Response>`,
    );
  const three = 'PhoneNumbers%5B%5D=415-555-1212&PhoneNumbers%5B%5D=415-555-1313&PhoneNumbers%5B%5D=415-555-1414';

  test.each([
    ['1-1 three numbers', three, findme('', '', '', '415-555-1212', ['415-555-1313', '415-555-1414'])],
    ['1-2 with FailUrl', `${three}&FailUrl=${FAIL}`, findme(FAIL, '', '', '415-555-1212', ['415-555-1313', '415-555-1414'])],
    [
      '1-3 timeout and message',
      `${three}&Timeout=42&Message=Custom%20message`,
      findme('', '42', 'Custom+message', '415-555-1212', ['415-555-1313', '415-555-1414'], '42'),
    ],
    ['1-6 no numbers left, no FailUrl', 'Dial=true&DialCallStatus=no-answer', HANGUP],
    ['2-1 answered', `Dial=true&DialStatus=answered&${three}`, HANGUP],
    ['2-2 completed', `Dial=true&DialCallStatus=completed&${three}`, HANGUP],
  ])('%s', async (_name, query, twiml) => {
    expect((await get(t, `/twimlets/findme?${query}`)).text).toBe(twiml);
  });

  test('1-7 no numbers left with FailUrl: redirect', async () => {
    const res = await get(t, `/twimlets/findme?Dial=true&DialCallStatus=busy&FailUrl=${FAIL}`);
    expect([res.status, res.headers.location]).toEqual([302, FAIL_URL]);
  });

  test('more than 10 numbers: the first 10 are tried (the original kept #11 and #12, a bug)', async () => {
    const numbers = Array.from({ length: 12 }, (_, i) => `415-555-${1001 + i}`);
    const res = await get(t, `/twimlets/findme?${numbers.map((n) => `PhoneNumbers%5B%5D=${n}`).join('&')}`);
    expect(res.text).toBe(findme('', '', '', '415-555-1001', numbers.slice(1, 10)));
  });

  test('driven as Twilio would: each unanswered Dial moves on to the next number, then FailUrl', async () => {
    let path = `/twimlets/findme?${three}&FailUrl=${FAIL}&Message=Call+for+you`;
    const dialed: string[] = [];
    for (let step = 0; step < 5; step++) {
      const res = await post(t, path, step === 0 ? { CallSid: 'CA9' } : { CallSid: 'CA9', DialCallStatus: 'no-answer' });
      if (res.status === 302) {
        expect(res.headers.location).toBe(FAIL_URL);
        break;
      }
      const match = /<Dial action="([^"]+)" timeout="60"><Number url="whisper\?Message=Call\+for\+you&amp;HumanCheck=1">([^<]+)<\/Number>/.exec(res.text);
      expect(match).not.toBeNull();
      dialed.push(match![2]!);
      path = match![1]!.replace(/&amp;/g, '&');
    }
    expect(dialed).toEqual(['415-555-1212', '415-555-1313', '415-555-1414']);
  });
});

describe('/twimlets/callme (live recordings CALL-ME-*)', () => {
  test.each([
    [
      'number only',
      'PhoneNumber=415-555-1212',
      '<Dial action="/twimlets/callme?Dial=true" timeout="20"><Number url="whisper?Message=">415-555-1212</Number></Dial>',
    ],
    [
      'FailUrl, Timeout, Message',
      `PhoneNumber=415-555-1212&FailUrl=${FAIL}&Timeout=42&Message=Custom%20message`,
      `<Dial action="/twimlets/callme?Dial=true&amp;FailUrl=${FAIL}" timeout="42"><Number url="whisper?Message=Custom+message">415-555-1212</Number></Dial>`,
    ],
    [
      'an empty FailUrl is still passed on (isset)',
      'PhoneNumber=415-555-1212&FailUrl=',
      '<Dial action="/twimlets/callme?Dial=true&amp;FailUrl=" timeout="20"><Number url="whisper?Message=">415-555-1212</Number></Dial>',
    ],
  ])('%s', async (_name, query, dial) => {
    expect((await get(t, `/twimlets/callme?${query}`)).text).toBe(doc(`<Response>${dial}</Response>`));
  });

  test('Dial results: completed hangs up, busy goes to FailUrl', async () => {
    expect((await post(t, `/twimlets/callme?Dial=true&FailUrl=${FAIL}`, { DialCallStatus: 'completed' })).text).toBe(HANGUP);
    const busy = await post(t, `/twimlets/callme?Dial=true&FailUrl=${FAIL}`, { DialCallStatus: 'busy' });
    expect([busy.status, busy.headers.location]).toEqual([302, FAIL_URL]);
    expect((await post(t, '/twimlets/callme?Dial=true', { DialCallStatus: 'failed' })).text).toBe(HANGUP);
  });

  test('400 for a missing or bad PhoneNumber', async () => {
    expect((await get(t, '/twimlets/callme')).text).toBe('PhoneNumber is required');
    expect((await get(t, '/twimlets/callme?PhoneNumber=%2B1%3Cscript%3E')).status).toBe(400);
  });
});

describe('/twimlets/whisper (live recordings WHISPER-*)', () => {
  test.each([
    ['2-1 recorded message', 'Message=https%3A%2F%2Fexample.com%2Frecorded-message.mp3', '<Gather numDigits="1"><Play>https://example.com/recorded-message.mp3</Play></Gather>'],
    ['2-2 text message', 'Message=Text%20message', '<Gather numDigits="1"><Say>Text message</Say></Gather>'],
    [
      '2-3 default message spells the caller',
      'From=%2B19165550123',
      '<Gather numDigits="1"><Say>You are receiving a call from +. 1. 9. 1. 6. 5. 5. 5. 0. 1. 2. 3. .  Press any key to accept.</Say></Gather>',
    ],
    ['2-4 human check', 'Message=Text%20message&HumanCheck=1', '<Gather numDigits="1"><Say>Text message</Say></Gather><Hangup/>'],
    ['4-2 no digits pressed', 'Digits=', '<Hangup/>'],
  ])('%s', async (_name, query, body) => {
    expect((await get(t, `/twimlets/whisper?${query}`)).text).toBe(doc(`<Response>${body}</Response>`));
  });

  test('4-1 a key pressed: empty response, the call is bridged', async () => {
    expect((await post(t, '/twimlets/whisper?Message=Hi&HumanCheck=1', { Digits: '5' })).text).toBe(doc('<Response/>'));
  });

  test('the whisper URL of callme resolves here and uses the caller from the POST body', async () => {
    const res = await post(t, '/twimlets/whisper?Message=', { From: '+14155551212', CallSid: 'CA5' });
    expect(res.text).toBe(
      doc('<Response><Gather numDigits="1"><Say>You are receiving a call from +. 1. 4. 1. 5. 5. 5. 5. 1. 2. 1. 2. .  Press any key to accept.</Say></Gather></Response>'),
    );
  });
});
