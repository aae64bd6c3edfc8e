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
  // 3: SQLite's migration 6, history retention (HISTORY_RETENTION_DAYS): each batch finds the
  // oldest rows along an index by time. calls, messages and voicemails have theirs from 1
  // (created_at DESC serves a range from either end), outbound_requests_by_state and
  // bulk_jobs_by_state cover the outbox and job batches; these two tables had none.
  `
  CREATE INDEX status_events_by_received ON status_events (received_at);
  CREATE INDEX api_idempotency_by_created ON api_idempotency (created_at);
  `,
  // 4: SQLite's migration 7, the dashboard's charts: count tables kept by triggers, read by primary
  // key (postgres-charts.ts), with the same rules as SQLite's triggers, rule for rule. Buckets are
  // prefixes of the ISO-8601 text timestamps: hour 'YYYY-MM-DDTHH', day 'YYYY-MM-DD', minute
  // 'YYYY-MM-DDTHH:MM'. Counts can reach 0 and stay; deleting history (retention) leaves them.
  //
  // Several instances write at once, so every change is a single atomic statement on the count
  // row: INSERT ... ON CONFLICT DO UPDATE SET count = count + 1 (never read, add, write back), and
  // UPDATE ... SET count = count - 1 on a row that exists because the old value was counted.
  // The counts are INTEGER so that sum() gives BIGINT, which the pool reads as a number.
  `
  -- Writers wait until the triggers and the backfill are committed, so no row is counted twice or
  -- missed: a row is either in the backfill's snapshot or written after, through a trigger.
  LOCK TABLE calls, messages, outbound_requests IN SHARE ROW EXCLUSIVE MODE;

  CREATE TABLE chart_activity (
    kind      TEXT COLLATE "C" NOT NULL CHECK (kind IN ('call', 'message')),
    hour      TEXT COLLATE "C" NOT NULL,
    direction TEXT COLLATE "C" NOT NULL CHECK (direction IN ('inbound', 'outbound')),
    count     INTEGER NOT NULL,
    PRIMARY KEY (kind, hour, direction)
  );
  CREATE TABLE chart_outcomes (
    day    TEXT COLLATE "C" NOT NULL,
    status TEXT COLLATE "C" NOT NULL,
    count  INTEGER NOT NULL,
    PRIMARY KEY (day, status)
  );
  CREATE TABLE chart_errors (
    day   TEXT COLLATE "C" NOT NULL,
    kind  TEXT COLLATE "C" NOT NULL CHECK (kind IN ('call', 'message')),
    code  INTEGER NOT NULL,
    count INTEGER NOT NULL,
    PRIMARY KEY (day, kind, code)
  );
  CREATE TABLE chart_job_progress (
    job_id TEXT COLLATE "C" NOT NULL,
    minute TEXT COLLATE "C" NOT NULL,
    state  TEXT COLLATE "C" NOT NULL,
    count  INTEGER NOT NULL,
    PRIMARY KEY (job_id, minute, state)
  );

  CREATE FUNCTION chart_count_activity(p_kind TEXT, p_created_at TEXT, p_direction TEXT) RETURNS void LANGUAGE plpgsql AS $$
  BEGIN
    INSERT INTO chart_activity (kind, hour, direction, count)
    VALUES (p_kind, substr(p_created_at, 1, 13), CASE WHEN p_direction = 'inbound' THEN 'inbound' ELSE 'outbound' END, 1)
    ON CONFLICT (kind, hour, direction) DO UPDATE SET count = chart_activity.count + 1;
  END $$;

  -- An error code counted on the row's creation day: the old one (if any) out, the new one (if any) in.
  -- OLD's and NEW's creation times are passed apart, as SQLite's triggers use them (they never differ).
  CREATE FUNCTION chart_move_error(p_kind TEXT, p_old_created_at TEXT, p_old INTEGER, p_new_created_at TEXT, p_new INTEGER) RETURNS void LANGUAGE plpgsql AS $$
  BEGIN
    IF p_old IS NOT NULL THEN
      UPDATE chart_errors SET count = count - 1 WHERE day = substr(p_old_created_at, 1, 10) AND kind = p_kind AND code = p_old;
    END IF;
    IF p_new IS NOT NULL THEN
      INSERT INTO chart_errors (day, kind, code, count) VALUES (substr(p_new_created_at, 1, 10), p_kind, p_new, 1)
      ON CONFLICT (day, kind, code) DO UPDATE SET count = chart_errors.count + 1;
    END IF;
  END $$;

  -- An outbound message's final status on its creation day: delivered, failed and undelivered only.
  CREATE FUNCTION chart_move_outcome(p_old_created_at TEXT, p_old TEXT, p_new_created_at TEXT, p_new TEXT) RETURNS void LANGUAGE plpgsql AS $$
  BEGIN
    IF p_old IN ('delivered', 'failed', 'undelivered') THEN
      UPDATE chart_outcomes SET count = count - 1 WHERE day = substr(p_old_created_at, 1, 10) AND status = p_old;
    END IF;
    IF p_new IN ('delivered', 'failed', 'undelivered') THEN
      INSERT INTO chart_outcomes (day, status, count) VALUES (substr(p_new_created_at, 1, 10), p_new, 1)
      ON CONFLICT (day, status) DO UPDATE SET count = chart_outcomes.count + 1;
    END IF;
  END $$;

  CREATE FUNCTION calls_chart_insert() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    PERFORM chart_count_activity('call', NEW.created_at, NEW.direction);
    PERFORM chart_move_error('call', NULL, NULL, NEW.created_at, NEW.error_code);
    RETURN NULL;
  END $$;
  CREATE TRIGGER calls_chart_insert AFTER INSERT ON calls FOR EACH ROW EXECUTE FUNCTION calls_chart_insert();

  CREATE FUNCTION calls_chart_error() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    PERFORM chart_move_error('call', OLD.created_at, OLD.error_code, NEW.created_at, NEW.error_code);
    RETURN NULL;
  END $$;
  CREATE TRIGGER calls_chart_error AFTER UPDATE OF error_code ON calls
    FOR EACH ROW WHEN (OLD.error_code IS DISTINCT FROM NEW.error_code) EXECUTE FUNCTION calls_chart_error();

  CREATE FUNCTION messages_chart_insert() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    PERFORM chart_count_activity('message', NEW.created_at, NEW.direction);
    IF NEW.direction <> 'inbound' THEN
      PERFORM chart_move_outcome(NULL, NULL, NEW.created_at, NEW.status);
    END IF;
    PERFORM chart_move_error('message', NULL, NULL, NEW.created_at, NEW.error_code);
    RETURN NULL;
  END $$;
  CREATE TRIGGER messages_chart_insert AFTER INSERT ON messages FOR EACH ROW EXECUTE FUNCTION messages_chart_insert();

  CREATE FUNCTION messages_chart_status() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    PERFORM chart_move_outcome(OLD.created_at, OLD.status, NEW.created_at, NEW.status);
    RETURN NULL;
  END $$;
  CREATE TRIGGER messages_chart_status AFTER UPDATE OF status ON messages
    FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status AND NEW.direction <> 'inbound') EXECUTE FUNCTION messages_chart_status();

  CREATE FUNCTION messages_chart_error() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    PERFORM chart_move_error('message', OLD.created_at, OLD.error_code, NEW.created_at, NEW.error_code);
    RETURN NULL;
  END $$;
  CREATE TRIGGER messages_chart_error AFTER UPDATE OF error_code ON messages
    FOR EACH ROW WHEN (OLD.error_code IS DISTINCT FROM NEW.error_code) EXECUTE FUNCTION messages_chart_error();

  -- A bulk job's recipients by the minute their request reached sent, failed or unknown (its
  -- updated_at then): the old state out of the minute it was reached, the new one in.
  CREATE FUNCTION outbound_requests_chart_insert() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    INSERT INTO chart_job_progress (job_id, minute, state, count) VALUES (NEW.job_id, substr(NEW.updated_at, 1, 16), NEW.state, 1)
    ON CONFLICT (job_id, minute, state) DO UPDATE SET count = chart_job_progress.count + 1;
    RETURN NULL;
  END $$;
  CREATE TRIGGER outbound_requests_chart_insert AFTER INSERT ON outbound_requests
    FOR EACH ROW WHEN (NEW.job_id IS NOT NULL AND NEW.state IN ('sent', 'failed', 'unknown')) EXECUTE FUNCTION outbound_requests_chart_insert();

  CREATE FUNCTION outbound_requests_chart_state() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    IF OLD.state IN ('sent', 'failed', 'unknown') THEN
      UPDATE chart_job_progress SET count = count - 1
      WHERE job_id = OLD.job_id AND minute = substr(OLD.updated_at, 1, 16) AND state = OLD.state;
    END IF;
    IF NEW.state IN ('sent', 'failed', 'unknown') THEN
      INSERT INTO chart_job_progress (job_id, minute, state, count) VALUES (NEW.job_id, substr(NEW.updated_at, 1, 16), NEW.state, 1)
      ON CONFLICT (job_id, minute, state) DO UPDATE SET count = chart_job_progress.count + 1;
    END IF;
    RETURN NULL;
  END $$;
  CREATE TRIGGER outbound_requests_chart_state AFTER UPDATE OF state ON outbound_requests
    FOR EACH ROW WHEN (NEW.job_id IS NOT NULL AND OLD.state IS DISTINCT FROM NEW.state) EXECUTE FUNCTION outbound_requests_chart_state();

  -- The history so far.
  INSERT INTO chart_activity (kind, hour, direction, count)
  SELECT 'call', substr(created_at, 1, 13), CASE WHEN direction = 'inbound' THEN 'inbound' ELSE 'outbound' END, count(*)
  FROM calls GROUP BY 1, 2, 3;
  INSERT INTO chart_activity (kind, hour, direction, count)
  SELECT 'message', substr(created_at, 1, 13), CASE WHEN direction = 'inbound' THEN 'inbound' ELSE 'outbound' END, count(*)
  FROM messages GROUP BY 1, 2, 3;
  INSERT INTO chart_outcomes (day, status, count)
  SELECT substr(created_at, 1, 10), status, count(*) FROM messages
  WHERE direction <> 'inbound' AND status IN ('delivered', 'failed', 'undelivered') GROUP BY 1, 2;
  INSERT INTO chart_errors (day, kind, code, count)
  SELECT substr(created_at, 1, 10), 'call', error_code, count(*) FROM calls WHERE error_code IS NOT NULL GROUP BY 1, 3;
  INSERT INTO chart_errors (day, kind, code, count)
  SELECT substr(created_at, 1, 10), 'message', error_code, count(*) FROM messages WHERE error_code IS NOT NULL GROUP BY 1, 3;
  INSERT INTO chart_job_progress (job_id, minute, state, count)
  SELECT job_id, substr(updated_at, 1, 16), state, count(*) FROM outbound_requests
  WHERE job_id IS NOT NULL AND state IN ('sent', 'failed', 'unknown') GROUP BY 1, 2, 3;
  `,
  // 5: the API rate limit's counters, shared by every instance (postgres-counters.ts).
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
  // 6: the chart counts without shared rows. Under migration 4 every new call or message in an
  // hour updated that hour's count row, and a batch held the row until its COMMIT: batches of
  // several instances waited on each other, and two that updated two such rows in opposite orders
  // deadlocked (a second lost to deadlock_timeout each time). Now the triggers only append a
  // delta, (bucket, +1) or (bucket, -1), to a table of deltas, where no two writers meet on a row;
  // the count tables of migration 4 keep the rolled-up counts, and the chart queries add the two
  // (postgres-charts.ts). Any instance moves the deltas into the counts now and then
  // (postgres-chart-rollup.ts). No SQLite counterpart: one process writes a SQLite file.
  //
  // Nothing is copied or recounted: the counts so far stay where they are, and from this commit
  // on the same trigger functions, replaced, append deltas instead. A writer that ran the old
  // function before the commit added to the counts, one that runs the new one adds a delta; either
  // way once, so no lock is needed. The deltas have the count tables' columns and checks (a bad
  // value fails its write, as before, rather than every roll-up after it), no key (rows repeat),
  // and an index for the chart queries' ranges.
  `
  CREATE TABLE chart_activity_deltas (
    kind      TEXT COLLATE "C" NOT NULL CHECK (kind IN ('call', 'message')),
    hour      TEXT COLLATE "C" NOT NULL,
    direction TEXT COLLATE "C" NOT NULL CHECK (direction IN ('inbound', 'outbound')),
    count     INTEGER NOT NULL
  );
  CREATE INDEX chart_activity_deltas_by_hour ON chart_activity_deltas (kind, hour);
  CREATE TABLE chart_outcomes_deltas (
    day    TEXT COLLATE "C" NOT NULL,
    status TEXT COLLATE "C" NOT NULL,
    count  INTEGER NOT NULL
  );
  CREATE INDEX chart_outcomes_deltas_by_day ON chart_outcomes_deltas (day);
  CREATE TABLE chart_errors_deltas (
    day   TEXT COLLATE "C" NOT NULL,
    kind  TEXT COLLATE "C" NOT NULL CHECK (kind IN ('call', 'message')),
    code  INTEGER NOT NULL,
    count INTEGER NOT NULL
  );
  CREATE INDEX chart_errors_deltas_by_day ON chart_errors_deltas (day);
  CREATE TABLE chart_job_progress_deltas (
    job_id TEXT COLLATE "C" NOT NULL,
    minute TEXT COLLATE "C" NOT NULL,
    state  TEXT COLLATE "C" NOT NULL,
    count  INTEGER NOT NULL
  );
  CREATE INDEX chart_job_progress_deltas_by_job ON chart_job_progress_deltas (job_id);

  -- Migration 4's rules, each UPDATE of a count now a delta: -1 where it subtracted, +1 where it added.
  CREATE OR REPLACE FUNCTION chart_count_activity(p_kind TEXT, p_created_at TEXT, p_direction TEXT) RETURNS void LANGUAGE plpgsql AS $$
  BEGIN
    INSERT INTO chart_activity_deltas (kind, hour, direction, count)
    VALUES (p_kind, substr(p_created_at, 1, 13), CASE WHEN p_direction = 'inbound' THEN 'inbound' ELSE 'outbound' END, 1);
  END $$;

  CREATE OR REPLACE FUNCTION chart_move_error(p_kind TEXT, p_old_created_at TEXT, p_old INTEGER, p_new_created_at TEXT, p_new INTEGER) RETURNS void LANGUAGE plpgsql AS $$
  BEGIN
    IF p_old IS NOT NULL THEN
      INSERT INTO chart_errors_deltas (day, kind, code, count) VALUES (substr(p_old_created_at, 1, 10), p_kind, p_old, -1);
    END IF;
    IF p_new IS NOT NULL THEN
      INSERT INTO chart_errors_deltas (day, kind, code, count) VALUES (substr(p_new_created_at, 1, 10), p_kind, p_new, 1);
    END IF;
  END $$;

  CREATE OR REPLACE FUNCTION chart_move_outcome(p_old_created_at TEXT, p_old TEXT, p_new_created_at TEXT, p_new TEXT) RETURNS void LANGUAGE plpgsql AS $$
  BEGIN
    IF p_old IN ('delivered', 'failed', 'undelivered') THEN
      INSERT INTO chart_outcomes_deltas (day, status, count) VALUES (substr(p_old_created_at, 1, 10), p_old, -1);
    END IF;
    IF p_new IN ('delivered', 'failed', 'undelivered') THEN
      INSERT INTO chart_outcomes_deltas (day, status, count) VALUES (substr(p_new_created_at, 1, 10), p_new, 1);
    END IF;
  END $$;

  CREATE OR REPLACE FUNCTION outbound_requests_chart_insert() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    INSERT INTO chart_job_progress_deltas (job_id, minute, state, count) VALUES (NEW.job_id, substr(NEW.updated_at, 1, 16), NEW.state, 1);
    RETURN NULL;
  END $$;

  CREATE OR REPLACE FUNCTION outbound_requests_chart_state() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    IF OLD.state IN ('sent', 'failed', 'unknown') THEN
      INSERT INTO chart_job_progress_deltas (job_id, minute, state, count) VALUES (OLD.job_id, substr(OLD.updated_at, 1, 16), OLD.state, -1);
    END IF;
    IF NEW.state IN ('sent', 'failed', 'unknown') THEN
      INSERT INTO chart_job_progress_deltas (job_id, minute, state, count) VALUES (NEW.job_id, substr(NEW.updated_at, 1, 16), NEW.state, 1);
    END IF;
    RETURN NULL;
  END $$;
  `,
];
