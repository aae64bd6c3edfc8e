import Database from 'better-sqlite3';
import request from 'supertest';
import { parseSettings } from '../../src/settings';
import { buildTestApp, type TestApp } from '../support/app';

const X = '<?xml version="1.0" encoding="UTF-8"?>';
const OURS = '+15005550001';
const THEM = '+15551230000';
const settings = parseSettings(
  {
    sms: {
      keywords: { hours: 'Open 9-5, Mon-Fri.' },
      autoReply: 'Thanks! We will reply soon.',
      mediaReply: 'Thanks for the picture.',
      forwardTo: '+15005550006',
      helpText: 'Acme: reply HOURS for hours, STOP to stop.',
    },
  },
  'test',
);

let t: TestApp;
let sid = 0;
afterEach(() => t.close());

async function text(body: string, extra: Record<string, string> = {}): Promise<string> {
  sid += 1;
  const res = await request(t.app)
    .post('/sms')
    .type('form')
    .send({ MessageSid: `SM${String(sid).padStart(32, '0')}`, From: THEM, To: OURS, Body: body, NumMedia: '0', ...extra });
  expect(res.status).toBe(200);
  expect(res.headers['content-type']).toBe('text/xml; charset=utf-8');
  return res.text;
}

const forwarded = (body: string, media = '') => `<Message to="+15005550006"><Body>From ${THEM}: ${body}</Body>${media}</Message>`;

describe('SMS replies from the config file', () => {
  beforeEach(() => {
    t = buildTestApp({}, undefined, settings);
  });

  test('a keyword, in any case and with punctuation, gets its reply', async () => {
    expect(await text('Hours?')).toBe(`${X}<Response>${forwarded('Hours?')}<Message>Open 9-5, Mon-Fri.</Message></Response>`);
    expect(await text('  hours please')).toBe(`${X}<Response>${forwarded('  hours please')}<Message>Open 9-5, Mon-Fri.</Message></Response>`);
  });

  test('anything else gets the auto-reply, and the owner gets a copy', async () => {
    expect(await text('Where is my order?')).toBe(
      `${X}<Response>${forwarded('Where is my order?')}<Message>Thanks! We will reply soon.</Message></Response>`,
    );
  });

  test('media is forwarded and acknowledged', async () => {
    const xml = await text('look', { NumMedia: '1', MediaUrl0: 'https://api.twilio.com/media/ME1', MediaContentType0: 'image/jpeg' });
    expect(xml).toBe(
      `${X}<Response>${forwarded('look', '<Media>https://api.twilio.com/media/ME1</Media>')}<Message>Thanks for the picture.</Message></Response>`,
    );
  });

  test('HELP answers the help text', async () => {
    expect(await text('help')).toBe(`${X}<Response>${forwarded('help')}<Message>Acme: reply HOURS for hours, STOP to stop.</Message></Response>`);
  });

  test('text in a reply cannot inject TwiML', async () => {
    expect(await text('</Body><Message to="+1900">pwn')).toContain(
      '<Body>From +15551230000: &lt;/Body&gt;&lt;Message to="+1900"&gt;pwn</Body>',
    );
  });
});

describe('the opt-out ledger', () => {
  beforeEach(() => {
    t = buildTestApp({}, undefined, settings);
  });

  test('STOP opts out without a reply of ours (Twilio answers it), then nothing is auto-replied until START', async () => {
    expect(await text('STOP')).toBe(`${X}<Response>${forwarded('STOP')}</Response>`);
    expect(await t.store.isOptedOut(THEM, OURS)).toBe(true);
    expect(await text('are you there?')).toBe(`${X}<Response>${forwarded('are you there?')}</Response>`);
    expect(await text('unstop')).toBe(`${X}<Response>${forwarded('unstop')}</Response>`);
    expect(await t.store.isOptedOut(THEM, OURS)).toBe(false);
    expect(await text('hi again')).toBe(`${X}<Response>${forwarded('hi again')}<Message>Thanks! We will reply soon.</Message></Response>`);

    const db = new Database(t.config.databasePath, { readonly: true });
    const sidPattern = expect.stringMatching(/^SM\d{32}$/);
    expect(db.prepare('SELECT our_number, their_number, action, keyword, source, message_sid FROM opt_out_events ORDER BY id').all()).toEqual([
      { our_number: OURS, their_number: THEM, action: 'opt-out', keyword: 'STOP', source: 'inbound-sms', message_sid: sidPattern },
      { our_number: OURS, their_number: THEM, action: 'opt-in', keyword: 'UNSTOP', source: 'inbound-sms', message_sid: sidPattern },
    ]);
    db.close();
  });

  test.each(['STOP', 'stopall', 'Unsubscribe', 'CANCEL', 'end', 'QUIT.'])('%s opts out', async (word) => {
    await text(word);
    expect(await t.store.isOptedOut(THEM, OURS)).toBe(true);
  });

  test('a configured opt-out reply is sent', async () => {
    await t.close();
    t = buildTestApp({}, undefined, parseSettings({ sms: { optOutReply: 'You are unsubscribed.', optInReply: 'Welcome back.' } }, 'test'));
    expect(await text('stop')).toBe(`${X}<Response><Message>You are unsubscribed.</Message></Response>`);
    expect(await text('START')).toBe(`${X}<Response><Message>Welcome back.</Message></Response>`);
  });

  test('with no config file, every message gets an empty response and is still recorded', async () => {
    await t.close();
    t = buildTestApp();
    expect(await text('hello')).toBe(`${X}<Response/>`);
    expect(await t.store.getMessage(`SM${String(sid).padStart(32, '0')}`)).toMatchObject({ body: 'hello', direction: 'inbound' });
  });
});
