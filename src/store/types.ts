import type { StatusStore } from './status-types';

export type Direction = 'inbound' | 'outbound-api' | 'outbound-dial';

export interface CallRecord {
  sid: string;
  direction: Direction;
  from: string;
  to: string;
  status: string;
  duration: number | null;
  price: string | null;
  priceUnit: string | null;
  errorCode: number | null;
  recordingUrl: string | null;
  answeredBy: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface MessageRecord {
  sid: string;
  direction: Direction;
  from: string;
  to: string;
  body: string;
  numMedia: number;
  mediaUrls: string[];
  status: string;
  errorCode: number | null;
  price: string | null;
  priceUnit: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface InboundCall {
  sid: string;
  from: string;
  to: string;
  status: string;
}

export interface InboundMessage {
  sid: string;
  from: string;
  to: string;
  body: string;
  mediaUrls: string[];
}

export interface LifecycleStore {
  /** Throws when the database cannot answer. */
  ping(): Promise<void>;
  close(): Promise<void>;
  /**
   * Asks to be the one instance that sends bulk jobs: a lease while no other instance on the
   * database holds it, else undefined (ask again later). An embedded database has one instance,
   * so it always grants one.
   */
  claimBulkSender(): Promise<SenderLease | undefined>;
  /**
   * Counters the instances on one database share, for limits that must hold across all of them;
   * absent for an embedded database, whose one process counts in memory.
   */
  readonly sharedCounters?: SharedCounters;
}

export interface SharedCounters {
  /**
   * Adds one to the counter of `key` for the window starting at `windowStart` (ms since the
   * epoch) and returns the new count, counted across every instance. Windows older than
   * `pruneBefore` are deleted now and then, so the table holds about one row per active key.
   */
  increment(key: string, windowStart: number, pruneBefore: number): Promise<number>;
}

export interface SenderLease {
  /** Settles if the lease is lost (the database dropped its connection): stop starting sends. */
  readonly lost: Promise<void>;
  /** Gives the lease up, so another instance can take it. */
  release(): Promise<void>;
  /**
   * True when other instances share the database (PostgreSQL): a sender before this one may have
   * died with rows in flight, which the new holder marks unknown (start-up recovery alone misses
   * them: the instance taking over was already running). Absent for SQLite's one process.
   */
  readonly shared?: true;
}

export interface CallStore {
  /** Records a call the first time a webhook sees it; later webhooks for the same call change nothing. */
  recordInboundCall(call: InboundCall): Promise<void>;
  getCall(sid: string): Promise<CallRecord | undefined>;
}

export interface MessageStore {
  /** Records a message the first time its webhook arrives (Twilio retries deliver it again). */
  recordInboundMessage(message: InboundMessage): Promise<void>;
  getMessage(sid: string): Promise<MessageRecord | undefined>;
}

export interface VoicemailRecord {
  id: number;
  callSid: string;
  recordingSid: string | null;
  from: string;
  to: string;
  recordingUrl: string | null;
  duration: number | null;
  transcription: string | null;
  transcriptionStatus: string | null;
  /** What took the message: a config flow node, or a twimlet. */
  source: string;
  createdAt: string;
  updatedAt: string;
}

export interface NewVoicemail {
  callSid: string;
  recordingSid: string | null;
  from: string;
  to: string;
  recordingUrl: string | null;
  duration: number | null;
  source: string;
}

export interface VoicemailStore {
  /**
   * Stores a voicemail once per recording: Twilio may post the same recording to the `<Record>`
   * action and a recording status callback, and retries either. Returns the stored row.
   */
  saveVoicemail(voicemail: NewVoicemail): Promise<VoicemailRecord>;
  /**
   * Attaches a transcription to the voicemail of that recording, creating the row when the
   * transcription arrives first. Returns the stored row.
   */
  saveTranscription(transcription: {
    recordingSid: string;
    callSid: string;
    from: string;
    to: string;
    recordingUrl: string | null;
    text: string | null;
    status: string;
    source: string;
  }): Promise<VoicemailRecord>;
  getVoicemailByRecording(recordingSid: string): Promise<VoicemailRecord | undefined>;
  /** Newest first; `before` is the id of the last row of the previous page; `callSid` keeps one call's. */
  listVoicemails(page: { limit: number; before?: number; callSid?: string }): Promise<VoicemailRecord[]>;
}

export type OptAction = 'opt-out' | 'opt-in';

export interface OptOutRecord {
  ourNumber: string;
  theirNumber: string;
  optedOut: boolean;
  updatedAt: string;
}

export interface OptOutChange {
  /** Our number (or messaging service SID) the person wrote to. */
  ourNumber: string;
  theirNumber: string;
  action: OptAction;
  /** What caused it: the keyword they sent (`STOP`), or `21610` when Twilio refused a send. */
  keyword: string;
  source: 'inbound-sms' | 'twilio-error' | 'api';
  messageSid: string | null;
}

export interface OptOutStore {
  /** Records the change in the ledger and sets the current state. Returns the new state. */
  applyOptChange(change: OptOutChange): Promise<OptOutRecord>;
  /** With `ourNumber` undefined, whether they opted out of any of our numbers. */
  isOptedOut(theirNumber: string, ourNumber?: string): Promise<boolean>;
  /** People currently opted out, most recent first. */
  listOptedOut(page: { limit: number }): Promise<OptOutRecord[]>;
}

/**
 * Everything Switchboard keeps. The SQL lives behind this interface (one implementation per
 * database), so that a shared database can replace the embedded one for multi-instance setups.
 * Each area has its own interface and, for SQLite, its own file.
 */
export type Store = LifecycleStore & CallStore & MessageStore & VoicemailStore & OptOutStore & StatusStore & OutboxStore & StatsStore & RetentionStore & ReconcileStore & ChartStore;

/** What history retention removes, in this order (a bulk job goes once its rows have gone). */
export const PRUNABLE_HISTORY = ['calls', 'messages', 'statusEvents', 'voicemails', 'outbox', 'bulkJobs', 'idempotency'] as const;
export type PrunableHistory = (typeof PRUNABLE_HISTORY)[number];

export interface RetentionStore {
  /**
   * Deletes up to `limit` rows of `kind` created before `before` (an ISO time) in one transaction
   * and returns how many went: fewer than `limit` means none is left. Never deletes an outbox
   * request that is not final (pending, in_flight, unknown; final are sent, failed, not_sent) or belongs to a running bulk job, a
   * bulk job that is running or still has rows, or anything of the opt-out ledger.
   */
  pruneHistory(kind: PrunableHistory, before: string, limit: number): Promise<number>;
}

/** Outbox requests not yet final. */
export interface OutboxBacklog {
  pending: number;
  inFlight: number;
  unknown: number;
}

export interface RunningBulkProgress {
  /** Bulk jobs in state `running`. */
  jobs: number;
  /** Their recipients by state, all running jobs together. */
  recipients: { queued: number; inFlight: number; sent: number; failed: number; unknown: number };
}

/**
 * What `/metrics` reads on each scrape. Both must stay cheap however long the history grows: they
 * count only rows that are not final, or that belong to running jobs, through an index.
 */
export interface StatsStore {
  outboxBacklog(): Promise<OutboxBacklog>;
  runningBulkProgress(): Promise<RunningBulkProgress>;
}

export type OutboundKind = 'call' | 'message';
/** `not_sent`: the outcome was unknown, and Twilio's lists showed no such call or message. */
export type OutboundState = 'pending' | 'in_flight' | 'sent' | 'failed' | 'unknown' | 'not_sent';

/** One REST request to Twilio in the outbox, written before it is sent. */
export interface OutboundRequest {
  id: string;
  kind: OutboundKind;
  /** The client input (camelCase), exactly as it is (or was) sent. */
  params: Record<string, unknown>;
  state: OutboundState;
  attempts: number;
  twilioSid: string | null;
  /** Twilio's JSON answer when sent. */
  response: Record<string, unknown> | null;
  errorStatus: number | null;
  errorCode: number | null;
  errorMessage: string | null;
  jobId: string | null;
  /** Set when the request was dropped on purpose (`opted-out`), not refused by Twilio. */
  skipReason: string | null;
  /** Not before this time (a 429 asked us to wait). */
  nextAttemptAt: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface NewOutbound {
  id: string;
  kind: OutboundKind;
  params: Record<string, unknown>;
}

/** What a successful send adds to `calls`/`messages`, so history and status callbacks line up. */
export type OutboundResource =
  | { kind: 'call'; sid: string; from: string; to: string; status: string }
  | { kind: 'message'; sid: string; from: string; to: string; status: string; body: string; mediaUrls: string[] };

export interface IdempotencyRecord {
  key: string;
  /** Hash of the route and the validated request; the same key with another fingerprint is refused. */
  fingerprint: string;
  requestId: string | null;
  jobId: string | null;
  responseStatus: number | null;
  responseBody: unknown;
  createdAt: string;
}

/** `since`: records created before it have expired and are released. */
export interface IdempotencyClaim {
  key: string;
  fingerprint: string;
  since: string;
}

export type Claimed<T> = { created: T } | { existing: IdempotencyRecord };

export interface BulkJob {
  id: string;
  state: 'running' | 'completed';
  total: number;
  params: Record<string, unknown>;
  createdAt: string;
  updatedAt: string;
}

export interface BulkJobProgress extends BulkJob {
  counts: { queued: number; inFlight: number; sent: number; failed: number; unknown: number; notSent: number; skippedOptedOut: number };
  /** Failed, unknown and not-sent recipients, in submission order. */
  failures: Array<{ to: string; state: 'failed' | 'unknown' | 'not_sent'; errorStatus: number | null; errorCode: number | null; errorMessage: string | null }>;
}

export interface OutboxStore {
  /** Inserts a pending request; with a claim, atomically takes the key first or returns its holder. */
  insertOutbound(request: NewOutbound, claim?: IdempotencyClaim): Promise<Claimed<OutboundRequest>>;
  getOutbound(id: string): Promise<OutboundRequest | undefined>;
  /** An unexpired record for the key. */
  findIdempotency(key: string, since: string): Promise<IdempotencyRecord | undefined>;
  saveIdempotentResponse(key: string, status: number, body: unknown): Promise<void>;
  /**
   * Frees the key held by this request when nothing reached Twilio, so the client can retry with
   * the same key. Only while the key still points at that request and has no saved response.
   */
  releaseIdempotency(key: string, requestId: string): Promise<void>;
  /**
   * pending → in_flight, attempts + 1, committed. Throws when the row is not pending, so nothing is
   * sent twice; `retry` (the client retrying a 429 or a refused connection) accepts in_flight too.
   */
  markInFlight(id: string, retry?: boolean): Promise<void>;
  /**
   * Records the sid and answer, and adds the call/message to history, in one transaction. Returns
   * the request as recorded (undefined if there is none), so the caller need not read it again.
   */
  markSent(id: string, response: Record<string, unknown>, resource: OutboundResource): Promise<OutboundRequest | undefined>;
  markFailed(
    id: string,
    error: { status: number | null; code: number | null; message: string; moreInfo?: string | null; skipReason?: string },
  ): Promise<void>;
  markUnknown(id: string, message: string): Promise<void>;
  /** Back to pending, not before `at` (Twilio refused without processing, e.g. 429). */
  reschedule(id: string, at: string, message: string): Promise<void>;
  /** After a crash: every in_flight row becomes unknown (it may have been sent). Returns them. */
  recoverInterrupted(message: string): Promise<OutboundRequest[]>;
  /** Pending requests that are not part of a bulk job, oldest first. */
  listPendingSingles(limit: number): Promise<OutboundRequest[]>;

  /** Creates the job and one pending request per recipient, in one transaction. */
  createBulkJob(job: { id: string; params: Record<string, unknown>; recipients: NewOutbound[] }, claim?: IdempotencyClaim): Promise<Claimed<BulkJob>>;
  getBulkJob(id: string): Promise<BulkJobProgress | undefined>;
  /** The most recent jobs first, without their progress (read it per job with `getBulkJob`). */
  listBulkJobs(page: { limit: number }): Promise<BulkJob[]>;
  /** Pending recipients of running jobs that are due at `now`, in submission order. */
  dueJobRecipients(now: string, limit: number): Promise<OutboundRequest[]>;
  /** The earliest `next_attempt_at` of pending recipients, or undefined when none is waiting. */
  nextJobAttemptAt(): Promise<string | undefined>;
  /** Marks running jobs with nothing left to send as completed; returns their ids. */
  completeFinishedJobs(): Promise<string[]>;
}

/**
 * What the last look-up at Twilio found for an `unknown` row: `matched` (now sent), `no-match`
 * (looked again later), `ambiguous` (several candidates: left for a person), `lookup-failed`
 * (Twilio's list could not be read), `gave-up` (no match in time: now not_sent).
 */
export type ReconcileOutcome = 'matched' | 'no-match' | 'ambiguous' | 'lookup-failed' | 'gave-up';

export interface ReconcileNote {
  checkedAt: string;
  /** Sids that fit the request and that no other row holds. */
  candidates: string[];
  outcome: ReconcileOutcome;
  message: string;
}

export interface ReconciliationNotes extends ReconcileNote {
  /** Look-ups so far. */
  checks: number;
}

/** Reconciling unknown outcomes against Twilio's lists (src/outbox/reconciler.ts). */
export interface ReconcileStore {
  /** Rows in state `unknown`, oldest first. */
  listUnknown(limit: number): Promise<OutboundRequest[]>;
  /** The sids of `sids` that an outbox row other than `exceptId` already holds. */
  claimedSids(sids: readonly string[], exceptId: string): Promise<string[]>;
  /**
   * Records a look-up and counts it. Leaves the state and `updatedAt` alone: `updatedAt` of an
   * unknown row stays the time its outcome became unknown, which the give-up is measured from.
   */
  noteReconciliation(id: string, note: ReconcileNote): Promise<void>;
  /** The notes of the row's look-ups; undefined when it was never looked up (or there is no row). */
  getReconciliation(id: string): Promise<ReconciliationNotes | undefined>;
  /** unknown → not_sent, with the note. False (and nothing changed) when the row was not unknown. */
  markNotSent(id: string, message: string, note: ReconcileNote): Promise<boolean>;
  /**
   * not_sent → pending, error cleared, so it can be sent again on purpose; a bulk recipient's
   * job goes back to running (in the same transaction) so that its runner sends it. Returns the
   * row, or undefined (nothing changed) when it was not in state not_sent.
   */
  reopenNotSent(id: string): Promise<OutboundRequest | undefined>;
}

/** Inbound, or outbound by either route (`outbound-api`, `outbound-dial`). */
export type ChartDirection = 'inbound' | 'outbound';
/** A bucket is the start of a UTC period as the ISO-8601 prefix of its timestamps: `2026-01-02T03:04` (minute), `2026-01-02T03` (hour), `2026-01-02` (day). */
export type ChartUnit = 'minute' | 'hour' | 'day';

export interface ActivityCount {
  bucket: string;
  direction: ChartDirection;
  count: number;
}

export interface OutcomeCount {
  status: 'delivered' | 'failed' | 'undelivered';
  count: number;
}

export interface ErrorCodeCount {
  code: number;
  calls: number;
  messages: number;
}

export interface JobProgressCount {
  /** When recipients finished (their outbox rows' last update), bucketed. */
  bucket: string;
  state: 'sent' | 'failed' | 'unknown';
  count: number;
}

/**
 * A time range, ISO-8601 UTC: `since` included, `until` not. Counts are kept per hour (activity)
 * and per day (outcomes, error codes), so ranges start and end on whole hours or days.
 */
export interface ChartRange {
  since: string;
  until: string;
}

/**
 * The dashboard's charts: counts per time bucket. Reading them must not grow with the history:
 * SQLite keeps the counts in tables of their own, by triggers (migration 5), and the queries read
 * those by primary key (pinned in test/dashboard/charts-store.test.ts). Buckets are prefixes of the
 * ISO-8601 text timestamps, so the grouping is the same in any database that stores them as text.
 */
export interface ChartStore {
  /** Calls or messages created in the range, per unit (hour or day) and direction; empty buckets are absent. */
  activity(kind: 'calls' | 'messages', unit: 'hour' | 'day', range: ChartRange): Promise<ActivityCount[]>;
  /** Outbound messages created in the range that ended delivered, failed or undelivered. */
  deliveryOutcomes(range: ChartRange): Promise<OutcomeCount[]>;
  /** The Twilio error codes on calls and messages created in the range, most frequent first. */
  topErrorCodes(range: ChartRange, limit: number): Promise<ErrorCodeCount[]>;
  /** A bulk job's finished recipients per unit of time, by outcome (skipped opt-outs count as failed). */
  jobProgress(jobId: string, unit: ChartUnit): Promise<JobProgressCount[]>;
}
