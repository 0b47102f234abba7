-- PlatformLens schema, version 9: product events in 7-day chunks (issue 15).
--
-- Migration 1 gave product_events 1-day chunks. Product events are few per day next to probes (a
-- year of demo tier S is 12k events in 363 chunks), and a funnel statement plans every chunk of
-- its range once per scan: a year-long funnel planned for 0.6 s on TimescaleDB while plain
-- PostgreSQL planned in milliseconds. Seven days is TimescaleDB's default and keeps a busy
-- product's chunk small enough to index in memory.
--
-- set_chunk_time_interval applies to chunks created from now on; existing chunks stay as they are.

-- @all
SELECT 1;

-- @hypertables
SELECT set_chunk_time_interval('product_events', INTERVAL '7 days');
