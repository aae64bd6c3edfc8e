import { buildTestApp, type TestApp } from '../support/app';

let t: TestApp;
beforeEach(() => {
  t = buildTestApp();
});
afterEach(() => t.close());

describe('store reads the dashboard needs', () => {
  test('listBulkJobs: newest first, up to the limit', async () => {
    for (const [i, id] of ['job-a', 'job-b', 'job-c'].entries()) {
      t.clock.set(new Date(Date.UTC(2026, 0, 2, 3, i)));
      await t.store.createBulkJob({ id, params: { body: 'x' }, recipients: [{ id: `${id}-1`, kind: 'message', params: { to: '+15550000001' } }] });
    }
    const jobs = await t.store.listBulkJobs({ limit: 2 });
    expect(jobs).toEqual([
      { id: 'job-c', state: 'running', total: 1, params: { body: 'x' }, createdAt: '2026-01-02T03:02:00.000Z', updatedAt: '2026-01-02T03:02:00.000Z' },
      { id: 'job-b', state: 'running', total: 1, params: { body: 'x' }, createdAt: '2026-01-02T03:01:00.000Z', updatedAt: '2026-01-02T03:01:00.000Z' },
    ]);
  });

  test('listVoicemails with callSid: only that call, newest first', async () => {
    const base = { from: '+15550000001', to: '+15550000002', recordingUrl: null, duration: 3, source: 'flow:voicemail' };
    await t.store.saveVoicemail({ ...base, callSid: 'CA1', recordingSid: 'RE1' });
    await t.store.saveVoicemail({ ...base, callSid: 'CA2', recordingSid: 'RE2' });
    await t.store.saveVoicemail({ ...base, callSid: 'CA1', recordingSid: 'RE3' });
    expect((await t.store.listVoicemails({ limit: 10, callSid: 'CA1' })).map((v) => v.recordingSid)).toEqual(['RE3', 'RE1']);
    expect((await t.store.listVoicemails({ limit: 10 })).map((v) => v.recordingSid)).toEqual(['RE3', 'RE2', 'RE1']);
  });
});
