import type { Pool, PoolClient } from 'pg';
import type { Clock } from '../clock';
import { bulkProgress, type FailureRow, type StateCount } from './bulk-progress';
import type { PgGroupCommit } from './postgres-commit';
import { LIVE_INSTANCES } from './postgres-instance';
import { LOCK_CLASS } from './postgres-locks';
import { toIdempotency, toJob, toOutbound, type IdempotencyRow, type JobRow, type OutboundRow } from './sqlite-outbox';
import type { Claimed, IdempotencyClaim, IdempotencyRecord, NewOutbound, OutboxStore } from './types';

/**
 * Takes the key for this request, or returns its unexpired holder. INSERT … ON CONFLICT makes the
 * claim atomic across instances: a second claimant waits for the first one's transaction and then
 * sees its row, so exactly one of them creates. An expired record is released first.
 */
async function claimKey(client: PoolClient, claim: IdempotencyClaim, target: { requestId: string | null; jobId: string | null }, now: string): Promise<IdempotencyRecord | undefined> {
  await client.query('DELETE FROM api_idempotency WHERE key = $1 AND created_at < $2', [claim.key, claim.since]);
  const taken = await client.query(
    `INSERT INTO api_idempotency (key, fingerprint, request_id, job_id, created_at) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (key) DO NOTHING`,
    [claim.key, claim.fingerprint, target.requestId, target.jobId, now],
  );
  if (taken.rowCount === 1) return undefined;
  const { rows } = await client.query<IdempotencyRow>('SELECT * FROM api_idempotency WHERE key = $1', [claim.key]);
  if (!rows[0]) throw new Error('idempotency key released while being claimed; retry the request');
  return toIdempotency(rows[0]);
}

async function insertRequests(client: PoolClient, requests: readonly NewOutbound[], jobId: string | null, now: string): Promise<void> {
  if (requests.length === 0) return;
  // One statement for a whole job; WITH ORDINALITY keeps the given order in `seq`.
  await client.query(
    `INSERT INTO outbound_requests (id, kind, params, state, job_id, created_at, updated_at)
     SELECT id, kind, params, 'pending', $4, $5, $5
     FROM unnest($1::text[], $2::text[], $3::text[]) WITH ORDINALITY AS r(id, kind, params, n)
     ORDER BY n`,
    [requests.map((r) => r.id), requests.map((r) => r.kind), requests.map((r) => JSON.stringify(r.params)), jobId, now],
  );
}

/** One single request, handed back as stored (defaults included) by the same round trip. */
const INSERT_REQUEST = `INSERT INTO outbound_requests (id, kind, params, state, job_id, created_at, updated_at)
  VALUES ($1, $2, $3, 'pending', NULL, $4, $4) RETURNING *`;
const requestValues = (request: NewOutbound, now: string) => [request.id, request.kind, JSON.stringify(request.params), now];

/** `instanceId`: this process's number (postgres-instance.ts), recorded on the rows it sends. */
export function postgresOutboxStore(pool: Pool, clock: Clock, writes: PgGroupCommit, instanceId: number): OutboxStore {
  const now = () => clock.now().toISOString();
  const getRow = async (client: Pool | PoolClient, id: string) =>
    (await client.query<OutboundRow>('SELECT * FROM outbound_requests WHERE id = $1', [id])).rows[0];

  return {
    async insertOutbound(request, claim) {
      const at = now();
      if (claim === undefined) {
        const { rows } = await writes.statement<OutboundRow>(INSERT_REQUEST, requestValues(request, at));
        return { created: toOutbound(rows[0] as OutboundRow) };
      }
      const result = await writes.run(async (client): Promise<Claimed<OutboundRow>> => {
        const existing = await claimKey(client, claim, { requestId: request.id, jobId: null }, at);
        if (existing) return { existing };
        return { created: (await client.query<OutboundRow>(INSERT_REQUEST, requestValues(request, at))).rows[0] as OutboundRow };
      });
      return 'created' in result ? { created: toOutbound(result.created) } : result;
    },
    async getOutbound(id) {
      const row = await getRow(pool, id);
      return row && toOutbound(row);
    },
    async findIdempotency(key, since) {
      const { rows } = await pool.query<IdempotencyRow>('SELECT * FROM api_idempotency WHERE key = $1', [key]);
      const row = rows[0];
      return row !== undefined && row.created_at >= since ? toIdempotency(row) : undefined;
    },
    async saveIdempotentResponse(key, status, body) {
      const json = JSON.stringify(body);
      await writes.statement('UPDATE api_idempotency SET response_status = $1, response_body = $2 WHERE key = $3 AND response_status IS NULL', [status, json, key]);
    },
    async releaseIdempotency(key, requestId) {
      // Conditional, so that a key another request has taken since, or one with a saved answer, stays.
      await writes.statement('DELETE FROM api_idempotency WHERE key = $1 AND request_id = $2 AND response_status IS NULL', [key, requestId]);
    },
    async markInFlight(id, retry) {
      const at = now();
      // Conditional: of two senders racing for one row, only one sees it pending.
      const { rowCount } = await writes.statement(
        `UPDATE outbound_requests SET state = 'in_flight', attempts = attempts + 1, updated_at = $2, claimed_by = $4
         WHERE id = $1 AND (state = 'pending' OR (state = 'in_flight' AND $3::boolean))`,
        [id, at, retry === true, instanceId],
      );
      if (rowCount !== 1) throw new Error(`outbound request ${id} is not pending; not sending it`);
    },
    async markSent(id, response, resource) {
      const at = now();
      // One statement, one round trip, which hands back the row: the history row is added by a
      // data-modifying WITH, which always runs to completion whether or not anything reads it.
      const sent = `UPDATE outbound_requests SET state = 'sent', twilio_sid = $2, response = $3,
          error_status = NULL, error_code = NULL, error_message = NULL, next_attempt_at = NULL, updated_at = $4
        WHERE id = $1 RETURNING *`;
      const common = [id, resource.sid, JSON.stringify(response), at, resource.from, resource.to];
      const { rows } =
        resource.kind === 'call'
          ? await writes.statement<OutboundRow>(
              `WITH recorded AS (
                 INSERT INTO calls (sid, direction, from_number, to_number, status, created_at, updated_at)
                 VALUES ($2, 'outbound-api', $5, $6, $7, $4, $4)
                 ON CONFLICT (sid) DO NOTHING
               ) ${sent}`,
              [...common, resource.status],
            )
          : await writes.statement<OutboundRow>(
              `WITH recorded AS (
                 INSERT INTO messages (sid, direction, from_number, to_number, body, num_media, media_urls, status, created_at, updated_at)
                 VALUES ($2, 'outbound-api', $5, $6, $7, $8, $9, $10, $4, $4)
                 ON CONFLICT (sid) DO NOTHING
               ) ${sent}`,
              [...common, resource.body, resource.mediaUrls.length, JSON.stringify(resource.mediaUrls), resource.status],
            );
      return rows[0] && toOutbound(rows[0]);
    },
    async markFailed(id, error) {
      const response = error.moreInfo ? JSON.stringify({ more_info: error.moreInfo }) : null;
      const values = [id, error.status, error.code, error.message, response, error.skipReason ?? null, now()];
      await writes.statement(
        `UPDATE outbound_requests SET state = 'failed', error_status = $2, error_code = $3, error_message = $4,
           response = $5, skip_reason = $6, next_attempt_at = NULL, updated_at = $7
         WHERE id = $1`,
        values,
      );
    },
    async markUnknown(id, message) {
      const at = now();
      await writes.statement(
        `UPDATE outbound_requests SET state = 'unknown', error_message = $2, next_attempt_at = NULL, updated_at = $3 WHERE id = $1`,
        [id, message, at],
      );
    },
    async reschedule(id, at, message) {
      const updated = now();
      await writes.statement(
        `UPDATE outbound_requests SET state = 'pending', next_attempt_at = $2, error_message = $3, updated_at = $4
         WHERE id = $1 AND state IN ('pending', 'in_flight')`,
        [id, at, message, updated],
      );
    },
    async recoverInterrupted(message) {
      const at = now();
      const rows = await writes.run(async (client) => {
        // Only rows of instances that are gone: another running instance is still sending its own.
        const { rows: before } = await client.query<OutboundRow>(
          `SELECT * FROM outbound_requests
           WHERE state = 'in_flight' AND (claimed_by IS NULL OR claimed_by NOT IN (${LIVE_INSTANCES}))
           ORDER BY created_at, id FOR UPDATE`,
          [LOCK_CLASS],
        );
        await client.query(
          "UPDATE outbound_requests SET state = 'unknown', error_message = $1, updated_at = $2 WHERE id = ANY($3::text[])",
          [message, at, before.map((row) => row.id)],
        );
        return before;
      });
      return rows.map(toOutbound);
    },
    async listPendingSingles(limit) {
      const { rows } = await pool.query<OutboundRow>(
        "SELECT * FROM outbound_requests WHERE state = 'pending' AND job_id IS NULL ORDER BY created_at, seq LIMIT $1",
        [limit],
      );
      return rows.map(toOutbound);
    },
    async createBulkJob(job, claim) {
      const at = now();
      const result = await writes.run(async (client): Promise<Claimed<JobRow>> => {
        const existing = claim && (await claimKey(client, claim, { requestId: null, jobId: job.id }, at));
        if (existing) return { existing };
        const { rows } = await client.query<JobRow>(
          `INSERT INTO bulk_jobs (id, state, total, params, created_at, updated_at) VALUES ($1, 'running', $2, $3, $4, $4) RETURNING *`,
          [job.id, job.recipients.length, JSON.stringify(job.params), at],
        );
        await insertRequests(client, job.recipients, job.id, at);
        return { created: rows[0] as JobRow };
      });
      return 'created' in result ? { created: toJob(result.created) } : result;
    },
    async getBulkJob(id) {
      const { rows } = await pool.query<JobRow>('SELECT * FROM bulk_jobs WHERE id = $1', [id]);
      const row = rows[0];
      if (row === undefined) return undefined;
      const groups = await pool.query<StateCount>(
        `SELECT state, skip_reason IS NOT NULL AS skipped, count(*) AS n FROM outbound_requests
         WHERE job_id = $1 GROUP BY state, skipped`,
        [id],
      );
      const failed = await pool.query<FailureRow>(
        `SELECT params::json ->> 'to' AS "to", state, error_status, error_code, error_message FROM outbound_requests
         WHERE job_id = $1 AND (state IN ('unknown', 'not_sent') OR (state = 'failed' AND skip_reason IS NULL)) ORDER BY seq`,
        [id],
      );
      return bulkProgress(toJob(row), groups.rows, failed.rows);
    },
    async listBulkJobs({ limit }) {
      const { rows } = await pool.query<JobRow>('SELECT * FROM bulk_jobs ORDER BY created_at DESC, seq DESC LIMIT $1', [limit]);
      return rows.map(toJob);
    },
    async dueJobRecipients(at, limit) {
      // The oldest running job first, each job's recipients in the order given, up to the limit.
      const { rows } = await pool.query<OutboundRow>(
        `SELECT r.* FROM bulk_jobs j
         CROSS JOIN LATERAL (
           SELECT * FROM outbound_requests r
           WHERE r.job_id = j.id AND r.state = 'pending' AND (r.next_attempt_at IS NULL OR r.next_attempt_at <= $1)
           ORDER BY r.seq LIMIT $2
         ) r
         WHERE j.state = 'running'
         ORDER BY j.created_at, j.seq, r.seq
         LIMIT $2`,
        [at, limit],
      );
      return rows.map(toOutbound);
    },
    async nextJobAttemptAt() {
      const { rows } = await pool.query<{ at: string | null }>(
        `SELECT min(next_attempt_at) AS at FROM outbound_requests
         WHERE state = 'pending' AND job_id IS NOT NULL AND next_attempt_at IS NOT NULL`,
      );
      return rows[0]?.at ?? undefined;
    },
    async completeFinishedJobs() {
      const at = now();
      const { rows } = await writes.run(async (client) => {
        // Running jobs are locked first, and the check below is a later statement with a fresh
        // snapshot: a recipient reopened on another instance (reopenNotSent locks its job) is then
        // seen as pending once that commits, rather than missed and its job completed under it.
        await client.query("SELECT id FROM bulk_jobs WHERE state = 'running' ORDER BY id FOR UPDATE");
        return client.query<{ id: string }>(
          `WITH done AS (
             UPDATE bulk_jobs j SET state = 'completed', updated_at = $1
             WHERE state = 'running' AND NOT EXISTS
               (SELECT 1 FROM outbound_requests r WHERE r.job_id = j.id AND r.state IN ('pending', 'in_flight'))
             RETURNING id, created_at, seq
           )
           SELECT id FROM done ORDER BY created_at, seq`,
          [at],
        );
      });
      return rows.map((row) => row.id);
    },
  };
}
