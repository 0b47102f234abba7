-- PlatformLens schema, version 4: scheduled reports and API keys (`platformlens serve`).
--
-- api_keys holds only the SHA-256 of each key (keys are 256-bit random, so a plain hash is
-- enough and lets a request be checked with one index lookup); the key itself is shown once
-- when created. Keys are read-only by construction: the API has no write routes.
-- report_schedules: cadence daily / weekly / monthly at a local time in an IANA time zone.
-- report_runs: one row per schedule and period (UNIQUE), so a report is never sent twice for the
-- same period even with several serve processes; failed runs are retried until max attempts.

-- @all

CREATE TABLE IF NOT EXISTS api_keys (
    id               text        PRIMARY KEY CHECK (id ~ '^[a-z0-9_]+$'),
    name             text        NOT NULL CHECK (name <> ''),
    key_sha256       bytea       NOT NULL UNIQUE,
    created_at       timestamptz NOT NULL,
    revoked_at       timestamptz NULL,
    rest_per_hour    int         NOT NULL DEFAULT 1000 CHECK (rest_per_hour > 0),
    graphql_per_hour int         NOT NULL DEFAULT 500 CHECK (graphql_per_hour > 0)
);

CREATE TABLE IF NOT EXISTS report_schedules (
    id           bigserial   PRIMARY KEY,
    name         text        NOT NULL UNIQUE CHECK (name <> ''),
    cadence      text        NOT NULL CHECK (cadence IN ('daily', 'weekly', 'monthly')),
    weekday      int         NULL CHECK (weekday BETWEEN 0 AND 6),        -- weekly: 0 = Sunday
    month_day    int         NULL CHECK (month_day BETWEEN 1 AND 28),     -- monthly
    at_minute    int         NOT NULL CHECK (at_minute BETWEEN 0 AND 1439), -- local minute of day
    timezone     text        NOT NULL,
    range_days   int         NOT NULL DEFAULT 30 CHECK (range_days BETWEEN 1 AND 366),
    format       text        NOT NULL DEFAULT 'pdf' CHECK (format IN ('pdf', 'csv', 'xlsx', 'md')),
    filters      jsonb       NOT NULL DEFAULT '{}',
    emails       text[]      NOT NULL DEFAULT '{}',
    webhooks     text[]      NOT NULL DEFAULT '{}',
    enabled      boolean     NOT NULL DEFAULT true,
    created_at   timestamptz NOT NULL,
    CONSTRAINT report_schedules_recipient CHECK (cardinality(emails) + cardinality(webhooks) > 0)
);

CREATE TABLE IF NOT EXISTS report_runs (
    id              bigserial   PRIMARY KEY,
    schedule_id     bigint      NOT NULL REFERENCES report_schedules (id) ON DELETE CASCADE,
    period          timestamptz NOT NULL, -- the scheduled time the run belongs to
    status          text        NOT NULL CHECK (status IN ('running', 'sent', 'failed')),
    attempts        int         NOT NULL DEFAULT 0,
    recipients      text[]      NOT NULL DEFAULT '{}',
    error           text        NULL,
    started_at      timestamptz NOT NULL,
    finished_at     timestamptz NULL,
    next_attempt_at timestamptz NULL,
    UNIQUE (schedule_id, period)
);
