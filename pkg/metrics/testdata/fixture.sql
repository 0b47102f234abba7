-- Hand-computable fixture for the metric tests (pkg/metrics/*_test.go show the arithmetic).
-- The test range is the week [2024-01-01 00:00Z, 2024-01-08 00:00Z) (2024-01-01 is a Monday);
-- a few rows lie before it for compare periods and the year-earlier deploy velocity.

INSERT INTO tech_stacks (id, label, sort_order) VALUES ('java', 'Java', 1), ('go', 'Go', 2);
INSERT INTO teams (name, tech_stack, product_line, developer_count, valid_from) VALUES
  ('payments', 'java', 'commerce', 10, '2023-01-01Z'),
  ('search', 'go', 'discovery', 5, '2023-01-01Z');
INSERT INTO platforms (name, category, is_pipeline, monthly_budget) VALUES
  ('github', 'scm', true, 2500), ('jenkins', 'cd', true, 1000), ('devbox', 'dev_env', false, 500);
INSERT INTO environments (name, type) VALUES ('prod', 'public_cloud'), ('staging', 'private_cloud');

INSERT INTO builds (finished_at, started_at, pipeline, repo, service, team, tech_stack, status, queue_seconds, duration_seconds, source, external_id) VALUES
  ('2024-01-01 10:00Z', '2024-01-01 09:50Z', 'ci-java', 'pay-api', 'pay', 'payments', 'java', 'success', 5, 600, 'fx', 'b1'),
  ('2024-01-01 11:00Z', '2024-01-01 10:55Z', 'ci-java', 'pay-api', 'pay', 'payments', 'java', 'failure', 5, 300, 'fx', 'b2'),
  ('2024-01-01 12:00Z', '2024-01-01 11:59Z', 'ci-java', 'pay-api', 'pay', 'payments', 'java', 'cancelled', 5, 60, 'fx', 'b3'),
  ('2024-01-02 10:00Z', '2024-01-02 09:58Z', 'ci-go', 'search-api', 'search', 'search', 'go', 'success', 5, 120, 'fx', 'b4'),
  ('2024-01-02 11:00Z', '2024-01-02 10:57Z', 'ci-go', 'search-api', 'search', 'search', 'go', 'success', 5, 180, 'fx', 'b5'),
  ('2024-01-03 09:00Z', '2024-01-03 08:45Z', 'ci-java', 'pay-api', 'pay', 'payments', 'java', 'success', 5, 900, 'fx', 'b6'),
  ('2024-01-05 15:00Z', '2024-01-05 14:56Z', 'ci-go', 'search-api', 'search', 'search', 'go', 'failure', 5, 240, 'fx', 'b7'),
  ('2024-01-06 08:00Z', '2024-01-06 07:57Z', 'ci-go', 'search-api', 'search', 'search', 'go', 'success', 5, 150, 'fx', 'b10'),
  ('2023-12-31 10:00Z', '2023-12-31 09:50Z', 'ci-java', 'pay-api', 'pay', 'payments', 'java', 'success', 5, 600, 'fx', 'b8'),
  ('2023-12-27 10:00Z', '2023-12-27 09:58Z', 'ci-go', 'search-api', 'search', 'search', 'go', 'failure', 5, 100, 'fx', 'b9');

INSERT INTO deployments (finished_at, started_at, service, team, product_line, tech_stack, environment, status, duration_seconds, is_production, first_commit_at, change_failed, source, external_id) VALUES
  ('2024-01-01 12:00Z', '2024-01-01 11:50Z', 'pay', 'payments', 'commerce', 'java', 'prod', 'success', 600, true, '2024-01-01 00:00Z', false, 'fx', 'd1'),
  ('2024-01-02 12:00Z', '2024-01-02 11:50Z', 'pay', 'payments', 'commerce', 'java', 'prod', 'success', 600, true, '2024-01-01 12:00Z', false, 'fx', 'd2'),
  ('2024-01-03 12:00Z', '2024-01-03 11:50Z', 'pay', 'payments', 'commerce', 'java', 'prod', 'rolled_back', 600, true, '2024-01-02 12:00Z', false, 'fx', 'd3'),
  ('2024-01-03 18:00Z', '2024-01-03 17:50Z', 'pay', 'payments', 'commerce', 'java', 'prod', 'success', 600, true, '2024-01-03 06:00Z', false, 'fx', 'd4'),
  ('2024-01-04 12:00Z', '2024-01-04 11:50Z', 'search', 'search', 'discovery', 'go', 'prod', 'success', 300, true, '2024-01-04 00:00Z', false, 'fx', 'd5'),
  ('2024-01-05 12:00Z', '2024-01-05 11:50Z', 'search', 'search', 'discovery', 'go', 'staging', 'success', 300, false, '2024-01-05 00:00Z', false, 'fx', 'd6'),
  ('2024-01-06 12:00Z', '2024-01-06 11:50Z', 'search', 'search', 'discovery', 'go', 'prod', 'failure', 300, true, '2024-01-06 00:00Z', false, 'fx', 'd7'),
  ('2024-01-07 12:00Z', '2024-01-07 11:50Z', 'search', 'search', 'discovery', 'go', 'prod', 'success', 300, true, '2024-01-06 12:00Z', false, 'fx', 'd8'),
  ('2024-01-05 09:00Z', '2024-01-05 08:50Z', 'pay', 'payments', 'commerce', 'java', 'prod', 'success', 600, true, '2024-01-05 00:00Z', true, 'fx', 'd9'),
  ('2023-01-03 12:00Z', '2023-01-03 11:50Z', 'pay', 'payments', 'commerce', 'java', 'prod', 'success', 600, true, '2023-01-03 00:00Z', false, 'fx', 'd10'),
  ('2023-01-04 12:00Z', '2023-01-04 11:50Z', 'pay', 'payments', 'commerce', 'java', 'prod', 'success', 600, true, '2023-01-04 00:00Z', false, 'fx', 'd11');

INSERT INTO incidents (opened_at, resolved_at, severity, service, platform, team, caused_by_deployment, title, source, external_id) VALUES
  ('2024-01-02 14:00Z', '2024-01-02 16:00Z', 'p1', 'pay', NULL, 'payments', NULL, 'checkout errors', 'fx', 'i1'),
  ('2024-01-02 15:00Z', '2024-01-02 15:30Z', 'p2', 'pay', NULL, 'payments', NULL, 'slow refunds', 'fx', 'i2'),
  ('2024-01-05 13:00Z', '2024-01-05 14:00Z', 'p2', 'search', 'github', 'search', 'd5', 'index lag', 'fx', 'i3'),
  ('2024-01-06 20:00Z', NULL, 'p3', 'search', NULL, 'search', NULL, 'typo in results', 'fx', 'i4'),
  ('2024-01-07 12:30Z', '2024-01-08 02:00Z', 'p1', 'pay', NULL, 'payments', NULL, 'card declines', 'fx', 'i5');

INSERT INTO platform_probes (probed_at, platform, status, response_ms, error, source, external_id) VALUES
  ('2024-01-01 00:00Z', 'github', 'operational', 100, false, 'fx', 'p1'),
  ('2024-01-01 01:00Z', 'github', 'down', 500, true, 'fx', 'p2'),
  ('2024-01-01 02:00Z', 'github', 'degraded', 200, false, 'fx', 'p3'),
  ('2024-01-01 03:00Z', 'github', 'operational', 120, false, 'fx', 'p4'),
  ('2024-01-02 00:00Z', 'jenkins', 'operational', 300, false, 'fx', 'p5'),
  ('2024-01-02 01:00Z', 'jenkins', 'operational', 310, false, 'fx', 'p6'),
  ('2024-01-03 00:00Z', 'devbox', 'down', 1000, true, 'fx', 'p7'),
  ('2024-01-03 01:00Z', 'devbox', 'operational', 400, false, 'fx', 'p8');

INSERT INTO dx_responses (submitted_at, respondent, team, tech_stack, dx_score, build_time, deployment_ease, platform_usability, tooling_effectiveness, pain_points, source, external_id) VALUES
  ('2024-01-02 09:00Z', 'h1', 'payments', 'java', 80, 70, 75, 80, 85, '{slow builds}', 'fx', 'r1'),
  ('2024-01-03 09:00Z', 'h2', 'payments', 'java', 70, 60, 70, 70, 75, '{flaky tests}', 'fx', 'r2'),
  ('2024-01-04 09:00Z', 'h3', 'search', 'go', 60, 50, 60, 65, 70, '{slow builds}', 'fx', 'r3');

INSERT INTO quality_snapshots (measured_at, repo, team, tech_stack, test_coverage, code_quality_grade, critical_bugs_open, technical_debt_hours, source, external_id) VALUES
  ('2024-01-01 06:00Z', 'pay-api', 'payments', 'java', 70, 'B', 3, 10, 'fx', 'q1'),
  ('2024-01-05 06:00Z', 'pay-api', 'payments', 'java', 80, 'A', 1, 8, 'fx', 'q2'),
  ('2024-01-03 06:00Z', 'search-api', 'search', 'go', 60, 'C', 2, 20, 'fx', 'q3'),
  ('2024-01-04 06:00Z', 'web-ui', 'search', 'go', 90, 'B', 0, 5, 'fx', 'q4');

INSERT INTO license_snapshots (measured_at, platform, seats_total, seats_active, monthly_cost, source, external_id) VALUES
  ('2024-01-01 06:00Z', 'github', 100, 80, 2000, 'fx', 'l1'),
  ('2024-01-06 06:00Z', 'github', 100, 90, 2000, 'fx', 'l2'),
  ('2024-01-02 06:00Z', 'jenkins', 50, 20, 1000, 'fx', 'l3');

INSERT INTO revenue (period_start, product_line, amount, source, external_id) VALUES
  ('2024-01-01 00:00Z', 'commerce', 100000, 'fx', 'v1'),
  ('2024-01-01 00:00Z', 'discovery', 60000, 'fx', 'v2'),
  ('2023-12-01 00:00Z', 'commerce', 90000, 'fx', 'v3');

INSERT INTO change_tickets (opened_at, completed_at, priority, status, team, title, source, external_id) VALUES
  ('2024-01-02 00:00Z', '2024-01-02 06:00Z', 'emergency', 'completed', 'payments', 'hotfix', 'fx', 't1'),
  ('2024-01-03 00:00Z', '2024-01-04 00:00Z', 'normal', 'completed', 'search', 'upgrade', 'fx', 't2'),
  ('2024-01-05 00:00Z', NULL, 'standard', 'pending', NULL, 'new index', 'fx', 't3');

INSERT INTO pull_requests (merged_at, repo, team, tech_stack, first_commit_at, opened_at, deployed_at, source, external_id) VALUES
  ('2024-01-02 00:00Z', 'pay-api', 'payments', 'java', '2024-01-01 00:00Z', '2024-01-01 12:00Z', NULL, 'fx', 'pr1'),
  ('2024-01-03 00:00Z', 'search-api', 'search', 'go', '2024-01-02 12:00Z', '2024-01-02 18:00Z', NULL, 'fx', 'pr2'),
  ('2024-01-04 00:00Z', 'pay-api', 'payments', 'java', '2024-01-01 00:00Z', '2024-01-03 00:00Z', NULL, 'fx', 'pr3');
