import { buildTestApp, type TestApp } from '../support/app';

let t: TestApp;
beforeEach(() => {
  t = buildTestApp();
});
afterEach(() => t.close());

const recipients = (job: string, n: number) =>
  Array.from({ length: n }, (_, i) => ({ id: `${job}-${i}`, kind: 'message' as const, params: { to: `+1555000000${i}` } }));

async function job(id: string, minute: number, n: number): Promise<void> {
  t.clock.set(new Date(Date.UTC(2026, 0, 2, 3, minute)));
  await t.store.createBulkJob({ id, params: { body: 'x' }, recipients: recipients(id, n) });
}

describe('dueJobRecipients', () => {
  test('the oldest running job first, each job in the order its recipients were given, up to the limit', async () => {
    // Created out of order on purpose: created_at decides, not insertion.
    await job('job-b', 2, 3);
    await job('job-a', 1, 3);
    const ids = async (limit: number) => (await t.store.dueJobRecipients('2026-01-02T04:00:00.000Z', limit)).map((r) => r.id);
    expect(await ids(4)).toEqual(['job-a-0', 'job-a-1', 'job-a-2', 'job-b-0']);
    expect(await ids(2)).toEqual(['job-a-0', 'job-a-1']);
    expect(await ids(10)).toEqual(['job-a-0', 'job-a-1', 'job-a-2', 'job-b-0', 'job-b-1', 'job-b-2']);
  });

  test('skips recipients in flight and those rescheduled for later, and jobs already completed', async () => {
    await job('job-a', 1, 3);
    await job('job-b', 2, 1);
    await t.store.markInFlight('job-a-0');
    await t.store.reschedule('job-a-1', '2026-01-02T05:00:00.000Z', 'rate limited');
    await t.store.markFailed('job-b-0', { status: 400, code: 21211, message: 'invalid To' });
    expect(await t.store.completeFinishedJobs()).toEqual(['job-b']);
    const due = async (at: string) => (await t.store.dueJobRecipients(at, 10)).map((r) => r.id);
    expect(await due('2026-01-02T04:00:00.000Z')).toEqual(['job-a-2']);
    expect(await due('2026-01-02T05:00:00.000Z')).toEqual(['job-a-1', 'job-a-2']);
  });
});
