import { backoffDelay, connectPhaseCode, parseRetryAfter } from '../../src/twilio/retry';

describe('backoffDelay', () => {
  const policy = { baseDelayMs: 200, maxDelayMs: 1_000 };

  test('doubles the full-jitter ceiling per retry and caps it', () => {
    expect([0, 1, 2, 3, 10].map((retry) => backoffDelay(retry, policy, () => 0.999999))).toEqual([199, 399, 799, 999, 999]);
  });

  test('draws inside [0, ceiling)', () => {
    expect(backoffDelay(2, policy, () => 0)).toBe(0);
    expect(backoffDelay(2, policy, () => 0.5)).toBe(400);
  });
});

describe('parseRetryAfter', () => {
  test('reads delta-seconds and HTTP dates', () => {
    expect(parseRetryAfter('3', 0)).toBe(3_000);
    expect(parseRetryAfter(' 0 ', 0)).toBe(0);
    const now = Date.parse('Tue, 31 Aug 2010 20:36:28 GMT');
    expect(parseRetryAfter('Tue, 31 Aug 2010 20:36:30 GMT', now)).toBe(2_000);
    expect(parseRetryAfter('Tue, 31 Aug 2010 20:36:20 GMT', now)).toBe(0);
  });

  test('ignores absent or unparsable values', () => {
    expect(parseRetryAfter(null, 0)).toBeNull();
    expect(parseRetryAfter('soon', 0)).toBeNull();
    expect(parseRetryAfter('-1', 0)).toBeNull();
  });
});

describe('connectPhaseCode', () => {
  const fetchFailed = (cause: unknown) => Object.assign(new TypeError('fetch failed'), { cause });

  test('recognises connection refused and DNS failures as "not sent"', () => {
    expect(connectPhaseCode(fetchFailed(Object.assign(new Error('x'), { code: 'ECONNREFUSED' })))).toBe('ECONNREFUSED');
    expect(connectPhaseCode(fetchFailed(Object.assign(new Error('x'), { code: 'ENOTFOUND' })))).toBe('ENOTFOUND');
    expect(connectPhaseCode(fetchFailed(Object.assign(new Error('x'), { code: 'EAI_AGAIN' })))).toBe('EAI_AGAIN');
    const both = new AggregateError([Object.assign(new Error('a'), { code: 'ECONNREFUSED' }), Object.assign(new Error('b'), { code: 'ENETUNREACH' })]);
    expect(connectPhaseCode(fetchFailed(both))).toBe('ECONNREFUSED');
  });

  test('treats resets and socket closes as possibly sent', () => {
    expect(connectPhaseCode(fetchFailed(Object.assign(new Error('x'), { code: 'ECONNRESET' })))).toBeNull();
    expect(connectPhaseCode(fetchFailed(Object.assign(new Error('x'), { code: 'UND_ERR_SOCKET' })))).toBeNull();
    expect(connectPhaseCode(new DOMException('timeout', 'TimeoutError'))).toBeNull();
  });
});
