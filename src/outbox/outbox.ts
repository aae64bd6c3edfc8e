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
import { timeOrderedUuid } from './ids';
import { fingerprint, IDEMPOTENCY_WINDOW_MS, keyReusedError } from './idempotency';
import { inProgressReply, jobAcceptedReply, replyForRow, type ApiReply } from './replies';
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
}

const LEASE_RETRY_MS = 5_000;

/** How many pending requests the start-up pass resumes. */
const RESUME_LIMIT = 10_000;
export const INTERRUPTED_MESSAGE = 'interrupted: the server stopped after the request was sent; outcome unknown, not resent';

export class Outbox {
  /** Present while this instance holds the bulk sender lease. */
  private runner: BulkRunner | undefined;
  private resuming: Promise<void> | undefined;
  private leading: Promise<void> | undefined;
  private stopped = false;
  private readonly leaseWait = new Sleeper();
  private readonly stopping: Promise<void>;
  private stopNow: () => void = () => undefined;

  constructor(private readonly options: OutboxOptions) {
    this.stopping = new Promise((resolve) => (this.stopNow = resolve));
  }

  /**
   * Start-up recovery, then background work. Requests whose attempt had started are marked
   * `unknown` and logged, never resent; requests never attempted are sent now. Call it before
   * the server accepts requests, so no live request is mistaken for an interrupted one.
   */
  async start(): Promise<OutboundRequest[]> {
    const { store, logger } = this.options;
    const interrupted = await store.recoverInterrupted(INTERRUPTED_MESSAGE);
    for (const row of interrupted) {
      logger.warn({ requestId: row.id, kind: row.kind, jobId: row.jobId, to: row.params.to }, 'outbound request interrupted: outcome unknown, not resent');
    }
    const pending = await store.listPendingSingles(RESUME_LIMIT);
    this.resuming = this.resume(pending);
    this.leading = this.lead();
    return interrupted;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.stopNow();
    this.leaseWait.wake();
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

  async submitCall(input: CreateCallInput, idempotencyKey?: string): Promise<ApiReply> {
    return this.submit('call', input as unknown as Record<string, unknown>, idempotencyKey, async () => undefined);
  }

  async submitMessage(message: ValidMessage, idempotencyKey?: string): Promise<ApiReply> {
    const params = message.input as unknown as Record<string, unknown>;
    return this.submit('message', params, idempotencyKey, async () => {
      const from = message.input.from;
      if (await this.options.store.isOptedOut(message.input.to, from ?? undefined)) {
        throw new ApiError(409, `${message.input.to} has opted out of messages${from ? ` from ${from}` : ''} (replied STOP); they must text START to receive messages again`, { field: 'to' });
      }
    });
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

  /** The stored answer for a key already used, or undefined when the key is new. */
  private async replay(claim: IdempotencyClaim): Promise<ApiReply | undefined> {
    const record = await this.options.store.findIdempotency(claim.key, claim.since);
    if (record === undefined) return undefined;
    if (record.fingerprint !== claim.fingerprint) throw keyReusedError();
    return this.recordedReply(record);
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
    if (claim) await store.saveIdempotentResponse(claim.key, reply.status, reply.body);
    return reply;
  }

  /** Sends a single request once; a "not processed" answer fails it, since the caller is told. */
  private async sendNow(row: OutboundRequest): Promise<OutboundRequest> {
    const { store } = this.options;
    const result = await sendRow(this.options, row);
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
