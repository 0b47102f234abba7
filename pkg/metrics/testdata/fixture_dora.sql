-- DORA fixture (issue 12): the week Monday 2024-03-04 to Monday 2024-03-11 (UTC).
-- Rework rate: production deployments r1–r7; r3 is marked rework (rollback fix of r2), r5 names
-- the deployment it fixes (r4); s1 is rework but not in production (not counted).
INSERT INTO deployments (finished_at, started_at, service, team, product_line, tech_stack, environment, status,
                         duration_seconds, is_production, first_commit_at, change_failed, is_rework, fixes_deployment,
                         source, external_id)
SELECT f, f - interval '5 minutes', svc, team, 'payments', stack, env, st, 300, prod, f - make_interval(hours => h), cf, rw, fx,
       'fx', id
FROM (VALUES
  ('r1', 'prod',    'go',   'web', 'team-a', 'success',     '2024-03-04 10:00Z'::timestamptz, true,  2, false, false, NULL),
  ('r2', 'prod',    'go',   'web', 'team-a', 'rolled_back', '2024-03-05 10:00Z',              true,  3, false, false, NULL),
  ('r3', 'prod',    'go',   'web', 'team-a', 'success',     '2024-03-05 11:00Z',              true,  1, false, true,  NULL),
  ('r4', 'prod',    'java', 'api', 'team-b', 'success',     '2024-03-06 09:00Z',              true,  5, true,  false, NULL),
  ('r5', 'prod',    'java', 'api', 'team-b', 'success',     '2024-03-06 12:00Z',              true,  1, false, false, 'r4'),
  ('r6', 'prod',    'java', 'api', 'team-b', 'success',     '2024-03-07 09:00Z',              true,  4, false, false, NULL),
  ('r7', 'prod',    'java', 'api', 'team-b', 'success',     '2024-03-08 09:00Z',              true,  6, false, false, NULL),
  ('s1', 'staging', 'go',   'web', 'team-a', 'success',     '2024-03-05 12:00Z',              false, 1, false, true,  NULL),
  -- Lead-time cap (30 days = 720 h): r8 exactly at the cap counts, r9 one hour over is excluded.
  ('r8', 'prod',    'go',   'batch', 'team-c', 'success',   '2024-03-09 10:00Z',              true,  720, false, false, NULL),
  ('r9', 'prod',    'go',   'batch', 'team-c', 'success',   '2024-03-09 11:00Z',              true,  721, false, false, NULL)
) v(id, env, stack, svc, team, st, f, prod, h, cf, rw, fx);

-- Incident attribution (window 24 h, the default):
--   i1 web 4 March 12:00, no caused_by → latest successful production web deployment before it: r1 (2 h before).
--   i2 api 9 March 09:00, no caused_by → r7 finished exactly 24 h before: inside the window (edge).
--   i3 batch 10 March 11:00:01, no caused_by → r9 finished 24 h 1 s before: outside (edge); r8 is older still.
--   i4 api, caused_by r6 (explicit).
INSERT INTO incidents (opened_at, resolved_at, severity, service, platform, team, caused_by_deployment, title, source, external_id) VALUES
  ('2024-03-04 12:00Z',    '2024-03-04 13:00Z', 'p2', 'web',   NULL, 'team-a', NULL, 'web errors',  'fx', 'i1'),
  ('2024-03-09 09:00Z',    '2024-03-09 10:00Z', 'p2', 'api',   NULL, 'team-b', NULL, 'api slow',    'fx', 'i2'),
  ('2024-03-10 11:00:01Z', '2024-03-10 12:00Z', 'p3', 'batch', NULL, 'team-c', NULL, 'batch late',  'fx', 'i3'),
  ('2024-03-07 10:00Z',    '2024-03-07 11:00Z', 'p2', 'api',   NULL, 'team-b', 'r6', 'api broken',  'fx', 'i4');
