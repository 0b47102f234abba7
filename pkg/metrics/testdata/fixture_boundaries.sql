-- Rows placed exactly on the edges the metric code decides at (week of Monday 2025-06-02, UTC).
-- Each block has its own service / team so a test can isolate it with a filter.

-- Point in time (incidents_active at 2025-06-02 12:00): one resolved exactly at the instant (not
-- active), one still open then (active), one opened exactly at the instant (not yet active).
INSERT INTO incidents (opened_at, resolved_at, severity, service, platform, team, caused_by_deployment, title, source, external_id) VALUES
  ('2025-06-02 10:00Z', '2025-06-02 12:00Z', 'p2', 'pit', NULL, 'pit-team', NULL, 'resolved at the instant', 'bx', 'pit1'),
  ('2025-06-02 11:00Z', '2025-06-02 13:00Z', 'p2', 'pit', NULL, 'pit-team', NULL, 'open at the instant', 'bx', 'pit2'),
  ('2025-06-02 12:00Z', NULL,                'p3', 'pit', NULL, 'pit-team', NULL, 'opened at the instant', 'bx', 'pit3');

-- Rollup/raw seam of the range [2025-06-02 10:30, 2025-06-09 10:30) (7 days: daily rollups for
-- [06-03 00:00, 06-09 00:00), raw rows at both edges): builds exactly at the range start, the
-- first rollup midnight, inside, the last midnight (first raw instant after the rollups) and the
-- range end (excluded), plus one a second before the first midnight.
INSERT INTO builds (finished_at, started_at, pipeline, repo, service, team, tech_stack, status, queue_seconds, duration_seconds, source, external_id) VALUES
  ('2025-06-02 10:30Z', '2025-06-02 10:29Z', 'ci', 'seam-repo', 'seam', 'seam-team', 'go', 'success', 1, 60, 'bx', 'seam1'),
  ('2025-06-02 23:59:59Z', '2025-06-02 23:58Z', 'ci', 'seam-repo', 'seam', 'seam-team', 'go', 'success', 1, 60, 'bx', 'seam2'),
  ('2025-06-03 00:00Z', '2025-06-02 23:59Z', 'ci', 'seam-repo', 'seam', 'seam-team', 'go', 'success', 1, 60, 'bx', 'seam3'),
  ('2025-06-05 12:00Z', '2025-06-05 11:59Z', 'ci', 'seam-repo', 'seam', 'seam-team', 'go', 'failure', 1, 60, 'bx', 'seam4'),
  ('2025-06-09 00:00Z', '2025-06-08 23:59Z', 'ci', 'seam-repo', 'seam', 'seam-team', 'go', 'success', 1, 60, 'bx', 'seam5'),
  ('2025-06-09 10:30Z', '2025-06-09 10:29Z', 'ci', 'seam-repo', 'seam', 'seam-team', 'go', 'success', 1, 60, 'bx', 'seam6');

-- Change-failure attribution with the window pinned to 2 hours by the test: the incident 3 hours
-- after attr1 is outside it (a window of 6 h or the default 24 h would blame attr1), the one
-- 1.5 hours after attr2 inside it.
INSERT INTO deployments (finished_at, started_at, service, team, product_line, tech_stack, environment, status, duration_seconds, is_production, first_commit_at, change_failed, source, external_id) VALUES
  ('2025-06-04 10:00Z', '2025-06-04 09:50Z', 'attr', 'attr-team', 'attr-pl', 'go', 'prod', 'success', 600, true, '2025-06-04 00:00Z', false, 'bx', 'attr1'),
  ('2025-06-05 10:00Z', '2025-06-05 09:50Z', 'attr', 'attr-team', 'attr-pl', 'go', 'prod', 'success', 600, true, '2025-06-05 00:00Z', false, 'bx', 'attr2');
INSERT INTO incidents (opened_at, resolved_at, severity, service, platform, team, caused_by_deployment, title, source, external_id) VALUES
  ('2025-06-04 13:00Z', '2025-06-04 14:00Z', 'p2', 'attr', NULL, 'attr-team', NULL, '3 h after attr1', 'bx', 'attri1'),
  ('2025-06-05 11:30Z', '2025-06-05 12:00Z', 'p2', 'attr', NULL, 'attr-team', NULL, '1.5 h after attr2', 'bx', 'attri2');

-- Recovery time with two production environments of one service: the failed deployment in
-- prod-eu is restored by the next success in prod-eu (5 h), not by the earlier one in prod-us (1 h).
INSERT INTO deployments (finished_at, started_at, service, team, product_line, tech_stack, environment, status, duration_seconds, is_production, first_commit_at, change_failed, source, external_id) VALUES
  ('2025-06-04 10:00Z', '2025-06-04 09:50Z', 'rt', 'rt-team', 'rt-pl', 'go', 'prod-eu', 'failure', 600, true, '2025-06-04 00:00Z', false, 'bx', 'rt1'),
  ('2025-06-04 11:00Z', '2025-06-04 10:50Z', 'rt', 'rt-team', 'rt-pl', 'go', 'prod-us', 'success', 600, true, '2025-06-04 00:00Z', false, 'bx', 'rt2'),
  ('2025-06-04 15:00Z', '2025-06-04 14:50Z', 'rt', 'rt-team', 'rt-pl', 'go', 'prod-eu', 'success', 600, true, '2025-06-04 00:00Z', false, 'bx', 'rt3');

-- Recovery with a success at the very instant of the failure (another deployment of the same
-- service and environment): recovery is the next success strictly after the failure (2 h), not 0.
INSERT INTO deployments (finished_at, started_at, service, team, product_line, tech_stack, environment, status, duration_seconds, is_production, first_commit_at, change_failed, source, external_id) VALUES
  ('2025-06-04 10:00Z', '2025-06-04 09:50Z', 'tie', 'tie-team', 'tie-pl', 'go', 'prod-eu', 'failure', 600, true, '2025-06-04 00:00Z', false, 'bx', 'tie1'),
  ('2025-06-04 10:00Z', '2025-06-04 09:55Z', 'tie', 'tie-team', 'tie-pl', 'go', 'prod-eu', 'success', 300, true, '2025-06-04 00:00Z', false, 'bx', 'tie2'),
  ('2025-06-04 12:00Z', '2025-06-04 11:50Z', 'tie', 'tie-team', 'tie-pl', 'go', 'prod-eu', 'success', 600, true, '2025-06-04 00:00Z', false, 'bx', 'tie3');
