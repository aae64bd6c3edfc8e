import { parseCallStatus } from '../../../src/status';
import type { ContractContext } from './context';

const CALL = 'CA' + 'e'.repeat(32);
const event = (status: string, sequence: number, extra: Record<string, string> = {}) =>
  parseCallStatus({ params: { CallSid: CALL, CallStatus: status, SequenceNumber: String(sequence), Direction: 'outbound-api', From: '+1', To: '+2', ...extra }, idempotencyToken: undefined });

/** Two stores over one database, as two instances behind a load balancer are. */
export function instancesContract(ctx: ContractContext): void {
  describe('two instances on one database', () => {
    test('an opt-out applied by one is seen by the other at once, and so is the opt-in', async () => {
      const a = ctx.store;
      const b = await ctx.openAnother();
      expect(await b.isOptedOut('+15550001111')).toBe(false);
      await a.applyOptChange({ ourNumber: '+15550002222', theirNumber: '+15550001111', action: 'opt-out', keyword: 'STOP', source: 'inbound-sms', messageSid: 'SM1' });
      expect(await b.isOptedOut('+15550001111', '+15550002222')).toBe(true);
      expect(await b.isOptedOut('+15550001111')).toBe(true);
      await b.applyOptChange({ ourNumber: '+15550002222', theirNumber: '+15550001111', action: 'opt-in', keyword: 'START', source: 'inbound-sms', messageSid: 'SM2' });
      expect(await a.isOptedOut('+15550001111')).toBe(false);
    });

    test('callbacks for one call reaching both out of order end in the furthest status, in one history', async () => {
      const a = ctx.store;
      const b = await ctx.openAnother();
      const events = [
        event('completed', 4, { CallDuration: '61' }),
        event('in-progress', 3),
        event('ringing', 2),
        event('initiated', 1),
        event('queued', 0),
        event('in-progress', 3), // Twilio's retry of a delivery, reaching the other instance
      ];
      const results = await Promise.all(events.map((e, i) => (i % 2 === 0 ? a : b).applyCallStatus(e)));
      expect(results.filter((r) => r.created)).toHaveLength(1);
      expect(results.filter((r) => r.duplicate)).toHaveLength(1);
      for (const store of [a, b]) {
        expect(await store.getCall(CALL)).toMatchObject({ status: 'completed', duration: 61 });
        const history = await store.getCallHistory(CALL);
        expect(history?.events.map((e) => e.status).sort()).toEqual(['completed', 'in-progress', 'initiated', 'queued', 'ringing']);
        expect((await store.listCalls({})).items.map((c) => c.sid)).toEqual([CALL]);
      }
    });

    test('what one writes, the other lists: the history is one', async () => {
      const a = ctx.store;
      const b = await ctx.openAnother();
      await a.recordInboundMessage({ sid: 'SM1', from: '+15550001111', to: '+15550002222', body: 'via a', mediaUrls: [] });
      ctx.clock.set(new Date('2026-03-04T05:07:00.000Z'));
      await b.recordInboundMessage({ sid: 'SM2', from: '+15550001111', to: '+15550002222', body: 'via b', mediaUrls: [] });
      for (const store of [a, b]) {
        expect((await store.listMessages({})).items.map((m) => [m.sid, m.body])).toEqual([['SM2', 'via b'], ['SM1', 'via a']]);
      }
    });
  });
}
