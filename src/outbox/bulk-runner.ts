// Sends the recipients of bulk jobs in the background, a few at a time, no faster than the
// per-sender rate. All state is in the outbox table, so a restart picks up where it stopped.
import type { Logger } from '../logger';
import type { OutboundRequest } from '../store';
import { RateLimiter } from './rate-limiter';
import { TwilioApiError } from '../twilio';
import { sendRow, type SendDeps } from './send';
import { Sleeper } from './sleeper';

export interface BulkRunnerOptions {
  messagesPerSecond: number;
  now: () => number;
  /** Longest idle wait before looking for work again (new jobs also wake the loop). */
  idleMs?: number;
  /** A refused connection is retried this many times in all before the recipient is failed. */
  maxAttempts?: number;
  /** Sends in flight at once; default PARALLEL_SENDS. */
  parallelSends?: number;
}

const BATCH = 100;
/**
 * Sends in flight at once, across senders. The per-sender rate still applies; this only lets a
 * fast sender (a short code, a rate limit lifted) overlap the round trips to Twilio.
 */
export const PARALLEL_SENDS = 8;
const CONNECTION_RETRY_MS = 5_000;
const DEFAULT_429_DELAY_MS = 1_000;

function senderOf(row: OutboundRequest): string {
  return String(row.params.from ?? row.params.messagingServiceSid ?? '');
}

export class BulkRunner {
  private readonly limiter: RateLimiter;
  private readonly sleeper = new Sleeper();
  private stopped = false;
  private loop: Promise<void> | undefined;

  constructor(
    private readonly deps: SendDeps & { logger: Logger },
    private readonly options: BulkRunnerOptions,
  ) {
    this.limiter = new RateLimiter(options.messagesPerSecond);
  }

  start(): void {
    this.loop ??= this.run().catch((err: unknown) => this.deps.logger.error({ err }, 'bulk runner stopped on an error'));
  }

  /** New work arrived: stop idling. */
  wake(): void {
    this.sleeper.wake();
  }

  /** Finishes the send in progress (if any), then resolves. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.sleeper.wake();
    await this.loop;
  }

  private iso(ms: number): string {
    return new Date(ms).toISOString();
  }

  // Bounded by stop(). Each pass reads the due recipients and starts those whose sender may send
  // now (the rate is per sender), keeping up to `parallelSends` in flight across passes: a pass
  // does not wait for the previous one's sends, so the pipe to Twilio never drains mid-job. A
  // recipient already started is skipped when a pass reads it again (its in-flight mark may not
  // be committed yet). With nothing to start, the loop waits for a send to finish, or sleeps.
  private async run(): Promise<void> {
    const { store, logger } = this.deps;
    const idle = this.options.idleMs ?? 1_000;
    const parallel = this.options.parallelSends ?? PARALLEL_SENDS;
    // A send is in `inFlight` until its outcome is written, and in `talking` until Twilio has
    // answered: at most `parallel` requests are open at Twilio, as with any client, while the
    // writes of answered sends overlap the next requests (at most `parallel` of those too).
    const inFlight = new Map<string, Promise<void>>();
    const talking = new Map<string, Promise<void>>();
    let failure: { error: unknown } | undefined;
    try {
      while (!this.stopped && !failure) {
        const due = await store.dueJobRecipients(this.iso(this.options.now()), BATCH + parallel);
        let started = false;
        let wait = idle;
        for (const row of due) {
          if (this.stopped || failure) break;
          if (inFlight.has(row.id)) continue;
          const delay = this.limiter.delay(senderOf(row), this.options.now());
          if (delay > 0) {
            wait = Math.min(wait, delay);
            continue;
          }
          this.limiter.take(senderOf(row), this.options.now());
          let answered: (error?: unknown) => void = () => {};
          const exchange = new Promise<void>((resolve) => {
            answered = (error) => {
              // Before the slot frees: the sender must be paused when the next request is chosen.
              if (error instanceof TwilioApiError && error.status === 429) this.pause429(row, error.retryAfterMs);
              resolve();
            };
          }).then(() => void talking.delete(row.id));
          const send: Promise<void> = this.sendOne(row, answered)
            .catch((error: unknown) => void (failure ??= { error }))
            .finally(() => {
              answered();
              inFlight.delete(row.id);
            });
          inFlight.set(row.id, send);
          talking.set(row.id, exchange);
          started = true;
          if (talking.size >= parallel) await Promise.race(talking.values());
          if (inFlight.size >= 2 * parallel) await Promise.race(inFlight.values());
        }
        if (failure || this.stopped) break;
        for (const id of await store.completeFinishedJobs()) logger.info({ jobId: id }, 'bulk job completed');
        if (started) continue;
        // A send finishing frees a slot; a sender's rate window opening or a new job may come first.
        const pause = this.sleeper.sleep(due.length === 0 ? await this.idleDelay() : wait);
        await (inFlight.size > 0 ? Promise.race([pause, ...inFlight.values()]) : pause);
        this.sleeper.wake(); // ends the pause if a send won, so no stray timer outlives it
      }
    } finally {
      await Promise.all(inFlight.values());
    }
    if (failure) throw failure.error;
  }

  private async idleDelay(): Promise<number> {
    const idle = this.options.idleMs ?? 1_000;
    const next = await this.deps.store.nextJobAttemptAt();
    return next === undefined ? idle : Math.min(idle, Math.max(0, Date.parse(next) - this.options.now()));
  }

  private pause429(row: OutboundRequest, retryAfterMs: number | null): number {
    const at = this.options.now() + (retryAfterMs ?? DEFAULT_429_DELAY_MS);
    this.limiter.pause(senderOf(row), at);
    return at;
  }

  private async sendOne(row: OutboundRequest, answered: (error?: unknown) => void): Promise<void> {
    const { store } = this.deps;
    // Checked at send time: a job can run for hours, and people reply STOP meanwhile.
    const to = String(row.params.to);
    const from = typeof row.params.from === 'string' ? row.params.from : undefined;
    if (await store.isOptedOut(to, from)) {
      await store.markFailed(row.id, { status: null, code: null, message: 'recipient opted out; not sent', skipReason: 'opted-out' });
      return;
    }
    const result = await sendRow(this.deps, row, answered);
    if (result.kind !== 'retryable') return;
    const attempts = (await store.getOutbound(row.id))?.attempts ?? row.attempts + 1;
    if (result.status === null && attempts >= (this.options.maxAttempts ?? 10)) {
      await store.markFailed(row.id, { status: null, code: null, message: `not sent after ${attempts} attempts: ${result.message}` });
      return;
    }
    const at = result.status === 429 ? this.pause429(row, result.delayMs) : this.options.now() + (result.delayMs ?? CONNECTION_RETRY_MS);
    await store.reschedule(row.id, this.iso(at), result.message);
  }
}
