-- PlatformLens schema, version 9: product events and platform probes in 7-day chunks (issue 15).
--
-- Migration 1 gave product_events 1-day chunks. Product events are few per day next to probes (a
-- year of demo tier S is 12k events in 363 chunks), and a funnel statement plans every chunk of
-- its range once per scan: a year-long funnel planned for 0.6 s on TimescaleDB while plain
-- PostgreSQL planned in milliseconds. Probes had 1-day chunks too: 365 chunks a year, each created
-- (table, indexes, constraints) while loading and planned by every raw-probe statement. Seven days
-- is TimescaleDB's default and keeps a busy installation's chunk small enough to index in memory;
-- raw-probe retention (90 days) then drops a week at a time.
--
-- set_chunk_time_interval applies to chunks created from now on; existing chunks stay as they are.

-- @all
SELECT 1;

-- @hypertables
SELECT set_chunk_time_interval('product_events', INTERVAL '7 days');
SELECT set_chunk_time_interval('platform_probes', INTERVAL '7 days');
