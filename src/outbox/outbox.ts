// The outbox: every accepted request is stored before Twilio is called, so none is lost and
// none is sent twice — not on a retry with the same Idempotency-Key, not after a crash.
import { randomUUID } from 'node:crypto';
import { ApiError } from '../api/errors';
import type { ValidBulk } from '../api/validate-bulk';
import type { ValidMessage } from '../api/validate-message';
import type { Clock } from '../clock';
import type { Logger } from '../logger';
import type { BulkJobProgress, IdempotencyClaim, IdempotencyRecord, OutboundKind, OutboundRequest, SenderLease, Store } from '../store';
import type { CreateCallInput, TwilioClient } from '../twilio';
import { BulkRunner } from './bulk-runner';
import { Reconciler, type ReconcileSummary } from './reconciler';
import { timeOrderedUuid } from './ids';
import { fingerprint, IDEMPOTENCY_WINDOW_MS, keyReusedError } from './idempotency';
import { inProgressReply, jobAcceptedReply, replyForRow, sentNothing, type ApiReply } from './replies';
import { sendRow } from './send';
import { Sleeper } from './sleeper';

export interface OutboxOptions {
  store: Store;
  twilio: TwilioClient;
  clock: Clock;
  logger: Logger;
  messagesPerSecond: number;
  /** Wall-clock milliseconds for rate limiting and retry times (tests may speed it up). */
  now?: () => number;
  idleMs?: number;
  /** Bulk sends in flight at once (default PARALLEL_SENDS); 1 sends strictly in order. */
  parallelSends?: number;
  /** While another instance sends bulk jobs, how often to ask whether it still does. */
  leaseRetryMs?: number;
  /** Pause between look-ups of unknown outcomes (RECONCILE_INTERVAL_S); default 60 s. */
  reconcileIntervalMs?: number;
  /** An unknown outcome with no match at Twilio this long becomes not_sent (RECONCILE_GIVE_UP_S); default 900 s. */
  reconcileGiveUpMs?: number;
}

const LEASE_RETRY_MS = 5_000;

/** How many pending requests the start-up pass resumes. */
const RESUME_LIMIT = 10_000;
export const INTERRUPTED_MESSAGE = 'interrupted: the server stopped after the request was sent; outcome unknown, not resent';

export const DEFAULT_RECONCILE_INTERVAL_MS = 60_000;
export const DEFAULT_RECONCILE_GIVE_UP_MS = 900_000;

export class Outbox {
  /** Present while this instance holds the bulk sender lease. */
  private runner: BulkRunner | undefined;
  private readonly reconciler: Reconciler;
  private resuming: Promise<void> | undefined;
  private leading: Promise<void> | undefined;
  private stopped = false;
  private readonly leaseWait = new Sleeper();
  private readonly stopping: Promise<void>;
  private stopNow: () => void = () => undefined;

  constructor(private readonly options: OutboxOptions) {
    this.stopping = new Promise((resolve) => (this.stopNow = resolve));
    // Every instance reconciles: its store writes are conditional (the row must still be
    // unknown; a sid belongs to one row by a unique index), so two instances settling the same
    // row at once leave it as one would.
    this.reconciler = new Reconciler(options, {
      intervalMs: options.reconcileIntervalMs ?? DEFAULT_RECONCILE_INTERVAL_MS,
      giveUpMs: options.reconcileGiveUpMs ?? DEFAULT_RECONCILE_GIVE_UP_MS,
    });
  }

  /**
   * Start-up recovery, then background work. Requests whose attempt had started are marked
   * `unknown` and logged, never resent; requests never attempted are sent now. Call it before
   * the server accepts requests, so no live request is mistaken for an interrupted one. The
   * reconciler then looks the unknown ones up at Twilio, now and every reconcile interval.
   */
  async start(): Promise<OutboundRequest[]> {
    const { store, logger } = this.options;
    const interrupted = await this.recoverInterrupted();
    const pending = await store.listPendingSingles(RESUME_LIMIT);
    this.resuming = this.resume(pending);
    this.leading = this.lead();
    this.reconciler.start();
    return interrupted;
  }

  /** Marks unknown (and logs) the rows in flight on an instance that is gone; never resends them. */
  private async recoverInterrupted(): Promise<OutboundRequest[]> {
    const interrupted = await this.options.store.recoverInterrupted(INTERRUPTED_MESSAGE);
    for (const row of interrupted) {
      this.options.logger.warn({ requestId: row.id, kind: row.kind, jobId: row.jobId, to: row.params.to }, 'outbound request interrupted: outcome unknown, not resent');
    }
    return interrupted;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.stopNow();
    this.leaseWait.wake();
    await this.reconciler.stop();
    await this.leading;
    await this.resuming;
  }

  /**
   * Bulk jobs are sent by one instance at a time, the holder of the store's sender lease: a
   * recipient is then attempted once cluster-wide, and MESSAGES_PER_SECOND holds per sender
   * across all instances. The others ask again now and then, and take over when the holder stops
   * or its database connection dies.
   */
  private async lead(): Promise<void> {
    const { store, logger } = this.options;
    while (!this.stopped) {
      let lease: SenderLease | undefined;
      try {
        lease = await store.claimBulkSender();
      } catch (err) {
        logger.error({ err }, 'could not ask the database for the bulk sender lease');
      }
      if (lease === undefined) {
        await this.leaseWait.sleep(this.options.leaseRetryMs ?? LEASE_RETRY_MS);
        continue;
      }
      logger.info('took the bulk sender lease');
      if (lease.shared) {
        // A sender killed before this one left its recipients in flight; until they are unknown
        // their job never completes. Only rows of instances that are gone are touched.
        try {
          await this.recoverInterrupted();
        } catch (err) {
          logger.error({ err }, 'could not recover the requests a previous sender left in flight');
        }
      }
      const runner = this.newRunner();
      this.runner = runner;
      runner.start();
      const lost = await Promise.race([lease.lost.then(() => true), this.stopping.then(() => false)]);
      this.runner = undefined;
      // The sends in progress finish and are recorded before the lease goes.
      await runner.stop();
      await lease.release();
      if (lost) logger.warn('lost the bulk sender lease (database connection dropped); bulk sends pause until it is taken again');
    }
  }

  private newRunner(): BulkRunner {
    const { options } = this;
    return new BulkRunner(
      { store: options.store, twilio: options.twilio, logger: options.logger },
      {
        messagesPerSecond: options.messagesPerSecond,
        now: options.now ?? Date.now,
        ...(options.idleMs !== undefined && { idleMs: options.idleMs }),
        ...(options.parallelSends !== undefined && { parallelSends: options.parallelSends }),
      },
    );
  }

  /** One reconciliation pass now (after the one in progress, if any). */
  reconcileNow(): Promise<ReconcileSummary> {
    return this.reconciler.runOnce();
  }

  /**
   * Sends a `not_sent` request again, on purpose: a new attempt on the same row, answered as
   * the first send was (a bulk recipient goes back to its job, which the runner sends, and the
   * answer is the job's). Only `not_sent` qualifies: an `unknown` one may have been sent, and a
   * `failed` one was refused by Twilio or never left (a new request is the way to try again).
   */
  async resend(id: string): Promise<ApiReply> {
    const { store } = this.options;
    const row = await store.getOutbound(id);
    if (row === undefined) throw new ApiError(404, `No outbound request ${id}`);
    if (row.state !== 'not_sent') {
      throw new ApiError(409, `Request ${id} is ${row.state}; only a request in state not_sent can be resent`);
    }
    if (row.kind === 'message') await this.refuseOptedOut(String(row.params.to), typeof row.params.from === 'string' ? row.params.from : null);
    const reopened = await store.reopenNotSent(id);
    // Another resend of the same request took it first.
    if (reopened === undefined) throw new ApiError(409, `Request ${id} is already being resent`);
    this.options.logger.info({ requestId: id, kind: row.kind, jobId: row.jobId }, 'resending a not_sent request on request');
    if (reopened.jobId !== null) {
      // Only the instance holding the sender lease runs the job; another one finds it when it next looks.
      this.runner?.wake();
      const job = await store.getBulkJob(reopened.jobId);
      if (job) return jobAcceptedReply(job);
    }
    return replyForRow(await this.sendNow(reopened)) ?? inProgressReply();
  }

  private async refuseOptedOut(to: string, from: string | null): Promise<void> {
    if (await this.options.store.isOptedOut(to, from ?? undefined)) {
      throw new ApiError(409, `${to} has opted out of messages${from ? ` from ${from}` : ''} (replied STOP); they must text START to receive messages again`, { field: 'to' });
    }
  }

  async submitCall(input: CreateCallInput, idempotencyKey?: string): Promise<ApiReply> {
    return this.submit('call', input as unknown as Record<string, unknown>, idempotencyKey, async () => undefined);
  }

  async submitMessage(message: ValidMessage, idempotencyKey?: string): Promise<ApiReply> {
    const params = message.input as unknown as Record<string, unknown>;
    return this.submit('message', params, idempotencyKey, () => this.refuseOptedOut(message.input.to, message.input.from ?? null));
  }

  async submitBulk(bulk: ValidBulk, idempotencyKey?: string): Promise<ApiReply> {
    const claim = this.claim('bulk', bulk.messages, idempotencyKey);
    if (claim) {
      const replay = await this.replay(claim);
      if (replay) return replay;
    }
    const id = `job_${randomUUID().replace(/-/g, '')}`;
    const at = this.options.clock.now().getTime();
    const recipients = bulk.messages.map((params) => ({ id: timeOrderedUuid(at), kind: 'message' as const, params: params as unknown as Record<string, unknown> }));
    const { to: _first, body: _body, ...shared } = bulk.messages[0] as unknown as Record<string, unknown>;
    const result = await this.options.store.createBulkJob({ id, params: { ...shared, recipients: recipients.length }, recipients }, claim);
    if ('existing' in result) return (await this.replay(claim as IdempotencyClaim)) ?? inProgressReply();
    const reply = jobAcceptedReply(result.created);
    if (claim) await this.options.store.saveIdempotentResponse(claim.key, reply.status, reply.body);
    this.options.logger.info({ jobId: id, total: recipients.length }, 'bulk job queued');
    this.runner?.wake();
    return reply;
  }

  async jobProgress(id: string): Promise<BulkJobProgress | undefined> {
    return this.options.store.getBulkJob(id);
  }

  private claim(route: string, request: unknown, key: string | undefined): IdempotencyClaim | undefined {
    if (key === undefined) return undefined;
    const since = new Date(this.options.clock.now().getTime() - IDEMPOTENCY_WINDOW_MS).toISOString();
    return { key, fingerprint: fingerprint(route, request), since };
  }

  /** The stored answer for a key already used, or undefined when the key is new (or free again). */
  private async replay(claim: IdempotencyClaim): Promise<ApiReply | undefined> {
    const record = await this.options.store.findIdempotency(claim.key, claim.since);
    if (record === undefined || (await this.freedAfterNothingSent(record))) return undefined;
    if (record.fingerprint !== claim.fingerprint) throw keyReusedError();
    return this.recordedReply(record);
  }

  /** A first attempt that sent nothing but stopped before freeing its key: free it now. */
  private async freedAfterNothingSent(record: IdempotencyRecord): Promise<boolean> {
    if (record.responseStatus !== null || record.requestId === null) return false;
    const row = await this.options.store.getOutbound(record.requestId);
    if (row === undefined || !sentNothing(row)) return false;
    await this.options.store.releaseIdempotency(record.key, row.id);
    return true;
  }

  private async recordedReply(record: IdempotencyRecord): Promise<ApiReply> {
    if (record.responseStatus !== null) return { status: record.responseStatus, body: record.responseBody };
    // Stopped between creating the job and saving the answer: the job is the answer.
    if (record.jobId !== null) {
      const job = await this.options.store.getBulkJob(record.jobId);
      if (job) return jobAcceptedReply(job);
    }
    const row = record.requestId === null ? undefined : await this.options.store.getOutbound(record.requestId);
    const reply = row && replyForRow(row);
    if (reply === undefined) return inProgressReply();
    await this.options.store.saveIdempotentResponse(record.key, reply.status, reply.body);
    return reply;
  }

  private async submit(kind: OutboundKind, params: Record<string, unknown>, key: string | undefined, precheck: () => Promise<void>): Promise<ApiReply> {
    const { store } = this.options;
    const claim = this.claim(kind, params, key);
    if (claim) {
      const replay = await this.replay(claim);
      if (replay) return replay;
    }
    await precheck();
    const result = await store.insertOutbound({ id: timeOrderedUuid(this.options.clock.now().getTime()), kind, params }, claim);
    // Another request took the key between our look-up and the insert.
    if ('existing' in result) return (await this.replay(claim as IdempotencyClaim)) ?? inProgressReply();
    const row = await this.sendNow(result.created);
    const reply = replyForRow(row) ?? inProgressReply();
    // A key is bound to its answer only once Twilio may have acted (sent, refused, or unknown);
    // when nothing was sent, the same key must be usable again, or the client could never retry.
    if (claim && sentNothing(row)) await store.releaseIdempotency(claim.key, row.id);
    else if (claim) await store.saveIdempotentResponse(claim.key, reply.status, reply.body);
    return reply;
  }

  /** Sends a single request once; a "not processed" answer fails it, since the caller is told. */
  private async sendNow(row: OutboundRequest): Promise<OutboundRequest> {
    const { store } = this.options;
    const result = await sendRow(this.options, row);
    // Sent: the row came back from its write; any other outcome is read again.
    if (result.kind === 'sent' && result.row !== undefined) return result.row;
    if (result.kind === 'retryable') {
      await store.markFailed(row.id, { status: result.status, code: result.code, message: result.message });
    }
    return (await store.getOutbound(row.id)) ?? row;
  }

  private async resume(rows: OutboundRequest[]): Promise<void> {
    for (const row of rows) {
      if (this.stopped) break;
      try {
        await this.sendNow(row);
        this.options.logger.info({ requestId: row.id, kind: row.kind }, 'resumed outbound request from before the restart');
      } catch (err) {
        this.options.logger.error({ err, requestId: row.id }, 'could not resume outbound request');
      }
    }
  }
}
