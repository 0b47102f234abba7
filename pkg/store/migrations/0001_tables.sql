-- PlatformLens schema, version 1: dimensions, events, targets, settings, ingest errors.
--
-- Runs with search_path = <schema>, public, so names are unqualified. Rule for event columns:
-- a column is NOT NULL unless docs/architecture.md marks it NULL. Every event table carries
-- source + external_id, and its idempotency key is UNIQUE (source, external_id, <time column>)
-- (TimescaleDB needs the partitioning column in every unique index; both modes use the same key).
--
-- Sections: "-- @all" runs in every store mode, "-- @hypertables" only with the TimescaleDB
-- extension (either license), "-- @timescale" only under the Timescale License.

-- @all

-- Dimensions ---------------------------------------------------------------------------------

CREATE TABLE IF NOT EXISTS tech_stacks (
    id         text PRIMARY KEY CHECK (id <> ''),
    label      text NOT NULL,
    sort_order int  NOT NULL DEFAULT 0
);

CREATE TABLE IF NOT EXISTS teams (
    name            text        NOT NULL CHECK (name <> ''),
    tech_stack      text        NOT NULL,
    product_line    text        NOT NULL,
    developer_count int         NOT NULL CHECK (developer_count >= 0),
    valid_from      timestamptz NOT NULL,
    valid_to        timestamptz NULL,
    PRIMARY KEY (name, valid_from),
    CONSTRAINT teams_valid_range CHECK (valid_to IS NULL OR valid_to > valid_from)
);

CREATE TABLE IF NOT EXISTS platforms (
    name           text    PRIMARY KEY CHECK (name <> ''),
    category       text    NOT NULL CHECK (category IN ('scm', 'artifact', 'cd', 'sast', 'sca', 'firewall', 'cloud_security', 'dev_env')),
    is_pipeline    boolean NOT NULL DEFAULT false,
    monthly_budget numeric NULL CHECK (monthly_budget >= 0)
);

CREATE TABLE IF NOT EXISTS environments (
    name text PRIMARY KEY CHECK (name <> ''),
    type text NOT NULL CHECK (type IN ('on_prem', 'private_cloud', 'public_cloud'))
);

CREATE TABLE IF NOT EXISTS funnels (
    name              text     PRIMARY KEY CHECK (name <> ''),
    title             text     NOT NULL,
    steps             text[]   NOT NULL CHECK (cardinality(steps) >= 2),
    conversion_window interval NOT NULL DEFAULT '7 days' CHECK (conversion_window > interval '0')
);

-- Targets and settings (shared by every Grafana replica and the CLI) ---------------------------

CREATE TABLE IF NOT EXISTS targets (
    key              text             PRIMARY KEY,
    value            double precision NOT NULL,
    unit             text             NOT NULL,
    higher_is_better boolean          NOT NULL,
    description      text             NOT NULL DEFAULT '',
    updated_at       timestamptz      NOT NULL DEFAULT now()
);

-- Defaults; ON CONFLICT keeps values an Admin already changed.
INSERT INTO targets (key, value, unit, higher_is_better, description) VALUES
    ('uptime',                 99.9, 'percent', true,  'Platform uptime: probes not down / all probes'),
    ('pipeline_availability',  99,   'percent', true,  'Uptime of the platforms that count toward pipelines'),
    ('build_success_rate',     90,   'percent', true,  'Successful builds / (successful + failed) builds'),
    ('cloud_dev_env_health',   95,   'percent', true,  'Uptime of cloud development environments'),
    ('mttr',                   60,   'm',       false, 'Mean time to restore, minutes'),
    ('mtbf',                   168,  'h',       true,  'Mean time between failures, hours'),
    ('lead_time',              24,   'h',       false, 'Lead time for changes (first commit to production), hours'),
    ('cycle_time',             48,   'h',       false, 'Pull request cycle time (first commit to merge), hours'),
    ('deployment_frequency',   1,    'per_day', true,  'Production deployments per day'),
    ('change_failure_rate',    15,   'percent', false, 'Failed production deployments / production deployments'),
    ('test_coverage',          80,   'percent', true,  'Test coverage'),
    ('critical_bugs_open',     10,   'short',   false, 'Open critical bugs'),
    ('cost_per_deploy',        30,   'currency', false, 'Platform cost per deployment'),
    ('license_utilization',    85,   'percent', true,  'Active seats / total seats')
ON CONFLICT (key) DO NOTHING;

CREATE TABLE IF NOT EXISTS settings (
    key        text        PRIMARY KEY,
    value      jsonb       NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now()
);

INSERT INTO settings (key, value) VALUES
    ('incident_attribution_window_hours', '24'),
    -- Retention (Timescale License mode only; see 0002_rollups.sql). Intervals as text.
    ('retention_platform_probes', '"90 days"'),
    ('retention_hourly_rollups',  '"2 years"'),
    ('retention_daily_rollups',   '"5 years"')
ON CONFLICT (key) DO NOTHING;

-- Bookkeeping --------------------------------------------------------------------------------

CREATE TABLE IF NOT EXISTS ingest_errors (
    id         bigserial   PRIMARY KEY,
    at         timestamptz NOT NULL DEFAULT now(),
    table_name text        NOT NULL,
    source     text        NULL,
    row_index  int         NULL,
    field      text        NULL,
    reason     text        NOT NULL
);
CREATE INDEX IF NOT EXISTS ingest_errors_at_idx ON ingest_errors (at DESC);

-- Events -------------------------------------------------------------------------------------

CREATE TABLE IF NOT EXISTS builds (
    finished_at      timestamptz      NOT NULL,
    started_at       timestamptz      NOT NULL,
    pipeline         text             NOT NULL,
    repo             text             NOT NULL,
    service          text             NOT NULL,
    team             text             NOT NULL,
    tech_stack       text             NOT NULL,
    status           text             NOT NULL CHECK (status IN ('success', 'failure', 'cancelled')),
    queue_seconds    double precision NOT NULL CHECK (queue_seconds >= 0),
    duration_seconds double precision NOT NULL CHECK (duration_seconds >= 0),
    source           text             NOT NULL CHECK (source <> ''),
    external_id      text             NOT NULL CHECK (external_id <> ''),
    CONSTRAINT builds_idempotency_key UNIQUE (source, external_id, finished_at),
    CONSTRAINT builds_started_before_finished CHECK (started_at <= finished_at)
);
CREATE INDEX IF NOT EXISTS builds_time_idx ON builds (finished_at DESC);
CREATE INDEX IF NOT EXISTS builds_tech_stack_idx ON builds (tech_stack, finished_at DESC);
CREATE INDEX IF NOT EXISTS builds_team_idx ON builds (team, finished_at DESC);

CREATE TABLE IF NOT EXISTS deployments (
    finished_at      timestamptz      NOT NULL,
    started_at       timestamptz      NOT NULL,
    service          text             NOT NULL,
    team             text             NOT NULL,
    product_line     text             NOT NULL,
    tech_stack       text             NOT NULL,
    environment      text             NOT NULL,
    status           text             NOT NULL CHECK (status IN ('success', 'failure', 'rolled_back')),
    duration_seconds double precision NOT NULL CHECK (duration_seconds >= 0),
    is_production    boolean          NOT NULL,
    first_commit_at  timestamptz      NOT NULL,
    change_failed    boolean          NOT NULL DEFAULT false,
    source           text             NOT NULL CHECK (source <> ''),
    external_id      text             NOT NULL CHECK (external_id <> ''),
    CONSTRAINT deployments_idempotency_key UNIQUE (source, external_id, finished_at),
    CONSTRAINT deployments_started_before_finished CHECK (started_at <= finished_at),
    CONSTRAINT deployments_commit_before_finished CHECK (first_commit_at <= finished_at)
);
CREATE INDEX IF NOT EXISTS deployments_time_idx ON deployments (finished_at DESC);
CREATE INDEX IF NOT EXISTS deployments_tech_stack_idx ON deployments (tech_stack, finished_at DESC);
-- Incident attribution looks up the latest production deployment of a service, and
-- caused_by_deployment by external id.
CREATE INDEX IF NOT EXISTS deployments_service_idx ON deployments (service, finished_at DESC);
CREATE INDEX IF NOT EXISTS deployments_external_id_idx ON deployments (external_id);

CREATE TABLE IF NOT EXISTS pull_requests (
    merged_at       timestamptz NOT NULL,
    repo            text        NOT NULL,
    team            text        NOT NULL,
    tech_stack      text        NOT NULL,
    first_commit_at timestamptz NOT NULL,
    opened_at       timestamptz NOT NULL,
    deployed_at     timestamptz NULL,
    source          text        NOT NULL CHECK (source <> ''),
    external_id     text        NOT NULL CHECK (external_id <> ''),
    CONSTRAINT pull_requests_idempotency_key UNIQUE (source, external_id, merged_at),
    CONSTRAINT pull_requests_commit_before_merge CHECK (first_commit_at <= merged_at),
    CONSTRAINT pull_requests_opened_before_merge CHECK (opened_at <= merged_at),
    CONSTRAINT pull_requests_merged_before_deployed CHECK (deployed_at IS NULL OR deployed_at >= merged_at)
);
CREATE INDEX IF NOT EXISTS pull_requests_time_idx ON pull_requests (merged_at DESC);
CREATE INDEX IF NOT EXISTS pull_requests_tech_stack_idx ON pull_requests (tech_stack, merged_at DESC);

CREATE TABLE IF NOT EXISTS platform_probes (
    probed_at   timestamptz      NOT NULL,
    platform    text             NOT NULL,
    status      text             NOT NULL CHECK (status IN ('operational', 'degraded', 'down')),
    response_ms double precision NOT NULL CHECK (response_ms >= 0),
    error       boolean          NOT NULL DEFAULT false,
    source      text             NOT NULL CHECK (source <> ''),
    external_id text             NOT NULL CHECK (external_id <> ''),
    CONSTRAINT platform_probes_idempotency_key UNIQUE (source, external_id, probed_at)
);
CREATE INDEX IF NOT EXISTS platform_probes_time_idx ON platform_probes (probed_at DESC);
CREATE INDEX IF NOT EXISTS platform_probes_platform_idx ON platform_probes (platform, probed_at DESC);

CREATE TABLE IF NOT EXISTS incidents (
    opened_at            timestamptz NOT NULL,
    resolved_at          timestamptz NULL,
    severity             text        NOT NULL CHECK (severity IN ('p1', 'p2', 'p3')),
    service              text        NOT NULL,
    platform             text        NULL,
    team                 text        NOT NULL,
    caused_by_deployment text        NULL,
    title                text        NOT NULL,
    source               text        NOT NULL CHECK (source <> ''),
    external_id          text        NOT NULL CHECK (external_id <> ''),
    CONSTRAINT incidents_idempotency_key UNIQUE (source, external_id, opened_at),
    CONSTRAINT incidents_resolved_after_opened CHECK (resolved_at IS NULL OR resolved_at >= opened_at)
);
CREATE INDEX IF NOT EXISTS incidents_time_idx ON incidents (opened_at DESC);
CREATE INDEX IF NOT EXISTS incidents_service_idx ON incidents (service, opened_at DESC);
-- The Operations dashboard shows active incidents all the time.
CREATE INDEX IF NOT EXISTS incidents_active_idx ON incidents (severity, opened_at DESC) WHERE resolved_at IS NULL;

CREATE TABLE IF NOT EXISTS change_tickets (
    opened_at    timestamptz NOT NULL,
    completed_at timestamptz NULL,
    priority     text        NOT NULL CHECK (priority IN ('emergency', 'standard', 'normal')),
    status       text        NOT NULL CHECK (status IN ('pending', 'in_progress', 'completed')),
    team         text        NULL,
    title        text        NOT NULL,
    source       text        NOT NULL CHECK (source <> ''),
    external_id  text        NOT NULL CHECK (external_id <> ''),
    CONSTRAINT change_tickets_idempotency_key UNIQUE (source, external_id, opened_at),
    CONSTRAINT change_tickets_completed_after_opened CHECK (completed_at IS NULL OR completed_at >= opened_at)
);
CREATE INDEX IF NOT EXISTS change_tickets_time_idx ON change_tickets (opened_at DESC);

CREATE TABLE IF NOT EXISTS dx_responses (
    submitted_at          timestamptz      NOT NULL,
    respondent            text             NOT NULL CHECK (respondent <> ''),
    team                  text             NOT NULL,
    tech_stack            text             NOT NULL,
    dx_score              double precision NOT NULL CHECK (dx_score BETWEEN 0 AND 100),
    build_time            double precision NOT NULL CHECK (build_time BETWEEN 0 AND 100),
    deployment_ease       double precision NOT NULL CHECK (deployment_ease BETWEEN 0 AND 100),
    platform_usability    double precision NOT NULL CHECK (platform_usability BETWEEN 0 AND 100),
    tooling_effectiveness double precision NOT NULL CHECK (tooling_effectiveness BETWEEN 0 AND 100),
    pain_points           text[]           NOT NULL DEFAULT '{}',
    source                text             NOT NULL CHECK (source <> ''),
    external_id           text             NOT NULL CHECK (external_id <> ''),
    CONSTRAINT dx_responses_idempotency_key UNIQUE (source, external_id, submitted_at)
);
CREATE INDEX IF NOT EXISTS dx_responses_time_idx ON dx_responses (submitted_at DESC);

CREATE TABLE IF NOT EXISTS quality_snapshots (
    measured_at          timestamptz      NOT NULL,
    repo                 text             NOT NULL,
    team                 text             NOT NULL,
    tech_stack           text             NOT NULL,
    test_coverage        double precision NOT NULL CHECK (test_coverage BETWEEN 0 AND 100),
    code_quality_grade   text             NOT NULL CHECK (code_quality_grade IN ('A', 'B', 'C', 'D', 'E', 'F')),
    critical_bugs_open   int              NOT NULL CHECK (critical_bugs_open >= 0),
    technical_debt_hours double precision NOT NULL CHECK (technical_debt_hours >= 0),
    source               text             NOT NULL CHECK (source <> ''),
    external_id          text             NOT NULL CHECK (external_id <> ''),
    CONSTRAINT quality_snapshots_idempotency_key UNIQUE (source, external_id, measured_at)
);
CREATE INDEX IF NOT EXISTS quality_snapshots_time_idx ON quality_snapshots (measured_at DESC);
CREATE INDEX IF NOT EXISTS quality_snapshots_repo_idx ON quality_snapshots (repo, measured_at DESC);

CREATE TABLE IF NOT EXISTS license_snapshots (
    measured_at  timestamptz NOT NULL,
    platform     text        NOT NULL,
    seats_total  int         NOT NULL CHECK (seats_total >= 0),
    seats_active int         NOT NULL CHECK (seats_active >= 0),
    monthly_cost numeric     NOT NULL CHECK (monthly_cost >= 0),
    source       text        NOT NULL CHECK (source <> ''),
    external_id  text        NOT NULL CHECK (external_id <> ''),
    CONSTRAINT license_snapshots_idempotency_key UNIQUE (source, external_id, measured_at)
);
CREATE INDEX IF NOT EXISTS license_snapshots_time_idx ON license_snapshots (measured_at DESC);
CREATE INDEX IF NOT EXISTS license_snapshots_platform_idx ON license_snapshots (platform, measured_at DESC);

CREATE TABLE IF NOT EXISTS revenue (
    period_start timestamptz NOT NULL,
    product_line text        NOT NULL,
    amount       numeric     NOT NULL,
    source       text        NOT NULL CHECK (source <> ''),
    external_id  text        NOT NULL CHECK (external_id <> ''),
    CONSTRAINT revenue_idempotency_key UNIQUE (source, external_id, period_start),
    -- A revenue row covers one calendar month: period_start is its first instant in UTC.
    CONSTRAINT revenue_period_is_month_start
        CHECK (period_start = date_trunc('month', period_start AT TIME ZONE 'UTC') AT TIME ZONE 'UTC')
);
CREATE INDEX IF NOT EXISTS revenue_time_idx ON revenue (period_start DESC);

CREATE TABLE IF NOT EXISTS product_events (
    occurred_at timestamptz NOT NULL,
    subject_id  text        NOT NULL CHECK (subject_id <> ''),
    event       text        NOT NULL CHECK (event <> ''),
    properties  jsonb       NOT NULL DEFAULT '{}',
    source      text        NOT NULL CHECK (source <> ''),
    external_id text        NOT NULL CHECK (external_id <> ''),
    CONSTRAINT product_events_idempotency_key UNIQUE (source, external_id, occurred_at)
);
CREATE INDEX IF NOT EXISTS product_events_time_idx ON product_events (occurred_at DESC);
CREATE INDEX IF NOT EXISTS product_events_event_idx ON product_events (event, occurred_at DESC);
-- Funnels walk each subject's events in time order.
CREATE INDEX IF NOT EXISTS product_events_subject_idx ON product_events (subject_id, occurred_at);

-- @hypertables
-- Chunk intervals follow each table's volume at tier M (shared/spec/quality-bar.md): probes and
-- product events ~20k rows/day, builds ~6k/day; small tables get long chunks so that a year is a
-- handful of chunks. The explicit *_time_idx above replaces TimescaleDB's default time index.
SELECT create_hypertable('builds',            by_range('finished_at',  INTERVAL '7 days'),  create_default_indexes => false, if_not_exists => true);
SELECT create_hypertable('deployments',       by_range('finished_at',  INTERVAL '30 days'), create_default_indexes => false, if_not_exists => true);
SELECT create_hypertable('pull_requests',     by_range('merged_at',    INTERVAL '30 days'), create_default_indexes => false, if_not_exists => true);
SELECT create_hypertable('platform_probes',   by_range('probed_at',    INTERVAL '1 day'),   create_default_indexes => false, if_not_exists => true);
SELECT create_hypertable('incidents',         by_range('opened_at',    INTERVAL '180 days'), create_default_indexes => false, if_not_exists => true);
SELECT create_hypertable('change_tickets',    by_range('opened_at',    INTERVAL '180 days'), create_default_indexes => false, if_not_exists => true);
SELECT create_hypertable('dx_responses',      by_range('submitted_at', INTERVAL '180 days'), create_default_indexes => false, if_not_exists => true);
SELECT create_hypertable('quality_snapshots', by_range('measured_at',  INTERVAL '90 days'), create_default_indexes => false, if_not_exists => true);
SELECT create_hypertable('license_snapshots', by_range('measured_at',  INTERVAL '180 days'), create_default_indexes => false, if_not_exists => true);
SELECT create_hypertable('revenue',           by_range('period_start', INTERVAL '1 year'),  create_default_indexes => false, if_not_exists => true);
SELECT create_hypertable('product_events',    by_range('occurred_at',  INTERVAL '1 day'),   create_default_indexes => false, if_not_exists => true);

-- @timescale
-- Columnstore compression of chunks older than 7 days, segmented by each table's main dimension
-- (the column dashboards filter and group by). The timescaledb.compress* names work on every
-- release since 2.13 (newer releases call them enable_columnstore / segmentby).
ALTER TABLE builds          SET (timescaledb.compress, timescaledb.compress_segmentby = 'tech_stack', timescaledb.compress_orderby = 'finished_at DESC');
ALTER TABLE deployments     SET (timescaledb.compress, timescaledb.compress_segmentby = 'tech_stack', timescaledb.compress_orderby = 'finished_at DESC');
ALTER TABLE pull_requests   SET (timescaledb.compress, timescaledb.compress_segmentby = 'tech_stack', timescaledb.compress_orderby = 'merged_at DESC');
ALTER TABLE platform_probes SET (timescaledb.compress, timescaledb.compress_segmentby = 'platform',   timescaledb.compress_orderby = 'probed_at DESC');
ALTER TABLE product_events  SET (timescaledb.compress, timescaledb.compress_segmentby = 'event',      timescaledb.compress_orderby = 'occurred_at DESC');
SELECT add_compression_policy('builds',          compress_after => INTERVAL '7 days', if_not_exists => true);
SELECT add_compression_policy('deployments',     compress_after => INTERVAL '7 days', if_not_exists => true);
SELECT add_compression_policy('pull_requests',   compress_after => INTERVAL '7 days', if_not_exists => true);
SELECT add_compression_policy('platform_probes', compress_after => INTERVAL '7 days', if_not_exists => true);
SELECT add_compression_policy('product_events',  compress_after => INTERVAL '7 days', if_not_exists => true);
