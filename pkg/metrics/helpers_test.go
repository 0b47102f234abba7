package metrics

import (
	"context"
	_ "embed"
	"math"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/platformlens/platformlens-analytics-app/internal/testdb"
	"github.com/platformlens/platformlens-analytics-app/pkg/store"
)

//go:embed testdata/fixture.sql
var fixtureSQL string

// The fixture's week: Monday 2024-01-01 to Monday 2024-01-08 (UTC).
var (
	weekFrom = time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	weekTo   = time.Date(2024, 1, 8, 0, 0, 0, 0, time.UTC)
)

type fixtureDB struct {
	st     *store.Store
	engine *Engine
}

// newFixture creates a migrated database with testdata/fixture.sql loaded and rollups refreshed.
func newFixture(t *testing.T) *fixtureDB {
	t.Helper()
	st := loadedStore(t, fixtureSQL)
	return &fixtureDB{st: st, engine: NewEngine(st)}
}

// loadedStore migrates a fresh database, runs the fixture SQL and refreshes the rollups over
// 2020–2027 (every fixture's years), so long ranges served from rollups see the same rows as raw
// ones. Every metric test's database comes from here.
func loadedStore(t *testing.T, fixture string) *store.Store {
	t.Helper()
	return loadedStoreUpTo(t, fixture, time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC))
}

// loadedStoreUpTo is loadedStore with the rollups refreshed from 2020 up to refreshTo only
// (continuous aggregates then answer newer buckets in real time).
func loadedStoreUpTo(t *testing.T, fixture string, refreshTo time.Time) *store.Store {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	db := testdb.New(t)
	st, err := store.Open(ctx, store.ConfigFromDSN(db.DSN, ""))
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(st.Close)
	if _, err := st.Migrate(ctx); err != nil {
		t.Fatalf("migrate: %v", err)
	}
	if _, err := st.Pool().Exec(ctx, fixture); err != nil {
		t.Fatalf("load fixture: %v", err)
	}
	if err := st.RefreshRollups(ctx, time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC), refreshTo); err != nil {
		t.Fatalf("refresh rollups: %v", err)
	}
	return st
}

// query parses raw over [from, to) like the datasource does and runs it.
func (f *fixtureDB) query(t *testing.T, raw string, from, to time.Time) data.Frames {
	t.Helper()
	frames, err := f.tryQuery(raw, from, to)
	if err != nil {
		t.Fatalf("query %s: %v", raw, err)
	}
	return frames
}

func (f *fixtureDB) tryQuery(raw string, from, to time.Time) (data.Frames, error) {
	q, err := ParseQuery([]byte(raw), backend.TimeRange{From: from, To: to}, 0, 0)
	if err != nil {
		return nil, err
	}
	return f.engine.Run(context.Background(), q)
}

// tableValue returns the value column of the one row whose group column equals group ("" when
// ungrouped: the table must have exactly one row). A second matching row fails the test: reading
// the first of several would hide duplicated or unaggregated rows.
func tableValue(t *testing.T, frames data.Frames, column, group string) *float64 {
	t.Helper()
	if len(frames) != 1 {
		t.Fatalf("want 1 table frame, got %d", len(frames))
	}
	f := frames[0]
	vf, _ := f.FieldByName(column)
	if vf == nil {
		t.Fatalf("frame %s has no column %q (notices %v)", f.Name, column, noticesOf(f))
	}
	if group == "" && f.Rows() != 1 {
		t.Fatalf("ungrouped table %s has %d rows; want exactly 1", f.Name, f.Rows())
	}
	var found *float64
	n := 0
	for i := 0; i < f.Rows(); i++ {
		if group != "" && f.Fields[0].At(i).(string) != group {
			continue
		}
		found = vf.At(i).(*float64)
		n++
	}
	if n != 1 {
		t.Fatalf("table %s has %d rows for group %q; want exactly 1", f.Name, n, group)
	}
	return found
}

func noticesOf(f *data.Frame) []data.Notice {
	if f.Meta == nil {
		return nil
	}
	return f.Meta.Notices
}

// seriesValues returns the values of the time series frame whose labels match want.
func seriesValues(t *testing.T, frames data.Frames, want data.Labels) []*float64 {
	t.Helper()
	for _, f := range frames {
		if len(f.Fields) != 2 {
			continue
		}
		if f.Fields[1].Labels.String() == want.String() {
			out := make([]*float64, f.Rows())
			for i := range out {
				out[i] = f.Fields[1].At(i).(*float64)
			}
			return out
		}
	}
	t.Fatalf("no series with labels %v", want)
	return nil
}

const eps = 1e-9

func near(a, b, tol float64) bool { return math.Abs(a-b) <= tol }

// wantValue fails unless got is b within eps (or nil when b is NaN).
func wantValue(t *testing.T, name string, got *float64, b float64) {
	t.Helper()
	if math.IsNaN(b) {
		if got != nil {
			t.Errorf("%s = %v, want null", name, *got)
		}
		return
	}
	if got == nil {
		t.Errorf("%s = null, want %v", name, b)
		return
	}
	if !near(*got, b, 1e-6) {
		t.Errorf("%s = %.9f, want %.9f", name, *got, b)
	}
}

func wantSeries(t *testing.T, name string, got []*float64, want []float64) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s has %d points, want %d", name, len(got), len(want))
	}
	for i := range want {
		wantValue(t, name+"["+time.Duration(i).String()+"]", got[i], want[i])
	}
}

var null = math.NaN()
