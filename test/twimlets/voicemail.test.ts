import type { AddressInfo } from 'node:net';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { buildTestApp, type TestApp } from '../support/app';
import { doc, get, post } from './helpers';

interface Received {
  from: string;
  to: string[];
  subject: string;
  text: string;
}

let smtp: SMTPServer;
let smtpPort: number;
let inbox: Received[];
let waiters: Array<() => void>;

beforeAll(async () => {
  smtp = new SMTPServer({
    secure: false,
    disabledCommands: ['STARTTLS'],
    onAuth(auth, _session, callback) {
      if (auth.username === 'vm' && auth.password === 'hunter2-secret') callback(null, { user: 'vm' });
      else callback(new Error('Invalid username or password'));
    },
    onData(stream, session, callback) {
      simpleParser(stream).then((mail) => {
        inbox.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          subject: mail.subject ?? '',
          // mailparser ends the text with the message's final line break.
          text: (mail.text ?? '').replace(/\n$/, ''),
        });
        callback();
        for (const wake of waiters.splice(0)) wake();
      }, callback);
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
  smtpPort = (smtp.server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((resolve) => smtp.close(resolve)));

let t: TestApp;
beforeEach(() => {
  inbox = [];
  waiters = [];
  t = buildTestApp({
    PUBLIC_BASE_URL: 'https://sb.example.com',
    SMTP_URL: `smtp://vm:hunter2-secret@127.0.0.1:${smtpPort}`,
    SMTP_FROM: 'voicemail@sb.example.com',
  });
});
afterEach(() => t.close());

/** Resolves when `count` mails have arrived (the send runs after the answer). */
async function mails(count: number): Promise<Received[]> {
  for (let i = 0; i < 50 && inbox.length < count; i++) {
    await new Promise<void>((resolve) => {
      waiters.push(resolve);
      setTimeout(resolve, 200);
    });
  }
  return inbox;
}

const CALL = 'CA' + '1'.repeat(32);
const REC = 'RE' + '2'.repeat(32);
const REC_URL = 'https://api.twilio.com/2010-04-01/Accounts/AC1/Recordings/' + REC;
const THANKS = doc('<Response><Say>Thanks. Good bye.</Say><Hangup/></Response>');

describe('/twimlets/voicemail: greeting (live recordings VOICEMAIL-1-*)', () => {
  test.each([
    ['1-1 default greeting', 'Email=you%40example.com&Transcribe=false', '<Say>Please leave a message after the beep.</Say><Record/>'],
    ['1-2 text greeting', 'Email=you%40example.com&Message=Custom%20message&Transcribe=false', '<Say>Custom message</Say><Record/>'],
    ['1-3 recorded greeting', 'Email=you%40example.com&Message=https%3A%2F%2Fexample.com%2Frecorded-message.mp3&Transcribe=false', '<Play>https://example.com/recorded-message.mp3</Play><Record/>'],
    [
      '1-4 transcription on by default, callback absolute',
      'Email=you%40example.com',
      '<Say>Please leave a message after the beep.</Say><Record transcribe="true" transcribeCallback="https://sb.example.com/twimlets/voicemail?Email=you@example.com"/>',
    ],
    [
      'an address with + survives the callback URL',
      'Email=me%2Bvm%40example.com&Transcribe=TRUE',
      '<Say>Please leave a message after the beep.</Say><Record transcribe="true" transcribeCallback="https://sb.example.com/twimlets/voicemail?Email=me%2Bvm@example.com"/>',
    ],
  ])('%s', async (_name, query, body) => {
    expect((await get(t, `/twimlets/voicemail?${query}`)).text).toBe(doc(`<Response>${body}</Response>`));
  });

  test('a bad Email is a 400', async () => {
    const res = await get(t, '/twimlets/voicemail?Email=not-an-address');
    expect([res.status, res.text]).toEqual([400, 'Email must be an e-mail address, or several separated by commas']);
  });
});

describe('/twimlets/voicemail: driven as Twilio would', () => {
  test('without transcription: Record action stores the voicemail and mails the link', async () => {
    const path = '/twimlets/voicemail?Email=you%40example.com&Transcribe=false';
    await post(t, path, { CallSid: CALL, From: '+14155551212', To: '+15105550000' });
    const res = await post(t, path, {
      CallSid: CALL,
      From: '+14155551212',
      To: '+15105550000',
      RecordingUrl: REC_URL,
      RecordingSid: REC,
      RecordingDuration: '17',
    });
    expect(res.text).toBe(THANKS);
    expect(await t.store.getVoicemailByRecording(REC)).toEqual({
      id: 1,
      callSid: CALL,
      recordingSid: REC,
      from: '+14155551212',
      to: '+15105550000',
      recordingUrl: REC_URL,
      duration: 17,
      transcription: null,
      transcriptionStatus: null,
      source: 'twimlet:voicemail',
      createdAt: '2026-01-02T03:04:05.000Z',
      updatedAt: '2026-01-02T03:04:05.000Z',
    });
    expect(await mails(1)).toEqual([
      {
        from: 'voicemail@sb.example.com',
        to: ['you@example.com'],
        subject: 'New Voicemail Message from (415) 555-1212',
        text: `You have a new voicemail from (415) 555-1212\n\nClick this link to listen to the message:\n${REC_URL}.mp3`,
      },
    ]);
    expect(await t.store.getCall(CALL)).toMatchObject({ sid: CALL, from: '+14155551212' });
  });

  test('with transcription: no mail after the recording; the callback stores the text and mails it (empty 200)', async () => {
    const path = '/twimlets/voicemail?Email=you%40example.com';
    const recorded = await post(t, path, { CallSid: CALL, From: '+14155551212', To: '+15105550000', RecordingUrl: REC_URL, RecordingSid: REC, RecordingDuration: '9' });
    expect(recorded.text).toBe(THANKS);
    const callback = await post(t, path, {
      CallSid: CALL,
      From: '+14155551212',
      To: '+15105550000',
      RecordingUrl: REC_URL,
      RecordingSid: REC,
      TranscriptionSid: 'TR1',
      TranscriptionStatus: 'completed',
      TranscriptionText: 'Call me back',
    });
    expect([callback.status, callback.text]).toEqual([200, '']);
    expect(await t.store.getVoicemailByRecording(REC)).toMatchObject({
      duration: 9,
      transcription: 'Call me back',
      transcriptionStatus: 'completed',
      source: 'twimlet:voicemail',
    });
    const [mail] = await mails(1);
    expect(inbox).toHaveLength(1);
    expect(mail?.text).toBe(
      `You have a new voicemail from (415) 555-1212\n\nText of the transcribed voicemail:\nCall me back.\n\nClick this link to listen to the message:\n${REC_URL}.mp3`,
    );
  });

  test('a failed transcription still mails the link and records the status', async () => {
    await post(t, '/twimlets/voicemail?Email=a%40example.com,b%40example.com', {
      CallSid: CALL,
      From: '+19165550123',
      RecordingUrl: REC_URL,
      RecordingSid: REC,
      TranscriptionStatus: 'failed',
    });
    expect(await t.store.getVoicemailByRecording(REC)).toMatchObject({ transcription: null, transcriptionStatus: 'failed' });
    const [mail] = await mails(1);
    expect(mail?.to).toEqual(['a@example.com', 'b@example.com']);
    expect(mail?.text).toBe(`You have a new voicemail from (916) 555-0123\n\nClick this link to listen to the message:\n${REC_URL}.mp3`);
  });
});

describe('/twimlets/voicemail: mail failures', () => {
  test('a refused login is logged without the password; the caller and the database are unaffected', async () => {
    await t.close();
    t = buildTestApp({ SMTP_URL: `smtp://vm:wrong-password-42@127.0.0.1:${smtpPort}` });
    const res = await post(t, '/twimlets/voicemail?Email=you%40example.com&Transcribe=false', { CallSid: CALL, From: '+14155551212', RecordingUrl: REC_URL, RecordingSid: REC });
    expect(res.text).toBe(THANKS);
    expect(await t.store.getVoicemailByRecording(REC)).toMatchObject({ recordingUrl: REC_URL });
    for (let i = 0; i < 50 && !t.logs.some((l) => l.msg === 'voicemail e-mail failed'); i++) await new Promise((r) => setTimeout(r, 100));
    expect(t.logs.find((l) => l.msg === 'voicemail e-mail failed')).toMatchObject({ err: { message: 'could not send mail (SMTP 535)' } });
    expect(t.logText()).not.toContain('wrong-password-42');
    expect(inbox).toEqual([]);
  });

  test('without SMTP_URL the voicemail is only stored', async () => {
    await t.close();
    t = buildTestApp();
    const res = await post(t, '/twimlets/voicemail?Email=you%40example.com&Transcribe=false', { CallSid: CALL, RecordingUrl: REC_URL, RecordingSid: REC });
    expect(res.text).toBe(THANKS);
    expect(await t.store.listVoicemails({ limit: 10 })).toHaveLength(1);
    expect(t.logs.some((l) => l.msg === 'voicemail e-mail not sent: SMTP_URL is not set')).toBe(true);
  });
});
