-- PlatformLens schema, version 2: hourly and daily rollups.
--
-- Each "-- @rollup <name> <source table> <time column> <bucket width>" section is the one
-- definition of a rollup. The migrator wraps it according to the store mode:
--   timescaledb        CREATE MATERIALIZED VIEW … WITH (timescaledb.continuous,
--                      materialized_only = false) with {{bucket}} = time_bucket(width, time);
--   other modes        CREATE TABLE … AS … WITH NO DATA, kept current by refresh_rollups(from, to),
--                      which deletes and re-inserts the touched buckets with
--                      {{bucket}} = date_bin(width, time, '2000-01-03 UTC') (the same buckets).
-- {{where}} / {{and}} become the refresh range filter on the time column (WHERE … / AND …) in
-- refresh_rollups and vanish in the continuous aggregate. bucket is the UTC start of the hour/day.
--
-- Histogram bins: bin = floor(ln(greatest(x, 0.001)) / ln(1.04)); a bin stands for
-- exp((bin + 0.5) * ln(1.04)), within 2 % of every value in it.

-- @rollup builds_hourly builds finished_at 1 hour
SELECT {{bucket}} AS bucket, tech_stack, team, status,
       count(*) AS builds, sum(duration_seconds) AS duration_sum, sum(queue_seconds) AS queue_sum
FROM builds {{where}}
GROUP BY bucket, tech_stack, team, status

-- @rollup builds_daily builds finished_at 1 day
SELECT {{bucket}} AS bucket, tech_stack, team, status,
       count(*) AS builds, sum(duration_seconds) AS duration_sum, sum(queue_seconds) AS queue_sum
FROM builds {{where}}
GROUP BY bucket, tech_stack, team, status

-- @rollup deployments_hourly deployments finished_at 1 hour
SELECT {{bucket}} AS bucket, tech_stack, team, product_line, environment, is_production, status, change_failed,
       count(*) AS deployments, sum(duration_seconds) AS duration_sum
FROM deployments {{where}}
GROUP BY bucket, tech_stack, team, product_line, environment, is_production, status, change_failed

-- @rollup deployments_daily deployments finished_at 1 day
SELECT {{bucket}} AS bucket, tech_stack, team, product_line, environment, is_production, status, change_failed,
       count(*) AS deployments, sum(duration_seconds) AS duration_sum
FROM deployments {{where}}
GROUP BY bucket, tech_stack, team, product_line, environment, is_production, status, change_failed

-- @rollup platform_probes_hourly platform_probes probed_at 1 hour
SELECT {{bucket}} AS bucket, platform,
       count(*) AS probes,
       count(*) FILTER (WHERE status = 'down') AS down,
       count(*) FILTER (WHERE status = 'degraded') AS degraded,
       count(*) FILTER (WHERE error) AS errors,
       sum(response_ms) AS response_sum
FROM platform_probes {{where}}
GROUP BY bucket, platform

-- @rollup platform_probes_daily platform_probes probed_at 1 day
SELECT {{bucket}} AS bucket, platform,
       count(*) AS probes,
       count(*) FILTER (WHERE status = 'down') AS down,
       count(*) FILTER (WHERE status = 'degraded') AS degraded,
       count(*) FILTER (WHERE error) AS errors,
       sum(response_ms) AS response_sum
FROM platform_probes {{where}}
GROUP BY bucket, platform

-- @rollup build_duration_hist_daily builds finished_at 1 day
SELECT {{bucket}} AS bucket, tech_stack, team, status,
       floor(ln(greatest(duration_seconds, 0.001)) / ln(1.04))::int AS bin,
       count(*) AS n
FROM builds {{where}}
GROUP BY bucket, tech_stack, team, status, bin

-- @rollup platform_response_hist_daily platform_probes probed_at 1 day
SELECT {{bucket}} AS bucket, platform,
       floor(ln(greatest(response_ms, 0.001)) / ln(1.04))::int AS bin,
       count(*) AS n
FROM platform_probes {{where}}
GROUP BY bucket, platform, bin

-- @rollup product_events_daily product_events occurred_at 1 day
SELECT {{bucket}} AS bucket, event, count(*) AS events
FROM product_events {{where}}
GROUP BY bucket, event

-- @timescale
-- Retention of raw probe samples and of the hourly / daily rollups (business events are kept).
-- The intervals live in settings (retention_platform_probes, retention_hourly_rollups,
-- retention_daily_rollups: JSON strings such as "90 days"; null or "" keeps data forever), so an
-- Admin can change them; apply_retention() replaces the policies with the current settings and
-- is what Store.ApplyRetention calls.
CREATE OR REPLACE FUNCTION apply_retention() RETURNS void
LANGUAGE plpgsql SET search_path FROM CURRENT AS $retention$
DECLARE
    item record;
    keep interval;
BEGIN
    FOR item IN
        SELECT * FROM (VALUES
            ('platform_probes', 'retention_platform_probes'),
            ('builds_hourly', 'retention_hourly_rollups'),
            ('deployments_hourly', 'retention_hourly_rollups'),
            ('platform_probes_hourly', 'retention_hourly_rollups'),
            ('builds_daily', 'retention_daily_rollups'),
            ('deployments_daily', 'retention_daily_rollups'),
            ('platform_probes_daily', 'retention_daily_rollups'),
            ('build_duration_hist_daily', 'retention_daily_rollups'),
            ('platform_response_hist_daily', 'retention_daily_rollups'),
            ('product_events_daily', 'retention_daily_rollups')
        ) AS r (relation, setting)
    LOOP
        keep := (SELECT nullif(value #>> '{}', '')::interval FROM settings WHERE key = item.setting);
        PERFORM remove_retention_policy(item.relation::regclass, if_exists => true);
        IF keep IS NOT NULL THEN
            PERFORM add_retention_policy(item.relation::regclass, drop_after => keep);
        END IF;
    END LOOP;
END
$retention$;

SELECT apply_retention();
