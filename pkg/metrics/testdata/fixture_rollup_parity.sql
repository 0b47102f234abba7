-- Rollup parity fixture (TestRollupParity): rows of every raw table a rollup is built from,
-- placed exactly on the instants where a rollup-routed query switches between rollup and raw rows
-- or between buckets, plus one microsecond either side of each:
--   * every midnight and every hour of 2025-09-01 … 2025-09-12 (daily and hourly bucket ends,
--     hence the seams mid_from / mid_to of every range the test uses),
--   * the odd window edges of the test ranges (10:30, 10:29:59, 18:45 …: range start included,
--     range end excluded),
--   * and a filler every 37 minutes so each bucket holds several rows of different dimensions.
-- Row i cycles through the dimension values, so group-bys and filters see mixed buckets.

INSERT INTO platforms (name, category, is_pipeline, monthly_budget) VALUES
  ('github', 'scm', true, 2500), ('jenkins', 'cd', true, 1000), ('devbox', 'dev_env', false, 500);
INSERT INTO environments (name, type) VALUES ('prod', 'public_cloud'), ('staging', 'private_cloud'), ('dev', 'on_prem');

CREATE TEMP TABLE parity_instants AS
WITH anchors AS (
  SELECT generate_series(TIMESTAMPTZ '2025-08-31 00:00Z', TIMESTAMPTZ '2025-09-13 00:00Z', INTERVAL '1 hour') AS a
  UNION ALL
  SELECT unnest(ARRAY['2025-09-01 10:30Z', '2025-09-09 10:30Z', '2025-09-01 10:29:59Z', '2025-09-08 23:59:59Z',
                      '2025-09-02 06:15Z', '2025-09-10 18:45Z']::timestamptz[])
), shifted AS (
  SELECT a + d AS t FROM anchors, unnest(ARRAY[INTERVAL '-1 microsecond', INTERVAL '0', INTERVAL '1 microsecond']) d
  UNION ALL
  SELECT generate_series(TIMESTAMPTZ '2025-08-31 00:03Z', TIMESTAMPTZ '2025-09-13 00:00Z', INTERVAL '37 minutes')
)
SELECT row_number() OVER (ORDER BY t) AS i, t FROM (SELECT DISTINCT t FROM shifted) s;

INSERT INTO builds (finished_at, started_at, pipeline, repo, service, team, tech_stack, status, queue_seconds, duration_seconds, source, external_id)
SELECT t, t - interval '5 minutes', 'pipe' || (i % 3), 'repo' || (i % 2), 'svc' || (i % 4), (ARRAY['search', 'payments'])[1 + i % 2],
       (ARRAY['java', 'go', 'rust'])[1 + i % 3], (ARRAY['success', 'failure', 'cancelled', 'success'])[1 + (i * 7) % 4],
       (i % 13)::float8, (i % 97) * 17.0 + 30, 'parity', 'b' || i
FROM parity_instants;

INSERT INTO deployments (finished_at, started_at, service, team, product_line, tech_stack, environment, status, duration_seconds,
                         is_production, first_commit_at, change_failed, source, external_id)
SELECT t, t - interval '2 minutes', 'svc' || (i % 4), (ARRAY['search', 'payments'])[1 + i % 2], 'pl' || (i % 2),
       (ARRAY['java', 'go'])[1 + i % 2], (ARRAY['prod', 'staging', 'dev'])[1 + i % 3],
       (ARRAY['success', 'failure', 'rolled_back', 'success'])[1 + (i * 5) % 4], (i % 31) * 2.5, i % 3 = 0,
       t - interval '1 day', i % 11 = 0, 'parity', 'd' || i
FROM parity_instants;

INSERT INTO platform_probes (probed_at, platform, status, response_ms, error, source, external_id)
SELECT t, (ARRAY['github', 'jenkins', 'devbox'])[1 + i % 3],
       (ARRAY['operational', 'operational', 'degraded', 'down', 'operational'])[1 + (i * 3) % 5], (i % 500) * 1.3 + 5,
       i % 17 = 0, 'parity', 'p' || i
FROM parity_instants;

INSERT INTO product_events (occurred_at, subject_id, event, properties, source, external_id)
SELECT t, 'u' || (i % 50), (ARRAY['sign_up', 'profile_setup', 'first_deploy'])[1 + i % 3], '{}', 'parity', 'e' || i
FROM parity_instants;

DROP TABLE parity_instants;
