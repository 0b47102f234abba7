package store

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
)

// bucketOrigin aligns date_bin buckets exactly like time_bucket's default origin (Monday
// 2000-01-03 UTC); for hour and day widths both equal the UTC start of the hour/day.
const bucketOrigin = "TIMESTAMPTZ '2000-01-03 00:00:00+00'"

func intervalSQL(d time.Duration) string {
	if d == 24*time.Hour {
		return "INTERVAL '1 day'"
	}
	return "INTERVAL '1 hour'"
}

// selectFor fills a rollup's SELECT template: bucket is the bucket expression, rangeFilter the
// condition on the time column ("" for none).
func (r *rollup) selectFor(bucket, rangeFilter string) string {
	where, and := "", ""
	if rangeFilter != "" {
		where, and = "WHERE "+rangeFilter, "AND "+rangeFilter
	}
	return strings.NewReplacer("{{bucket}}", bucket, "{{where}}", where, "{{and}}", and).Replace(r.Select)
}

// ddl returns the statements that create r in the given mode.
func (r *rollup) ddl(mode Mode) string {
	if mode.HasContinuousAggregates() {
		q := r.selectFor(fmt.Sprintf("time_bucket(%s, %s)", intervalSQL(r.Width), r.TimeCol), "")
		// Policy windows: refresh the recent past on a schedule; real-time aggregation
		// (materialized_only = false) serves the not-yet-materialized newest buckets.
		start, end, every := "INTERVAL '3 days'", "INTERVAL '1 hour'", "INTERVAL '30 minutes'"
		if r.Width == 24*time.Hour {
			start, end, every = "INTERVAL '7 days'", "INTERVAL '1 hour'", "INTERVAL '1 hour'"
		}
		return fmt.Sprintf(`CREATE MATERIALIZED VIEW IF NOT EXISTS %[1]s
WITH (timescaledb.continuous, timescaledb.materialized_only = false) AS
%[2]s
WITH NO DATA;
SELECT add_continuous_aggregate_policy('%[1]s', start_offset => %[3]s, end_offset => %[4]s,
    schedule_interval => %[5]s, if_not_exists => true);
`, r.Name, q, start, end, every)
	}
	q := r.selectFor(fmt.Sprintf("date_bin(%s, %s, %s)", intervalSQL(r.Width), r.TimeCol, bucketOrigin), "")
	return fmt.Sprintf(`CREATE TABLE IF NOT EXISTS %[1]s AS
%[2]s
WITH NO DATA;
CREATE INDEX IF NOT EXISTS %[1]s_bucket_idx ON %[1]s (bucket);
`, r.Name, q)
}

// refreshFunctionSQL defines refresh_rollups(range_from, range_to) → rows written. In modes
// without continuous aggregates it recomputes every bucket that intersects [range_from, range_to)
// for each rollup (delete + insert from the raw rows) under a transaction-scoped advisory lock,
// so concurrent refreshes of overlapping ranges cannot interleave and double-count. Under the
// Timescale License it does nothing: continuous aggregates are real-time and refreshed by
// policies or by Store.RefreshRollups (refresh_continuous_aggregate cannot run in a function).
func refreshFunctionSQL(mode Mode, rollups []*rollup) string {
	var b strings.Builder
	b.WriteString(`CREATE OR REPLACE FUNCTION refresh_rollups(range_from timestamptz, range_to timestamptz)
RETURNS bigint LANGUAGE plpgsql SET search_path FROM CURRENT AS $refresh$
DECLARE
    _lo timestamptz;
    _hi timestamptz;
    _rows bigint;
    _total bigint := 0;
BEGIN
    IF range_from IS NULL OR range_to IS NULL OR range_to <= range_from THEN
        RETURN 0;
    END IF;
`)
	if mode.HasContinuousAggregates() {
		b.WriteString("    RETURN 0; -- continuous aggregates: see Store.RefreshRollups\nEND\n$refresh$;\n")
		return b.String()
	}
	b.WriteString("    PERFORM pg_advisory_xact_lock(hashtext('platformlens.refresh_rollups'));\n")
	for _, r := range rollups {
		iv := intervalSQL(r.Width)
		fmt.Fprintf(&b, `
    -- %[1]s
    _lo := date_bin(%[2]s, range_from, %[3]s);
    _hi := date_bin(%[2]s, range_to - INTERVAL '1 microsecond', %[3]s) + %[2]s;
    DELETE FROM %[1]s WHERE bucket >= _lo AND bucket < _hi;
    INSERT INTO %[1]s
%[4]s;
    GET DIAGNOSTICS _rows = ROW_COUNT;
    _total := _total + _rows;
`, r.Name, iv, bucketOrigin,
			r.selectFor(fmt.Sprintf("date_bin(%s, %s, %s)", iv, r.TimeCol, bucketOrigin),
				fmt.Sprintf("%[1]s >= _lo AND %[1]s < _hi", r.TimeCol)))
	}
	b.WriteString("    RETURN _total;\nEND\n$refresh$;\n")
	return b.String()
}

// RefreshRollups brings every rollup up to date for the buckets that intersect [from, to).
// The ingest path and the demo loader call it after writing events. In timescaledb mode it runs
// refresh_continuous_aggregate per aggregate (widened to whole buckets), which must not run
// inside a transaction; otherwise it calls the SQL function refresh_rollups.
func (s *Store) RefreshRollups(ctx context.Context, from, to time.Time) error {
	if !to.After(from) {
		return nil
	}
	caggs, err := s.rollupsAreContinuousAggregates(ctx)
	if err != nil {
		return err
	}
	if !caggs {
		if _, err := s.pool.Exec(ctx, "SELECT refresh_rollups($1, $2)", from, to); err != nil {
			return fmt.Errorf("refresh rollups %s – %s: %w", from.UTC().Format(time.RFC3339), to.UTC().Format(time.RFC3339), err)
		}
		return nil
	}
	return s.refreshContinuousAggregates(ctx, from, to)
}

// rollupsAreContinuousAggregates reports how the migrations built the rollups (a continuous
// aggregate is a view, a plain rollup a table). This, not the current mode, decides how to
// refresh: the extension may have been installed after the schema was created.
func (s *Store) rollupsAreContinuousAggregates(ctx context.Context) (bool, error) {
	s.modeMu.Lock()
	cached := s.caggs
	s.modeMu.Unlock()
	if cached != nil {
		return *cached, nil
	}
	var kind *string
	err := s.pool.QueryRow(ctx, "SELECT relkind::text FROM pg_class WHERE oid = to_regclass($1)",
		pgx.Identifier{s.schema, "builds_hourly"}.Sanitize()).Scan(&kind)
	if err != nil && !errors.Is(err, pgx.ErrNoRows) {
		return false, fmt.Errorf("refresh rollups: %w", err)
	}
	if kind == nil {
		return false, fmt.Errorf("refresh rollups: schema %q is not migrated: run the migration first", s.schema)
	}
	v := *kind == "v"
	s.modeMu.Lock()
	s.caggs = &v
	s.modeMu.Unlock()
	return v, nil
}

// refreshLockKey serializes this process's and other replicas' cagg refreshes of one schema:
// TimescaleDB refuses a refresh while another one of the same aggregate runs (SQLSTATE 55P03).
func refreshLockKey(schema string) int64 { return migrateLockKey("refresh:" + schema) }

func (s *Store) refreshContinuousAggregates(ctx context.Context, from, to time.Time) error {
	ms, err := migrations()
	if err != nil {
		return err
	}
	conn, err := s.pool.Acquire(ctx)
	if err != nil {
		return err
	}
	defer conn.Release()
	key := refreshLockKey(s.schema)
	if _, err := conn.Exec(ctx, "SELECT pg_advisory_lock($1)", key); err != nil {
		return fmt.Errorf("refresh rollups: wait for the refresh lock: %w", err)
	}
	defer func() {
		uctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if _, err := conn.Exec(uctx, "SELECT pg_advisory_unlock($1)", key); err != nil {
			_ = conn.Conn().Close(uctx) // closing the session releases the lock
		}
	}()
	batchOption, err := refreshTakesOptions(ctx, conn)
	if err != nil {
		return err
	}
	for _, r := range rollupsUpTo(ms, LatestVersion) {
		lo := from.UTC().Truncate(r.Width)
		hi := to.UTC().Add(-time.Microsecond).Truncate(r.Width).Add(r.Width)
		call, args := "CALL refresh_continuous_aggregate($1::regclass, $2::timestamptz, $3::timestamptz)",
			[]any{pgx.Identifier{s.schema, r.Name}.Sanitize(), lo, hi}
		if batchOption {
			call = "CALL refresh_continuous_aggregate($1::regclass, $2::timestamptz, $3::timestamptz, false, $4::jsonb)"
			args = append(args, map[string]int{"buckets_per_batch": refreshBucketsPerBatch(r.Width)})
		}
		// A policy job may still be refreshing the same aggregate: retry briefly.
		for attempt := 0; ; attempt++ {
			_, err = conn.Exec(ctx, call, args...)
			var pgErr *pgconn.PgError
			if err == nil || attempt == 5 || !errors.As(err, &pgErr) || pgErr.Code != "55P03" {
				break
			}
			select {
			case <-ctx.Done():
				return ctx.Err()
			case <-time.After(time.Duration(attempt+1) * 200 * time.Millisecond):
			}
		}
		if err != nil {
			return fmt.Errorf("refresh continuous aggregate %s: %w", r.Name, err)
		}
	}
	return nil
}

// refreshBatchSpan is how much history one transaction of a refresh materializes. Since
// TimescaleDB 2.28 a refresh by hand runs in batches of 10 buckets, each its own transaction with
// its own planning:
// a year of hourly buckets took 878 batches per aggregate, 3.4 s of a 5.5 s tier-S demo load. A
// month per batch keeps a large backfill's transactions bounded at a few dozen batches a year.
const refreshBatchSpan = 30 * 24 * time.Hour

// refreshBucketsPerBatch is refreshBatchSpan in buckets of width w (at least one).
func refreshBucketsPerBatch(w time.Duration) int {
	return max(1, int(refreshBatchSpan/w))
}

// refreshTakesOptions reports whether refresh_continuous_aggregate accepts the options argument
// (buckets_per_batch; TimescaleDB 2.28 and later); older versions refresh in one pass anyway.
func refreshTakesOptions(ctx context.Context, conn *pgxpool.Conn) (bool, error) {
	var ok bool
	err := conn.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
		JOIN pg_extension e ON e.extnamespace = n.oid AND e.extname = 'timescaledb'
		WHERE p.proname = 'refresh_continuous_aggregate' AND p.pronargs = 5)`).Scan(&ok)
	if err != nil {
		return false, fmt.Errorf("refresh rollups: %w", err)
	}
	return ok, nil
}

// ApplyRetention replaces the TimescaleDB retention policies with the intervals currently in
// settings (retention_platform_probes, retention_hourly_rollups, retention_daily_rollups).
// Retention needs the Timescale License; in other modes nothing is ever dropped and
// ApplyRetention returns an error that says so.
func (s *Store) ApplyRetention(ctx context.Context) error {
	info, err := s.Mode(ctx)
	if err != nil {
		return err
	}
	if !info.Mode.HasContinuousAggregates() {
		return fmt.Errorf("retention policies need TimescaleDB with the Timescale License; the store is in %s mode, where data is kept", info.Mode)
	}
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return fmt.Errorf("apply retention settings: %w", err)
	}
	defer func() { _ = tx.Rollback(context.Background()) }()
	if _, err := tx.Exec(ctx, "SELECT apply_retention()"); err != nil {
		return fmt.Errorf("apply retention settings: %w", err)
	}
	if err := pauseJobs(ctx, tx, info.Mode); err != nil {
		return err
	}
	return tx.Commit(ctx)
}
