-- PlatformLens schema: DORA deployment rework rate (issue 12).
--
-- A production deployment is rework when it was unplanned and made to fix a user-facing problem:
-- a rollback or roll-forward fix of an incident or of a failed change. The source marks it with
-- is_rework, and may name the deployment it fixes (fixes_deployment = that deployment's
-- external_id); either marks it. Existing rows are not rework (DEFAULT false).
-- (Numbered after the migrations on main at branch time; the lead renumbers at merge.)

-- @all

ALTER TABLE deployments ADD COLUMN IF NOT EXISTS is_rework boolean NOT NULL DEFAULT false;
ALTER TABLE deployments ADD COLUMN IF NOT EXISTS fixes_deployment text NULL;
