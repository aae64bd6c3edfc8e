import { CALL_ORDER, MESSAGE_ORDER, advances, nextCallState, nextMessageState, parseCallStatus, parseMessageStatus, type CallState } from '../../src/status';

const call = (status: string, sequence: number | null) => ({ status, sequence });

describe('call status order', () => {
  test.each([
    // current, event, applies
    [call('queued', 0), call('initiated', 1), true],
    [call('initiated', 1), call('queued', 0), false],
    [call('initiated', null), call('queued', 0), true],
    [call('initiated', 1), call('queued', null), false],
    [call('initiated', 0), call('ringing', 1), true],
    [call('ringing', 1), call('in-progress', 2), true],
    [call('ringing', 5), call('in-progress', 2), true],
    [call('in-progress', 2), call('ringing', 1), false],
    [call('in-progress', 2), call('completed', 3), true],
    [call('ringing', 1), call('no-answer', 2), true],
    [call('queued', 0), call('canceled', 1), true],
    [call('completed', 3), call('ringing', 1), false],
    [call('completed', 3), call('failed', 4), false],
    [call('busy', 1), call('completed', 2), false],
    [call('ringing', 1), call('answered', 2), false],
    [call('received', null), call('ringing', 0), true],
  ])('%j then %j → %s', (current, event, applies) => {
    expect(advances(CALL_ORDER, current, event)).toBe(applies);
  });
});

describe('message status order', () => {
  const msg = (status: string) => ({ status, sequence: null });
  test.each([
    ['accepted', 'queued', false],
    ['accepted', 'sending', true],
    ['queued', 'sent', true],
    ['sent', 'sending', false],
    ['sent', 'delivered', true],
    ['sent', 'undelivered', true],
    ['delivered', 'read', true],
    ['delivered', 'undelivered', false],
    ['read', 'delivered', false],
    ['undelivered', 'delivered', false],
    ['failed', 'read', false],
    ['scheduled', 'canceled', true],
    ['canceled', 'sent', false],
    ['received', 'delivered', false],
    ['sent', 'partially_delivered', false],
  ])('%s then %s → %s', (current, event, applies) => {
    expect(advances(MESSAGE_ORDER, msg(current), msg(event))).toBe(applies);
  });
});

describe('nextCallState', () => {
  const current: CallState = {
    status: 'in-progress',
    statusSequence: 2,
    duration: null,
    price: null,
    priceUnit: null,
    errorCode: null,
    recordingUrl: 'https://old',
    answeredBy: 'human',
  };
  const event = (params: Record<string, string>) => parseCallStatus({ params: { CallSid: 'CA1', ...params }, idempotencyToken: undefined });

  test('an advancing event takes the status and sequence, sets present fields and keeps absent ones', () => {
    expect(nextCallState(current, event({ CallStatus: 'completed', SequenceNumber: '3', CallDuration: '12', RecordingUrl: 'https://new' }))).toEqual({
      state: { ...current, status: 'completed', statusSequence: 3, duration: 12, recordingUrl: 'https://new' },
      statusApplied: true,
      changed: true,
    });
  });

  test('a stale event only fills gaps', () => {
    expect(nextCallState(current, event({ CallStatus: 'ringing', SequenceNumber: '1', AnsweredBy: 'machine_start', Price: '-0.01' }))).toEqual({
      state: { ...current, price: '-0.01' },
      statusApplied: false,
      changed: true,
    });
  });

  test('a stale event with nothing new changes nothing', () => {
    expect(nextCallState(current, event({ CallStatus: 'ringing', SequenceNumber: '1' }))).toEqual({ state: current, statusApplied: false, changed: false });
  });
});

describe('nextMessageState', () => {
  test('keeps a known error code when a later event carries none', () => {
    const event = parseMessageStatus({ params: { MessageSid: 'SM1', MessageStatus: 'read' }, idempotencyToken: undefined });
    expect(nextMessageState({ status: 'delivered', errorCode: 30003, price: null, priceUnit: null }, event)).toEqual({
      state: { status: 'read', errorCode: 30003, price: null, priceUnit: null },
      statusApplied: true,
      changed: true,
    });
  });
});

describe('dedupe keys', () => {
  test('use the idempotency token when present, else sid + status + sequence', () => {
    const params = { CallSid: 'CA1', CallStatus: 'ringing', SequenceNumber: '0' };
    expect(parseCallStatus({ params, idempotencyToken: 'abc' }).dedupeKey).toBe('token:abc');
    expect(parseCallStatus({ params, idempotencyToken: undefined }).dedupeKey).toBe('call:CA1:ringing:0');
    expect(parseCallStatus({ params, idempotencyToken: '  ' }).dedupeKey).toBe('call:CA1:ringing:0');
    expect(parseCallStatus({ params, idempotencyToken: 'x'.repeat(257) }).dedupeKey).toBe('call:CA1:ringing:0');
  });
});
