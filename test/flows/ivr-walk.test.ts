import request from 'supertest';
import { loadSettingsFile } from '../../src/settings';
import { buildTestApp, type TestApp } from '../support/app';
import { formBody, twilioSign } from '../support/twilio-sign';
import path from 'node:path';

const TOKEN = 'abcdefabcdefabcdefabcdefabcdef12';
const BASE = 'https://acme.example.com';
const X = '<?xml version="1.0" encoding="UTF-8"?>';
const CALL: Array<[string, string]> = [
  ['CallSid', 'CA' + 'a'.repeat(32)],
  ['From', '+15551230000'],
  ['To', '+15005550001'],
  ['CallStatus', 'in-progress'],
];
const settings = loadSettingsFile(path.resolve(__dirname, '../../switchboard.config.example.json'), true);
// Wednesday 2026-01-07 10:00 in New York: open.
const OPEN = new Date('2026-01-07T15:00:00Z');

let t: TestApp;
beforeEach(() => {
  t = buildTestApp({ TWILIO_AUTH_TOKEN: TOKEN, PUBLIC_BASE_URL: BASE }, undefined, { settings });
  t.clock.set(OPEN);
});
afterEach(() => t.close());

/** Posts like Twilio: signed for the absolute URL, the call's parameters plus `extra`. */
async function twilioPost(url: string, extra: Array<[string, string]> = []): Promise<string> {
  const pairs = [...CALL, ...extra];
  const res = await request(t.app)
    .post(url.slice(BASE.length))
    .set('X-Twilio-Signature', twilioSign(TOKEN, url, pairs))
    .type('form')
    .send(formBody(pairs));
  expect(res.status).toBe(200);
  expect(res.headers['content-type']).toBe('text/xml; charset=utf-8');
  return res.text;
}

const MAIN_MENU =
  X +
  '<Response><Say voice="Polly.Joanna" language="en-US">Thanks for calling Acme.</Say>' +
  `<Gather action="${BASE}/voice/node/main/gather?attempt=0" method="POST" input="dtmf speech" numDigits="1" timeout="6" hints="sales, support">` +
  '<Say voice="Polly.Joanna">For sales, press 1 or say sales. For support, press 2 or say support. To leave a message, press 3.</Say></Gather>' +
  `<Redirect method="POST">${BASE}/voice/node/main/gather?attempt=0</Redirect></Response>`;

const VOICEMAIL =
  X +
  '<Response><Say>Please leave your name, number and message after the beep.</Say>' +
  `<Record action="${BASE}/voice/node/voicemail/recorded" method="POST" maxLength="120" finishOnKey="#" playBeep="true" transcribe="true" ` +
  `transcribeCallback="${BASE}/status/transcription?voicemail=flow" recordingStatusCallback="${BASE}/status/recording"/><Hangup/></Response>`;

describe('a whole IVR call', () => {
  test('greeting, digit, sub-menu, ring group, no answer, voicemail, recording stored', async () => {
    expect(await twilioPost(`${BASE}/voice`)).toBe(MAIN_MENU);
    expect(await t.store.getCall('CA' + 'a'.repeat(32))).toMatchObject({ direction: 'inbound', from: '+15551230000' });

    expect(await twilioPost(`${BASE}/voice/node/main/gather?attempt=0`, [['Digits', '2']])).toBe(
      X +
        `<Response><Gather action="${BASE}/voice/node/support/gather?attempt=0" method="POST" input="dtmf" numDigits="1" timeout="5">` +
        '<Say>For billing, press 1. For technical support, press 2.</Say></Gather>' +
        `<Redirect method="POST">${BASE}/voice/node/support/gather?attempt=0</Redirect></Response>`,
    );

    expect(await twilioPost(`${BASE}/voice/node/support/gather?attempt=0`, [['Digits', '1']])).toBe(
      X +
        `<Response><Dial action="${BASE}/voice/node/support.1/dial-result" method="POST" timeout="25">` +
        '<Number>+15005550007</Number><Number>+15005550008</Number></Dial></Response>',
    );

    expect(await twilioPost(`${BASE}/voice/node/support.1/dial-result`, [['DialCallStatus', 'no-answer']])).toBe(VOICEMAIL);

    const recording: Array<[string, string]> = [
      ['RecordingSid', 'RE' + 'b'.repeat(32)],
      ['RecordingUrl', 'https://api.twilio.com/2010-04-01/Accounts/AC1/Recordings/RE' + 'b'.repeat(32)],
      ['RecordingDuration', '14'],
      ['Digits', '#'],
    ];
    expect(await twilioPost(`${BASE}/voice/node/voicemail/recorded`, recording)).toBe(
      X + '<Response><Say>Thank you for your message. Goodbye.</Say><Hangup/></Response>',
    );
    expect(await t.store.getVoicemailByRecording('RE' + 'b'.repeat(32))).toEqual({
      id: 1,
      callSid: 'CA' + 'a'.repeat(32),
      recordingSid: 'RE' + 'b'.repeat(32),
      from: '+15551230000',
      to: '+15005550001',
      recordingUrl: 'https://api.twilio.com/2010-04-01/Accounts/AC1/Recordings/RE' + 'b'.repeat(32),
      duration: 14,
      transcription: null,
      transcriptionStatus: null,
      source: 'flow:voicemail',
      createdAt: OPEN.toISOString(),
      updatedAt: OPEN.toISOString(),
    });

    // Twilio's recording status callback, then the transcription, land on the same voicemail.
    const recordingUrl = 'https://api.twilio.com/2010-04-01/Accounts/AC1/Recordings/RE' + 'b'.repeat(32);
    const callback = async (path: string, pairs: Array<[string, string]>) => {
      const res = await request(t.app)
        .post(path)
        .set('X-Twilio-Signature', twilioSign(TOKEN, `${BASE}${path}`, pairs))
        .type('form')
        .send(formBody(pairs));
      expect(res.status).toBe(204);
    };
    await callback('/status/recording', [
      ['AccountSid', 'AC' + '0'.repeat(32)],
      ['CallSid', 'CA' + 'a'.repeat(32)],
      ['RecordingSid', 'RE' + 'b'.repeat(32)],
      ['RecordingUrl', recordingUrl],
      ['RecordingStatus', 'completed'],
      ['RecordingDuration', '14'],
    ]);
    await callback('/status/transcription?voicemail=flow', [
      ['CallSid', 'CA' + 'a'.repeat(32)],
      ['RecordingSid', 'RE' + 'b'.repeat(32)],
      ['RecordingUrl', recordingUrl],
      ['TranscriptionSid', 'TR' + 'c'.repeat(32)],
      ['TranscriptionStatus', 'completed'],
      ['TranscriptionText', 'Hi, please call me back about my order.'],
    ]);
    expect(await t.store.getVoicemailByRecording('RE' + 'b'.repeat(32))).toMatchObject({
      id: 1,
      recordingUrl,
      duration: 14,
      transcription: 'Hi, please call me back about my order.',
      transcriptionStatus: 'completed',
    });
    expect((await t.store.getCall('CA' + 'a'.repeat(32)))?.recordingUrl).toBe(recordingUrl);
  });

  test('a spoken choice works like its digit', async () => {
    const xml = await twilioPost(`${BASE}/voice/node/main/gather?attempt=0`, [['SpeechResult', 'Sales, please.'], ['Confidence', '0.9']]);
    expect(xml).toBe(
      X +
        '<Response><Say>Connecting you to sales.</Say>' +
        `<Dial action="${BASE}/voice/node/sales/dial-result" method="POST" timeout="20" callerId="+15005550001"><Number>+15005550006</Number></Dial></Response>`,
    );
  });

  test('an answered forward ends the call', async () => {
    expect(await twilioPost(`${BASE}/voice/node/sales/dial-result`, [['DialCallStatus', 'completed']])).toBe(X + '<Response><Hangup/></Response>');
  });

  test('an inline conference option', async () => {
    expect(await twilioPost(`${BASE}/voice/node/main/gather?attempt=0`, [['Digits', '9']])).toBe(
      X + '<Response><Say>Joining the team room.</Say><Dial><Conference>acme-team</Conference></Dial></Response>',
    );
  });

  test('an external TwiML URL is a redirect', async () => {
    expect(await twilioPost(`${BASE}/voice/node/support/gather?attempt=0`, [['Digits', '2']])).toBe(
      X + '<Response><Redirect method="POST">https://example.com/tech-support.xml</Redirect></Response>',
    );
  });

  test('invalid or missing input re-prompts up to maxRetries, then takes the default', async () => {
    const retry = (attempt: number) =>
      X +
      '<Response><Say>Sorry, that is not an option.</Say>' +
      `<Gather action="${BASE}/voice/node/main/gather?attempt=${attempt}" method="POST" input="dtmf speech" numDigits="1" timeout="6" hints="sales, support">` +
      '<Say voice="Polly.Joanna">For sales, press 1 or say sales. For support, press 2 or say support. To leave a message, press 3.</Say></Gather>' +
      `<Redirect method="POST">${BASE}/voice/node/main/gather?attempt=${attempt}</Redirect></Response>`;
    expect(await twilioPost(`${BASE}/voice/node/main/gather?attempt=0`, [['Digits', '7']])).toBe(retry(1));
    expect(await twilioPost(`${BASE}/voice/node/main/gather?attempt=1`)).toBe(retry(2));
    expect(await twilioPost(`${BASE}/voice/node/main/gather?attempt=2`, [['Digits', '8']])).toBe(VOICEMAIL);
  });

  test('a step that no longer exists starts the flow over', async () => {
    expect(await twilioPost(`${BASE}/voice/node/removed/gather?attempt=0`, [['Digits', '1']])).toBe(MAIN_MENU);
    expect(t.logs.some((line) => line.msg === 'unknown flow step; starting the flow over' && line.node === 'removed')).toBe(true);
  });
});

describe('business hours', () => {
  test.each([
    ['Wednesday 08:59 New York', '2026-01-07T13:59:00Z', 'closed'],
    ['Wednesday 09:00 New York', '2026-01-07T14:00:00Z', 'open'],
    ['Friday lunch 12:30 New York', '2026-01-09T17:30:00Z', 'closed'],
    ['Friday 13:00 New York', '2026-01-09T18:00:00Z', 'open'],
    ['Saturday noon', '2026-01-10T17:00:00Z', 'closed'],
    ['Christmas Day, a Friday, 10:00', '2026-12-25T15:00:00Z', 'closed'],
    ['Summer time: Monday 16:59 EDT', '2026-07-06T20:59:00Z', 'open'],
    ['Summer time: Monday 17:00 EDT', '2026-07-06T21:00:00Z', 'closed'],
  ])('%s is %s', async (_label, iso, expected) => {
    t.clock.set(new Date(iso));
    const xml = await twilioPost(`${BASE}/voice`);
    if (expected === 'open') expect(xml).toBe(MAIN_MENU);
    else {
      expect(xml).toBe(
        X +
          '<Response><Say>Our office is closed. We are open Monday to Friday, nine to five.</Say>' +
          `<Redirect method="POST">${BASE}/voice/node/voicemail</Redirect></Response>`,
      );
    }
  });

  test('the after-hours message leads to voicemail', async () => {
    expect(await twilioPost(`${BASE}/voice/node/voicemail`)).toBe(VOICEMAIL);
  });
});
