import { parseSettings } from '../../src/settings';
import { buildTestApp, type TestApp } from '../support/app';
import { doc, get, post } from './helpers';

let t: TestApp;
afterEach(() => t.close());

describe('/twimlets/menu (live recordings SIMPLE-MENU-*)', () => {
  beforeEach(() => {
    t = buildTestApp();
  });

  test.each([
    ['1-1 recorded greeting', 'Message=https%3A%2F%2Fexample.com%2Frecorded-message.mp3&Options%5B1%5D=https%3A%2F%2Fexample.com%2F1', '<Gather numDigits="1"><Play>https://example.com/recorded-message.mp3</Play></Gather><Redirect/>'],
    ['1-2 text greeting', 'Message=Text%20message&Options%5B1%5D=https%3A%2F%2Fexample.com%2F1', '<Gather numDigits="1"><Say>Text message</Say></Gather><Redirect/>'],
    [
      '1-3 longest option sets numDigits',
      'Message=Text%20message&Options%5B1%5D=https%3A%2F%2Fexample.com%2F1&Options%5B12345%5D=https%3A%2F%2Fexample.com%2F12345',
      '<Gather numDigits="5"><Say>Text message</Say></Gather><Redirect/>',
    ],
    ['no greeting', 'Options%5B1%5D=https%3A%2F%2Fexample.com%2F1', '<Gather numDigits="1"/><Redirect/>'],
  ])('%s', async (_name, query, body) => {
    expect((await get(t, `/twimlets/menu?${query}`)).text).toBe(doc(`<Response>${body}</Response>`));
  });

  test('2-1 digits matching an option: 302 to its URL (Gather posts back to the same URL)', async () => {
    const res = await post(t, '/twimlets/menu?Message=Hi&Options%5B1%5D=https%3A%2F%2Fexample.com%2F1&Options%5B12345%5D=https%3A%2F%2Fexample.com%2F12345', {
      Digits: '12345',
      CallSid: 'CA1',
    });
    expect([res.status, res.headers.location, res.text]).toEqual([302, 'https://example.com/12345', '']);
  });

  test('2-2 digits matching nothing: apology, then the menu again', async () => {
    const res = await post(t, '/twimlets/menu?Options%5B1%5D=https%3A%2F%2Fexample.com%2F1', { Digits: '9' });
    expect(res.text).toBe(doc("<Response><Say>I'm sorry, that wasn't a valid option.</Say><Gather numDigits=\"1\"/><Redirect/></Response>"));
  });

  test('an option URL that could split the Location header is a 400', async () => {
    const res = await get(t, '/twimlets/menu?Options%5B1%5D=https%3A%2F%2Fx.example%2F%0AX-Evil%3A1');
    expect([res.status, res.text]).toEqual([400, 'Options[1] must be a URL without spaces or control characters']);
  });
});

describe('/twimlets/conference (live recordings CONFERENCE-*)', () => {
  const MODS = 'Moderators%5B%5D=415-555-1212&Moderators%5B%5D=555-867-5309';
  const ENTER = '<Say>You are now entering the conference line.</Say>';
  const conf = (attrs: string, name: string) => `<Dial><Conference${attrs}>${name}</Conference></Dial>`;
  const PASSCODE = '<Gather numDigits="4"><Say>Please enter your conference pass code</Say></Gather><Redirect/>';

  beforeEach(() => {
    t = buildTestApp({}, undefined, {
      settings: parseSettings({ twimlets: { holdMusic: { rock: ['https://music.example.com/rock-1.mp3'], jazz: [] } } }, 'test'),
    });
  });

  test.each([
    ['1-1 pass code asked', 'Password=1234', PASSCODE],
    ['1-2 wrong pass code', 'Password=1234&Digits=0000', PASSCODE],
    ['2-1 right pass code', 'Password=1234&Digits=1234', ENTER + conf('', 'd41d8cd98f00b204e9800998ecf8427e')],
    ['2-2 named', 'Name=foo', ENTER + conf('', 'foo')],
    ['2-3 text message', 'Name=foo&Message=Custom%20message', '<Say>Custom message</Say>' + conf('', 'foo')],
    ['2-4 recorded message', 'Name=foo&Message=https%3A%2F%2Fexample.com%2Frecorded-message.mp3', '<Play>https://example.com/recorded-message.mp3</Play>' + conf('', 'foo')],
    [
      '2-6 Music as a TwiML URL',
      'Music=https%3A%2F%2Ftwimlets.com%2Fholdmusic%3FBucket%3Dcom.twilio.music.soft-rock',
      ENTER + conf(' waitUrl="https://twimlets.com/holdmusic?Bucket=com.twilio.music.soft-rock" waitMethod="GET"', 'd41d8cd98f00b204e9800998ecf8427e'),
    ],
    ['2-7 Music as a file', 'Music=https%3A%2F%2Fexample.com%2Fhold-music.mp3', ENTER + conf(' waitUrl="https://example.com/hold-music.mp3" waitMethod="GET"', 'd41d8cd98f00b204e9800998ecf8427e')],
    ['2-8 two moderators, caller is none', MODS, ENTER + conf(' startConferenceOnEnter="false"', 'a5b8b5b4fa69de6fb8dad5cbf3545d9f')],
    [
      '2-9 SMS notifications to the moderators',
      `${MODS}&Caller=916-555-0123&EnableSmsNotifications=true`,
      '<Message to="4155551212">916-555-0123 has entered your conference.  Call the number this text came from to join.</Message>' +
        '<Message to="5558675309">916-555-0123 has entered your conference.  Call the number this text came from to join.</Message>' +
        ENTER +
        conf(' startConferenceOnEnter="false"', 'a5b8b5b4fa69de6fb8dad5cbf3545d9f'),
    ],
    ['2-10 a moderator calls', `From=%2B1-415-555-1212&${MODS}`, ENTER + conf(' startConferenceOnEnter="true"', 'a5b8b5b4fa69de6fb8dad5cbf3545d9f')],
    ['2-11 the conference number is a moderator', `To=%2B1-555-867-5309&${MODS}`, ENTER + conf(' startConferenceOnEnter="true"', 'a5b8b5b4fa69de6fb8dad5cbf3545d9f')],
    ['a genre with no configured music leaves Twilio\'s own', 'Music=jazz&Name=foo', ENTER + conf('', 'foo')],
    ['an unknown genre is ignored, as in the original', 'Music=classical&Name=foo', ENTER + conf('', 'foo')],
  ])('%s', async (_name, query, body) => {
    const res = await get(t, `/twimlets/conference?${query}`);
    expect(res.status).toBe(200);
    expect(res.text).toBe(doc(`<Response>${body}</Response>`));
  });

  test('2-5 a genre points at this server\'s holdmusic (absolute, from the Host Twilio used)', async () => {
    const res = await get(t, '/twimlets/conference?Music=rock').set('Host', 'sb.example.com');
    expect(res.text).toBe(doc(`<Response>${ENTER}${conf(' waitUrl="http://sb.example.com/twimlets/holdmusic?Music=rock" waitMethod="GET"', 'd41d8cd98f00b204e9800998ecf8427e')}</Response>`));
  });

  test('driven as Twilio would: pass code Gather posts the digits back, then the caller joins', async () => {
    const path = '/twimlets/conference?Password=4321&Name=board';
    expect((await post(t, path, { CallSid: 'CA7', From: '+14155550000' })).text).toBe(doc(`<Response>${PASSCODE}</Response>`));
    expect((await post(t, path, { CallSid: 'CA7', Digits: '1111' })).text).toBe(doc(`<Response>${PASSCODE}</Response>`));
    expect((await post(t, path, { CallSid: 'CA7', Digits: '4321' })).text).toBe(doc(`<Response>${ENTER}${conf('', 'board')}</Response>`));
  });

  test('a short pass code still asks for at least 3 digits; a non-numeric one is a 400', async () => {
    expect((await get(t, '/twimlets/conference?Password=12')).text).toContain('<Gather numDigits="3">');
    const res = await get(t, '/twimlets/conference?Password=abc');
    expect([res.status, res.text]).toEqual([400, 'Password must be digits only (callers enter it on the keypad)']);
  });
});
