-- PlatformLens schema, version 3: bookkeeping and mapping of `platformlens serve` (the receiver).
--
-- receiver_repo_map resolves a repository (or incident service) named by GitHub, GitLab,
-- PagerDuty or OpenTelemetry to a team, tech stack and product line. name is the full name as
-- the tool sends it ("octo-org/hello-world", "group/sub/project", a PagerDuty service name) or
-- an owner wildcard ("octo-org/*"). Events of names missing here are stored with team, tech
-- stack and product line 'unassigned' and listed in receiver_unmapped so the mapping can be
-- completed from the Data page.

-- @all

CREATE TABLE IF NOT EXISTS receiver_repo_map (
    name         text NOT NULL PRIMARY KEY CHECK (name <> ''),
    team         text NOT NULL CHECK (team <> ''),
    tech_stack   text NOT NULL CHECK (tech_stack <> ''),
    product_line text NOT NULL DEFAULT 'unassigned' CHECK (product_line <> ''),
    service      text NULL
);

-- One row per (source, table): what serve received and what became of it. table_name is ''
-- for deliveries that map to no table (ignored events, bad signatures, malformed bodies).
CREATE TABLE IF NOT EXISTS receiver_sources (
    source             text        NOT NULL CHECK (source <> ''),
    table_name         text        NOT NULL,
    received           bigint      NOT NULL DEFAULT 0,
    stored             bigint      NOT NULL DEFAULT 0,
    duplicates         bigint      NOT NULL DEFAULT 0,
    rejected           bigint      NOT NULL DEFAULT 0,
    ignored            bigint      NOT NULL DEFAULT 0,
    signature_failures bigint      NOT NULL DEFAULT 0,
    malformed          bigint      NOT NULL DEFAULT 0,
    last_event_at      timestamptz NULL,
    last_received_at   timestamptz NULL,
    PRIMARY KEY (source, table_name)
);

CREATE TABLE IF NOT EXISTS receiver_unmapped (
    source     text        NOT NULL,
    name       text        NOT NULL,
    events     bigint      NOT NULL DEFAULT 0,
    first_seen timestamptz NOT NULL,
    last_seen  timestamptz NOT NULL,
    PRIMARY KEY (source, name)
);
