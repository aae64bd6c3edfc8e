import { RateLimiter } from '../../src/outbox/rate-limiter';

describe('RateLimiter', () => {
  test('spaces a 1-per-second sender exactly', () => {
    const limiter = new RateLimiter(1);
    expect(limiter.delay('+1', 0)).toBe(0);
    limiter.take('+1', 0);
    expect(limiter.delay('+1', 0)).toBe(1000);
    expect(limiter.delay('+1', 400)).toBe(600);
    expect(limiter.delay('+1', 1000)).toBe(0);
    expect(limiter.delay('+2', 0)).toBe(0);
  });

  test('lets a fast sender start a tenth of a second of sends at once, then refills at its rate', () => {
    const limiter = new RateLimiter(100);
    for (let i = 0; i < 10; i++) {
      expect(limiter.delay('sc', 0)).toBe(0);
      limiter.take('sc', 0);
    }
    expect(limiter.delay('sc', 0)).toBe(10);
    expect(limiter.delay('sc', 10)).toBe(0);
  });

  test('a 429 pause holds the sender until the time Twilio asked for', () => {
    const limiter = new RateLimiter(100);
    limiter.pause('sc', 5000);
    expect(limiter.delay('sc', 1000)).toBe(4000);
    expect(limiter.delay('sc', 5000)).toBe(10);
    expect(limiter.delay('sc', 5010)).toBe(0);
  });
});
