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
  ('s1', 'staging', 'go',   'web', 'team-a', 'success',     '2024-03-05 12:00Z',              false, 1, false, true,  NULL)
) v(id, env, stack, svc, team, st, f, prod, h, cf, rw, fx);
