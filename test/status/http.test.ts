import express from 'express';
import request from 'supertest';
import { callbackErrorHandler } from '../../src/http/callback-response';
import { requestLogger } from '../../src/http/request-log';
import { buildTestApp, captureLogger, type TestApp } from '../support/app';
import { formBody, twilioSign } from '../support/twilio-sign';
import { CALL_SID, callParams, dbRows, MESSAGE_SID, messageParams, postCallback, RECORDING_SID } from './support';

const TOKEN = '12345678901234567890123456789012';
const BASE = 'https://switchboard.example.com';

let t: TestApp;
afterEach(() => t.close());

function eventCount(): number {
  return dbRows(t, 'SELECT count(*) AS n FROM status_events')[0]?.n as number;
}

describe('signature enforcement on /status', () => {
  beforeEach(() => {
    t = buildTestApp({ TWILIO_AUTH_TOKEN: TOKEN, PUBLIC_BASE_URL: BASE });
  });

  test('a callback signed for its public URL is stored', async () => {
    const pairs = Object.entries(callParams('completed', 2));
    const res = await request(t.app)
      .post('/status/call')
      .set('X-Twilio-Signature', twilioSign(TOKEN, `${BASE}/status/call`, pairs))
      .type('form')
      .send(formBody(pairs));
    expect(res.status).toBe(204);
    expect(eventCount()).toBe(1);
  });

  test('the query string is part of the signed URL', async () => {
    const pairs: Array<[string, string]> = [['RecordingSid', RECORDING_SID], ['CallSid', CALL_SID], ['TranscriptionStatus', 'completed']];
    const signedWithout = twilioSign(TOKEN, `${BASE}/status/transcription`, pairs);
    const refused = await request(t.app).post('/status/transcription?voicemail=flow').set('X-Twilio-Signature', signedWithout).type('form').send(formBody(pairs));
    expect(refused.status).toBe(403);
    const signed = twilioSign(TOKEN, `${BASE}/status/transcription?voicemail=flow`, pairs);
    const accepted = await request(t.app).post('/status/transcription?voicemail=flow').set('X-Twilio-Signature', signed).type('form').send(formBody(pairs));
    expect(accepted.status).toBe(204);
    expect(eventCount()).toBe(1);
  });

  test.each(['/status/call', '/status/message', '/status/recording', '/status/transcription'])(
    '%s refuses an unsigned or forged callback with 403 and stores nothing',
    async (path) => {
      const unsigned = await postCallback(t, path, callParams('completed', 2));
      expect(unsigned.status).toBe(403);
      expect(unsigned.text).toBe('missing X-Twilio-Signature header');
      const forged = await request(t.app)
        .post(path)
        .set('X-Twilio-Signature', twilioSign(TOKEN, `${BASE}${path}`, [['CallSid', 'CA1']]))
        .type('form')
        .send(formBody([['CallSid', 'CA2']]));
      expect(forged.status).toBe(403);
      expect(eventCount()).toBe(0);
    },
  );
});

describe('malformed callbacks', () => {
  beforeEach(() => {
    t = buildTestApp();
  });

  test.each([
    ['/status/call', { CallStatus: 'completed' }, 'CallSid is missing'],
    ['/status/call', { CallSid: CALL_SID }, 'CallStatus is missing'],
    ['/status/call', { CallSid: 'CA<1>', CallStatus: 'completed' }, 'CallSid is malformed'],
    ['/status/call', { CallSid: CALL_SID, CallStatus: 'Completed!' }, 'CallStatus is malformed'],
    ['/status/call', { CallSid: CALL_SID, CallStatus: 'completed', SequenceNumber: 'two' }, 'SequenceNumber must be a non-negative integer'],
    ['/status/call', { CallSid: CALL_SID, CallStatus: 'completed', CallDuration: '1.5' }, 'CallDuration must be a whole number of seconds'],
    ['/status/message', { MessageStatus: 'sent' }, 'MessageSid is missing'],
    ['/status/message', { MessageSid: MESSAGE_SID }, 'MessageStatus is missing'],
    ['/status/message', { MessageSid: MESSAGE_SID, MessageStatus: 'undelivered', ErrorCode: '3000x' }, 'ErrorCode must be a numeric error code'],
    ['/status/recording', { CallSid: CALL_SID, RecordingUrl: 'https://x' }, 'RecordingSid is missing'],
    ['/status/transcription', { CallSid: CALL_SID, TranscriptionText: 'hi' }, 'RecordingSid is missing'],
  ])('%s %j → 400 "%s", nothing stored', async (path, params, message) => {
    const res = await postCallback(t, path, params);
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(res.text).toBe(message);
    expect(eventCount()).toBe(0);
    expect(dbRows(t, 'SELECT count(*) AS n FROM calls')).toEqual([{ n: 0 }]);
    expect(dbRows(t, 'SELECT count(*) AS n FROM messages')).toEqual([{ n: 0 }]);
  });

  test('an empty parameter counts as absent', async () => {
    const res = await postCallback(t, '/status/message', messageParams('undelivered', { ErrorCode: '', Price: '' }));
    expect(res.status).toBe(204);
    expect(dbRows(t, 'SELECT error_code, price FROM messages')).toEqual([{ error_code: null, price: null }]);
  });

  test('an oversized callback gets a plain 413', async () => {
    const res = await request(t.app).post('/status/call').type('form').send(`CallSid=${'x'.repeat(101 * 1024)}`);
    expect(res.status).toBe(413);
    expect(res.text).not.toMatch(/<html/i);
  });
});

describe('failures', () => {
  test('a database failure answers 500 plain text with the request id, so Twilio retries', async () => {
    t = buildTestApp();
    await t.store.close();
    const res = await postCallback(t, '/status/call', callParams('completed', 2)).set('X-Request-Id', 'req-42');
    expect(res.status).toBe(500);
    expect(res.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(res.text).toBe('could not store the callback (request id req-42)');
    expect(t.logs.some((line) => line.msg === 'could not store callback; answered 500 so Twilio retries' && line.requestId === 'req-42')).toBe(true);
  });

  test('any other failure is logged and acknowledged with an empty 204, so Twilio does not retry', async () => {
    const { logger, lines } = captureLogger();
    const app = express();
    app.use(requestLogger(logger));
    app.post('/boom', () => {
      throw new Error('a bug');
    });
    app.use(callbackErrorHandler());
    const res = await request(app).post('/boom').set('X-Request-Id', 'req-7');
    expect(res.status).toBe(204);
    expect(res.text).toBe('');
    const logged = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(logged.some((line) => line.msg === 'callback handler failed; acknowledged so Twilio does not retry' && line.requestId === 'req-7')).toBe(true);
    t = buildTestApp();
  });
});
