-- PlatformLens schema, version 3: the read role that queries run as.
--
-- ensure_read_role() creates the NOLOGIN role "<schema>_reader" (the schema name cut to 56
-- characters, as store.ReaderRole does), gives it USAGE on the schema and SELECT on every table
-- and view in it, now and later (default privileges of the migrating role), and grants it to the
-- migrating role, which then runs SQL-mode and metric queries with SET LOCAL ROLE to it.
--
-- It never fails the migration: a migrating role without CREATEROLE (or without ADMIN OPTION on
-- an existing read role) gets a text answer saying what is missing; store.Migrate turns it into a
-- notice with the SQL an admin runs, and SQL mode is refused until the role is usable.
-- store.Migrate calls the function again after every run, so a role created later by an admin is
-- picked up by pressing Migrate once more.

-- @all

CREATE OR REPLACE FUNCTION ensure_read_role() RETURNS text
LANGUAGE plpgsql SET search_path FROM CURRENT AS $ensure$
DECLARE
    _schema text := current_schema();
    _role   text := left(current_schema(), 56) || '_reader';
    _me     text := current_user;
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = _role) THEN
        BEGIN
            EXECUTE format('CREATE ROLE %I NOLOGIN', _role);
        EXCEPTION
            WHEN insufficient_privilege THEN
                RETURN format('role %I does not exist and user %I may not create roles', _role, _me);
            WHEN duplicate_object OR unique_violation THEN
                NULL; -- another migration created it at the same moment
        END;
    END IF;
    EXECUTE format('GRANT USAGE ON SCHEMA %I TO %I', _schema, _role);
    EXECUTE format('GRANT SELECT ON ALL TABLES IN SCHEMA %I TO %I', _schema, _role);
    EXECUTE format('ALTER DEFAULT PRIVILEGES IN SCHEMA %I GRANT SELECT ON TABLES TO %I', _schema, _role);
    IF NOT pg_has_role(_me, _role, 'MEMBER') THEN
        BEGIN
            EXECUTE format('GRANT %I TO %I', _role, _me);
        EXCEPTION
            WHEN insufficient_privilege THEN
                RETURN format('user %I is not a member of role %I and may not grant it', _me, _role);
        END;
    END IF;
    RETURN '';
END
$ensure$;

REVOKE ALL ON FUNCTION ensure_read_role() FROM PUBLIC;

SELECT ensure_read_role();
