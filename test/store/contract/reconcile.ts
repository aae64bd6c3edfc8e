import type { ContractContext } from './context';

const message = (id: string, to = '+15550000001') => ({ id, kind: 'message' as const, params: { to } });
const resource = (sid: string) => ({ kind: 'message' as const, sid, from: '+1', to: '+2', status: 'queued', body: 'x', mediaUrls: [] });
const gaveUp = (checkedAt: string) => ({ checkedAt, candidates: [], outcome: 'gave-up' as const, message: 'not sent' });
const SINCE = '2026-03-04T00:00:00.000Z';
const claim = (key: string) => ({ key, fingerprint: 'f', since: SINCE });
/** SQLite's and PostgreSQL's words for a second row taking a sid that one already holds. */
const SID_TAKEN = /^(UNIQUE constraint failed: outbound_requests\.twilio_sid|duplicate key value violates unique constraint "outbound_requests_by_sid")$/;

/** Reconciling unknown outcomes (ReconcileStore), and releasing an idempotency key. */
export function reconcileContract(ctx: ContractContext): void {
  describe('reconcile', () => {
    test('a sid belongs to one row: claimedSids sees it, and a second row cannot take it', async () => {
      for (const id of ['r1', 'r2']) await ctx.store.insertOutbound(message(id));
      await ctx.store.markSent('r1', { sid: 'SM1' }, resource('SM1'));

      expect(await ctx.store.claimedSids(['SM1', 'SM2'], 'r2')).toEqual(['SM1']);
      expect(await ctx.store.claimedSids(['SM1', 'SM2'], 'r1')).toEqual([]);
      expect(await ctx.store.claimedSids([], 'r2')).toEqual([]);
      // The error may come from another realm than the test's (jest workers), so it is read by its message.
      const refused = await ctx.store.markSent('r2', { sid: 'SM1' }, resource('SM1')).then(
        () => 'no error',
        (error: unknown) => (error as Error).message,
      );
      expect(refused).toMatch(SID_TAKEN);
      expect(await ctx.store.getOutbound('r2')).toMatchObject({ state: 'pending', twilioSid: null });
      expect(await ctx.rows("SELECT id, state, twilio_sid FROM outbound_requests ORDER BY id")).toEqual([
        { id: 'r1', state: 'sent', twilio_sid: 'SM1' },
        { id: 'r2', state: 'pending', twilio_sid: null },
      ]);
    });

    test('notes count look-ups and leave the state and updatedAt alone; listUnknown is oldest first; reopen only from not_sent', async () => {
      for (const id of ['u1', 'u2', 'p1']) await ctx.store.insertOutbound(message(id));
      await ctx.store.markUnknown('u1', 'outcome unknown (timeout)');
      await ctx.store.markUnknown('u2', 'outcome unknown (timeout)');
      expect((await ctx.store.listUnknown(10)).map((r) => r.id)).toEqual(['u1', 'u2']);
      expect((await ctx.store.listUnknown(1)).map((r) => r.id)).toEqual(['u1']);
      expect(await ctx.store.getReconciliation('u1')).toBeUndefined();
      expect(await ctx.store.getReconciliation('missing')).toBeUndefined();

      const before = await ctx.store.getOutbound('u1');
      ctx.clock.set(new Date('2026-03-04T06:00:00.000Z'));
      await ctx.store.noteReconciliation('u1', { checkedAt: 'T1', candidates: [], outcome: 'no-match', message: 'no match at Twilio yet' });
      await ctx.store.noteReconciliation('u1', { checkedAt: 'T2', candidates: ['SM1', 'SM2'], outcome: 'ambiguous', message: 'two' });
      expect(await ctx.store.getReconciliation('u1')).toEqual({ checkedAt: 'T2', checks: 2, candidates: ['SM1', 'SM2'], outcome: 'ambiguous', message: 'two' });
      expect(await ctx.store.getOutbound('u1')).toEqual(before);
      expect(await ctx.rows("SELECT id, state, updated_at, reconcile_checked_at, reconcile_checks, reconcile_candidates, reconcile_outcome, reconcile_message FROM outbound_requests WHERE id = 'u1'")).toEqual([
        {
          id: 'u1', state: 'unknown', updated_at: '2026-03-04T05:06:07.000Z', reconcile_checked_at: 'T2', reconcile_checks: 2,
          reconcile_candidates: '["SM1","SM2"]', reconcile_outcome: 'ambiguous', reconcile_message: 'two',
        },
      ]);

      expect(await ctx.store.reopenNotSent('u2')).toBeUndefined();
      expect(await ctx.store.markNotSent('u2', 'not sent', gaveUp('T3'))).toBe(true);
      expect(await ctx.store.getOutbound('u2')).toMatchObject({ state: 'not_sent', errorMessage: 'not sent', updatedAt: '2026-03-04T06:00:00.000Z' });
      ctx.clock.set(new Date('2026-03-04T07:00:00.000Z'));
      expect(await ctx.store.reopenNotSent('u2')).toMatchObject({ id: 'u2', state: 'pending', errorMessage: null, attempts: 0, updatedAt: '2026-03-04T07:00:00.000Z' });
      expect(await ctx.store.reopenNotSent('u2')).toBeUndefined();
      expect(await ctx.store.getReconciliation('u2')).toEqual({ checkedAt: 'T3', checks: 1, candidates: [], outcome: 'gave-up', message: 'not sent' });
    });

    test('markNotSent only from unknown, and once when two stores race', async () => {
      for (const id of ['u1', 's1']) await ctx.store.insertOutbound(message(id));
      await ctx.store.markUnknown('u1', 'outcome unknown (timeout)');
      await ctx.store.markSent('s1', { sid: 'SM9' }, resource('SM9'));
      expect(await ctx.store.markNotSent('s1', 'not sent', gaveUp('T1'))).toBe(false);
      expect(await ctx.store.getOutbound('s1')).toMatchObject({ state: 'sent', twilioSid: 'SM9' });

      const other = await ctx.openAnother();
      const results = await Promise.all([ctx.store.markNotSent('u1', 'not sent', gaveUp('T1')), other.markNotSent('u1', 'not sent', gaveUp('T1'))]);
      expect(results.sort()).toEqual([false, true]);
      expect(await ctx.rows("SELECT id, state, error_message, reconcile_checks, reconcile_outcome FROM outbound_requests ORDER BY id")).toEqual([
        { id: 's1', state: 'sent', error_message: null, reconcile_checks: 0, reconcile_outcome: null },
        { id: 'u1', state: 'not_sent', error_message: 'not sent', reconcile_checks: 1, reconcile_outcome: 'gave-up' },
      ]);
    });

    test('reopening a not_sent bulk recipient reruns its completed job; the job counts and lists not_sent', async () => {
      const recipients = ['+15550000001', '+15550000002'].map((to, i) => ({ id: `job_1-${i}`, kind: 'message' as const, params: { to } }));
      await ctx.store.createBulkJob({ id: 'job_1', params: { body: 'x' }, recipients });
      await ctx.store.markInFlight('job_1-0');
      await ctx.store.markSent('job_1-0', { sid: 'SM1' }, resource('SM1'));
      await ctx.store.markInFlight('job_1-1');
      await ctx.store.markUnknown('job_1-1', 'outcome unknown (timeout)');
      expect(await ctx.store.completeFinishedJobs()).toEqual(['job_1']);
      expect(await ctx.store.markNotSent('job_1-1', 'not sent: no match', gaveUp('T1'))).toBe(true);
      expect(await ctx.store.getBulkJob('job_1')).toMatchObject({
        state: 'completed',
        counts: { queued: 0, inFlight: 0, sent: 1, failed: 0, unknown: 0, notSent: 1, skippedOptedOut: 0 },
        failures: [{ to: '+15550000002', state: 'not_sent', errorStatus: null, errorCode: null, errorMessage: 'not sent: no match' }],
      });

      ctx.clock.set(new Date('2026-03-04T08:00:00.000Z'));
      expect(await ctx.store.reopenNotSent('job_1-1')).toMatchObject({ id: 'job_1-1', state: 'pending', jobId: 'job_1' });
      expect(await ctx.rows("SELECT id, state, updated_at FROM bulk_jobs")).toEqual([{ id: 'job_1', state: 'running', updated_at: '2026-03-04T08:00:00.000Z' }]);
      expect((await ctx.store.dueJobRecipients('2026-03-04T08:00:00.000Z', 10)).map((r) => r.id)).toEqual(['job_1-1']);
      expect(await ctx.store.completeFinishedJobs()).toEqual([]);
      expect((await ctx.store.getBulkJob('job_1'))?.counts).toEqual({ queued: 1, inFlight: 0, sent: 1, failed: 0, unknown: 0, notSent: 0, skippedOptedOut: 0 });
    });

    test('releaseIdempotency frees the key of that request only, and never a key with a saved answer', async () => {
      await ctx.store.insertOutbound(message('r1'), claim('free-me'));
      await ctx.store.releaseIdempotency('free-me', 'someone-else');
      expect((await ctx.store.findIdempotency('free-me', SINCE))?.requestId).toBe('r1');
      await ctx.store.releaseIdempotency('free-me', 'r1');
      expect(await ctx.store.findIdempotency('free-me', SINCE)).toBeUndefined();

      await ctx.store.insertOutbound(message('r2', '+15550000002'), claim('answered'));
      await ctx.store.saveIdempotentResponse('answered', 201, { sid: 'SM1' });
      await ctx.store.releaseIdempotency('answered', 'r2');
      expect(await ctx.store.findIdempotency('answered', SINCE)).toMatchObject({ requestId: 'r2', responseStatus: 201, responseBody: { sid: 'SM1' } });
      expect(await ctx.rows('SELECT key, request_id, response_status FROM api_idempotency ORDER BY key')).toEqual([
        { key: 'answered', request_id: 'r2', response_status: 201 },
      ]);
      // The freed key can be taken again, by a new request.
      expect(await ctx.store.insertOutbound(message('r3'), claim('free-me'))).toMatchObject({ created: { id: 'r3' } });
    });
  });
}
