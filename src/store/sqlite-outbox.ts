import type Database from 'better-sqlite3';
import type { Clock } from '../clock';
import { bulkProgress, type FailureRow, type StateCount } from './bulk-progress';
import type { GroupCommit } from './group-commit';
import type {
  BulkJob,
  Claimed,
  IdempotencyClaim,
  IdempotencyRecord,
  NewOutbound,
  OutboundRequest,
  OutboxStore,
} from './types';

export interface OutboundRow {
  id: string;
  kind: OutboundRequest['kind'];
  params: string;
  state: OutboundRequest['state'];
  attempts: number;
  twilio_sid: string | null;
  response: string | null;
  error_status: number | null;
  error_code: number | null;
  error_message: string | null;
  job_id: string | null;
  skip_reason: string | null;
  next_attempt_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface JobRow {
  id: string;
  state: BulkJob['state'];
  total: number;
  params: string;
  created_at: string;
  updated_at: string;
}

export interface IdempotencyRow {
  key: string;
  fingerprint: string;
  request_id: string | null;
  job_id: string | null;
  response_status: number | null;
  response_body: string | null;
  created_at: string;
}

export function toOutbound(row: OutboundRow): OutboundRequest {
  return {
    id: row.id,
    kind: row.kind,
    params: JSON.parse(row.params) as Record<string, unknown>,
    state: row.state,
    attempts: row.attempts,
    twilioSid: row.twilio_sid,
    response: row.response === null ? null : (JSON.parse(row.response) as Record<string, unknown>),
    errorStatus: row.error_status,
    errorCode: row.error_code,
    errorMessage: row.error_message,
    jobId: row.job_id,
    skipReason: row.skip_reason,
    nextAttemptAt: row.next_attempt_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export function toJob(row: JobRow): BulkJob {
  return {
    id: row.id,
    state: row.state,
    total: row.total,
    params: JSON.parse(row.params) as Record<string, unknown>,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export function toIdempotency(row: IdempotencyRow): IdempotencyRecord {
  return {
    key: row.key,
    fingerprint: row.fingerprint,
    requestId: row.request_id,
    jobId: row.job_id,
    responseStatus: row.response_status,
    responseBody: row.response_body === null ? null : (JSON.parse(row.response_body) as unknown),
    createdAt: row.created_at,
  };
}

export function sqliteOutboxStore(db: Database.Database, clock: Clock, writes: GroupCommit): OutboxStore {
  const now = () => clock.now().toISOString();
  const insertRow = db.prepare(
    `INSERT INTO outbound_requests (id, kind, params, state, job_id, created_at, updated_at)
     VALUES (@id, @kind, @params, 'pending', @jobId, @now, @now)`,
  );
  const getRow = db.prepare<[string], OutboundRow>('SELECT * FROM outbound_requests WHERE id = ?');
  const findKey = db.prepare<[string], IdempotencyRow>('SELECT * FROM api_idempotency WHERE key = ?');
  const dropKey = db.prepare<[string]>('DELETE FROM api_idempotency WHERE key = ?');
  const insertKey = db.prepare(
    `INSERT INTO api_idempotency (key, fingerprint, request_id, job_id, created_at)
     VALUES (@key, @fingerprint, @requestId, @jobId, @now)`,
  );
  const releaseKey = db.prepare<[string, string]>(
    'DELETE FROM api_idempotency WHERE key = ? AND request_id = ? AND response_status IS NULL',
  );
  const saveResponse = db.prepare(
    'UPDATE api_idempotency SET response_status = ?, response_body = ? WHERE key = ? AND response_status IS NULL',
  );
  const toInFlight = db.prepare(
    `UPDATE outbound_requests SET state = 'in_flight', attempts = attempts + 1, updated_at = @now
     WHERE id = @id AND (state = 'pending' OR (state = 'in_flight' AND @retry = 1))`,
  );
  const toSent = db.prepare<{ id: string; sid: string; response: string; now: string }, OutboundRow>(
    `UPDATE outbound_requests SET state = 'sent', twilio_sid = @sid, response = @response,
       error_status = NULL, error_code = NULL, error_message = NULL, next_attempt_at = NULL, updated_at = @now
     WHERE id = @id RETURNING *`,
  );
  const toFailed = db.prepare(
    `UPDATE outbound_requests SET state = 'failed', error_status = @status, error_code = @code, error_message = @message,
       response = @response, skip_reason = @skipReason, next_attempt_at = NULL, updated_at = @now
     WHERE id = @id`,
  );
  const toUnknown = db.prepare(
    `UPDATE outbound_requests SET state = 'unknown', error_message = @message, next_attempt_at = NULL, updated_at = @now
     WHERE id = @id`,
  );
  const toPending = db.prepare(
    `UPDATE outbound_requests SET state = 'pending', next_attempt_at = @at, error_message = @message, updated_at = @now
     WHERE id = @id AND state IN ('pending', 'in_flight')`,
  );
  const interrupted = db.prepare<[], OutboundRow>("SELECT * FROM outbound_requests WHERE state = 'in_flight' ORDER BY created_at, id");
  const interruptedToUnknown = db.prepare(
    "UPDATE outbound_requests SET state = 'unknown', error_message = ?, updated_at = ? WHERE state = 'in_flight'",
  );
  const pendingSingles = db.prepare<[number], OutboundRow>(
    "SELECT * FROM outbound_requests WHERE state = 'pending' AND job_id IS NULL ORDER BY created_at, rowid LIMIT ?",
  );
  const insertCall = db.prepare(
    `INSERT INTO calls (sid, direction, from_number, to_number, status, created_at, updated_at)
     VALUES (@sid, 'outbound-api', @from, @to, @status, @now, @now)
     ON CONFLICT (sid) DO NOTHING`,
  );
  const insertMessage = db.prepare(
    `INSERT INTO messages (sid, direction, from_number, to_number, body, num_media, media_urls, status, created_at, updated_at)
     VALUES (@sid, 'outbound-api', @from, @to, @body, @numMedia, @mediaUrls, @status, @now, @now)
     ON CONFLICT (sid) DO NOTHING`,
  );
  const insertJob = db.prepare(
    `INSERT INTO bulk_jobs (id, state, total, params, created_at, updated_at)
     VALUES (@id, 'running', @total, @params, @now, @now)`,
  );
  const getJob = db.prepare<[string], JobRow>('SELECT * FROM bulk_jobs WHERE id = ?');
  const recentJobs = db.prepare<[number], JobRow>('SELECT * FROM bulk_jobs ORDER BY created_at DESC, rowid DESC LIMIT ?');
  const jobCounts = db.prepare<[string], StateCount>(
    `SELECT state, skip_reason IS NOT NULL AS skipped, count(*) AS n FROM outbound_requests
     WHERE job_id = ? GROUP BY state, skipped`,
  );
  const jobFailures = db.prepare<[string], FailureRow>(
    `SELECT json_extract(params, '$.to') AS "to", state, error_status, error_code, error_message FROM outbound_requests
     WHERE job_id = ? AND (state IN ('unknown', 'not_sent') OR (state = 'failed' AND skip_reason IS NULL)) ORDER BY rowid`,
  );
  // Due recipients are read one running job at a time: a job's pending rows are then walked in
  // rowid order along outbound_requests_by_job, stopping at the limit. A join across the jobs
  // sorted every pending row of the job on each read, which is a pass over the whole job for
  // every hundred recipients sent.
  const runningJobs = db.prepare<[], { id: string }>("SELECT id FROM bulk_jobs WHERE state = 'running' ORDER BY created_at, rowid");
  const dueInJob = db.prepare<[string, string, number], OutboundRow>(
    `SELECT * FROM outbound_requests
     WHERE job_id = ? AND state = 'pending' AND (next_attempt_at IS NULL OR next_attempt_at <= ?)
     ORDER BY rowid LIMIT ?`,
  );
  const nextAttempt = db.prepare<[], { at: string | null }>(
    `SELECT min(next_attempt_at) AS at FROM outbound_requests
     WHERE state = 'pending' AND job_id IS NOT NULL AND next_attempt_at IS NOT NULL`,
  );
  const finished = db.prepare<[], { id: string }>(
    `SELECT id FROM bulk_jobs j WHERE state = 'running' AND NOT EXISTS
       (SELECT 1 FROM outbound_requests r WHERE r.job_id = j.id AND r.state IN ('pending', 'in_flight'))`,
  );
  const completeJob = db.prepare("UPDATE bulk_jobs SET state = 'completed', updated_at = ? WHERE id = ?");

  /** The unexpired holder of the key, releasing an expired one. Must run inside a transaction. */
  const holder = (claim: IdempotencyClaim): IdempotencyRecord | undefined => {
    const row = findKey.get(claim.key);
    if (row === undefined) return undefined;
    if (row.created_at >= claim.since) return toIdempotency(row);
    dropKey.run(claim.key);
    return undefined;
  };

  const insertOne = db.transaction((request: NewOutbound, claim: IdempotencyClaim | undefined): Claimed<OutboundRow> => {
    const existing = claim && holder(claim);
    if (existing) return { existing };
    const at = now();
    insertRow.run({ id: request.id, kind: request.kind, params: JSON.stringify(request.params), jobId: null, now: at });
    if (claim) insertKey.run({ key: claim.key, fingerprint: claim.fingerprint, requestId: request.id, jobId: null, now: at });
    return { created: getRow.get(request.id) as OutboundRow };
  });

  const insertBulk = db.transaction(
    (job: { id: string; params: Record<string, unknown>; recipients: NewOutbound[] }, claim: IdempotencyClaim | undefined): Claimed<JobRow> => {
      const existing = claim && holder(claim);
      if (existing) return { existing };
      const at = now();
      insertJob.run({ id: job.id, total: job.recipients.length, params: JSON.stringify(job.params), now: at });
      for (const recipient of job.recipients) {
        insertRow.run({ id: recipient.id, kind: recipient.kind, params: JSON.stringify(recipient.params), jobId: job.id, now: at });
      }
      if (claim) insertKey.run({ key: claim.key, fingerprint: claim.fingerprint, requestId: null, jobId: job.id, now: at });
      return { created: getJob.get(job.id) as JobRow };
    },
  );

  const sent = db.transaction((id: string, response: Record<string, unknown>, resource: Parameters<OutboxStore['markSent']>[2]) => {
    const at = now();
    const row = toSent.get({ id, sid: resource.sid, response: JSON.stringify(response), now: at });
    if (resource.kind === 'call') {
      insertCall.run({ sid: resource.sid, from: resource.from, to: resource.to, status: resource.status, now: at });
    } else {
      insertMessage.run({
        sid: resource.sid,
        from: resource.from,
        to: resource.to,
        status: resource.status,
        body: resource.body,
        numMedia: resource.mediaUrls.length,
        mediaUrls: JSON.stringify(resource.mediaUrls),
        now: at,
      });
    }
    return row;
  });

  const recover = db.transaction((message: string) => {
    const rows = interrupted.all();
    interruptedToUnknown.run(message, now());
    return rows;
  });

  return {
    async insertOutbound(request, claim) {
      // In the turn's commit, like every other write: under load, API requests arrive together.
      const result = await writes.run(() => insertOne(request, claim));
      return 'created' in result ? { created: toOutbound(result.created) } : result;
    },
    async getOutbound(id) {
      const row = getRow.get(id);
      return row && toOutbound(row);
    },
    async findIdempotency(key, since) {
      const row = findKey.get(key);
      return row !== undefined && row.created_at >= since ? toIdempotency(row) : undefined;
    },
    async saveIdempotentResponse(key, status, body) {
      const json = JSON.stringify(body);
      await writes.run(() => saveResponse.run(status, json, key));
    },
    async releaseIdempotency(key, requestId) {
      await writes.run(() => releaseKey.run(key, requestId));
    },
    async markInFlight(id, retry) {
      const { changes } = await writes.run(() => toInFlight.run({ id, retry: retry === true ? 1 : 0, now: now() }));
      if (changes !== 1) throw new Error(`outbound request ${id} is not pending; not sending it`);
    },
    async markSent(id, response, resource) {
      const row = await writes.run(() => sent(id, response, resource));
      return row && toOutbound(row);
    },
    async markFailed(id, error) {
      const response = error.moreInfo ? JSON.stringify({ more_info: error.moreInfo }) : null;
      await writes.run(() => toFailed.run({ id, status: error.status, code: error.code, message: error.message, response, skipReason: error.skipReason ?? null, now: now() }));
    },
    async markUnknown(id, message) {
      await writes.run(() => toUnknown.run({ id, message, now: now() }));
    },
    async reschedule(id, at, message) {
      await writes.run(() => toPending.run({ id, at, message, now: now() }));
    },
    async recoverInterrupted(message) {
      return recover(message).map(toOutbound);
    },
    async listPendingSingles(limit) {
      return pendingSingles.all(limit).map(toOutbound);
    },
    async createBulkJob(job, claim) {
      const result = insertBulk(job, claim);
      return 'created' in result ? { created: toJob(result.created) } : result;
    },
    async getBulkJob(id) {
      const row = getJob.get(id);
      if (row === undefined) return undefined;
      return bulkProgress(toJob(row), jobCounts.all(id), jobFailures.all(id));
    },
    async listBulkJobs({ limit }) {
      return recentJobs.all(limit).map(toJob);
    },
    async dueJobRecipients(at, limit) {
      const rows: OutboundRow[] = [];
      for (const { id } of runningJobs.all()) {
        if (rows.length >= limit) break;
        for (const row of dueInJob.all(id, at, limit - rows.length)) rows.push(row);
      }
      return rows.map(toOutbound);
    },
    async nextJobAttemptAt() {
      return nextAttempt.get()?.at ?? undefined;
    },
    async completeFinishedJobs() {
      const ids = finished.all().map((row) => row.id);
      const at = now();
      for (const id of ids) completeJob.run(at, id);
      return ids;
    },
  };
}
