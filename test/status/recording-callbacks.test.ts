import { buildTestApp, type TestApp } from '../support/app';
import { CALL_SID, callParams, dbRows, OUR_NUMBER, postCallback, RECORDING_SID, THEIR_NUMBER, TRANSCRIPTION_SID, type Pairs } from './support';

let t: TestApp;
beforeEach(() => {
  t = buildTestApp();
});
afterEach(() => t.close());

const RECORDING_URL = `https://api.twilio.com/2010-04-01/Accounts/AC${'0'.repeat(32)}/Recordings/${RECORDING_SID}`;

function recordingParams(extra: Pairs = {}): Pairs {
  return {
    AccountSid: 'AC' + '0'.repeat(32),
    CallSid: CALL_SID,
    RecordingSid: RECORDING_SID,
    RecordingUrl: RECORDING_URL,
    RecordingStatus: 'completed',
    RecordingDuration: '14',
    RecordingChannels: '1',
    RecordingSource: 'RecordVerb',
    ...extra,
  };
}

function transcriptionParams(extra: Pairs = {}): Pairs {
  return {
    AccountSid: 'AC' + '0'.repeat(32),
    CallSid: CALL_SID,
    From: THEIR_NUMBER,
    To: OUR_NUMBER,
    RecordingSid: RECORDING_SID,
    RecordingUrl: RECORDING_URL,
    TranscriptionSid: TRANSCRIPTION_SID,
    TranscriptionStatus: 'completed',
    TranscriptionText: 'Call me back please.',
    ...extra,
  };
}

function voicemails() {
  return dbRows(t, 'SELECT call_sid, recording_sid, from_number, to_number, recording_url, duration, transcription, transcription_status, source FROM voicemails');
}

describe('POST /status/recording', () => {
  test('stores the event and sets the call recording URL as given; no voicemail is invented', async () => {
    await postCallback(t, '/status/call', callParams('in-progress', 1));
    expect((await postCallback(t, '/status/recording', recordingParams())).status).toBe(204);
    expect(dbRows(t, 'SELECT recording_url FROM calls')).toEqual([{ recording_url: RECORDING_URL }]);
    expect(dbRows(t, "SELECT resource, sid, status, dedupe_key FROM status_events WHERE resource = 'recording'")).toEqual([
      { resource: 'recording', sid: CALL_SID, status: 'completed', dedupe_key: `recording:${RECORDING_SID}:completed` },
    ]);
    expect(voicemails()).toEqual([]);
  });

  test('fills in the URL and duration of the voicemail of that recording', async () => {
    await t.store.saveVoicemail({ callSid: CALL_SID, recordingSid: RECORDING_SID, from: THEIR_NUMBER, to: OUR_NUMBER, recordingUrl: null, duration: null, source: 'flow' });
    await postCallback(t, '/status/recording', recordingParams());
    expect(voicemails()).toEqual([
      { call_sid: CALL_SID, recording_sid: RECORDING_SID, from_number: THEIR_NUMBER, to_number: OUR_NUMBER, recording_url: RECORDING_URL, duration: 14, transcription: null, transcription_status: null, source: 'flow' },
    ]);
  });

  test('an in-progress or failed recording sets no URL anywhere', async () => {
    await postCallback(t, '/status/call', callParams('in-progress', 1));
    await t.store.saveVoicemail({ callSid: CALL_SID, recordingSid: RECORDING_SID, from: THEIR_NUMBER, to: OUR_NUMBER, recordingUrl: null, duration: null, source: 'flow' });
    await postCallback(t, '/status/recording', recordingParams({ RecordingStatus: 'in-progress', RecordingDuration: '-1' }));
    await postCallback(t, '/status/recording', recordingParams({ RecordingStatus: 'failed', ErrorCode: '16104' }));
    expect(dbRows(t, 'SELECT recording_url FROM calls')).toEqual([{ recording_url: null }]);
    expect(voicemails()[0]).toMatchObject({ recording_url: null, duration: null });
    expect(dbRows(t, 'SELECT status FROM status_events WHERE resource = ? ORDER BY id', 'recording')).toEqual([{ status: 'in-progress' }, { status: 'failed' }]);
  });

  test('for a call we do not know, only the event is stored', async () => {
    await postCallback(t, '/status/recording', recordingParams());
    expect(dbRows(t, 'SELECT * FROM calls')).toEqual([]);
    expect(dbRows(t, 'SELECT count(*) AS n FROM status_events')).toEqual([{ n: 1 }]);
  });

  test('a retried recording callback is stored once', async () => {
    await postCallback(t, '/status/recording', recordingParams(), 'rec-token');
    await postCallback(t, '/status/recording', recordingParams(), 'rec-token');
    await postCallback(t, '/status/recording', recordingParams());
    await postCallback(t, '/status/recording', recordingParams());
    expect(dbRows(t, 'SELECT dedupe_key FROM status_events ORDER BY id').map((row) => row.dedupe_key)).toEqual([
      'token:rec-token',
      `recording:${RECORDING_SID}:completed`,
    ]);
  });
});

describe('POST /status/transcription', () => {
  test('attaches the text to the voicemail of that recording', async () => {
    await t.store.saveVoicemail({ callSid: CALL_SID, recordingSid: RECORDING_SID, from: THEIR_NUMBER, to: OUR_NUMBER, recordingUrl: RECORDING_URL, duration: 14, source: 'twimlet' });
    expect((await postCallback(t, '/status/transcription', transcriptionParams())).status).toBe(204);
    expect(voicemails()).toEqual([
      {
        call_sid: CALL_SID,
        recording_sid: RECORDING_SID,
        from_number: THEIR_NUMBER,
        to_number: OUR_NUMBER,
        recording_url: RECORDING_URL,
        duration: 14,
        transcription: 'Call me back please.',
        transcription_status: 'completed',
        source: 'twimlet',
      },
    ]);
    expect(dbRows(t, 'SELECT resource, sid, status, dedupe_key FROM status_events')).toEqual([
      { resource: 'transcription', sid: CALL_SID, status: 'completed', dedupe_key: `transcription:${TRANSCRIPTION_SID}:completed` },
    ]);
  });

  test('without a voicemail, only stores the event', async () => {
    await postCallback(t, '/status/transcription', transcriptionParams());
    expect(voicemails()).toEqual([]);
    expect(dbRows(t, 'SELECT count(*) AS n FROM status_events')).toEqual([{ n: 1 }]);
  });

  test('?voicemail=<source> creates the voicemail when the transcription arrives first', async () => {
    await postCallback(t, '/status/transcription?voicemail=flow', transcriptionParams());
    expect(voicemails()).toEqual([
      {
        call_sid: CALL_SID,
        recording_sid: RECORDING_SID,
        from_number: THEIR_NUMBER,
        to_number: OUR_NUMBER,
        recording_url: RECORDING_URL,
        duration: null,
        transcription: 'Call me back please.',
        transcription_status: 'completed',
        source: 'flow',
      },
    ]);
    // The recording callback that follows completes the same voicemail.
    await postCallback(t, '/status/recording', recordingParams());
    expect(voicemails()[0]).toMatchObject({ duration: 14, transcription: 'Call me back please.', source: 'flow' });
    expect(dbRows(t, 'SELECT count(*) AS n FROM voicemails')).toEqual([{ n: 1 }]);
  });

  test('a failed transcription records its status and keeps the voicemail text empty', async () => {
    await postCallback(t, '/status/transcription?voicemail=flow', transcriptionParams({ TranscriptionStatus: 'failed', TranscriptionText: '' }));
    expect(voicemails()[0]).toMatchObject({ transcription: null, transcription_status: 'failed' });
  });

  test('the numbers come from the call row when the callback lacks them', async () => {
    await postCallback(t, '/status/call', callParams('in-progress', 1));
    const { From: _from, To: _to, ...params } = transcriptionParams();
    await postCallback(t, '/status/transcription?voicemail=flow', params);
    expect(voicemails()[0]).toMatchObject({ from_number: THEIR_NUMBER, to_number: OUR_NUMBER });
  });

  test('a malformed voicemail source is refused and nothing is stored', async () => {
    const res = await postCallback(t, '/status/transcription?voicemail=%3Cscript%3E', transcriptionParams());
    expect(res.status).toBe(400);
    expect(res.text).toBe('voicemail is malformed');
    expect(dbRows(t, 'SELECT count(*) AS n FROM status_events')).toEqual([{ n: 0 }]);
  });
});
