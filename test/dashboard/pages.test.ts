import request from 'supertest';
import { buildTestApp, type TestApp } from '../support/app';
import { callParams, CALL_SID, MESSAGE_SID, messageParams, OUR_NUMBER, postCallback, RECORDING_SID, THEIR_NUMBER } from '../status/support';

const API_KEY = 'dashboard-key-0123456789abcdef';
const TOKEN = 'twilio-token-must-never-show-0001';

let t: TestApp;
beforeEach(() => {
  t = buildTestApp({ API_KEY, TWILIO_AUTH_TOKEN: TOKEN, WEBHOOK_VALIDATION: 'false' });
});
afterEach(() => t.close());

const get = (path: string) => request(t.app).get(path).auth('owner', API_KEY);

/** The rows of the first table body that is not a chart's numbers, as trimmed text cells. */
function tableRows(page: string): string[][] {
  const body = /<table>[\s\S]*?<tbody>([\s\S]*?)<\/tbody>/.exec(page)?.[1] ?? '';
  return [...body.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((row) =>
    [...(row[1] as string).matchAll(/<t[hd][^>]*>([\s\S]*?)<\/t[hd]>/g)].map((cell) => (cell[1] as string).replace(/<[^>]+>/g, '').trim()),
  );
}

/** Status callbacks for one call, `minute` minutes after 03:00, a second apart. */
async function seedCall(sid: string, from: string, minute: number, statuses: Array<[string, Record<string, string>?]>): Promise<void> {
  for (const [sequence, [status, extra]] of statuses.entries()) {
    t.clock.set(new Date(Date.parse('2026-01-02T03:00:00Z') + minute * 60_000 + sequence * 1000));
    await postCallback(t, '/status/call', { ...callParams(status, sequence, extra), CallSid: sid, From: from }).expect(204);
  }
}

describe('the calls page', () => {
  test('lists calls newest first with their status; filters by number, status, direction and day', async () => {
    const a = 'CA' + '0'.repeat(28) + '0001';
    const b = 'CA' + '0'.repeat(28) + '0002';
    await seedCall(a, '+15550000001', 1, [['ringing'], ['completed', { CallDuration: '42' }]]);
    await seedCall(b, '+15550000002', 2, [['ringing'], ['busy']]);
    const all = await get('/dashboard');
    expect(all.status).toBe(200);
    expect(tableRows(all.text)).toEqual([
      ['2026-01-02 03:02:00 UTC', b, 'inbound', '+15550000002', OUR_NUMBER, 'busy', '—', ''],
      ['2026-01-02 03:01:00 UTC', a, 'inbound', '+15550000001', OUR_NUMBER, 'completed', '42 s', ''],
    ]);
    expect(all.text).toContain('<caption>2 calls, newest first.</caption>');
    expect(all.text).toContain('<a href="/dashboard" aria-current="page">Calls</a>');

    const byNumber = await get('/dashboard?number=%2B15550000001&status=&direction=&since=&until=');
    expect(tableRows(byNumber.text).map((row) => row[1])).toEqual([a]);
    expect(byNumber.text).toContain('value="+15550000001"');
    // A hand-typed URL turns + into a space; the number is still read as E.164.
    expect(tableRows((await get('/dashboard?number=+15550000002')).text).map((row) => row[1])).toEqual([b]);
    expect(tableRows((await get('/dashboard?status=busy')).text).map((row) => row[1])).toEqual([b]);
    expect((await get('/dashboard?status=busy')).text).toContain('<option value="busy" selected>busy</option>');
    expect(tableRows((await get('/dashboard?direction=outbound-api')).text)).toEqual([]);
    expect(tableRows((await get('/dashboard?since=2026-01-02&until=2026-01-02')).text)).toHaveLength(2);
    expect(tableRows((await get('/dashboard?since=2026-01-03')).text)).toEqual([]);
    expect(tableRows((await get('/dashboard?until=2026-01-01')).text)).toEqual([]);
  });

  test.each([
    ['number=abc', 'Expected `number` to be an E.164 number (+15551234567), client:name or a sip: URI'],
    ['direction=sideways', 'Expected `direction` to be one of inbound, outbound-api, outbound-dial'],
    ['since=yesterday', 'Expected `since` to be an ISO 8601 date-time such as 2026-01-02T15:04:05Z'],
    ['until=2026-02-31', 'Expected `until` to be a date such as 2026-01-02'],
    ['cursor=not-a-cursor', 'Expected `cursor` to be the `nextCursor` of a previous page'],
  ])('a bad filter (%s) shows the reason with 400, keeps the form, and lists nothing', async (query, message) => {
    const res = await get(`/dashboard?${query}`);
    expect(res.status).toBe(400);
    expect(res.text).toContain(`<p class="error" role="alert">${message.replace(/</g, '&lt;')}</p>`);
    expect(res.text).toContain('<form class="filters" method="get" action="/dashboard"');
    expect(res.text).not.toContain('<tbody>');
  });

  test('a call page shows the status timeline from the stored callbacks, the recording player and the voicemail', async () => {
    await seedCall(CALL_SID, THEIR_NUMBER, 0, [['ringing'], ['in-progress'], ['completed', { CallDuration: '9' }]]);
    await postCallback(t, '/status/recording', {
      AccountSid: 'AC' + '0'.repeat(32),
      CallSid: CALL_SID,
      RecordingSid: RECORDING_SID,
      RecordingUrl: `https://api.twilio.com/2010-04-01/Accounts/AC${'0'.repeat(32)}/Recordings/${RECORDING_SID}`,
      RecordingStatus: 'completed',
      RecordingDuration: '6',
    }).expect(204);
    await t.store.saveTranscription({
      recordingSid: RECORDING_SID,
      callSid: CALL_SID,
      from: THEIR_NUMBER,
      to: OUR_NUMBER,
      recordingUrl: null,
      text: 'Please call me back <about the invoice>',
      status: 'completed',
      source: 'flow:voicemail',
    });
    const res = await get(`/dashboard/calls/${CALL_SID}`);
    expect(res.status).toBe(200);
    const timeline = /<ol class="timeline"[^>]*>([\s\S]*?)<\/ol>/.exec(res.text)?.[1] ?? '';
    const entries = [...timeline.matchAll(/<li>([^\n]*)/g)].map((m) => (m[1] as string).replace(/<[^>]+>/g, ''));
    expect(entries).toEqual([
      '2026-01-02 03:00:00 UTC — Call ringing #0',
      '2026-01-02 03:00:01 UTC — Call in-progress #1',
      '2026-01-02 03:00:02 UTC — Call completed #2 · CallDuration: 9',
      '2026-01-02 03:00:02 UTC — Recording completed · RecordingDuration: 6 · recording',
    ]);
    const audio = `https://api.twilio.com/2010-04-01/Accounts/AC${'0'.repeat(32)}/Recordings/${RECORDING_SID}.mp3`;
    expect(res.text).toContain(`<audio controls preload="none" src="${audio}">`);
    expect(res.text).toContain('<strong>Transcription:</strong> Please call me back &lt;about the invoice&gt;');
    expect(res.text).toContain('Enforce HTTP Auth on Media URLs');
    expect(res.text).not.toContain(TOKEN);
    expect(res.text).not.toContain(API_KEY);
  });

  test('an unknown call or page is a 404 page', async () => {
    const res = await get('/dashboard/calls/CAnope');
    expect(res.status).toBe(404);
    expect(res.text).toContain('No call CAnope in the history.');
    expect((await get('/dashboard/nothing-here')).status).toBe(404);
  });
});

describe('messages', () => {
  test('stored text is escaped everywhere, and a javascript: media URL is not made a link', async () => {
    await request(t.app)
      .post('/sms')
      .type('form')
      .send({ MessageSid: MESSAGE_SID, From: THEIR_NUMBER, To: OUR_NUMBER, Body: '<script>alert(1)</script> & "hi"', NumMedia: '1', MediaUrl0: 'javascript:alert(1)' });
    await postCallback(t, '/status/message', messageParams('delivered', { From: THEIR_NUMBER, To: OUR_NUMBER })).expect(204);
    const list = await get('/dashboard/messages');
    expect(list.text).not.toContain('<script>');
    expect(list.text).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;hi&quot; (+1 media)');
    const page = await get(`/dashboard/messages/${MESSAGE_SID}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('<p class="body">&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;hi&quot;</p>');
    expect(page.text).toContain('<li>javascript:alert(1)</li>');
    expect(page.text).not.toContain('href="javascript:');
    expect(page.text).toMatch(/— Message <span class="status good">delivered<\/span>/);
  });
});

describe('voicemails, opt-outs and bulk jobs', () => {
  test('voicemails newest first with transcription, paged with "Older"', async () => {
    for (let i = 1; i <= 51; i++) {
      await t.store.saveVoicemail({ callSid: `CA${String(i).padStart(32, '0')}`, recordingSid: `RE${i}`, from: THEIR_NUMBER, to: OUR_NUMBER, recordingUrl: null, duration: i, source: 'flow:voicemail' });
    }
    await t.store.saveTranscription({ recordingSid: 'RE51', callSid: `CA${'51'.padStart(32, '0')}`, from: THEIR_NUMBER, to: OUR_NUMBER, recordingUrl: null, text: 'latest one', status: 'completed', source: 'flow:voicemail' });
    const first = await get('/dashboard/voicemails');
    const rows = tableRows(first.text);
    expect(rows).toHaveLength(50);
    expect(rows[0]?.slice(3)).toEqual([`CA${'51'.padStart(32, '0')}`, '51 s', '—', 'latest one']);
    const older = /<a href="(\/dashboard\/voicemails\?before=\d+)" rel="next">Older →<\/a>/.exec(first.text)?.[1] as string;
    const second = await get(older);
    expect(tableRows(second.text).map((row) => row[4])).toEqual(['1 s']);
    expect(second.text).not.toContain('rel="next"');
    expect((await get('/dashboard/voicemails?before=abc')).status).toBe(400);
  });

  test('the opt-out list', async () => {
    await t.store.applyOptChange({ ourNumber: OUR_NUMBER, theirNumber: THEIR_NUMBER, action: 'opt-out', keyword: 'STOP', source: 'inbound-sms', messageSid: null });
    await t.store.applyOptChange({ ourNumber: OUR_NUMBER, theirNumber: '+15550009999', action: 'opt-out', keyword: 'STOP', source: 'inbound-sms', messageSid: null });
    await t.store.applyOptChange({ ourNumber: OUR_NUMBER, theirNumber: '+15550009999', action: 'opt-in', keyword: 'START', source: 'inbound-sms', messageSid: null });
    const res = await get('/dashboard/opt-outs');
    expect(tableRows(res.text)).toEqual([[THEIR_NUMBER, OUR_NUMBER, '2026-01-02 03:04:05 UTC']]);
  });

  test('bulk jobs with their progress, and a job page with its failures', async () => {
    const recipients = ['+15550000001', '+15550000002', '+15550000003'].map((to, i) => ({ id: `req-${i}`, kind: 'message' as const, params: { to, body: 'hi' } }));
    await t.store.createBulkJob({ id: 'job-1', params: { body: 'hi' }, recipients });
    await t.store.markInFlight('req-0');
    await t.store.markSent('req-0', { sid: 'SM1' }, { kind: 'message', sid: 'SM' + '1'.repeat(32), from: OUR_NUMBER, to: '+15550000001', status: 'queued', body: 'hi', mediaUrls: [] });
    await t.store.markInFlight('req-1');
    await t.store.markFailed('req-1', { status: 400, code: 21211, message: "The 'To' number is not a valid phone number." });
    const list = await get('/dashboard/jobs');
    expect(tableRows(list.text)).toEqual([['job-1', '2026-01-02 03:04:05 UTC', 'running', '2 / 3', '1', '1', '0', '1', '0']]);
    expect(list.text).toContain('<progress max="3" value="2" aria-label="Job job-1: 2 of 3 done"></progress>');
    const job = await get('/dashboard/jobs/job-1');
    expect(tableRows(job.text)).toEqual([['+15550000002', 'failed', '400', '21211', 'The &#39;To&#39; number is not a valid phone number.']]);
    expect((await get('/dashboard/jobs/nope')).status).toBe(404);
  });
});
