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
  // 6: history retention (HISTORY_RETENTION_DAYS) deletes the oldest rows a batch at a time; these
  // two tables had no index by time, so each batch would have read the whole table.
  `
  CREATE INDEX status_events_by_received ON status_events (received_at);
  CREATE INDEX api_idempotency_by_created ON api_idempotency (created_at);
  `,
  // 7: the dashboard's charts. Counting rows at read time does not scale: at 1,000,000 calls in
  // 30 days, grouping them per day took 1.5 s even from a covering index (docs/dashboard-pictures.md).
  // So triggers keep the counts as rows change, and each chart reads a few hundred rows of these
  // tables by primary key. Buckets are prefixes of the ISO-8601 timestamps (UTC): hour
  // 'YYYY-MM-DDTHH', day 'YYYY-MM-DD', minute 'YYYY-MM-DDTHH:MM'. Counts can reach 0 and stay.
  `
  -- Calls and messages created per hour; direction is 'inbound' or 'outbound' (either outbound route).
  CREATE TABLE chart_activity (
    kind      TEXT NOT NULL CHECK (kind IN ('call', 'message')),
    hour      TEXT NOT NULL,
    direction TEXT NOT NULL CHECK (direction IN ('inbound', 'outbound')),
    count     INTEGER NOT NULL,
    PRIMARY KEY (kind, hour, direction)
  );
  -- Outbound messages by the day they were created and their current status, for the three final ones.
  CREATE TABLE chart_outcomes (
    day    TEXT NOT NULL,
    status TEXT NOT NULL,
    count  INTEGER NOT NULL,
    PRIMARY KEY (day, status)
  );
  -- Calls and messages with a Twilio error code, by the day they were created and their current code.
  CREATE TABLE chart_errors (
    day   TEXT NOT NULL,
    kind  TEXT NOT NULL CHECK (kind IN ('call', 'message')),
    code  INTEGER NOT NULL,
    count INTEGER NOT NULL,
    PRIMARY KEY (day, kind, code)
  );
  -- A bulk job's recipients by the minute their request reached sent, failed or unknown.
  CREATE TABLE chart_job_progress (
    job_id TEXT NOT NULL,
    minute TEXT NOT NULL,
    state  TEXT NOT NULL,
    count  INTEGER NOT NULL,
    PRIMARY KEY (job_id, minute, state)
  );

  CREATE TRIGGER calls_chart_insert AFTER INSERT ON calls BEGIN
    INSERT INTO chart_activity (kind, hour, direction, count)
    VALUES ('call', substr(NEW.created_at, 1, 13), CASE WHEN NEW.direction = 'inbound' THEN 'inbound' ELSE 'outbound' END, 1)
    ON CONFLICT (kind, hour, direction) DO UPDATE SET count = count + 1;
    INSERT INTO chart_errors (day, kind, code, count)
    SELECT substr(NEW.created_at, 1, 10), 'call', NEW.error_code, 1 WHERE NEW.error_code IS NOT NULL
    ON CONFLICT (day, kind, code) DO UPDATE SET count = count + 1;
  END;
  CREATE TRIGGER calls_chart_error AFTER UPDATE OF error_code ON calls WHEN OLD.error_code IS NOT NEW.error_code BEGIN
    UPDATE chart_errors SET count = count - 1 WHERE OLD.error_code IS NOT NULL AND day = substr(OLD.created_at, 1, 10) AND kind = 'call' AND code = OLD.error_code;
    INSERT INTO chart_errors (day, kind, code, count)
    SELECT substr(NEW.created_at, 1, 10), 'call', NEW.error_code, 1 WHERE NEW.error_code IS NOT NULL
    ON CONFLICT (day, kind, code) DO UPDATE SET count = count + 1;
  END;

  CREATE TRIGGER messages_chart_insert AFTER INSERT ON messages BEGIN
    INSERT INTO chart_activity (kind, hour, direction, count)
    VALUES ('message', substr(NEW.created_at, 1, 13), CASE WHEN NEW.direction = 'inbound' THEN 'inbound' ELSE 'outbound' END, 1)
    ON CONFLICT (kind, hour, direction) DO UPDATE SET count = count + 1;
    INSERT INTO chart_outcomes (day, status, count)
    SELECT substr(NEW.created_at, 1, 10), NEW.status, 1
    WHERE NEW.direction <> 'inbound' AND NEW.status IN ('delivered', 'failed', 'undelivered')
    ON CONFLICT (day, status) DO UPDATE SET count = count + 1;
    INSERT INTO chart_errors (day, kind, code, count)
    SELECT substr(NEW.created_at, 1, 10), 'message', NEW.error_code, 1 WHERE NEW.error_code IS NOT NULL
    ON CONFLICT (day, kind, code) DO UPDATE SET count = count + 1;
  END;
  CREATE TRIGGER messages_chart_status AFTER UPDATE OF status ON messages
  WHEN OLD.status IS NOT NEW.status AND NEW.direction <> 'inbound' BEGIN
    UPDATE chart_outcomes SET count = count - 1
    WHERE OLD.status IN ('delivered', 'failed', 'undelivered') AND day = substr(OLD.created_at, 1, 10) AND status = OLD.status;
    INSERT INTO chart_outcomes (day, status, count)
    SELECT substr(NEW.created_at, 1, 10), NEW.status, 1 WHERE NEW.status IN ('delivered', 'failed', 'undelivered')
    ON CONFLICT (day, status) DO UPDATE SET count = count + 1;
  END;
  CREATE TRIGGER messages_chart_error AFTER UPDATE OF error_code ON messages WHEN OLD.error_code IS NOT NEW.error_code BEGIN
    UPDATE chart_errors SET count = count - 1 WHERE OLD.error_code IS NOT NULL AND day = substr(OLD.created_at, 1, 10) AND kind = 'message' AND code = OLD.error_code;
    INSERT INTO chart_errors (day, kind, code, count)
    SELECT substr(NEW.created_at, 1, 10), 'message', NEW.error_code, 1 WHERE NEW.error_code IS NOT NULL
    ON CONFLICT (day, kind, code) DO UPDATE SET count = count + 1;
  END;

  CREATE TRIGGER outbound_requests_chart_insert AFTER INSERT ON outbound_requests
  WHEN NEW.job_id IS NOT NULL AND NEW.state IN ('sent', 'failed', 'unknown') BEGIN
    INSERT INTO chart_job_progress (job_id, minute, state, count) VALUES (NEW.job_id, substr(NEW.updated_at, 1, 16), NEW.state, 1)
    ON CONFLICT (job_id, minute, state) DO UPDATE SET count = count + 1;
  END;
  CREATE TRIGGER outbound_requests_chart_state AFTER UPDATE OF state ON outbound_requests
  WHEN NEW.job_id IS NOT NULL AND OLD.state IS NOT NEW.state BEGIN
    UPDATE chart_job_progress SET count = count - 1
    WHERE OLD.state IN ('sent', 'failed', 'unknown') AND job_id = OLD.job_id AND minute = substr(OLD.updated_at, 1, 16) AND state = OLD.state;
    INSERT INTO chart_job_progress (job_id, minute, state, count)
    SELECT NEW.job_id, substr(NEW.updated_at, 1, 16), NEW.state, 1 WHERE NEW.state IN ('sent', 'failed', 'unknown')
    ON CONFLICT (job_id, minute, state) DO UPDATE SET count = count + 1;
  END;

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
];
