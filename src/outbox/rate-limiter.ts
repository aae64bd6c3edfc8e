interface Bucket {
  tokens: number;
  /** When tokens were last counted; in the future while a 429 pause lasts. */
  at: number;
}

/**
 * Spaces sends per sender (`perSecond` each) and honours pauses a 429 asks for. A token bucket
 * holding a tenth of a second's worth (at least one): a 1/s long code is spaced exactly, while a
 * fast sender can start several sends in one pass instead of waiting on sub-millisecond timers.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private readonly capacity: number;

  constructor(private readonly perSecond: number) {
    this.capacity = Math.max(1, Math.floor(perSecond / 10));
  }

  /** Milliseconds until `sender` may send again (0: now). */
  delay(sender: string, now: number): number {
    const bucket = this.refill(sender, now);
    if (bucket.at > now) return bucket.at - now;
    return bucket.tokens >= 1 ? 0 : Math.ceil(((1 - bucket.tokens) / this.perSecond) * 1000);
  }

  /** Records a send from `sender` now. */
  take(sender: string, now: number): void {
    this.refill(sender, now).tokens -= 1;
  }

  pause(sender: string, until: number): void {
    const bucket = this.refill(sender, until);
    bucket.tokens = 0;
    bucket.at = Math.max(bucket.at, until);
  }

  private refill(sender: string, now: number): Bucket {
    let bucket = this.buckets.get(sender);
    if (bucket === undefined) {
      bucket = { tokens: this.capacity, at: now };
      this.buckets.set(sender, bucket);
    } else if (now > bucket.at) {
      bucket.tokens = Math.min(this.capacity, bucket.tokens + ((now - bucket.at) / 1000) * this.perSecond);
      bucket.at = now;
    }
    return bucket;
  }
}
