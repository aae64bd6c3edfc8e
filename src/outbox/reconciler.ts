// Settles `unknown` outbox rows by looking them up in Twilio's lists: one match that no other
// row holds makes the row `sent` (and puts the call or message in the history, as a send does);
// several leave it `unknown` for a person, with the candidates noted; none, once the give-up
// time has passed since the outcome became unknown, makes it `not_sent`. Nothing is ever sent
// from here: a `not_sent` request goes again only when someone asks (POST /api/requests/:id/resend).
import type { Clock } from '../clock';
import type { Logger } from '../logger';
import type { OutboundRequest, ReconcileNote, Store } from '../store';
import type { TwilioClient } from '../twilio';
import { lookUp, LookupStopped, MAX_PAGES, type Candidate } from './reconcile-lookup';
import { resourceOf } from './send';
import { Sleeper } from './sleeper';

export interface ReconcilerOptions {
  /** Pause between passes over the unknown rows. */
  intervalMs: number;
  /** Time since the outcome became unknown after which "no match" means not sent. */
  giveUpMs: number;
}

export interface ReconcileSummary {
  checked: number;
  sent: number;
  notSent: number;
  ambiguous: number;
  /** Still unknown: no match yet, or the look-up failed or was incomplete. */
  pending: number;
}

/** Unknown rows settled per pass; more wait for the next one. */
const PASS_LIMIT = 500;

type Verdict = 'sent' | 'notSent' | 'ambiguous' | 'pending';

export class Reconciler {
  private readonly sleeper = new Sleeper();
  private stopped = false;
  private loop: Promise<void> | undefined;
  /** Passes run one at a time: the timer's and those asked for with `runOnce`. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly deps: { store: Store; twilio: TwilioClient; clock: Clock; logger: Logger },
    private readonly options: ReconcilerOptions,
  ) {}

  /** A pass now, then one every `intervalMs` until `stop()`. */
  start(): void {
    this.loop ??= this.run();
  }

  /** Ends the loop after the pass in progress, if any. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.sleeper.wake();
    await this.loop;
    await this.queue.catch(() => undefined);
  }

  /** One pass over the unknown rows, after any pass in progress. */
  runOnce(): Promise<ReconcileSummary> {
    const pass = this.queue.catch(() => undefined).then(() => this.pass());
    this.queue = pass;
    return pass;
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      try {
        await this.runOnce();
      } catch (err) {
        this.deps.logger.error({ err }, 'reconciling unknown outcomes failed; trying again later');
      }
      if (this.stopped) break;
      await this.sleeper.sleep(this.options.intervalMs);
    }
  }

  private async pass(): Promise<ReconcileSummary> {
    const summary: ReconcileSummary = { checked: 0, sent: 0, notSent: 0, ambiguous: 0, pending: 0 };
    for (const row of await this.deps.store.listUnknown(PASS_LIMIT)) {
      if (this.stopped) break;
      summary.checked += 1;
      try {
        summary[await this.settle(row)] += 1;
      } catch (err) {
        // One row's trouble (the database, a sid taken in the meantime) does not hold up the rest.
        this.deps.logger.error({ err, requestId: row.id }, 'could not reconcile an unknown outcome; trying again later');
        summary.pending += 1;
      }
    }
    return summary;
  }

  private async settle(row: OutboundRequest): Promise<Verdict> {
    const { store, twilio, clock, logger } = this.deps;
    const checkedAt = clock.now().toISOString();
    const note = (outcome: ReconcileNote['outcome'], message: string, candidates: string[] = []): ReconcileNote => ({ checkedAt, candidates, outcome, message });
    // Problems that last are reported when they start, not on every pass.
    const previous = (await store.getReconciliation(row.id))?.outcome;
    let found: Awaited<ReturnType<typeof lookUp>>;
    try {
      found = await lookUp(twilio, row, () => this.stopped);
    } catch (err) {
      if (err instanceof LookupStopped) return 'pending';
      // Not being able to look is no evidence either way: the row waits, however long it takes.
      await store.noteReconciliation(row.id, note('lookup-failed', `could not read Twilio's list: ${(err as Error).message}`));
      if (previous !== 'lookup-failed') logger.warn({ requestId: row.id, err }, 'could not look up an unknown outcome at Twilio; trying again later');
      return 'pending';
    }
    const sids = found.candidates.map((c) => c.resource.sid);
    const claimed = new Set(await store.claimedSids(sids, row.id));
    const open = found.candidates.filter((c) => !claimed.has(c.resource.sid));

    if (open.length === 1) {
      const match = open[0] as Candidate;
      const answer = match.resource as unknown as Record<string, unknown>;
      await store.markSent(row.id, answer, resourceOf(row, answer));
      await store.noteReconciliation(row.id, note('matched', `found ${match.resource.sid} at Twilio`, [match.resource.sid]));
      logger.info({ requestId: row.id, kind: row.kind, sid: match.resource.sid }, 'unknown outcome reconciled: it was sent');
      return 'sent';
    }
    if (open.length > 1) {
      const candidates = open.map((c) => c.resource.sid);
      await store.noteReconciliation(row.id, note('ambiguous', `${candidates.length} calls or messages at Twilio fit this request; left for a person to decide`, candidates));
      if (previous !== 'ambiguous') logger.warn({ requestId: row.id, candidates }, 'unknown outcome is ambiguous: several candidates at Twilio; left unknown');
      return 'ambiguous';
    }
    if (!found.complete) {
      await store.noteReconciliation(row.id, note('lookup-failed', `more than ${MAX_PAGES} pages between these numbers; not all could be checked`));
      if (previous !== 'lookup-failed') logger.warn({ requestId: row.id }, 'unknown outcome cannot be settled: too many calls or messages between these numbers at Twilio');
      return 'pending';
    }
    const waitedMs = clock.now().getTime() - Date.parse(row.updatedAt);
    if (waitedMs < this.options.giveUpMs) {
      const skipped = claimed.size > 0 ? ` (${[...claimed].join(', ')} already belong to other requests)` : '';
      await store.noteReconciliation(row.id, note('no-match', `no match at Twilio yet${skipped}`));
      return 'pending';
    }
    const seconds = Math.round(this.options.giveUpMs / 1000);
    const message = `not sent: no matching ${row.kind} at Twilio ${seconds} s after the outcome became unknown; resend it on purpose if wanted`;
    if (await store.markNotSent(row.id, message, note('gave-up', message))) {
      logger.warn({ requestId: row.id, kind: row.kind, jobId: row.jobId, to: row.params.to }, 'outbound request not sent: no match at Twilio; not resent automatically');
    }
    return 'notSent';
  }
}
