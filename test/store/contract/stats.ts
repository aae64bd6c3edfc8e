import type { ContractContext } from './context';

/** What /metrics reads on each scrape (StatsStore): the outbox backlog and the running bulk jobs. */
export function statsContract(ctx: ContractContext): void {
  describe('stats', () => {
    const recipients = (job: string, n: number) => Array.from({ length: n }, (_, i) => ({ id: `${job}-${i}`, kind: 'message' as const, params: { to: `+1555000000${i}` } }));
    const sent = (sid: string) => ({ kind: 'message' as const, sid, from: '+15005550006', to: '+15550001111', status: 'queued', body: 'hi', mediaUrls: [] });

    test('an empty database: nothing waiting, no running job', async () => {
      expect(await ctx.store.outboxBacklog()).toEqual({ pending: 0, inFlight: 0, unknown: 0 });
      expect(await ctx.store.runningBulkProgress()).toEqual({ jobs: 0, recipients: { queued: 0, inFlight: 0, sent: 0, failed: 0, unknown: 0 } });
    });

    test('counts each state exactly: the backlog over all requests, the progress over running jobs only', async () => {
      // Singles: 2 pending, 1 in flight, 1 unknown, 1 sent, 1 failed, 1 not_sent (final ones are not backlog).
      for (const id of ['p1', 'p2', 'f1', 'u1', 's1', 'x1', 'n1']) await ctx.store.insertOutbound({ id, kind: 'message', params: { to: '+15550001111' } });
      await ctx.store.markInFlight('f1');
      await ctx.store.markInFlight('u1');
      await ctx.store.markUnknown('u1', 'timed out');
      await ctx.store.markInFlight('s1');
      await ctx.store.markSent('s1', { sid: 'SMs1' }, sent('SMs1'));
      await ctx.store.markFailed('x1', { status: 400, code: 21211, message: 'invalid To' });
      await ctx.store.markInFlight('n1');
      await ctx.store.markUnknown('n1', 'timed out');
      await ctx.exec("UPDATE outbound_requests SET state = 'not_sent' WHERE id = 'n1'");

      // A running job of 6: 2 queued, 1 in flight, 1 sent, 1 failed, 1 unknown.
      await ctx.store.createBulkJob({ id: 'job-a', params: { body: 'x' }, recipients: recipients('job-a', 6) });
      await ctx.store.markInFlight('job-a-0');
      await ctx.store.markInFlight('job-a-1');
      await ctx.store.markSent('job-a-1', { sid: 'SMa1' }, sent('SMa1'));
      await ctx.store.markFailed('job-a-2', { status: null, code: null, message: 'opted out', skipReason: 'opted-out' });
      await ctx.store.markInFlight('job-a-3');
      await ctx.store.markUnknown('job-a-3', 'timed out');
      // A second running job of 2, both sent; a completed job, whose rows count as backlog but not as progress.
      await ctx.store.createBulkJob({ id: 'job-b', params: { body: 'x' }, recipients: recipients('job-b', 2) });
      for (const id of ['job-b-0', 'job-b-1']) {
        await ctx.store.markInFlight(id);
        await ctx.store.markSent(id, { sid: `SM${id}` }, sent(`SM${id}`));
      }
      await ctx.store.createBulkJob({ id: 'job-c', params: { body: 'x' }, recipients: recipients('job-c', 1) });
      await ctx.exec("UPDATE bulk_jobs SET state = 'completed' WHERE id = 'job-c'");

      expect(await ctx.store.outboxBacklog()).toEqual({ pending: 2 + 2 + 1, inFlight: 1 + 1, unknown: 1 + 1 });
      expect(await ctx.store.runningBulkProgress()).toEqual({ jobs: 2, recipients: { queued: 2, inFlight: 1, sent: 3, failed: 1, unknown: 1 } });
    });
  });
}
