-- Fixture of the composite table metrics (pkg/metrics/table_*_test.go). Small and hand-computable:
-- each test states the arithmetic. Loaded into a freshly migrated schema (search_path set).

-- platform_status ----------------------------------------------------------------------------
INSERT INTO platforms (name, category, is_pipeline, monthly_budget) VALUES
  ('git', 'scm', true, 1000), ('ci', 'cd', true, 2000), ('devbox', 'dev_env', false, 500);

INSERT INTO platform_probes (probed_at, platform, status, response_ms, error, source, external_id) VALUES
  ('2024-06-01 00:00Z', 'git', 'operational', 100, false, 'fx', 'p1'),
  ('2024-06-01 01:00Z', 'git', 'operational', 200, false, 'fx', 'p2'),
  ('2024-06-01 02:00Z', 'git', 'down',        300, true,  'fx', 'p3'),
  ('2024-06-01 03:00Z', 'git', 'degraded',    400, false, 'fx', 'p4'),
  ('2024-06-01 00:00Z', 'ci',  'operational',  50, false, 'fx', 'p5'),
  ('2024-06-01 05:00Z', 'ci',  'down',         70, true,  'fx', 'p6');

INSERT INTO incidents (opened_at, resolved_at, severity, service, platform, team, title, source, external_id) VALUES
  ('2024-06-01 02:10Z', '2024-06-01 03:10Z', 'p1', 'api', 'git', 'red', 'git down', 'fx', 'i1'),
  ('2024-05-20 00:00Z', '2024-05-20 01:00Z', 'p2', 'api', 'ci',  'red', 'old',      'fx', 'i2');

-- teams (developer counts as of the end of a range; go-b changed size on 1 May) ---------------
INSERT INTO teams (name, tech_stack, product_line, developer_count, valid_from, valid_to) VALUES
  ('go-a',   'go',   'payments', 10, '2023-01-01Z', NULL),
  ('go-b',   'go',   'search',    5, '2023-01-01Z', '2024-05-01Z'),
  ('go-b',   'go',   'search',    8, '2024-05-01Z', NULL),
  ('java-a', 'java', 'payments', 20, '2023-01-01Z', NULL);

-- dx_breakdown: 1 June; dx_trend: February to May ---------------------------------------------
INSERT INTO dx_responses (submitted_at, respondent, team, tech_stack, dx_score, build_time, deployment_ease,
                          platform_usability, tooling_effectiveness, pain_points, source, external_id) VALUES
  ('2024-06-01 10:00Z', 'r1', 'go-a',   'go',   80, 70, 60, 90, 80, '{slow builds,flaky tests}',             'fx', 'd1'),
  ('2024-06-01 11:00Z', 'r2', 'go-b',   'go',   60, 50, 40, 70, 60, '{slow builds,docs}',                    'fx', 'd2'),
  ('2024-06-02 09:00Z', 'r1', 'go-a',   'go',   70, 60, 50, 80, 70, '{flaky tests,slow builds,onboarding}',  'fx', 'd3'),
  ('2024-06-01 12:00Z', 'r3', 'java-a', 'java', 50, 40, 30, 20, 10, '{}',                                    'fx', 'd4'),
  ('2024-02-10Z', 'r1', 'go-a',   'go',   60, 50, 50, 50, 50, '{}', 'fx', 't1'),
  ('2024-03-10Z', 'r1', 'go-a',   'go',   62, 50, 50, 50, 50, '{}', 'fx', 't2'),
  ('2024-04-10Z', 'r1', 'go-a',   'go',   64, 50, 50, 50, 50, '{}', 'fx', 't3'),
  ('2024-05-10Z', 'r1', 'go-a',   'go',   66, 50, 50, 50, 50, '{}', 'fx', 't4'),
  ('2024-02-10Z', 'r3', 'java-a', 'java', 70, 50, 50, 50, 50, '{}', 'fx', 't5'),
  ('2024-03-10Z', 'r3', 'java-a', 'java', 70, 50, 50, 50, 50, '{}', 'fx', 't6'),
  ('2024-03-11Z', 'r4', 'java-a', 'java', 71, 50, 50, 50, 50, '{}', 'fx', 't7'),
  ('2024-04-10Z', 'r3', 'java-a', 'java', 69.5, 50, 50, 50, 50, '{}', 'fx', 't8'),
  ('2024-02-10Z', 'r5', 'rust-a', 'rust', 80, 50, 50, 50, 50, '{}', 'fx', 't9'),
  ('2024-03-10Z', 'r5', 'rust-a', 'rust', 75, 50, 50, 50, 50, '{}', 'fx', 't10'),
  ('2024-05-10Z', 'r5', 'rust-a', 'rust', 70, 50, 50, 50, 50, '{}', 'fx', 't11'),
  ('2024-02-10Z', 'r6', 'py-a',   'python', 50, 50, 50, 50, 50, '{}', 'fx', 't12'),
  ('2024-03-10Z', 'r6', 'py-a',   'python', 90, 50, 50, 50, 50, '{}', 'fx', 't13');

-- cost_breakdown, cost_savings, budget_burn -----------------------------------------------------
INSERT INTO license_snapshots (measured_at, platform, seats_total, seats_active, monthly_cost, source, external_id) VALUES
  ('2024-06-01 00:00Z', 'git',    100, 50, 1000, 'fx', 'l1'),
  ('2024-06-02 00:00Z', 'git',    100, 80, 1200, 'fx', 'l2'),
  ('2024-06-01 00:00Z', 'ci',      10, 10,  300, 'fx', 'l3'),
  ('2024-05-01 00:00Z', 'devbox',  20,  5,  100, 'fx', 'l4');

-- environment_deployments, throughput, dora_summary, scores -------------------------------------
INSERT INTO environments (name, type) VALUES ('prod', 'public_cloud'), ('staging', 'private_cloud'), ('lab', 'on_prem');

-- (#, env, stack, service, status, finished, duration s, production, hours since first commit, change_failed)
INSERT INTO deployments (finished_at, started_at, service, team, product_line, tech_stack, environment, status,
                         duration_seconds, is_production, first_commit_at, change_failed, source, external_id)
SELECT f, f - make_interval(secs => dur), svc, team, pl, stack, env, st, dur, prod, f - make_interval(hours => h), cf, 'fx', id
FROM (VALUES
  ('d1',  'prod',    'go',   'web',     'go-a',   'payments', 'success',     '2024-06-01 10:00Z'::timestamptz, 120, true,  2,  false),
  ('d2',  'prod',    'go',   'web',     'go-a',   'payments', 'success',     '2024-06-02 01:00Z', 240, true,  4,  false),
  ('d3',  'prod',    'go',   'web',     'go-a',   'payments', 'failure',     '2024-06-02 10:00Z',  60, true,  1,  true),
  ('d4',  'prod',    'go',   'web',     'go-a',   'payments', 'success',     '2024-06-02 10:30Z', 180, true,  3,  false),
  ('d5',  'prod',    'java', 'billing', 'java-a', 'payments', 'success',     '2024-06-02 20:00Z', 600, true,  30, false),
  ('d6',  'staging', 'go',   'web',     'go-a',   'payments', 'success',     '2024-06-01 05:00Z', 180, false, 1,  false),
  ('d7',  'staging', 'java', 'billing', 'java-a', 'payments', 'failure',     '2024-06-02 05:00Z',  60, false, 1,  false),
  ('d8',  'staging', 'java', 'billing', 'java-a', 'payments', 'rolled_back', '2024-06-02 06:00Z',  60, false, 1,  false),
  ('d9',  'staging', 'go',   'web',     'go-a',   'payments', 'failure',     '2024-06-02 07:00Z',  60, false, 1,  false),
  ('d10', 'lab',     'go',   'web',     'go-a',   'payments', 'success',     '2024-05-30 00:00Z', 100, false, 1,  false)
) v(id, env, stack, svc, team, pl, st, f, dur, prod, h, cf);

INSERT INTO builds (finished_at, started_at, pipeline, repo, service, team, tech_stack, status, queue_seconds,
                    duration_seconds, source, external_id)
SELECT f, f - make_interval(secs => dur), 'main', 'repo-' || stack, 'svc', team, stack, st, 0, dur, 'fx', id
FROM (VALUES
  ('b1', 'go',   'go-a',   'success',   '2024-06-01 01:00Z'::timestamptz, 300),
  ('b2', 'go',   'go-a',   'success',   '2024-06-01 02:00Z', 600),
  ('b3', 'go',   'go-a',   'failure',   '2024-06-01 03:00Z',  60),
  ('b4', 'go',   'go-a',   'cancelled', '2024-06-01 04:00Z', 120),
  ('b5', 'java', 'java-a', 'success',   '2024-06-01 05:00Z', 120),
  ('b6', 'java', 'java-a', 'success',   '2024-06-02 05:00Z', 240)
) v(id, stack, team, st, f, dur);

-- One pull request merged in range, 96 h after its first commit.
INSERT INTO pull_requests (merged_at, repo, team, tech_stack, first_commit_at, opened_at, source, external_id) VALUES
  ('2024-06-01 12:00Z', 'repo-go', 'go-a', 'go', '2024-05-28 12:00Z', '2024-05-30 12:00Z', 'fx', 'pr1');

-- Quality: repo-a's latest snapshot in range is 70 % / 5 bugs, repo-b's 50 % / 15 bugs.
INSERT INTO quality_snapshots (measured_at, repo, team, tech_stack, test_coverage, code_quality_grade,
                               critical_bugs_open, technical_debt_hours, source, external_id) VALUES
  ('2024-06-01 00:00Z', 'repo-a', 'go-a',   'go',   50, 'B',  9, 10, 'fx', 'q1'),
  ('2024-06-02 00:00Z', 'repo-a', 'go-a',   'go',   70, 'A',  5, 10, 'fx', 'q2'),
  ('2024-06-01 00:00Z', 'repo-b', 'java-a', 'java', 50, 'C', 15, 10, 'fx', 'q3');

-- revenue_by_product_line, revenue_by_tech_stack (2024 H1), revenue_correlation (2023 H1) --------
-- payments: 100 a month in 2024 H1 (600), 10, 20, …, 60 in 2023 H1 (210); search: 50 a month in 2024 H1.
INSERT INTO revenue (period_start, product_line, amount, source, external_id)
SELECT make_timestamptz(2024, m, 1, 0, 0, 0, 'UTC'), 'payments', 100, 'fx', 'rp24-' || m FROM generate_series(1, 6) m
UNION ALL
SELECT make_timestamptz(2024, m, 1, 0, 0, 0, 'UTC'), 'search', 50, 'fx', 'rs24-' || m FROM generate_series(1, 6) m
UNION ALL
SELECT make_timestamptz(2023, m, 1, 0, 0, 0, 'UTC'), 'payments', 10 * m, 'fx', 'rp23-' || m FROM generate_series(1, 6) m;

-- 2023 H1: m deployments in month m (lab, go, not production), on days 1..m at noon.
INSERT INTO deployments (finished_at, started_at, service, team, product_line, tech_stack, environment, status,
                         duration_seconds, is_production, first_commit_at, change_failed, source, external_id)
SELECT t, t - interval '1 minute', 'web', 'go-a', 'payments', 'go', 'lab', 'success', 60, false, t - interval '1 hour', false,
       'fx', 'd23-' || m || '-' || d
FROM generate_series(1, 6) m, generate_series(1, 6) d, LATERAL (SELECT make_timestamptz(2023, m, d, 12, 0, 0, 'UTC') AS t) x
WHERE d <= m;

-- 2023 H1 uptime: one operational probe in Jan-Mar (100 %); one operational + one down in Apr-Jun (50 %).
INSERT INTO platform_probes (probed_at, platform, status, response_ms, error, source, external_id)
SELECT make_timestamptz(2023, m, 15, 0, 0, 0, 'UTC'), 'git', 'operational', 100, false, 'fx', 'pu23-' || m FROM generate_series(1, 6) m
UNION ALL
SELECT make_timestamptz(2023, m, 16, 0, 0, 0, 'UTC'), 'git', 'down', 100, true, 'fx', 'pd23-' || m FROM generate_series(4, 6) m;
