/**
 * Schema migrations, applied in order at start-up. The database's `user_version` records the
 * last one applied. Never edit a migration that has shipped: add a new one.
 */
export const MIGRATIONS: readonly string[] = [
  // 1: calls, messages, the status events Twilio posts about them, and the outbox of REST requests.
  `
  CREATE TABLE calls (
    sid           TEXT PRIMARY KEY,
    direction     TEXT NOT NULL,
    from_number   TEXT NOT NULL,
    to_number     TEXT NOT NULL,
    status        TEXT NOT NULL,
    duration      INTEGER,
    price         TEXT,
    price_unit    TEXT,
    error_code    INTEGER,
    recording_url TEXT,
    answered_by   TEXT,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
  );
  CREATE INDEX calls_by_created ON calls (created_at DESC, sid DESC);

  CREATE TABLE messages (
    sid           TEXT PRIMARY KEY,
    direction     TEXT NOT NULL,
    from_number   TEXT NOT NULL,
    to_number     TEXT NOT NULL,
    body          TEXT NOT NULL,
    num_media     INTEGER NOT NULL DEFAULT 0,
    media_urls    TEXT NOT NULL DEFAULT '[]',
    status        TEXT NOT NULL,
    error_code    INTEGER,
    price         TEXT,
    price_unit    TEXT,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
  );
  CREATE INDEX messages_by_created ON messages (created_at DESC, sid DESC);

  CREATE TABLE status_events (
    id              INTEGER PRIMARY KEY,
    resource        TEXT NOT NULL,
    sid             TEXT NOT NULL,
    status          TEXT,
    sequence_number INTEGER,
    dedupe_key      TEXT NOT NULL UNIQUE,
    params          TEXT NOT NULL,
    received_at     TEXT NOT NULL
  );
  CREATE INDEX status_events_by_sid ON status_events (sid, id);

  CREATE TABLE outbound_requests (
    id              TEXT PRIMARY KEY,
    kind            TEXT NOT NULL CHECK (kind IN ('call', 'message')),
    idempotency_key TEXT UNIQUE,
    params          TEXT NOT NULL,
    state           TEXT NOT NULL CHECK (state IN ('pending', 'in_flight', 'sent', 'failed', 'unknown')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    twilio_sid      TEXT,
    response        TEXT,
    error_status    INTEGER,
    error_code      INTEGER,
    error_message   TEXT,
    job_id          TEXT,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
  );
  CREATE INDEX outbound_requests_by_state ON outbound_requests (state, created_at);
  `,
  // 2: voicemails (from flows and the voicemail twimlet) and the SMS opt-out ledger.
  `
  CREATE TABLE voicemails (
    id                   INTEGER PRIMARY KEY,
    call_sid             TEXT NOT NULL,
    recording_sid        TEXT UNIQUE,
    from_number          TEXT NOT NULL,
    to_number            TEXT NOT NULL,
    recording_url        TEXT,
    duration             INTEGER,
    transcription        TEXT,
    transcription_status TEXT,
    source               TEXT NOT NULL,
    created_at           TEXT NOT NULL,
    updated_at           TEXT NOT NULL
  );
  CREATE INDEX voicemails_by_created ON voicemails (created_at DESC, id DESC);
  CREATE INDEX voicemails_by_call ON voicemails (call_sid);

  -- The current state per pair of numbers; opt_out_events keeps every change with its time.
  CREATE TABLE opt_outs (
    our_number   TEXT NOT NULL,
    their_number TEXT NOT NULL,
    opted_out    INTEGER NOT NULL CHECK (opted_out IN (0, 1)),
    updated_at   TEXT NOT NULL,
    PRIMARY KEY (our_number, their_number)
  );
  CREATE TABLE opt_out_events (
    id           INTEGER PRIMARY KEY,
    our_number   TEXT NOT NULL,
    their_number TEXT NOT NULL,
    action       TEXT NOT NULL CHECK (action IN ('opt-out', 'opt-in')),
    keyword      TEXT NOT NULL,
    source       TEXT NOT NULL,
    message_sid  TEXT,
    created_at   TEXT NOT NULL
  );
  CREATE INDEX opt_out_events_by_pair ON opt_out_events (our_number, their_number, id);
  `,
  // 3: the outbound API: retry scheduling and opt-out skips on outbox rows, bulk jobs, and
  // Idempotency-Key records (kept 24 h) that point at the request or job they created.
  `
  ALTER TABLE outbound_requests ADD COLUMN next_attempt_at TEXT;
  ALTER TABLE outbound_requests ADD COLUMN skip_reason TEXT;
  CREATE INDEX outbound_requests_by_job ON outbound_requests (job_id, state);

  CREATE TABLE bulk_jobs (
    id          TEXT PRIMARY KEY,
    state       TEXT NOT NULL CHECK (state IN ('running', 'completed')),
    total       INTEGER NOT NULL,
    params      TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
  );
  CREATE INDEX bulk_jobs_by_state ON bulk_jobs (state, created_at);

  CREATE TABLE api_idempotency (
    key             TEXT PRIMARY KEY,
    fingerprint     TEXT NOT NULL,
    request_id      TEXT,
    job_id          TEXT,
    response_status INTEGER,
    response_body   TEXT,
    created_at      TEXT NOT NULL
  );
  `,
  // 4: opt-outs by recipient alone. A send from the default sender asks whether the recipient
  // opted out of any of our numbers, once per message of a bulk job: without this index each
  // question read the whole ledger.
  `
  CREATE INDEX opt_outs_by_their_number ON opt_outs (their_number) WHERE opted_out = 1;
  `,
  // 5: reconciling unknown outcomes. A new final state, `not_sent` (looked up at Twilio and not
  // found), which the state CHECK must allow: SQLite cannot alter a CHECK, so the table is
  // rebuilt, rowids kept (bulk jobs send in rowid order). The reconciler's notes get columns of
  // their own, and a sid can belong to one row only, so a look-up never gives it to two.
  `
  CREATE TABLE outbound_requests_v5 (
    id                   TEXT PRIMARY KEY,
    kind                 TEXT NOT NULL CHECK (kind IN ('call', 'message')),
    idempotency_key      TEXT UNIQUE,
    params               TEXT NOT NULL,
    state                TEXT NOT NULL CHECK (state IN ('pending', 'in_flight', 'sent', 'failed', 'unknown', 'not_sent')),
    attempts             INTEGER NOT NULL DEFAULT 0,
    twilio_sid           TEXT,
    response             TEXT,
    error_status         INTEGER,
    error_code           INTEGER,
    error_message        TEXT,
    job_id               TEXT,
    created_at           TEXT NOT NULL,
    updated_at           TEXT NOT NULL,
    next_attempt_at      TEXT,
    skip_reason          TEXT,
    reconcile_checked_at TEXT,
    reconcile_checks     INTEGER NOT NULL DEFAULT 0,
    reconcile_candidates TEXT,
    reconcile_outcome    TEXT,
    reconcile_message    TEXT
  );
  INSERT INTO outbound_requests_v5
    (rowid, id, kind, idempotency_key, params, state, attempts, twilio_sid, response, error_status, error_code,
     error_message, job_id, created_at, updated_at, next_attempt_at, skip_reason)
  SELECT rowid, id, kind, idempotency_key, params, state, attempts, twilio_sid, response, error_status, error_code,
     error_message, job_id, created_at, updated_at, next_attempt_at, skip_reason
  FROM outbound_requests;
  DROP TABLE outbound_requests;
  ALTER TABLE outbound_requests_v5 RENAME TO outbound_requests;
  CREATE INDEX outbound_requests_by_state ON outbound_requests (state, created_at);
  CREATE INDEX outbound_requests_by_job ON outbound_requests (job_id, state);
  CREATE UNIQUE INDEX outbound_requests_by_sid ON outbound_requests (twilio_sid) WHERE twilio_sid IS NOT NULL;
  `,
];
