import type { ContractContext } from './context';

const message = (id: string, to = '+15550001111') => ({ id, kind: 'message' as const, params: { to, from: '+15005550006', body: 'hi' } });
const recipients = (job: string, n: number) =>
  Array.from({ length: n }, (_, i) => ({ id: `${job}-${i}`, kind: 'message' as const, params: { to: `+1555000000${i}` } }));
const DAY_AGO = '2026-03-03T05:06:07.000Z';
const claim = (key: string, fingerprint = 'fp-1') => ({ key, fingerprint, since: DAY_AGO });
const sent = (sid: string) => ({ kind: 'message' as const, sid, from: '+15005550006', to: '+15550001111', status: 'queued', body: 'hi', mediaUrls: [] });

/** The outbox's state transitions, idempotency claims and bulk jobs. */
export function outboxContract(ctx: ContractContext): void {
  describe('outbox', () => {
    test('a request is written pending, exactly as given', async () => {
      const result = await ctx.store.insertOutbound(message('req_1'));
      const row = {
        id: 'req_1', kind: 'message', params: { to: '+15550001111', from: '+15005550006', body: 'hi' }, state: 'pending', attempts: 0, twilioSid: null, response: null,
        errorStatus: null, errorCode: null, errorMessage: null, jobId: null, skipReason: null, nextAttemptAt: null,
        createdAt: '2026-03-04T05:06:07.000Z', updatedAt: '2026-03-04T05:06:07.000Z',
      };
      expect(result).toEqual({ created: row });
      expect(await ctx.store.getOutbound('req_1')).toEqual(row);
      expect(await ctx.store.getOutbound('req_nope')).toBeUndefined();
    });

    test('pending → in_flight once; a second markInFlight is refused unless it is a retry', async () => {
      await ctx.store.insertOutbound(message('req_1'));
      await ctx.store.markInFlight('req_1');
      await expect(ctx.store.markInFlight('req_1')).rejects.toThrow('outbound request req_1 is not pending; not sending it');
      await ctx.store.markInFlight('req_1', true);
      expect(await ctx.store.getOutbound('req_1')).toMatchObject({ state: 'in_flight', attempts: 2 });
      await expect(ctx.store.markInFlight('req_nope')).rejects.toThrow('outbound request req_nope is not pending');
    });

    test('of two senders racing for one pending row, exactly one gets it', async () => {
      await ctx.store.insertOutbound(message('req_1'));
      const other = await ctx.openAnother();
      const results = await Promise.allSettled([ctx.store.markInFlight('req_1'), other.markInFlight('req_1')]);
      expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
      expect(await ctx.store.getOutbound('req_1')).toMatchObject({ state: 'in_flight', attempts: 1 });
    });

    test('sent records the sid and answer and adds the message to history; it is no longer pending', async () => {
      await ctx.store.insertOutbound(message('req_1'));
      await ctx.store.markInFlight('req_1');
      await ctx.store.markSent('req_1', { sid: 'SM1', status: 'queued' }, sent('SM1'));
      expect(await ctx.store.getOutbound('req_1')).toMatchObject({ state: 'sent', twilioSid: 'SM1', response: { sid: 'SM1', status: 'queued' }, attempts: 1 });
      expect(await ctx.store.getMessage('SM1')).toMatchObject({ direction: 'outbound-api', status: 'queued', body: 'hi', mediaUrls: [] });
      expect(await ctx.store.listPendingSingles(10)).toEqual([]);
    });

    test('markSent hands back the request as recorded, the same as reading it again', async () => {
      await ctx.store.insertOutbound(message('req_1'));
      await ctx.store.markInFlight('req_1');
      const recorded = await ctx.store.markSent('req_1', { sid: 'SM1', status: 'queued' }, sent('SM1'));
      expect(recorded).toMatchObject({ id: 'req_1', state: 'sent', twilioSid: 'SM1', attempts: 1 });
      expect(recorded).toEqual(await ctx.store.getOutbound('req_1'));
      await expect(ctx.store.markSent('req_nope', { sid: 'SM2' }, sent('SM2'))).resolves.toBeUndefined();
    });

    test('a call that was sent appears in call history', async () => {
      await ctx.store.insertOutbound({ id: 'req_c', kind: 'call', params: { to: '+15550001111' } });
      await ctx.store.markSent('req_c', { sid: 'CA1' }, { kind: 'call', sid: 'CA1', from: '+15005550006', to: '+15550001111', status: 'queued' });
      expect(await ctx.store.getCall('CA1')).toMatchObject({ direction: 'outbound-api', status: 'queued', from: '+15005550006' });
    });

    test('failed, unknown and rescheduled rows keep their reasons', async () => {
      for (const id of ['a', 'b', 'c', 'd']) await ctx.store.insertOutbound(message(id));
      await ctx.store.markFailed('a', { status: 400, code: 21211, message: 'invalid To', moreInfo: 'https://www.twilio.com/docs/errors/21211' });
      await ctx.store.markFailed('b', { status: null, code: null, message: 'opted out', skipReason: 'opted-out' });
      await ctx.store.markInFlight('c');
      await ctx.store.markUnknown('c', 'timed out');
      await ctx.store.reschedule('d', '2026-03-04T06:00:00.000Z', 'rate limited');
      expect(await ctx.store.getOutbound('a')).toMatchObject({ state: 'failed', errorStatus: 400, errorCode: 21211, errorMessage: 'invalid To', response: { more_info: 'https://www.twilio.com/docs/errors/21211' }, skipReason: null });
      expect(await ctx.store.getOutbound('b')).toMatchObject({ state: 'failed', skipReason: 'opted-out', response: null });
      expect(await ctx.store.getOutbound('c')).toMatchObject({ state: 'unknown', errorMessage: 'timed out', attempts: 1 });
      expect(await ctx.store.getOutbound('d')).toMatchObject({ state: 'pending', nextAttemptAt: '2026-03-04T06:00:00.000Z', errorMessage: 'rate limited' });
      // A row already decided is not brought back to pending.
      await ctx.store.reschedule('a', '2026-03-04T06:00:00.000Z', 'late');
      expect(await ctx.store.getOutbound('a')).toMatchObject({ state: 'failed', nextAttemptAt: null });
    });

    test('pending singles oldest first, without bulk recipients', async () => {
      ctx.clock.set(new Date('2026-03-04T05:07:00.000Z'));
      await ctx.store.insertOutbound(message('later'));
      ctx.clock.set(new Date('2026-03-04T05:06:00.000Z'));
      await ctx.store.insertOutbound(message('z-early'));
      await ctx.store.insertOutbound(message('a-early'));
      await ctx.store.createBulkJob({ id: 'job', params: {}, recipients: recipients('job', 2) });
      expect((await ctx.store.listPendingSingles(10)).map((r) => r.id)).toEqual(['z-early', 'a-early', 'later']);
      expect((await ctx.store.listPendingSingles(1)).map((r) => r.id)).toEqual(['z-early']);
    });

    test('after a crash, every in_flight row becomes unknown and is returned', async () => {
      // The instance that was sending has stopped; this one starts and recovers.
      const crashed = await ctx.openAnother();
      for (const id of ['a', 'b', 'c']) await crashed.insertOutbound(message(id));
      await crashed.markInFlight('a');
      await crashed.markInFlight('c');
      await crashed.close();
      const recovered = await ctx.store.recoverInterrupted('interrupted by a restart');
      expect(recovered.map((r) => [r.id, r.state])).toEqual([['a', 'in_flight'], ['c', 'in_flight']]);
      expect((await ctx.store.getOutbound('a'))?.state).toBe('unknown');
      expect((await ctx.store.getOutbound('b'))?.state).toBe('pending');
      expect(await ctx.store.getOutbound('c')).toMatchObject({ state: 'unknown', errorMessage: 'interrupted by a restart' });
      expect(await ctx.store.recoverInterrupted('again')).toEqual([]);
    });
  });

  describe('idempotency keys', () => {
    test('the first claim creates; a later one gets the holder, whatever it sends', async () => {
      const first = await ctx.store.insertOutbound(message('req_1'), claim('key-1'));
      expect('created' in first).toBe(true);
      const second = await ctx.store.insertOutbound(message('req_2'), claim('key-1', 'fp-other'));
      expect(second).toEqual({
        existing: { key: 'key-1', fingerprint: 'fp-1', requestId: 'req_1', jobId: null, responseStatus: null, responseBody: null, createdAt: '2026-03-04T05:06:07.000Z' },
      });
      expect(await ctx.store.getOutbound('req_2')).toBeUndefined();
    });

    test('claims of one moment on one key: exactly one creates', async () => {
      const other = await ctx.openAnother();
      const results = await Promise.all(
        Array.from({ length: 6 }, (_, i) => (i % 2 === 0 ? ctx.store : other).insertOutbound(message(`req_${i}`), claim('key-race'))),
      );
      const created = results.filter((r) => 'created' in r);
      expect(created).toHaveLength(1);
      const winner = 'created' in created[0]! ? created[0].created.id : '';
      for (const r of results) if ('existing' in r) expect(r.existing.requestId).toBe(winner);
      expect(await ctx.rows("SELECT id FROM outbound_requests")).toEqual([{ id: winner }]);
    });

    test('the response is saved once and found until the key expires; an expired key is released', async () => {
      await ctx.store.insertOutbound(message('req_1'), claim('key-1'));
      await ctx.store.saveIdempotentResponse('key-1', 201, { sid: 'SM1' });
      await ctx.store.saveIdempotentResponse('key-1', 500, { other: true });
      expect(await ctx.store.findIdempotency('key-1', DAY_AGO)).toMatchObject({ responseStatus: 201, responseBody: { sid: 'SM1' } });
      expect(await ctx.store.findIdempotency('key-1', '2026-03-05T00:00:00.000Z')).toBeUndefined();
      expect(await ctx.store.findIdempotency('key-nope', DAY_AGO)).toBeUndefined();
      ctx.clock.set(new Date('2026-03-05T06:00:00.000Z'));
      const again = await ctx.store.insertOutbound(message('req_2'), { key: 'key-1', fingerprint: 'fp-2', since: '2026-03-04T06:00:00.000Z' });
      expect('created' in again).toBe(true);
      expect(await ctx.store.findIdempotency('key-1', DAY_AGO)).toMatchObject({ requestId: 'req_2', fingerprint: 'fp-2', responseStatus: null });
    });

    test('a bulk job takes a key the same way', async () => {
      const first = await ctx.store.createBulkJob({ id: 'job_1', params: { body: 'x' }, recipients: recipients('job_1', 2) }, claim('bulk-key'));
      expect(first).toEqual({ created: { id: 'job_1', state: 'running', total: 2, params: { body: 'x' }, createdAt: '2026-03-04T05:06:07.000Z', updatedAt: '2026-03-04T05:06:07.000Z' } });
      const second = await ctx.store.createBulkJob({ id: 'job_2', params: {}, recipients: recipients('job_2', 3) }, claim('bulk-key'));
      expect(second).toMatchObject({ existing: { jobId: 'job_1', requestId: null } });
      expect(await ctx.store.getBulkJob('job_2')).toBeUndefined();
      expect(await ctx.rows("SELECT CAST(count(*) AS INTEGER) AS n FROM outbound_requests")).toEqual([{ n: 2 }]);
    });
  });

  describe('bulk jobs', () => {
    async function job(id: string, minute: number, n: number): Promise<void> {
      ctx.clock.set(new Date(Date.UTC(2026, 0, 2, 3, minute)));
      await ctx.store.createBulkJob({ id, params: { body: 'x' }, recipients: recipients(id, n) });
    }

    test('due recipients: the oldest running job first, each job in the order given, up to the limit', async () => {
      // Created out of order on purpose: created_at decides, not insertion.
      await job('job-b', 2, 3);
      await job('job-a', 1, 3);
      const ids = async (limit: number) => (await ctx.store.dueJobRecipients('2026-01-02T04:00:00.000Z', limit)).map((r) => r.id);
      expect(await ids(4)).toEqual(['job-a-0', 'job-a-1', 'job-a-2', 'job-b-0']);
      expect(await ids(2)).toEqual(['job-a-0', 'job-a-1']);
      expect(await ids(10)).toEqual(['job-a-0', 'job-a-1', 'job-a-2', 'job-b-0', 'job-b-1', 'job-b-2']);
    });

    test('due recipients skip those in flight, rescheduled for later, and jobs completed', async () => {
      await job('job-a', 1, 3);
      await job('job-b', 2, 1);
      await ctx.store.markInFlight('job-a-0');
      await ctx.store.reschedule('job-a-1', '2026-01-02T05:00:00.000Z', 'rate limited');
      await ctx.store.markFailed('job-b-0', { status: 400, code: 21211, message: 'invalid To' });
      expect(await ctx.store.completeFinishedJobs()).toEqual(['job-b']);
      expect(await ctx.store.completeFinishedJobs()).toEqual([]);
      const due = async (at: string) => (await ctx.store.dueJobRecipients(at, 10)).map((r) => r.id);
      expect(await due('2026-01-02T04:00:00.000Z')).toEqual(['job-a-2']);
      expect(await due('2026-01-02T05:00:00.000Z')).toEqual(['job-a-1', 'job-a-2']);
      expect(await ctx.store.nextJobAttemptAt()).toBe('2026-01-02T05:00:00.000Z');
    });

    test('progress counts every state and lists failures in submission order', async () => {
      await job('job', 1, 7);
      await ctx.store.markInFlight('job-0');
      await ctx.store.markSent('job-0', { sid: 'SM0' }, sent('SM0'));
      await ctx.store.markInFlight('job-1');
      await ctx.store.markFailed('job-2', { status: 400, code: 21211, message: 'invalid To' });
      await ctx.store.markFailed('job-3', { status: null, code: null, message: 'opted out', skipReason: 'opted-out' });
      await ctx.store.markInFlight('job-4');
      await ctx.store.markUnknown('job-4', 'timed out');
      expect(await ctx.store.getBulkJob('job')).toEqual({
        id: 'job',
        state: 'running',
        total: 7,
        params: { body: 'x' },
        createdAt: '2026-01-02T03:01:00.000Z',
        updatedAt: '2026-01-02T03:01:00.000Z',
        counts: { queued: 2, inFlight: 1, sent: 1, failed: 1, unknown: 1, notSent: 0, skippedOptedOut: 1 },
        failures: [
          { to: '+15550000002', state: 'failed', errorStatus: 400, errorCode: 21211, errorMessage: 'invalid To' },
          { to: '+15550000004', state: 'unknown', errorStatus: null, errorCode: null, errorMessage: 'timed out' },
        ],
      });
      expect(await ctx.store.getBulkJob('nope')).toBeUndefined();
      expect(await ctx.store.nextJobAttemptAt()).toBeUndefined();
    });

    test('jobs are listed most recent first', async () => {
      await job('job-old', 1, 1);
      await job('job-new', 5, 1);
      await job('job-mid', 3, 1);
      expect((await ctx.store.listBulkJobs({ limit: 10 })).map((j) => j.id)).toEqual(['job-new', 'job-mid', 'job-old']);
      expect((await ctx.store.listBulkJobs({ limit: 1 })).map((j) => j.id)).toEqual(['job-new']);
    });
  });
}
