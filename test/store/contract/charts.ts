import type { MessageStatusEvent, Store } from '../../../src/store';
import type { ContractContext } from './context';

const DAY = { since: '2026-01-02T00:00:00.000Z', until: '2026-01-03T00:00:00.000Z' };

function messageEvent(sid: string, status: string, errorCode: number | null = null): MessageStatusEvent {
  return {
    messageSid: sid,
    status,
    sequenceNumber: null,
    dedupeKey: `${sid}:${status}`,
    direction: null,
    from: '+15550000001',
    to: '+15550000002',
    body: null,
    errorCode,
    price: null,
    priceUnit: null,
    params: {},
  };
}

const messageSid = (n: number) => `SM${String(n).padStart(32, '0')}`;

/** An API message: outbox row, sent, then its status callbacks. */
async function apiMessage(store: Store, n: number, statuses: Array<[string, number?]>): Promise<void> {
  const sid = messageSid(n);
  await store.insertOutbound({ id: `req-${n}`, kind: 'message', params: { to: '+15550000002' } });
  await store.markInFlight(`req-${n}`);
  await store.markSent(`req-${n}`, { sid }, { kind: 'message', sid, from: '+15550000001', to: '+15550000002', status: 'queued', body: 'hi', mediaUrls: [] });
  for (const [status, code] of statuses) await store.applyMessageStatus(messageEvent(sid, status, code ?? null));
}

/** The dashboard's charts (ChartStore): counts kept as rows come and change, read per bucket. */
export function chartsContract(ctx: ContractContext): void {
  describe('charts', () => {
    const at = (iso: string) => ctx.clock.set(new Date(iso));

    test('activity per hour and per day, inbound and outbound, from every write path', async () => {
      at('2026-01-02T03:10:00.000Z');
      await ctx.store.recordInboundCall({ sid: 'CA1', from: '+1555', to: '+1666', status: 'ringing' });
      await ctx.store.recordInboundCall({ sid: 'CA1', from: '+1555', to: '+1666', status: 'ringing' }); // a retry: no new row, no count
      await ctx.store.recordInboundMessage({ sid: 'SMin1', from: '+1555', to: '+1666', body: 'hi', mediaUrls: [] });
      at('2026-01-02T05:59:59.999Z');
      await apiMessage(ctx.store, 1, []);
      await ctx.store.recordInboundCall({ sid: 'CA2', from: '+1555', to: '+1666', status: 'ringing' });
      expect(await ctx.store.activity('calls', 'hour', DAY)).toEqual([
        { bucket: '2026-01-02T03', direction: 'inbound', count: 1 },
        { bucket: '2026-01-02T05', direction: 'inbound', count: 1 },
      ]);
      expect(await ctx.store.activity('messages', 'hour', DAY)).toEqual([
        { bucket: '2026-01-02T03', direction: 'inbound', count: 1 },
        { bucket: '2026-01-02T05', direction: 'outbound', count: 1 },
      ]);
      expect(await ctx.store.activity('messages', 'day', DAY)).toEqual([
        { bucket: '2026-01-02', direction: 'inbound', count: 1 },
        { bucket: '2026-01-02', direction: 'outbound', count: 1 },
      ]);
      // The range's end is excluded.
      expect(await ctx.store.activity('calls', 'hour', { since: '2026-01-02T04:00:00.000Z', until: '2026-01-02T05:00:00.000Z' })).toEqual([]);
    });

    test('delivery outcomes follow each message to its last status; error codes count each message once', async () => {
      at('2026-01-02T10:00:00.000Z');
      await apiMessage(ctx.store, 1, [['sent'], ['delivered']]);
      await apiMessage(ctx.store, 2, [['sent'], ['undelivered', 30003]]);
      await apiMessage(ctx.store, 3, [['failed', 30007]]);
      await apiMessage(ctx.store, 4, [['sent']]);
      await apiMessage(ctx.store, 5, [['sent'], ['failed', 30007]]);
      await apiMessage(ctx.store, 6, [['delivered'], ['failed', 30005]]); // delivered is final: the store keeps it
      expect(await ctx.store.deliveryOutcomes(DAY)).toEqual([
        { status: 'delivered', count: 2 },
        { status: 'failed', count: 2 },
        { status: 'undelivered', count: 1 },
      ]);
      // A change between final statuses (written by hand here; the store never moves them) moves the count.
      await ctx.exec(`UPDATE messages SET status = 'undelivered' WHERE sid = '${messageSid(1)}'`);
      expect(await ctx.store.deliveryOutcomes(DAY)).toEqual([
        { status: 'delivered', count: 1 },
        { status: 'failed', count: 2 },
        { status: 'undelivered', count: 2 },
      ]);
      await ctx.store.applyCallStatus({
        callSid: 'CA9', status: 'failed', sequenceNumber: 1, dedupeKey: 'CA9:failed', direction: 'outbound-api', from: '+1', to: '+2',
        duration: null, price: null, priceUnit: null, errorCode: 30007, recordingUrl: null, answeredBy: null, params: {},
      });
      expect(await ctx.store.topErrorCodes(DAY, 10)).toEqual([
        { code: 30007, calls: 1, messages: 2 },
        { code: 30003, calls: 0, messages: 1 },
        // The store fills in a code that comes with a refused status change, and so do the counts.
        { code: 30005, calls: 0, messages: 1 },
      ]);
      expect(await ctx.store.topErrorCodes(DAY, 1)).toEqual([{ code: 30007, calls: 1, messages: 2 }]);
      // A code changed or cleared by hand moves out of its old count; counts at 0 are not shown.
      await ctx.exec(`UPDATE messages SET error_code = 30003 WHERE sid = '${messageSid(6)}'`);
      await ctx.exec(`UPDATE calls SET error_code = NULL WHERE sid = 'CA9'`);
      expect(await ctx.store.topErrorCodes(DAY, 10)).toEqual([
        { code: 30003, calls: 0, messages: 2 },
        { code: 30007, calls: 0, messages: 2 },
      ]);
      expect(await ctx.store.deliveryOutcomes({ since: '2026-01-03T00:00:00.000Z', until: '2026-01-04T00:00:00.000Z' })).toEqual([]);
    });

    test("a bulk job's recipients per minute, by outcome, when they finish", async () => {
      at('2026-01-02T03:00:00.000Z');
      const recipients = [1, 2, 3, 4].map((n) => ({ id: `job-r${n}`, kind: 'message' as const, params: { to: `+1555000000${n}` } }));
      await ctx.store.createBulkJob({ id: 'job-1', params: { body: 'x' }, recipients });
      at('2026-01-02T03:00:30.000Z');
      await ctx.store.markInFlight('job-r1');
      await ctx.store.markSent('job-r1', { sid: 'SMj1' }, { kind: 'message', sid: 'SMj1', from: '+1', to: '+2', status: 'queued', body: 'x', mediaUrls: [] });
      await ctx.store.markInFlight('job-r2');
      await ctx.store.markFailed('job-r2', { status: 400, code: 21211, message: 'invalid number' });
      at('2026-01-02T03:02:10.000Z');
      await ctx.store.markInFlight('job-r3');
      await ctx.store.markUnknown('job-r3', 'timed out');
      expect(await ctx.store.jobProgress('job-1', 'minute')).toEqual([
        { bucket: '2026-01-02T03:00', state: 'failed', count: 1 },
        { bucket: '2026-01-02T03:00', state: 'sent', count: 1 },
        { bucket: '2026-01-02T03:02', state: 'unknown', count: 1 },
      ]);
      expect(await ctx.store.jobProgress('job-1', 'hour')).toEqual([
        { bucket: '2026-01-02T03', state: 'failed', count: 1 },
        { bucket: '2026-01-02T03', state: 'sent', count: 1 },
        { bucket: '2026-01-02T03', state: 'unknown', count: 1 },
      ]);
      // An unknown outcome settled later (as the reconciler does) leaves its old minute for the new one.
      await ctx.exec("UPDATE outbound_requests SET state = 'sent', updated_at = '2026-01-02T03:05:00.000Z' WHERE id = 'job-r3'");
      expect(await ctx.store.jobProgress('job-1', 'minute')).toEqual([
        { bucket: '2026-01-02T03:00', state: 'failed', count: 1 },
        { bucket: '2026-01-02T03:00', state: 'sent', count: 1 },
        { bucket: '2026-01-02T03:05', state: 'sent', count: 1 },
      ]);
      expect(await ctx.store.jobProgress('job-other', 'minute')).toEqual([]);
    });

    test('stores writing at once count every row once (no increment lost between them)', async () => {
      at('2026-01-02T03:10:00.000Z');
      const stores = [ctx.store, await ctx.openAnother(), await ctx.openAnother()];
      // 3 stores x 20 calls and 20 messages, all in one hour: the same count rows, written concurrently.
      await Promise.all(
        stores.flatMap((store, s) =>
          Array.from({ length: 20 }, (_, i) => [
            store.recordInboundCall({ sid: `CA-${s}-${i}`, from: '+1555', to: '+1666', status: 'ringing' }),
            store.recordInboundMessage({ sid: `SM-${s}-${i}`, from: '+1555', to: '+1666', body: 'hi', mediaUrls: [] }),
          ]).flat(),
        ),
      );
      expect(await ctx.store.activity('calls', 'hour', DAY)).toEqual([{ bucket: '2026-01-02T03', direction: 'inbound', count: 60 }]);
      expect(await ctx.store.activity('messages', 'hour', DAY)).toEqual([{ bucket: '2026-01-02T03', direction: 'inbound', count: 60 }]);
    });
  });
}
