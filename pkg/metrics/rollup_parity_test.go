package metrics

import (
	"context"
	_ "embed"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/platformlens/platformlens-analytics-app/pkg/store"
)

//go:embed testdata/fixture_rollup_parity.sql
var rollupParitySQL string

// parityCase is one family of metric queries whose rollup path reads a rollup.
type parityCase struct {
	queries []string // query JSON fragments ("metric": … plus options)
	tol     float64  // relative tolerance against the raw path (histogram percentiles: 2 %)
}

// rollupParity is the explicit map rollup → parity test: every rollup the migrations create
// (store.Rollups()) must have an entry (TestEveryRollupHasParityTest), and TestRollupParity runs
// each entry's queries through the rollup path and through raw rows only, on the boundary
// fixture, and requires equal answers and that the rollup path really read that rollup.
//
// A rollup no metric reads (product_events_daily: funnels follow subjects through raw events)
// has no metric queries; its entry is checked through the same rollupUnion shape a metric would
// use (TestRollupParity/product_events_daily), and TestEveryRollupHasParityTest fails if metric
// code starts reading it without metric queries here.
var rollupParity = map[string]parityCase{
	"builds_daily":                 {queries: buildsParity, tol: 1e-9},
	"builds_hourly":                {queries: buildsParity, tol: 1e-9},
	"deployments_daily":            {queries: deploymentsParity, tol: 1e-9},
	"deployments_hourly":           {queries: deploymentsParity, tol: 1e-9},
	"platform_probes_daily":        {queries: probesParity, tol: 1e-9},
	"platform_probes_hourly":       {queries: probesParity, tol: 1e-9},
	"build_duration_hist_daily":    {queries: []string{`"metric":"build_duration","stat":"p50"`, `"metric":"build_duration","stat":"p95"`, `"metric":"build_duration","stat":"p99"`}, tol: 0.02},
	"platform_response_hist_daily": {queries: []string{`"metric":"platform_response_p95"`}, tol: 0.02},
	"product_events_daily":         {},
}

var (
	buildsParity      = []string{`"metric":"builds"`, `"metric":"build_success_rate"`, `"metric":"build_duration","stat":"mean"`}
	deploymentsParity = []string{`"metric":"deployments"`, `"metric":"deployment_frequency"`}
	probesParity      = []string{`"metric":"platform_uptime"`, `"metric":"uptime"`, `"metric":"pipeline_availability"`,
		`"metric":"cloud_dev_env_health"`, `"metric":"platform_error_rate"`}
)

// parityRanges are the windows of TestRollupParity (all ≥ 7 days, so rollups are used): edges
// inside a day and an hour, edges exactly on midnights (no raw edge at all), edges one second
// before a bucket end, and a range whose edges are not on any hour. The fixture has rows exactly
// on every edge and one microsecond either side.
var parityRanges = [][2]time.Time{
	{time.Date(2025, 9, 1, 10, 30, 0, 0, time.UTC), time.Date(2025, 9, 9, 10, 30, 0, 0, time.UTC)},
	{time.Date(2025, 9, 1, 0, 0, 0, 0, time.UTC), time.Date(2025, 9, 8, 0, 0, 0, 0, time.UTC)},
	{time.Date(2025, 9, 1, 10, 29, 59, 0, time.UTC), time.Date(2025, 9, 8, 23, 59, 59, 0, time.UTC)},
	{time.Date(2025, 9, 2, 6, 15, 0, 0, time.UTC), time.Date(2025, 9, 10, 18, 45, 0, 0, time.UTC)},
}

// realTimeWatermark is where the real-time scenario stops materializing continuous aggregates:
// inside every parity range, on a midnight that has rows on and around it.
var realTimeWatermark = time.Date(2025, 9, 5, 0, 0, 0, 0, time.UTC)

// shapesFor returns the query shapes that route to a rollup of the given grain: table and
// day/week series pick the daily rollup, hour series the hourly one.
func shapesFor(name string) []string {
	if strings.HasSuffix(name, "_hourly") {
		return []string{`"interval":"hour"`, `"interval":"hour","groupBy":"%DIM%"`, `"interval":"hour","filters":{"%DIM%":["%VAL%"]}`}
	}
	return []string{`"format":"table"`, `"interval":"day"`, `"interval":"week"`, `"format":"table","groupBy":"%DIM%"`,
		`"interval":"day","filters":{"%DIM%":["%VAL%"]}`}
}

// parityDim is a dimension every metric of the rollup's source has, and a fixture value of it.
func parityDim(name string) (string, string) {
	switch {
	case strings.HasPrefix(name, "platform_"):
		return "platform", "github"
	case strings.HasPrefix(name, "deployments"):
		return "team", "payments"
	default:
		return "tech_stack", "go"
	}
}

// TestEveryRollupHasParityTest fails when the migrations create a rollup that rollupParity does
// not name, when rollupParity names one that no longer exists, and when metric code reads a
// rollup whose entry has no metric queries (its answers would go unchecked).
func TestEveryRollupHasParityTest(t *testing.T) {
	names := store.Rollups()
	if len(names) == 0 {
		t.Fatal("store.Rollups() is empty: the migrations could not be read")
	}
	for _, n := range names {
		if _, ok := rollupParity[n]; !ok {
			t.Errorf("rollup %s has no parity test: add it to rollupParity (rollup_parity_test.go) with the metric queries that read it", n)
		}
	}
	for n := range rollupParity {
		if !slices.Contains(names, n) {
			t.Errorf("rollupParity names %s, which the migrations do not create", n)
		}
	}
	src := metricSources(t)
	for _, n := range names {
		if len(rollupParity[n].queries) == 0 && strings.Contains(src, n) {
			t.Errorf("metric code reads %s but rollupParity has no metric queries for it", n)
		}
		if len(rollupParity[n].queries) > 0 && !strings.Contains(src, n) {
			t.Errorf("rollupParity lists metric queries for %s, which no metric code reads", n)
		}
	}
}

// metricSources is the text of the package's non-test Go files.
func metricSources(t *testing.T) string {
	t.Helper()
	entries, err := os.ReadDir(".")
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), ".go") || strings.HasSuffix(e.Name(), "_test.go") {
			continue
		}
		text, err := os.ReadFile(e.Name())
		if err != nil {
			t.Fatal(err)
		}
		b.Write(text)
	}
	return b.String()
}

// TestRollupParity: for every rollup, its metric queries answer the same through the rollup
// path as through raw rows only, on testdata/fixture_rollup_parity.sql (rows exactly on every
// bucket end, on the rollup/raw seams and on the window edges, and a microsecond either side),
// over ranges with partial, exact and odd edges, ungrouped, grouped and filtered. Scenarios:
// "materialized" (every rollup refreshed over the fixture) in every store mode, and where the
// rollups are continuous aggregates also "real-time" (materialized only up to a midnight inside
// the ranges: the newer buckets come from TimescaleDB's real-time union).
func TestRollupParity(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	scenarios := []struct {
		name      string
		refreshTo time.Time
	}{{"materialized", time.Date(2025, 9, 20, 0, 0, 0, 0, time.UTC)}, {"real-time", realTimeWatermark}}
	for _, sc := range scenarios {
		t.Run(sc.name, func(t *testing.T) {
			st := parityStore(t, ctx, sc.refreshTo)
			caggs := hasContinuousAggregates(t, ctx, st)
			if sc.name == "real-time" {
				if !caggs {
					// Plain tables are only ever read after refresh_rollups (the write path refreshes
					// what it wrote); there is no real-time union to check.
					t.Logf("rollups are plain tables in this store mode: no real-time scenario")
					return
				}
				checkWatermark(t, ctx, st)
			}
			// Engines on the pool itself (not on a store: its read-only transactions would bypass
			// the recorders), so the test sees every statement each path ran.
			mode, err := st.Mode(ctx)
			if err != nil {
				t.Fatal(err)
			}
			rec := &recordingDB{Querier: st.Pool()}
			rollupEng := NewEngineWith(rec, mode.Mode)
			rawRec := &recordingDB{Querier: st.Pool()}
			rawEng := NewEngineWith(rawRec, mode.Mode)
			rawEng.rawOnly = true
			for _, name := range store.Rollups() {
				pc := rollupParity[name]
				t.Run(name, func(t *testing.T) {
					if len(pc.queries) == 0 {
						checkUnreadRollup(t, ctx, st, name)
						return
					}
					dim, val := parityDim(name)
					for _, q := range pc.queries {
						for _, shape := range shapesFor(name) {
							shape = strings.NewReplacer("%DIM%", dim, "%VAL%", val).Replace(shape)
							for _, r := range parityRanges {
								rec.calls, rawRec.calls = nil, nil
								query := `{` + q + `,` + shape + `}`
								compareEngines(t, rollupEng, rawEng, query, r[0], r[1], pc.tol)
								if !readsTable(rec.calls, name) {
									t.Errorf("%s over %v – %v: the rollup path did not read %s", query, r[0], r[1], name)
								}
								for _, other := range store.Rollups() {
									if readsTable(rawRec.calls, other) {
										t.Errorf("%s: the raw path read %s", query, other)
									}
								}
							}
						}
					}
				})
			}
		})
	}
}

// parityStore is a migrated database with the parity fixture, its rollups refreshed from before
// the fixture up to refreshTo.
func parityStore(t *testing.T, ctx context.Context, refreshTo time.Time) *store.Store {
	t.Helper()
	st := loadedStoreUpTo(t, rollupParitySQL, refreshTo)
	return st
}

func hasContinuousAggregates(t *testing.T, ctx context.Context, st *store.Store) bool {
	t.Helper()
	info, err := st.Mode(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return info.Mode.HasContinuousAggregates()
}

// checkWatermark makes sure the real-time scenario is one: every continuous aggregate is
// materialized exactly up to realTimeWatermark and answers newer buckets in real time.
func checkWatermark(t *testing.T, ctx context.Context, st *store.Store) {
	t.Helper()
	for _, name := range store.Rollups() {
		var wm time.Time
		var matOnly bool
		err := st.Pool().QueryRow(ctx, `SELECT _timescaledb_functions.to_timestamp(
				_timescaledb_functions.cagg_watermark(c.mat_hypertable_id)), a.materialized_only
			FROM _timescaledb_catalog.continuous_agg c
			JOIN timescaledb_information.continuous_aggregates a ON a.view_schema = c.user_view_schema AND a.view_name = c.user_view_name
			WHERE c.user_view_schema = $1 AND c.user_view_name = $2`, st.Schema(), name).Scan(&wm, &matOnly)
		if err != nil {
			t.Fatalf("watermark of %s: %v", name, err)
		}
		if !wm.Equal(realTimeWatermark) || matOnly {
			t.Fatalf("%s: watermark %v (want %v), materialized_only %v: the real-time scenario would not test the real-time union",
				name, wm, realTimeWatermark, matOnly)
		}
	}
}

// checkUnreadRollup checks a rollup no metric reads through the row-source shape a metric would
// use (rollupUnion: rollup rows for the grain-aligned middle, raw rows at the edges): per day and
// per value of its one dimension, the sum of its count column over each parity range equals the
// raw count.
func checkUnreadRollup(t *testing.T, ctx context.Context, st *store.Store, name string) {
	t.Helper()
	if name != "product_events_daily" {
		t.Fatalf("%s: no metric queries and no hand-written check: add one", name)
	}
	src := rollupUnion(name, "event, events", "product_events", "occurred_at", "event, 1::bigint", "")
	const rawSrc = "SELECT occurred_at AS ts, event, 1::bigint AS events FROM product_events"
	agg := func(src string) string {
		return `SELECT date_trunc('day', s.ts AT TIME ZONE 'UTC') AS d, s.event, sum(s.events)::bigint AS n
			FROM (` + src + `) s WHERE s.ts >= @from AND s.ts < @to GROUP BY 1, 2`
	}
	for _, r := range parityRanges {
		midFrom, midTo := r[0].Truncate(day), r[1].Truncate(day)
		if midFrom.Before(r[0]) {
			midFrom = midFrom.Add(day)
		}
		args := pgx.NamedArgs{"from": r[0], "to": r[1], "mid_from": midFrom, "mid_to": midTo}
		var onlyRollup, onlyRaw, total int
		err := st.Pool().QueryRow(ctx, `SELECT
			(SELECT count(*) FROM (`+agg(src)+` EXCEPT ALL `+agg(rawSrc)+`) a),
			(SELECT count(*) FROM (`+agg(rawSrc)+` EXCEPT ALL `+agg(src)+`) b),
			(SELECT count(*) FROM (`+agg(rawSrc)+`) c)`, args).Scan(&onlyRollup, &onlyRaw, &total)
		if err != nil {
			t.Fatalf("%s over %v – %v: %v", name, r[0], r[1], err)
		}
		if onlyRollup != 0 || onlyRaw != 0 || total == 0 {
			t.Errorf("%s over %v – %v: %d (day, event) sums only via the rollup, %d only raw, %d raw rows", name, r[0], r[1], onlyRollup, onlyRaw, total)
		}
	}
}

// readsTable reports whether one of the recorded statements reads table (as a whole word).
func readsTable(calls []recordedCall, table string) bool {
	for _, c := range calls {
		for _, tok := range strings.FieldsFunc(c.sql, func(r rune) bool {
			return !(r == '_' || r >= 'a' && r <= 'z' || r >= '0' && r <= '9')
		}) {
			if tok == table {
				return true
			}
		}
	}
	return false
}
