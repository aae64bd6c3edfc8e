import type { ContractContext } from './context';

/** Inbound calls and messages, voicemails and the opt-out ledger. */
export function recordsContract(ctx: ContractContext): void {
  describe('inbound records', () => {
    test('store an inbound call once, whatever later webhooks say', async () => {
      await ctx.store.recordInboundCall({ sid: 'CA1', from: '+15550001111', to: '+15550002222', status: 'ringing' });
      await ctx.store.recordInboundCall({ sid: 'CA1', from: '+1999', to: '+1888', status: 'in-progress' });
      expect(await ctx.rows('SELECT * FROM calls')).toEqual([
        {
          sid: 'CA1',
          direction: 'inbound',
          from_number: '+15550001111',
          to_number: '+15550002222',
          status: 'ringing',
          duration: null,
          price: null,
          price_unit: null,
          error_code: null,
          recording_url: null,
          answered_by: null,
          created_at: '2026-03-04T05:06:07.000Z',
          updated_at: '2026-03-04T05:06:07.000Z',
        },
      ]);
    });

    test('store an inbound message with its media, once', async () => {
      const message = { sid: 'SM1', from: '+15550001111', to: '+15550002222', body: 'héllo 👋', mediaUrls: ['https://m/1', 'https://m/2'] };
      await ctx.store.recordInboundMessage(message);
      await ctx.store.recordInboundMessage({ ...message, body: 'retry' });
      expect(await ctx.rows('SELECT * FROM messages')).toEqual([
        {
          sid: 'SM1',
          direction: 'inbound',
          from_number: '+15550001111',
          to_number: '+15550002222',
          body: 'héllo 👋',
          num_media: 2,
          media_urls: '["https://m/1","https://m/2"]',
          status: 'received',
          error_code: null,
          price: null,
          price_unit: null,
          created_at: '2026-03-04T05:06:07.000Z',
          updated_at: '2026-03-04T05:06:07.000Z',
        },
      ]);
      expect(await ctx.store.getMessage('SM1')).toEqual({
        sid: 'SM1',
        direction: 'inbound',
        from: '+15550001111',
        to: '+15550002222',
        body: 'héllo 👋',
        numMedia: 2,
        mediaUrls: ['https://m/1', 'https://m/2'],
        status: 'received',
        errorCode: null,
        price: null,
        priceUnit: null,
        createdAt: '2026-03-04T05:06:07.000Z',
        updatedAt: '2026-03-04T05:06:07.000Z',
      });
    });

    test('answer undefined for unknown sids', async () => {
      expect(await ctx.store.getCall('CAnope')).toBeUndefined();
      expect(await ctx.store.getMessage('SMnope')).toBeUndefined();
    });

    test('writes of one moment all land, each exactly once', async () => {
      const sids = Array.from({ length: 40 }, (_, i) => `CA${String(i).padStart(3, '0')}`);
      await Promise.all(sids.map((sid) => ctx.store.recordInboundCall({ sid, from: '+1', to: '+2', status: 'ringing' })));
      expect((await ctx.rows('SELECT sid FROM calls ORDER BY sid')).map((r) => r.sid)).toEqual(sids);
    });
  });

  describe('voicemails', () => {
    const base = { callSid: 'CA1', from: '+15550001111', to: '+15550002222', source: 'flow:voicemail' };

    test('are stored once per recording, filled in by later posts, never erased', async () => {
      await ctx.store.saveVoicemail({ ...base, recordingSid: 'RE1', recordingUrl: null, duration: null });
      await ctx.store.saveVoicemail({ ...base, recordingSid: 'RE1', recordingUrl: 'https://api.twilio.com/RE1', duration: 12 });
      const again = await ctx.store.saveVoicemail({ ...base, recordingSid: 'RE1', recordingUrl: null, duration: null });
      expect(again).toEqual({
        id: 1,
        ...base,
        recordingSid: 'RE1',
        recordingUrl: 'https://api.twilio.com/RE1',
        duration: 12,
        transcription: null,
        transcriptionStatus: null,
        createdAt: '2026-03-04T05:06:07.000Z',
        updatedAt: '2026-03-04T05:06:07.000Z',
      });
      expect(await ctx.rows('SELECT CAST(count(*) AS INTEGER) AS n FROM voicemails')).toEqual([{ n: 1 }]);
    });

    test('take their transcription, whichever arrives first', async () => {
      const early = await ctx.store.saveTranscription({ ...base, recordingSid: 'RE2', recordingUrl: 'https://r/RE2', text: 'call me back', status: 'completed' });
      expect(early).toMatchObject({ recordingSid: 'RE2', transcription: 'call me back', transcriptionStatus: 'completed', duration: null });
      const full = await ctx.store.saveVoicemail({ ...base, recordingSid: 'RE2', recordingUrl: 'https://r/RE2', duration: 7 });
      expect(full).toMatchObject({ transcription: 'call me back', duration: 7 });
      expect(await ctx.store.getVoicemailByRecording('RE2')).toEqual(full);
    });

    test('are listed newest first, a page at a time, for all calls or one', async () => {
      for (const sid of ['RE1', 'RE2', 'RE3']) await ctx.store.saveVoicemail({ ...base, recordingSid: sid, recordingUrl: null, duration: 1 });
      await ctx.store.saveVoicemail({ ...base, callSid: 'CA2', recordingSid: 'RE4', recordingUrl: null, duration: 1 });
      const first = await ctx.store.listVoicemails({ limit: 2 });
      expect(first.map((v) => v.recordingSid)).toEqual(['RE4', 'RE3']);
      const next = await ctx.store.listVoicemails({ limit: 2, before: first[1]?.id });
      expect(next.map((v) => v.recordingSid)).toEqual(['RE2', 'RE1']);
      expect((await ctx.store.listVoicemails({ limit: 10, callSid: 'CA1' })).map((v) => v.recordingSid)).toEqual(['RE3', 'RE2', 'RE1']);
    });
  });

  describe('opt-out ledger', () => {
    const pair = { ourNumber: '+15550002222', theirNumber: '+15550001111' };

    test('records every change with its time and keeps the current state per pair', async () => {
      const { store } = ctx;
      expect(await store.isOptedOut(pair.theirNumber)).toBe(false);
      const out = await store.applyOptChange({ ...pair, action: 'opt-out', keyword: 'STOP', source: 'inbound-sms', messageSid: 'SM1' });
      expect(out).toEqual({ ...pair, optedOut: true, updatedAt: '2026-03-04T05:06:07.000Z' });
      expect(await store.isOptedOut(pair.theirNumber, pair.ourNumber)).toBe(true);
      expect(await store.isOptedOut(pair.theirNumber)).toBe(true);
      expect(await store.isOptedOut(pair.theirNumber, '+15559999999')).toBe(false);
      expect(await store.isOptedOut('+15559999999')).toBe(false);
      const back = await store.applyOptChange({ ...pair, action: 'opt-in', keyword: 'START', source: 'inbound-sms', messageSid: 'SM2' });
      expect(back).toEqual({ ...pair, optedOut: false, updatedAt: '2026-03-04T05:06:07.000Z' });
      expect(await store.isOptedOut(pair.theirNumber)).toBe(false);
      expect(await ctx.rows('SELECT our_number, their_number, action, keyword, source, message_sid, created_at FROM opt_out_events ORDER BY id')).toEqual([
        { our_number: '+15550002222', their_number: '+15550001111', action: 'opt-out', keyword: 'STOP', source: 'inbound-sms', message_sid: 'SM1', created_at: '2026-03-04T05:06:07.000Z' },
        { our_number: '+15550002222', their_number: '+15550001111', action: 'opt-in', keyword: 'START', source: 'inbound-sms', message_sid: 'SM2', created_at: '2026-03-04T05:06:07.000Z' },
      ]);
      expect(await ctx.rows('SELECT * FROM opt_outs')).toEqual([{ our_number: '+15550002222', their_number: '+15550001111', opted_out: 0, updated_at: '2026-03-04T05:06:07.000Z' }]);
    });

    test('lists who is opted out now, most recent first', async () => {
      const { store } = ctx;
      await store.applyOptChange({ ...pair, action: 'opt-out', keyword: 'STOP', source: 'inbound-sms', messageSid: null });
      ctx.clock.set(new Date('2026-03-04T06:00:00.000Z'));
      await store.applyOptChange({ ourNumber: pair.ourNumber, theirNumber: '+15557778888', action: 'opt-out', keyword: 'STOP', source: 'api', messageSid: null });
      await store.applyOptChange({ ourNumber: pair.ourNumber, theirNumber: '+15553334444', action: 'opt-out', keyword: '21610', source: 'twilio-error', messageSid: null });
      await store.applyOptChange({ ourNumber: pair.ourNumber, theirNumber: '+15553334444', action: 'opt-in', keyword: 'UNSTOP', source: 'inbound-sms', messageSid: null });
      expect(await store.listOptedOut({ limit: 10 })).toEqual([
        { ourNumber: pair.ourNumber, theirNumber: '+15557778888', optedOut: true, updatedAt: '2026-03-04T06:00:00.000Z' },
        { ...pair, optedOut: true, updatedAt: '2026-03-04T05:06:07.000Z' },
      ]);
      expect(await store.listOptedOut({ limit: 1 })).toHaveLength(1);
    });
  });
}
