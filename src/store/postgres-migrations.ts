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
  // 2: the API rate limit's counters, shared by every instance (postgres-counters.ts).
  // UNLOGGED: a counter lost in a crash only grants a fresh minute, and skipping the WAL keeps a
  // hot row's updates cheap. No SQLite counterpart: one process counts in memory.
  `
  CREATE UNLOGGED TABLE rate_windows (
    key          TEXT COLLATE "C" NOT NULL,
    window_start BIGINT NOT NULL,
    count        INTEGER NOT NULL,
    PRIMARY KEY (key, window_start)
  );
  CREATE INDEX rate_windows_by_start ON rate_windows (window_start);
  `,
];
