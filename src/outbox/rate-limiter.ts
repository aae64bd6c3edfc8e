/** Spaces sends per sender (`perSecond` each) and honours pauses a 429 asks for. */
export class RateLimiter {
  private readonly nextAt = new Map<string, number>();
  private readonly intervalMs: number;

  constructor(perSecond: number) {
    this.intervalMs = 1000 / perSecond;
  }

  /** Milliseconds until `sender` may send again (0: now). */
  delay(sender: string, now: number): number {
    return Math.max(0, (this.nextAt.get(sender) ?? 0) - now);
  }

  /** Records a send from `sender` now. */
  take(sender: string, now: number): void {
    this.nextAt.set(sender, now + this.intervalMs);
  }

  pause(sender: string, until: number): void {
    this.nextAt.set(sender, Math.max(until, this.nextAt.get(sender) ?? 0));
  }
}
