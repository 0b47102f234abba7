-- PlatformLens schema, version 8: continuous aggregates in few, large chunks (issue 15).
--
-- TimescaleDB gives a continuous aggregate's materialized hypertable ten times the chunk interval
-- of its raw table: the aggregates over 1-day probe and product-event chunks got 10-day chunks,
-- those over builds 70 days. A year of daily probe rollups was then 37 chunks of ~80 rows, and
-- every dashboard query over a year planned and scanned them all (EXPLAIN of the executive
-- dashboard's uptime statement: 37 sequential scans, planning longer than execution; plain
-- PostgreSQL reads one small table). Daily aggregates now get 1-year chunks and hourly ones
-- 90-day chunks: a year is one or two chunks (five at most for the hourly ones), still small at
-- tier M (a daily rollup is thousands of rows a year; the largest hourly one about a million).
--
-- set_chunk_time_interval applies to chunks created from now on. Existing chunks stay as they
-- are: re-materializing them would need raw rows that retention may already have dropped.
-- Retention is unaffected (drop_chunks drops whole chunks older than the cut, as before, just
-- coarser-grained for the aggregates, whose retention is years).

-- @all
SELECT 1;

-- @timescale
SELECT set_chunk_time_interval(r.name::regclass, r.chunk)
FROM (VALUES
    ('builds_hourly', INTERVAL '90 days'),
    ('deployments_hourly', INTERVAL '90 days'),
    ('platform_probes_hourly', INTERVAL '90 days'),
    ('builds_daily', INTERVAL '365 days'),
    ('deployments_daily', INTERVAL '365 days'),
    ('platform_probes_daily', INTERVAL '365 days'),
    ('build_duration_hist_daily', INTERVAL '365 days'),
    ('platform_response_hist_daily', INTERVAL '365 days'),
    ('product_events_daily', INTERVAL '365 days')
) AS r (name, chunk);
