/**
 * PostgreSQL schema migrations, applied in order at start-up under an advisory lock; the
 * `switchboard_schema` table records each one applied. The tables, columns and indexes mirror the
 * SQLite schema (migrations.ts) so that both stores answer alike:
 *  - times stay ISO-8601 text and JSON stays text, exactly as written, so that comparisons,
 *    cursors and the bytes handed back are the same as SQLite's;
 *  - text that is sorted or compared uses the "C" collation, SQLite's byte order, whatever locale
 *    the database was created with;
 *  - `seq` stands in for SQLite's rowid on tables keyed by text, where the order of insertion matters;
 *  - `claimed_by` on outbound_requests has no SQLite counterpart: only one process uses a SQLite file.
 * Never edit a migration that has shipped: add a new one (and its SQLite counterpart).
 */
export const POSTGRES_MIGRATIONS: readonly string[] = [
  // 1: everything SQLite's migrations 1 to 4 create.
  `
  CREATE TABLE calls (
    sid           TEXT COLLATE "C" PRIMARY KEY,
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
    created_at    TEXT COLLATE "C" NOT NULL,
    updated_at    TEXT COLLATE "C" NOT NULL
  );
  CREATE INDEX calls_by_created ON calls (created_at DESC, sid DESC);

  CREATE TABLE messages (
    sid           TEXT COLLATE "C" PRIMARY KEY,
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
    created_at    TEXT COLLATE "C" NOT NULL,
    updated_at    TEXT COLLATE "C" NOT NULL
  );
  CREATE INDEX messages_by_created ON messages (created_at DESC, sid DESC);

  CREATE TABLE status_events (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    resource        TEXT NOT NULL,
    sid             TEXT COLLATE "C" NOT NULL,
    status          TEXT,
    sequence_number INTEGER,
    dedupe_key      TEXT NOT NULL UNIQUE,
    params          TEXT NOT NULL,
    received_at     TEXT COLLATE "C" NOT NULL
  );
  CREATE INDEX status_events_by_sid ON status_events (sid, id);

  CREATE TABLE outbound_requests (
    seq             BIGINT GENERATED ALWAYS AS IDENTITY UNIQUE,
    id              TEXT COLLATE "C" PRIMARY KEY,
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
    job_id          TEXT COLLATE "C",
    created_at      TEXT COLLATE "C" NOT NULL,
    updated_at      TEXT COLLATE "C" NOT NULL,
    next_attempt_at TEXT COLLATE "C",
    skip_reason     TEXT,
    -- The instance that marked the row in flight (postgres-instance.ts): start-up recovery
    -- leaves the rows of instances still running alone.
    claimed_by      INTEGER
  );
  CREATE INDEX outbound_requests_by_state ON outbound_requests (state, created_at);
  CREATE INDEX outbound_requests_by_job ON outbound_requests (job_id, state, seq);

  CREATE TABLE voicemails (
    id                   BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    call_sid             TEXT NOT NULL,
    recording_sid        TEXT UNIQUE,
    from_number          TEXT NOT NULL,
    to_number            TEXT NOT NULL,
    recording_url        TEXT,
    duration             INTEGER,
    transcription        TEXT,
    transcription_status TEXT,
    source               TEXT NOT NULL,
    created_at           TEXT COLLATE "C" NOT NULL,
    updated_at           TEXT COLLATE "C" NOT NULL
  );
  CREATE INDEX voicemails_by_created ON voicemails (created_at DESC, id DESC);
  CREATE INDEX voicemails_by_call ON voicemails (call_sid);

  -- The current state per pair of numbers; opt_out_events keeps every change with its time.
  CREATE TABLE opt_outs (
    our_number   TEXT COLLATE "C" NOT NULL,
    their_number TEXT COLLATE "C" NOT NULL,
    opted_out    SMALLINT NOT NULL CHECK (opted_out IN (0, 1)),
    updated_at   TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (our_number, their_number)
  );
  CREATE INDEX opt_outs_by_their_number ON opt_outs (their_number) WHERE opted_out = 1;
  CREATE TABLE opt_out_events (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    our_number   TEXT NOT NULL,
    their_number TEXT NOT NULL,
    action       TEXT NOT NULL CHECK (action IN ('opt-out', 'opt-in')),
    keyword      TEXT NOT NULL,
    source       TEXT NOT NULL,
    message_sid  TEXT,
    created_at   TEXT COLLATE "C" NOT NULL
  );
  CREATE INDEX opt_out_events_by_pair ON opt_out_events (our_number, their_number, id);

  CREATE TABLE bulk_jobs (
    seq         BIGINT GENERATED ALWAYS AS IDENTITY UNIQUE,
    id          TEXT COLLATE "C" PRIMARY KEY,
    state       TEXT NOT NULL CHECK (state IN ('running', 'completed')),
    total       INTEGER NOT NULL,
    params      TEXT NOT NULL,
    created_at  TEXT COLLATE "C" NOT NULL,
    updated_at  TEXT COLLATE "C" NOT NULL
  );
  CREATE INDEX bulk_jobs_by_state ON bulk_jobs (state, created_at, seq);

  -- Instance numbers; their advisory-lock keys (3 + n) must stay within a 32-bit integer.
  CREATE SEQUENCE switchboard_instances AS INTEGER MAXVALUE 1000000000 CYCLE;

  CREATE TABLE api_idempotency (
    key             TEXT PRIMARY KEY,
    fingerprint     TEXT NOT NULL,
    request_id      TEXT,
    job_id          TEXT,
    response_status INTEGER,
    response_body   TEXT,
    created_at      TEXT COLLATE "C" NOT NULL
  );
  `,
  // 2: SQLite's migration 5, reconciling unknown outcomes. The new final state `not_sent`
  // (looked up at Twilio and not found) in the state CHECK, which PostgreSQL can replace in
  // place; columns for the reconciler's notes; and a sid belongs to one row only, so that a
  // look-up on one instance can never give a sid that another instance just recorded to a second row.
  `
  ALTER TABLE outbound_requests DROP CONSTRAINT outbound_requests_state_check;
  ALTER TABLE outbound_requests ADD CONSTRAINT outbound_requests_state_check
    CHECK (state IN ('pending', 'in_flight', 'sent', 'failed', 'unknown', 'not_sent'));
  ALTER TABLE outbound_requests
    ADD COLUMN reconcile_checked_at TEXT COLLATE "C",
    ADD COLUMN reconcile_checks     INTEGER NOT NULL DEFAULT 0,
    ADD COLUMN reconcile_candidates TEXT,
    ADD COLUMN reconcile_outcome    TEXT,
    ADD COLUMN reconcile_message    TEXT;
  CREATE UNIQUE INDEX outbound_requests_by_sid ON outbound_requests (twilio_sid) WHERE twilio_sid IS NOT NULL;
  `,
];
