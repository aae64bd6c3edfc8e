import { parseCallStatus, parseMessageStatus, parseRecording, parseTranscription } from '../../../src/status';
import type { ContractContext } from './context';

const CALL = 'CA' + 'a'.repeat(32);
const MESSAGE = 'SM' + 'b'.repeat(32);
const RECORDING = 'RE' + 'c'.repeat(32);
const LATER = new Date('2026-03-04T05:10:00.000Z');

const callEvent = (status: string, sequence: number | undefined, extra: Record<string, string> = {}, token?: string) =>
  parseCallStatus({
    params: { CallSid: CALL, CallStatus: status, From: '+15550001111', To: '+15550002222', Direction: 'inbound', ...(sequence !== undefined && { SequenceNumber: String(sequence) }), ...extra },
    idempotencyToken: token,
  });
const messageEvent = (status: string, extra: Record<string, string> = {}) =>
  parseMessageStatus({ params: { MessageSid: MESSAGE, MessageStatus: status, From: '+15550002222', To: '+15550001111', ...extra }, idempotencyToken: undefined });

/** Status callbacks: stored once, and never moving a status backwards. */
export function statusContract(ctx: ContractContext): void {
  describe('call status callbacks', () => {
    test('update the call through its life; each event is kept with its raw parameters', async () => {
      await ctx.store.recordInboundCall({ sid: CALL, from: '+15550001111', to: '+15550002222', status: 'ringing' });
      await ctx.store.applyCallStatus(callEvent('in-progress', 1));
      ctx.clock.set(LATER);
      const final = callEvent('completed', 2, { CallDuration: '42', Price: '-0.0085', PriceUnit: 'USD' });
      expect(await ctx.store.applyCallStatus(final)).toEqual({
        duplicate: false,
        created: false,
        statusApplied: true,
        record: {
          sid: CALL, direction: 'inbound', from: '+15550001111', to: '+15550002222', status: 'completed', duration: 42, price: '-0.0085', priceUnit: 'USD',
          errorCode: null, recordingUrl: null, answeredBy: null, createdAt: '2026-03-04T05:06:07.000Z', updatedAt: LATER.toISOString(),
        },
      });
      expect(await ctx.rows('SELECT resource, sid, status, sequence_number, dedupe_key, params, received_at FROM status_events ORDER BY id')).toEqual([
        { resource: 'call', sid: CALL, status: 'in-progress', sequence_number: 1, dedupe_key: `call:${CALL}:in-progress:1`, params: JSON.stringify(callEvent('in-progress', 1).params), received_at: '2026-03-04T05:06:07.000Z' },
        { resource: 'call', sid: CALL, status: 'completed', sequence_number: 2, dedupe_key: `call:${CALL}:completed:2`, params: JSON.stringify(final.params), received_at: LATER.toISOString() },
      ]);
    });

    test('the same delivery twice is stored once and changes nothing', async () => {
      await ctx.store.applyCallStatus(callEvent('completed', 3, { CallDuration: '7' }, 'token-1'));
      ctx.clock.set(LATER);
      const again = await ctx.store.applyCallStatus(callEvent('completed', 3, { CallDuration: '9' }, 'token-1'));
      expect(again).toMatchObject({ duplicate: true, created: false, statusApplied: false, record: { duration: 7, updatedAt: '2026-03-04T05:06:07.000Z' } });
      expect(await ctx.rows('SELECT dedupe_key FROM status_events')).toEqual([{ dedupe_key: 'token:token-1' }]);
    });

    test('an event after the final one is stored but does not move the call back; it only fills gaps', async () => {
      await ctx.store.applyCallStatus(callEvent('ringing', 0));
      await ctx.store.applyCallStatus(callEvent('completed', 3, { CallDuration: '42' }));
      const late = await ctx.store.applyCallStatus(callEvent('in-progress', 2, { CallDuration: '1', AnsweredBy: 'human' }));
      expect(late).toMatchObject({ duplicate: false, statusApplied: false, record: { status: 'completed', duration: 42, answeredBy: 'human' } });
      expect(await ctx.rows('SELECT CAST(count(*) AS INTEGER) AS n FROM status_events')).toEqual([{ n: 3 }]);
    });

    test('at equal rank only a later SequenceNumber replaces the status', async () => {
      await ctx.store.applyCallStatus(callEvent('initiated', 1));
      expect(await ctx.store.applyCallStatus(callEvent('queued', 0))).toMatchObject({ statusApplied: false, record: { status: 'initiated' } });
      expect(await ctx.store.applyCallStatus(callEvent('queued', 2))).toMatchObject({ statusApplied: true, record: { status: 'queued' } });
    });

    test('a callback for a call never seen creates the row from its parameters', async () => {
      expect(await ctx.store.applyCallStatus(callEvent('ringing', 0, { Direction: 'outbound-api' }))).toMatchObject({
        created: true,
        statusApplied: true,
        record: { sid: CALL, direction: 'outbound-api', from: '+15550001111', to: '+15550002222', status: 'ringing' },
      });
    });

    test('callbacks of one moment, in any order, end in the furthest status', async () => {
      const events = [callEvent('completed', 4, { CallDuration: '30' }), callEvent('ringing', 1), callEvent('in-progress', 2), callEvent('initiated', 0)];
      await Promise.all(events.map((event) => ctx.store.applyCallStatus(event)));
      expect(await ctx.store.getCall(CALL)).toMatchObject({ status: 'completed', duration: 30 });
      expect((await ctx.store.getCallHistory(CALL))?.events).toHaveLength(4);
    });
  });

  describe('message status callbacks', () => {
    test('an unknown message is created, then follows queued → sent → delivered, and a late "sent" is ignored', async () => {
      expect(await ctx.store.applyMessageStatus(messageEvent('queued', { Body: 'hi' }))).toMatchObject({ created: true, record: { status: 'queued', body: 'hi', direction: 'outbound-api' } });
      await ctx.store.applyMessageStatus(messageEvent('sent'));
      ctx.clock.set(LATER);
      expect(await ctx.store.applyMessageStatus(messageEvent('undelivered', { ErrorCode: '30003' }))).toMatchObject({ statusApplied: true, record: { status: 'undelivered', errorCode: 30003 } });
      expect(await ctx.store.applyMessageStatus(messageEvent('sent', { SmsSid: 'x' }))).toMatchObject({ statusApplied: false, record: { status: 'undelivered', errorCode: 30003 } });
      expect(await ctx.rows('SELECT sid, status, error_code, body, updated_at FROM messages')).toEqual([
        { sid: MESSAGE, status: 'undelivered', error_code: 30003, body: 'hi', updated_at: LATER.toISOString() },
      ]);
    });

    test('update an inbound message without touching its body; a repeat is a duplicate', async () => {
      await ctx.store.recordInboundMessage({ sid: MESSAGE, from: '+15550001111', to: '+15550002222', body: 'hello', mediaUrls: [] });
      expect(await ctx.store.applyMessageStatus(messageEvent('delivered', { Body: 'other' }))).toMatchObject({ duplicate: false, created: false });
      expect(await ctx.store.applyMessageStatus(messageEvent('delivered'))).toMatchObject({ duplicate: true });
      expect(await ctx.store.getMessage(MESSAGE)).toMatchObject({ direction: 'inbound', body: 'hello' });
    });
  });

  describe('recordings and transcriptions', () => {
    const recording = (status: string, url: string | undefined, callSid: string | null = CALL) =>
      parseRecording({
        params: { RecordingSid: RECORDING, RecordingStatus: status, ...(callSid && { CallSid: callSid }), ...(url && { RecordingUrl: url }) },
        idempotencyToken: undefined,
      });

    test('a completed recording sets the call URL once; a retry is a duplicate; unusable ones set nothing', async () => {
      await ctx.store.recordInboundCall({ sid: CALL, from: '+1', to: '+2', status: 'ringing' });
      expect(await ctx.store.recordRecording(recording('in-progress', 'https://r/0'))).toEqual({ duplicate: false, callUpdated: false });
      expect(await ctx.store.recordRecording(recording('completed', 'https://r/1'))).toEqual({ duplicate: false, callUpdated: true });
      expect(await ctx.store.recordRecording(recording('completed', 'https://r/1'))).toEqual({ duplicate: true, callUpdated: false });
      expect((await ctx.store.getCall(CALL))?.recordingUrl).toBe('https://r/1');
    });

    test('for a call we do not know, only the event is stored, under the recording sid', async () => {
      expect(await ctx.store.recordRecording(recording('completed', 'https://r/1', null))).toEqual({ duplicate: false, callUpdated: false });
      expect(await ctx.rows('SELECT resource, sid FROM status_events')).toEqual([{ resource: 'recording', sid: RECORDING }]);
      expect(await ctx.rows('SELECT sid FROM calls')).toEqual([]);
    });

    test('a transcription event is stored once', async () => {
      const event = parseTranscription({ params: { CallSid: CALL, RecordingSid: RECORDING, TranscriptionStatus: 'completed' }, idempotencyToken: 'tr-1' });
      expect(await ctx.store.recordTranscription(event)).toEqual({ duplicate: false });
      expect(await ctx.store.recordTranscription(event)).toEqual({ duplicate: true });
    });
  });
}
