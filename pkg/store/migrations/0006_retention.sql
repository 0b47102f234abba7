-- PlatformLens schema, version 3: retention never drops history the rollups have not materialized.
--
-- Under the Timescale License the rollups are continuous aggregates, and TimescaleDB's own
-- retention policy (add_retention_policy) drops raw chunks whenever its job runs, whether or not
-- the aggregates over them were refreshed: a backfill older than the retention window (or a demo
-- load running while the job ran) lost its history for good. Raw tables that continuous
-- aggregates read therefore get this job instead: it refreshes every aggregate over the range it
-- is about to drop (whole UTC days: chunks are day-aligned, buckets are hours and days), commits,
-- and only then drops those chunks. The aggregates' own retention stays a plain policy.
-- The job is given schema-qualified names in its config: jobs run with the database's default
-- search_path, and a procedure that COMMITs may not SET one.

-- @all
SELECT 1;

-- @timescale
CREATE OR REPLACE PROCEDURE retention_after_refresh(job_id int, config jsonb)
LANGUAGE plpgsql AS $proc$
DECLARE
    rel  regclass := (config ->> 'relation')::regclass;
    hi   timestamptz := date_trunc('day', now() - (config ->> 'drop_after')::interval, 'UTC');
    lo   timestamptz;
    agg  text;
    aggs text[] := ARRAY(SELECT jsonb_array_elements_text(config -> 'aggregates'));
BEGIN
    EXECUTE format('SELECT min(%I) FROM %s', config ->> 'time_column', rel) INTO lo;
    IF lo IS NULL OR lo >= hi THEN
        RETURN; -- nothing old enough to drop
    END IF;
    lo := date_trunc('day', lo, 'UTC');
    FOREACH agg IN ARRAY aggs LOOP
        CALL refresh_continuous_aggregate(agg::regclass, lo, hi);
        COMMIT;
    END LOOP;
    PERFORM drop_chunks(rel, older_than => hi);
END
$proc$;

-- apply_retention() as in version 2, except that a raw table with continuous aggregates over it
-- gets retention_after_refresh instead of a retention policy.
CREATE OR REPLACE FUNCTION apply_retention() RETURNS void
LANGUAGE plpgsql SET search_path FROM CURRENT AS $retention$
DECLARE
    item record;
    keep interval;
    aggs jsonb;
BEGIN
    FOR item IN
        SELECT * FROM (VALUES
            ('platform_probes', 'retention_platform_probes', 'probed_at'),
            ('builds_hourly', 'retention_hourly_rollups', NULL),
            ('deployments_hourly', 'retention_hourly_rollups', NULL),
            ('platform_probes_hourly', 'retention_hourly_rollups', NULL),
            ('builds_daily', 'retention_daily_rollups', NULL),
            ('deployments_daily', 'retention_daily_rollups', NULL),
            ('platform_probes_daily', 'retention_daily_rollups', NULL),
            ('build_duration_hist_daily', 'retention_daily_rollups', NULL),
            ('platform_response_hist_daily', 'retention_daily_rollups', NULL),
            ('product_events_daily', 'retention_daily_rollups', NULL)
        ) AS r (relation, setting, time_column)
    LOOP
        keep := (SELECT nullif(value #>> '{}', '')::interval FROM settings WHERE key = item.setting);
        PERFORM remove_retention_policy(item.relation::regclass, if_exists => true);
        PERFORM delete_job(j.job_id) FROM timescaledb_information.jobs j
            WHERE j.proc_schema = current_schema() AND j.proc_name = 'retention_after_refresh'
              AND j.config ->> 'relation' = format('%I.%I', current_schema(), item.relation);
        aggs := (SELECT jsonb_agg(format('%I.%I', view_schema, view_name) ORDER BY view_name)
            FROM timescaledb_information.continuous_aggregates
            WHERE hypertable_schema = current_schema() AND hypertable_name = item.relation);
        IF keep IS NULL THEN
            CONTINUE;
        ELSIF aggs IS NULL THEN
            PERFORM add_retention_policy(item.relation::regclass, drop_after => keep);
        ELSE
            PERFORM add_job(format('%I.%I', current_schema(), 'retention_after_refresh')::regproc, INTERVAL '1 day',
                config => jsonb_build_object('relation', format('%I.%I', current_schema(), item.relation),
                    'time_column', item.time_column, 'drop_after', keep::text, 'aggregates', aggs));
        END IF;
    END LOOP;
END
$retention$;

SELECT apply_retention();
