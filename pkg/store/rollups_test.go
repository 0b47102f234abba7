package store_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/platformlens/platformlens-analytics-app/internal/testdb"
	"github.com/platformlens/platformlens-analytics-app/pkg/store"
)

// seedSQL writes events $2..$3 of each table, the first one at $1 (builds span ~15 days,
// deployments ~85).
const seedSQL = `
INSERT INTO builds SELECT ts, ts - interval '5 minutes', 'pipe' || (i % 3), 'repo', 'svc', 'team' || (i % 4),
    (ARRAY['java', 'go', 'rust'])[1 + i % 3], (ARRAY['success', 'failure', 'cancelled'])[1 + (i * 7) % 3],
    (i % 13)::float8, (i % 97) * 1.7 + 0.0001 * (i % 5), 'test', 'b' || i
FROM (SELECT i, $1::timestamptz + (i - $2) * interval '7 minutes 13 seconds' AS ts FROM generate_series($2::int, $3::int) i) s;
INSERT INTO deployments SELECT ts, ts - interval '2 minutes', 'svc' || (i % 5), 'team' || (i % 4), 'pl' || (i % 2),
    (ARRAY['java', 'go'])[1 + i % 2], (ARRAY['prod', 'staging', 'dev'])[1 + i % 3],
    (ARRAY['success', 'failure', 'rolled_back'])[1 + (i * 5) % 3], (i % 31) * 2.5, i % 3 = 0,
    ts - interval '1 day', i % 11 = 0, 'test', 'd' || i
FROM (SELECT i, $1::timestamptz + (i - $2) * interval '41 minutes' AS ts FROM generate_series($2::int, $3::int) i) s;
INSERT INTO platform_probes SELECT ts, (ARRAY['GitHub', 'Nexus', 'Harness'])[1 + i % 3],
    (ARRAY['operational', 'operational', 'degraded', 'down'])[1 + (i * 3) % 4], (i % 500) * 1.3, i % 17 = 0, 'test', 'p' || i
FROM (SELECT i, $1::timestamptz + (i - $2) * interval '2 minutes 30 seconds' AS ts FROM generate_series($2::int, $3::int) i) s;
INSERT INTO product_events SELECT ts, 'u' || (i % 50), (ARRAY['sign_up', 'profile_setup', 'first_deploy'])[1 + i % 3],
    '{}', 'test', 'e' || i
FROM (SELECT i, $1::timestamptz + (i - $2) * interval '3 minutes 1 second' AS ts FROM generate_series($2::int, $3::int) i) s;
`

// expectedRollups are the rollups written independently of the migration: UTC buckets by
// date_trunc, floats rounded so that summation order does not matter.
var expectedRollups = map[string]struct{ actual, expected string }{
	"builds_hourly": {
		`SELECT bucket, tech_stack, team, status, builds, round(duration_sum::numeric, 6), round(queue_sum::numeric, 6) FROM builds_hourly`,
		`SELECT date_trunc('hour', finished_at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC', tech_stack, team, status, count(*),
			round(sum(duration_seconds)::numeric, 6), round(sum(queue_seconds)::numeric, 6) FROM builds GROUP BY 1, 2, 3, 4`},
	"builds_daily": {
		`SELECT bucket, tech_stack, team, status, builds, round(duration_sum::numeric, 6), round(queue_sum::numeric, 6) FROM builds_daily`,
		`SELECT date_trunc('day', finished_at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC', tech_stack, team, status, count(*),
			round(sum(duration_seconds)::numeric, 6), round(sum(queue_seconds)::numeric, 6) FROM builds GROUP BY 1, 2, 3, 4`},
	"deployments_daily": {
		`SELECT bucket, tech_stack, team, product_line, environment, is_production, status, change_failed, deployments,
			round(duration_sum::numeric, 6) FROM deployments_daily`,
		`SELECT date_trunc('day', finished_at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC', tech_stack, team, product_line, environment,
			is_production, status, change_failed, count(*), round(sum(duration_seconds)::numeric, 6) FROM deployments GROUP BY 1, 2, 3, 4, 5, 6, 7, 8`},
	"deployments_hourly": {
		`SELECT bucket, environment, status, deployments FROM deployments_hourly`,
		`SELECT date_trunc('hour', finished_at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC', environment, status, count(*)
			FROM deployments GROUP BY 1, 2, 3, tech_stack, team, product_line, is_production, change_failed`},
	"platform_probes_hourly": {
		`SELECT bucket, platform, probes, down, degraded, errors, round(response_sum::numeric, 6) FROM platform_probes_hourly`,
		`SELECT date_trunc('hour', probed_at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC', platform, count(*),
			sum(CASE WHEN status = 'down' THEN 1 ELSE 0 END), sum(CASE WHEN status = 'degraded' THEN 1 ELSE 0 END),
			sum(CASE WHEN error THEN 1 ELSE 0 END), round(sum(response_ms)::numeric, 6) FROM platform_probes GROUP BY 1, 2`},
	"platform_probes_daily": {
		`SELECT bucket, platform, probes, down, degraded, errors FROM platform_probes_daily`,
		`SELECT date_trunc('day', probed_at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC', platform, count(*),
			sum(CASE WHEN status = 'down' THEN 1 ELSE 0 END), sum(CASE WHEN status = 'degraded' THEN 1 ELSE 0 END),
			sum(CASE WHEN error THEN 1 ELSE 0 END) FROM platform_probes GROUP BY 1, 2`},
	"build_duration_hist_daily": {
		`SELECT bucket, tech_stack, team, status, bin, n FROM build_duration_hist_daily`,
		`SELECT date_trunc('day', finished_at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC', tech_stack, team, status,
			floor(ln(greatest(duration_seconds, 0.001)) / ln(1.04))::int, count(*) FROM builds GROUP BY 1, 2, 3, 4, 5`},
	"platform_response_hist_daily": {
		`SELECT bucket, platform, bin, n FROM platform_response_hist_daily`,
		`SELECT date_trunc('day', probed_at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC', platform,
			floor(ln(greatest(response_ms, 0.001)) / ln(1.04))::int, count(*) FROM platform_probes GROUP BY 1, 2, 3`},
	"product_events_daily": {
		`SELECT bucket, event, events FROM product_events_daily`,
		`SELECT date_trunc('day', occurred_at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC', event, count(*) FROM product_events GROUP BY 1, 2`},
}

// TestRefreshRollupsMatchesRawGroupBy checks every rollup against a direct GROUP BY of the raw
// rows, after a full refresh and after a narrow incremental one, in a session whose time zone
// is not UTC (buckets must still be UTC hours/days).
func TestRefreshRollupsMatchesRawGroupBy(t *testing.T) {
	ctx := ctxT(t)
	db := testdb.New(t)
	st, err := store.Open(ctx, store.ConfigFromDSN(db.DSN+"&timezone=Asia/Kolkata", ""))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if _, err := st.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	checkRollups(ctx, t, st)
}

// checkRollups seeds raw events and compares the rollups with the raw GROUP BY after a full,
// an incremental and a repeated refresh.
func checkRollups(ctx context.Context, t *testing.T, st *store.Store) {
	t.Helper()
	if len(expectedRollups) != len(store.Rollups()) {
		t.Fatalf("test covers %d rollups, schema has %v", len(expectedRollups), store.Rollups())
	}
	// Continuous aggregates answer from raw rows beyond what was materialized (real-time), which
	// would hide a refresh that skips a bucket: compare what the refreshes materialized.
	var caggs []string
	rows, err := st.Pool().Query(ctx, `SELECT format('%I.%I', view_schema, view_name) FROM timescaledb_information.continuous_aggregates
		WHERE view_schema = $1`, st.Schema())
	if err == nil { // no TimescaleDB: the view does not exist and rollups are plain tables
		for rows.Next() {
			var v string
			if err := rows.Scan(&v); err != nil {
				t.Fatal(err)
			}
			caggs = append(caggs, v)
		}
		rows.Close()
	}
	for _, v := range caggs {
		if _, err := st.Pool().Exec(ctx, "ALTER MATERIALIZED VIEW "+v+" SET (timescaledb.materialized_only = true)"); err != nil {
			t.Fatal(err)
		}
	}
	base := time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)
	seed(ctx, t, st, base, 1, 3000)
	if err := st.RefreshRollups(ctx, base, base.Add(100*24*time.Hour)); err != nil {
		t.Fatalf("refresh: %v", err)
	}
	compareRollups(ctx, t, st, "full refresh")

	// Late events land in buckets that were already refreshed: a refresh of a one-minute window
	// must recompute exactly the touched hour/day buckets.
	late := base.Add(3*24*time.Hour + 90*time.Minute)
	seed(ctx, t, st, late, 3001, 3001)
	if err := st.RefreshRollups(ctx, late.Add(-6*time.Minute), late); err != nil {
		t.Fatalf("incremental refresh: %v", err)
	}
	compareRollups(ctx, t, st, "incremental refresh")

	// A refresh whose end falls inside a bucket must include that last bucket (hour and day).
	later := base.Add(200*24*time.Hour + 10*time.Hour)
	seed(ctx, t, st, later, 4000, 4003)
	if err := st.RefreshRollups(ctx, later, later.Add(3*time.Hour)); err != nil {
		t.Fatalf("refresh ending inside a bucket: %v", err)
	}
	compareRollups(ctx, t, st, "refresh ending inside a bucket")

	// Refreshing again, also from concurrent callers (ingest batches finishing together), changes
	// nothing: no double counting.
	var wg sync.WaitGroup
	errs := make(chan error, 4)
	for i := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			from := base.Add(time.Duration(i) * 24 * time.Hour)
			errs <- st.RefreshRollups(ctx, from, from.Add(30*24*time.Hour))
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatalf("concurrent refresh: %v", err)
		}
	}
	compareRollups(ctx, t, st, "repeated concurrent refresh")
}

// TestModeRollups checks what each mode builds: hypertables and continuous aggregates under the
// Timescale License, hypertables with rollups as plain tables under the Apache license (set
// server-wide: timescaledb.license = 'apache'), plain tables on PostgreSQL; then the rollup check.
func TestModeRollups(t *testing.T) {
	ctx := ctxT(t)
	st := newStore(t, testdb.New(t), "")
	res, err := st.Migrate(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if res.Mode.HasHypertables() {
		wantCaggs := 0
		if res.Mode.HasContinuousAggregates() {
			wantCaggs = len(store.Rollups())
		}
		var hypertables, caggs int
		if err := st.Pool().QueryRow(ctx, `SELECT
			(SELECT count(*) FROM timescaledb_information.hypertables WHERE hypertable_schema = $1),
			(SELECT count(*) FROM timescaledb_information.continuous_aggregates WHERE view_schema = $1)`,
			st.Schema()).Scan(&hypertables, &caggs); err != nil || hypertables != len(store.EventTables) || caggs != wantCaggs {
			t.Fatalf("%s mode: hypertables = %d, continuous aggregates = %d (%v); want %d and %d",
				res.Mode, hypertables, caggs, err, len(store.EventTables), wantCaggs)
		}
	} else {
		var ext bool
		if err := st.Pool().QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'timescaledb')").Scan(&ext); err != nil || ext {
			t.Fatalf("%s mode but the timescaledb extension is installed (%v)", res.Mode, err)
		}
	}
	checkRollups(ctx, t, st)
}

func seed(ctx context.Context, t *testing.T, st *store.Store, base time.Time, first, last int) {
	t.Helper()
	for _, stmt := range strings.Split(strings.TrimSpace(seedSQL), ";\n") {
		if _, err := st.Pool().Exec(ctx, stmt, base, first, last); err != nil {
			t.Fatalf("seed: %v", err)
		}
	}
}

func compareRollups(ctx context.Context, t *testing.T, st *store.Store, when string) {
	t.Helper()
	for name, q := range expectedRollups {
		var onlyActual, onlyExpected, total int
		err := st.Pool().QueryRow(ctx, `SELECT
			(SELECT count(*) FROM (`+q.actual+` EXCEPT ALL `+q.expected+`) a),
			(SELECT count(*) FROM (`+q.expected+` EXCEPT ALL `+q.actual+`) b),
			(SELECT count(*) FROM (`+q.actual+`) c)`).Scan(&onlyActual, &onlyExpected, &total)
		if err != nil {
			t.Fatalf("%s: compare %s: %v", when, name, err)
		}
		if onlyActual != 0 || onlyExpected != 0 || total == 0 {
			t.Errorf("%s: %s differs from raw GROUP BY: %d rows only in rollup, %d only in raw, %d rollup rows",
				when, name, onlyActual, onlyExpected, total)
		}
	}
}

// TestAggregateChunkIntervals: under the Timescale License the continuous aggregates get large
// chunks (migration 8): daily ones 1 year, hourly ones 90 days, so a year-long dashboard query
// plans and scans one or two chunks per aggregate instead of TimescaleDB's default (ten times the
// raw table's interval: 37 chunks of a few rows for a year of daily probe rollups). In the
// other modes there are no continuous aggregates.
func TestAggregateChunkIntervals(t *testing.T) {
	ctx := ctxT(t)
	st := newStore(t, testdb.New(t), "")
	res, err := st.Migrate(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !res.Mode.HasContinuousAggregates() {
		var n int
		err := st.Pool().QueryRow(ctx, `SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
			WHERE n.nspname = $1 AND c.relname = ANY($2) AND c.relkind = 'r'`, st.Schema(), store.Rollups()).Scan(&n)
		if err != nil || n != len(store.Rollups()) {
			t.Fatalf("%s mode: %d of %d rollups are plain tables (%v)", res.Mode, n, len(store.Rollups()), err)
		}
		return
	}
	rows, err := st.Pool().Query(ctx, `SELECT a.view_name::text, d.time_interval
		FROM timescaledb_information.continuous_aggregates a
		JOIN timescaledb_information.dimensions d
		  ON d.hypertable_schema = a.materialization_hypertable_schema AND d.hypertable_name = a.materialization_hypertable_name
		WHERE a.view_schema = $1`, st.Schema())
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]time.Duration{}
	for rows.Next() {
		var name string
		var iv time.Duration
		if err := rows.Scan(&name, &iv); err != nil {
			t.Fatal(err)
		}
		got[name] = iv
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if len(got) != len(store.Rollups()) {
		t.Fatalf("chunk intervals of %d continuous aggregates, want %d: %v", len(got), len(store.Rollups()), got)
	}
	for name, iv := range got {
		want := 365 * 24 * time.Hour
		if strings.HasSuffix(name, "_hourly") {
			want = 90 * 24 * time.Hour
		}
		if iv != want {
			t.Errorf("%s: chunk interval %v, want %v", name, iv, want)
		}
	}
}
