import { Pruner } from '../../../src/retention/pruner';
import type { ContractContext } from './context';

export const NOW = new Date('2026-03-01T00:00:00.000Z');
// Retention 30 days: the cut is 2026-01-30T00:00:00Z.
const OLD = '2026-01-29T23:59:59.999Z';
const NEW = '2026-01-30T00:00:00.000Z';

/** SQL literal of a string (the seed is fixed text, written the same in both databases). */
const q = (value: string | null | undefined) => (value === null || value === undefined ? 'NULL' : `'${value}'`);

/** Every kind of row retention must delete or keep, on both sides of the cut. */
export function seedSql(): string {
  const statements: string[] = [];
  for (const [sid, at] of [['CA-old-1', OLD], ['CA-old-2', OLD], ['CA-old-3', OLD], ['CA-new', NEW]]) {
    statements.push(`INSERT INTO calls (sid, direction, from_number, to_number, status, created_at, updated_at) VALUES (${q(sid)}, 'inbound', '+15550001111', '+15550002222', 'completed', ${q(at)}, ${q(at)})`);
  }
  for (const [sid, at] of [['SM-old', OLD], ['SM-new', NEW]]) {
    statements.push(`INSERT INTO messages (sid, direction, from_number, to_number, body, status, created_at, updated_at) VALUES (${q(sid)}, 'inbound', '+15550001111', '+15550002222', 'hi', 'received', ${q(at)}, ${q(at)})`);
  }
  for (const [dedupe, at] of [['ev-old-1', OLD], ['ev-old-2', OLD], ['ev-new', NEW]]) {
    statements.push(`INSERT INTO status_events (resource, sid, status, dedupe_key, params, received_at) VALUES ('call', 'CA-x', 'completed', ${q(dedupe)}, '{}', ${q(at)})`);
  }
  for (const [recording, at] of [['RE-old', OLD], ['RE-new', NEW]]) {
    statements.push(`INSERT INTO voicemails (call_sid, recording_sid, from_number, to_number, source, created_at, updated_at) VALUES ('CA-x', ${q(recording)}, '+15550001111', '+15550002222', 'flow:vm', ${q(at)}, ${q(at)})`);
  }
  const requests: Array<[string, string, string | null, string]> = [
    ['r-pending', 'pending', null, OLD],
    ['r-in-flight', 'in_flight', null, OLD],
    ['r-unknown', 'unknown', null, OLD],
    ['r-sent', 'sent', null, OLD],
    ['r-failed', 'failed', null, OLD],
    ['r-not-sent', 'not_sent', null, OLD],
    ['r-sent-new', 'sent', null, NEW],
    ['r-not-sent-new', 'not_sent', null, NEW],
    ['running-sent', 'sent', 'job-running', OLD],
    ['running-pending', 'pending', 'job-running', OLD],
    ['done-sent', 'sent', 'job-done', OLD],
    ['done-failed', 'failed', 'job-done', OLD],
    ['done-unknown', 'unknown', 'job-done-unknown', OLD],
  ];
  for (const [id, state, jobId, at] of requests) {
    statements.push(`INSERT INTO outbound_requests (id, kind, params, state, job_id, created_at, updated_at) VALUES (${q(id)}, 'message', '{}', ${q(state)}, ${q(jobId)}, ${q(at)}, ${q(at)})`);
  }
  for (const [id, state, at] of [['job-running', 'running', OLD], ['job-done', 'completed', OLD], ['job-done-unknown', 'completed', OLD], ['job-done-new', 'completed', NEW]]) {
    statements.push(`INSERT INTO bulk_jobs (id, state, total, params, created_at, updated_at) VALUES (${q(id)}, ${q(state)}, 1, '{}', ${q(at)}, ${q(at)})`);
  }
  for (const [key, at] of [['key-old', OLD], ['key-new', NEW]]) statements.push(`INSERT INTO api_idempotency (key, fingerprint, created_at) VALUES (${q(key)}, 'f', ${q(at)})`);
  statements.push(`INSERT INTO opt_outs (our_number, their_number, opted_out, updated_at) VALUES ('+15550002222', '+15550001111', 1, ${q(OLD)})`);
  statements.push(`INSERT INTO opt_out_events (our_number, their_number, action, keyword, source, created_at) VALUES ('+15550002222', '+15550001111', 'opt-out', 'STOP', 'inbound-sms', ${q(OLD)})`);
  return statements.map((sql) => `${sql};`).join('\n');
}

/** History retention (RetentionStore.pruneHistory), through the Pruner that drives it. */
export function retentionContract(ctx: ContractContext): void {
  describe('retention', () => {
    const column = async (sql: string) => (await ctx.rows(sql)).map((row) => Object.values(row)[0]);

    beforeEach(async () => {
      ctx.clock.set(NOW);
      await ctx.exec(seedSql());
    });

    test('deletes history older than the retention period, batch by batch, and nothing it must keep', async () => {
      const logger = { info: jest.fn(), error: jest.fn() };
      const pruner = new Pruner({ store: ctx.store, clock: ctx.clock, logger, retentionDays: 30, batchSize: 2, pauseMs: 0 });
      expect(await pruner.runOnce()).toEqual({ calls: 3, messages: 1, statusEvents: 2, voicemails: 1, outbox: 5, bulkJobs: 1, idempotency: 1 });

      expect(await column('SELECT sid FROM calls ORDER BY sid')).toEqual(['CA-new']);
      expect(await column('SELECT sid FROM messages ORDER BY sid')).toEqual(['SM-new']);
      expect(await column('SELECT dedupe_key FROM status_events ORDER BY dedupe_key')).toEqual(['ev-new']);
      expect(await column('SELECT recording_sid FROM voicemails ORDER BY recording_sid')).toEqual(['RE-new']);
      // Not final, new, or part of a job still running: all kept.
      expect(await column('SELECT id FROM outbound_requests ORDER BY id')).toEqual([
        'done-unknown',
        'r-in-flight',
        'r-not-sent-new',
        'r-pending',
        'r-sent-new',
        'r-unknown',
        'running-pending',
        'running-sent',
      ]);
      // The finished job with an unknown request left keeps its job row; the running one is untouched.
      expect(await column('SELECT id FROM bulk_jobs ORDER BY id')).toEqual(['job-done-new', 'job-done-unknown', 'job-running']);
      expect(await column('SELECT key FROM api_idempotency')).toEqual(['key-new']);
      expect(await column('SELECT CAST(count(*) AS INTEGER) FROM opt_outs')).toEqual([1]);
      expect(await column('SELECT CAST(count(*) AS INTEGER) FROM opt_out_events')).toEqual([1]);

      // A second pass finds nothing more.
      expect(await pruner.runOnce()).toEqual({ calls: 0, messages: 0, statusEvents: 0, voicemails: 0, outbox: 0, bulkJobs: 0, idempotency: 0 });
      expect(logger.error).not.toHaveBeenCalled();
    });

    test('one batch deletes at most its limit, and a short batch means none is left', async () => {
      expect(await ctx.store.pruneHistory('calls', NEW, 2)).toBe(2);
      expect(await ctx.store.pruneHistory('calls', NEW, 2)).toBe(1);
      expect(await ctx.store.pruneHistory('calls', NEW, 2)).toBe(0);
      expect(await column('SELECT sid FROM calls ORDER BY sid')).toEqual(['CA-new']);
    });

    test('two stores pruning at once delete each old row once between them, and only those', async () => {
      const other = await ctx.openAnother();
      const counts = await Promise.all([ctx.store.pruneHistory('outbox', NEW, 100), other.pruneHistory('outbox', NEW, 100)]);
      expect(counts[0] + counts[1]).toBe(5);
      expect(await column("SELECT id FROM outbound_requests WHERE state IN ('sent', 'failed', 'not_sent') ORDER BY id")).toEqual(['r-not-sent-new', 'r-sent-new', 'running-sent']);
    });
  });
}
