import { InvalidCursorError, type Store } from '../../../src/store';
import { parseCallStatus, parseMessageStatus, parseRecording, parseTranscription } from '../../../src/status';
import type { ContractContext } from './context';

/** Pages of calls and messages, timelines, recent events. */
export function historyContract(ctx: ContractContext): void {
  describe('history', () => {
  beforeEach(() => ctx.clock.set(new Date('2026-02-01T00:00:00.000Z')));

  const at = (minute: number) => new Date(Date.UTC(2026, 1, 1, 0, minute));
  const sid = (prefix: string, n: number) => prefix + String(n).padStart(32, '0');

  /** Calls 1..n created a minute apart; even ones outbound to +1555000000n, odd ones inbound from it. */
  async function seedCalls(n: number): Promise<void> {
    for (let i = 1; i <= n; i++) {
      ctx.clock.set(at(i));
      const other = `+1555000000${i % 10}`;
      const outbound = i % 2 === 0;
      await ctx.store.applyCallStatus(
        parseCallStatus({
          params: {
            CallSid: sid('CA', i),
            CallStatus: i % 3 === 0 ? 'completed' : 'ringing',
            Direction: outbound ? 'outbound-api' : 'inbound',
            From: outbound ? '+15559990000' : other,
            To: outbound ? other : '+15559990000',
          },
          idempotencyToken: undefined,
        }),
      );
    }
  }

  async function sids(filter: Parameters<Store['listCalls']>[0]): Promise<string[]> {
    const page = await ctx.store.listCalls(filter);
    return page.items.map((call) => call.sid.slice(-2));
  }

  describe('listCalls', () => {
    test('newest first, ties on created_at broken by sid', async () => {
      await seedCalls(3);
      ctx.clock.set(at(3));
      await ctx.store.recordInboundCall({ sid: sid('CA', 99), from: '+1', to: '+2', status: 'ringing' });
      expect(await sids({})).toEqual(['99', '03', '02', '01']);
    });

    test('pages follow each other with the cursor and end with a null cursor', async () => {
      await seedCalls(5);
      const first = await ctx.store.listCalls({ limit: 2 });
      expect(first.items.map((c) => c.sid.slice(-2))).toEqual(['05', '04']);
      expect(first.nextCursor).toEqual(expect.any(String));
      const second = await ctx.store.listCalls({ limit: 2, cursor: first.nextCursor as string });
      expect(second.items.map((c) => c.sid.slice(-2))).toEqual(['03', '02']);
      const third = await ctx.store.listCalls({ limit: 2, cursor: second.nextCursor as string });
      expect(third.items.map((c) => c.sid.slice(-2))).toEqual(['01']);
      expect(third.nextCursor).toBeNull();
    });

    test('a page that ends exactly at the last row has no next cursor', async () => {
      await seedCalls(4);
      const first = await ctx.store.listCalls({ limit: 2 });
      const second = await ctx.store.listCalls({ limit: 2, cursor: first.nextCursor as string });
      expect(second.items.map((c) => c.sid.slice(-2))).toEqual(['02', '01']);
      expect(second.nextCursor).toBeNull();
    });

    test('rows added while paging do not shift later pages', async () => {
      await seedCalls(4);
      const first = await ctx.store.listCalls({ limit: 2 });
      ctx.clock.set(at(30));
      await ctx.store.recordInboundCall({ sid: sid('CA', 50), from: '+1', to: '+2', status: 'ringing' });
      expect(await sids({ limit: 2, cursor: first.nextCursor as string })).toEqual(['02', '01']);
    });

    test('filters by status, number (from or to), direction and created range, combined', async () => {
      await seedCalls(12);
      expect(await sids({ status: 'completed' })).toEqual(['12', '09', '06', '03']);
      expect(await sids({ number: '+15550000002' })).toEqual(['12', '02']);
      expect(await sids({ number: '+15550000003' })).toEqual(['03']);
      expect(await sids({ number: '+15559990000', limit: 3 })).toEqual(['12', '11', '10']);
      expect(await sids({ direction: 'inbound' })).toEqual(['11', '09', '07', '05', '03', '01']);
      expect(await sids({ since: at(10) })).toEqual(['12', '11', '10']);
      expect(await sids({ until: at(3) })).toEqual(['02', '01']);
      expect(await sids({ since: at(3), until: at(9), direction: 'outbound-api', status: 'completed' })).toEqual(['06']);
      expect(await sids({ status: 'busy' })).toEqual([]);
    });

    test('filters still apply on later pages', async () => {
      await seedCalls(12);
      const first = await ctx.store.listCalls({ direction: 'inbound', limit: 4 });
      expect(await sids({ direction: 'inbound', limit: 4, cursor: first.nextCursor as string })).toEqual(['03', '01']);
    });

    test('the page size defaults to 50 and is capped at 200', async () => {
      await seedCalls(205);
      expect((await ctx.store.listCalls()).items).toHaveLength(50);
      expect((await ctx.store.listCalls({ limit: 1000 })).items).toHaveLength(200);
      expect((await ctx.store.listCalls({ limit: 0 })).items).toHaveLength(1);
    });

    test.each(['nonsense', '', Buffer.from('["x","CA1"]').toString('base64url'), Buffer.from('{"a":1}').toString('base64url')])(
      'a cursor it did not hand out (%j) is refused with InvalidCursorError',
      async (cursor) => {
        await expect(ctx.store.listCalls({ cursor })).rejects.toBeInstanceOf(InvalidCursorError);
      },
    );
  });

  describe('listMessages', () => {
    test('newest first with the same filters and paging', async () => {
      for (let i = 1; i <= 3; i++) {
        ctx.clock.set(at(i));
        await ctx.store.applyMessageStatus(
          parseMessageStatus({
            params: { MessageSid: sid('SM', i), MessageStatus: i === 2 ? 'undelivered' : 'delivered', ErrorCode: i === 2 ? '30003' : '', To: `+1555000000${i}` },
            idempotencyToken: undefined,
          }),
        );
      }
      ctx.clock.set(at(4));
      await ctx.store.recordInboundMessage({ sid: sid('SM', 4), from: '+15550000001', to: '+15559990000', body: 'hello', mediaUrls: [] });
      const all = await ctx.store.listMessages({ limit: 3 });
      expect(all.items.map((m) => [m.sid.slice(-1), m.direction, m.status, m.errorCode])).toEqual([
        ['4', 'inbound', 'received', null],
        ['3', 'outbound-api', 'delivered', null],
        ['2', 'outbound-api', 'undelivered', 30003],
      ]);
      expect((await ctx.store.listMessages({ limit: 3, cursor: all.nextCursor as string })).items.map((m) => m.sid.slice(-1))).toEqual(['1']);
      expect((await ctx.store.listMessages({ number: '+15550000001' })).items.map((m) => m.sid.slice(-1))).toEqual(['4', '1']);
      expect((await ctx.store.listMessages({ status: 'undelivered' })).items.map((m) => m.sid.slice(-1))).toEqual(['2']);
    });
  });

  describe('histories', () => {
    const CALL = sid('CA', 7);
    const REC = sid('RE', 7);

    test('a call with its events oldest first (arrival order), recordings and transcriptions included', async () => {
      await ctx.store.recordInboundCall({ sid: CALL, from: '+15550000001', to: '+15559990000', status: 'ringing' });
      const events: Array<[string, Record<string, string>]> = [
        ['completed', { CallSid: CALL, CallStatus: 'completed', SequenceNumber: '2', CallDuration: '9' }],
        ['in-progress', { CallSid: CALL, CallStatus: 'in-progress', SequenceNumber: '1' }],
      ];
      for (const [index, [, params]] of events.entries()) {
        ctx.clock.set(at(index + 1));
        await ctx.store.applyCallStatus(parseCallStatus({ params, idempotencyToken: undefined }));
      }
      ctx.clock.set(at(5));
      await ctx.store.recordRecording(parseRecording({ params: { CallSid: CALL, RecordingSid: REC, RecordingStatus: 'completed', RecordingUrl: 'https://r' }, idempotencyToken: undefined }));
      ctx.clock.set(at(6));
      await ctx.store.recordTranscription(parseTranscription({ params: { CallSid: CALL, RecordingSid: REC, TranscriptionStatus: 'completed' }, idempotencyToken: 'tt' }));

      const history = await ctx.store.getCallHistory(CALL);
      expect(history?.call).toMatchObject({ sid: CALL, status: 'completed', duration: 9, recordingUrl: 'https://r' });
      expect(history?.events).toEqual([
        { id: 1, resource: 'call', sid: CALL, status: 'completed', sequenceNumber: 2, params: events[0]?.[1], receivedAt: at(1).toISOString() },
        { id: 2, resource: 'call', sid: CALL, status: 'in-progress', sequenceNumber: 1, params: events[1]?.[1], receivedAt: at(2).toISOString() },
        {
          id: 3,
          resource: 'recording',
          sid: CALL,
          status: 'completed',
          sequenceNumber: null,
          params: { CallSid: CALL, RecordingSid: REC, RecordingStatus: 'completed', RecordingUrl: 'https://r' },
          receivedAt: at(5).toISOString(),
        },
        {
          id: 4,
          resource: 'transcription',
          sid: CALL,
          status: 'completed',
          sequenceNumber: null,
          params: { CallSid: CALL, RecordingSid: REC, TranscriptionStatus: 'completed' },
          receivedAt: at(6).toISOString(),
        },
      ]);
      expect(await ctx.store.getCallHistory(sid('CA', 8))).toBeUndefined();
    });

    test('a message with its events; an unknown message is undefined', async () => {
      const MSG = sid('SM', 7);
      await ctx.store.applyMessageStatus(parseMessageStatus({ params: { MessageSid: MSG, MessageStatus: 'sent' }, idempotencyToken: undefined }));
      ctx.clock.set(at(1));
      await ctx.store.applyMessageStatus(parseMessageStatus({ params: { MessageSid: MSG, MessageStatus: 'failed', ErrorCode: '30007' }, idempotencyToken: undefined }));
      const history = await ctx.store.getMessageHistory(MSG);
      expect(history?.message).toMatchObject({ sid: MSG, status: 'failed', errorCode: 30007 });
      expect(history?.events.map((e) => [e.status, e.receivedAt, e.params.ErrorCode ?? null])).toEqual([
        ['sent', '2026-02-01T00:00:00.000Z', null],
        ['failed', at(1).toISOString(), '30007'],
      ]);
      expect(await ctx.store.getMessageHistory(sid('SM', 8))).toBeUndefined();
    });

    test('recent status events newest first, paged by id', async () => {
      await seedCalls(5);
      const first = await ctx.store.listStatusEvents({ limit: 2 });
      expect(first.map((e) => [e.id, e.sid.slice(-2)])).toEqual([
        [5, '05'],
        [4, '04'],
      ]);
      expect((await ctx.store.listStatusEvents({ limit: 2, before: 4 })).map((e) => e.id)).toEqual([3, 2]);
      expect((await ctx.store.listStatusEvents()).map((e) => e.id)).toEqual([5, 4, 3, 2, 1]);
    });
  });

  describe('apply results', () => {
    test('report created, applied and duplicate deliveries', async () => {
      const event = (status: string, seq: string) => parseCallStatus({ params: { CallSid: sid('CA', 1), CallStatus: status, SequenceNumber: seq }, idempotencyToken: undefined });
      expect(await ctx.store.applyCallStatus(event('ringing', '0'))).toMatchObject({ duplicate: false, created: true, statusApplied: true, record: { status: 'ringing' } });
      expect(await ctx.store.applyCallStatus(event('completed', '2'))).toMatchObject({ duplicate: false, created: false, statusApplied: true, record: { status: 'completed' } });
      expect(await ctx.store.applyCallStatus(event('in-progress', '1'))).toMatchObject({ duplicate: false, created: false, statusApplied: false, record: { status: 'completed' } });
      expect(await ctx.store.applyCallStatus(event('in-progress', '1'))).toMatchObject({ duplicate: true, created: false, statusApplied: false, record: { status: 'completed' } });
    });
  });

  });
}
