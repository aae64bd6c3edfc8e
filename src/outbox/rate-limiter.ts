/** Spaces sends per sender (`perSecond` each) and honours pauses a 429 asks for. */
export class RateLimiter {
  private readonly nextAt = new Map<string, number>();
  private readonly intervalMs: number;

  constructor(perSecond: number) {
    this.intervalMs = 1000 / perSecond;
  }

  /** Milliseconds to wait before the next send from `sender`; the slot is taken. */
  reserve(sender: string, now: number): number {
    const at = Math.max(now, this.nextAt.get(sender) ?? 0);
    this.nextAt.set(sender, at + this.intervalMs);
    return at - now;
  }

  pause(sender: string, until: number): void {
    this.nextAt.set(sender, Math.max(until, this.nextAt.get(sender) ?? 0));
  }
}
