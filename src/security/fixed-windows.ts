import type { SharedCounters } from '../store/types';
import type { TakeResult } from './rate-limit';

const WINDOW_MS = 60_000;

/**
 * A per-minute limit counted in the database that every instance shares, so N instances
 * together allow exactly `perMinute` requests per key in each clock minute. Fixed windows rather
 * than token buckets: a bucket's refill would need a read-modify-write per request, a window is
 * one atomic upsert. The price is that a burst straddling a minute's end can reach twice the limit.
 */
export class SharedFixedWindows {
  constructor(
    private readonly counters: SharedCounters,
    private readonly perMinute: number,
  ) {}

  async take(key: string, now: number): Promise<TakeResult> {
    const start = now - (now % WINDOW_MS);
    // The previous window is kept: an instance whose clock lags a little may still be counting in it.
    const count = await this.counters.increment(key, start, start - WINDOW_MS);
    if (count <= this.perMinute) return { allowed: true };
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((start + WINDOW_MS - now) / 1000)) };
  }
}
