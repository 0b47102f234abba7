package metrics

import (
	"context"
	"math"
	"os"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"
)

// tablesFixture migrates a fresh database, loads testdata/fixture_tables.sql and refreshes the
// rollups over the fixture's years, so long ranges (served from rollups) see the same rows.
func tablesFixture(t *testing.T) *Engine {
	t.Helper()
	fixture, err := os.ReadFile("testdata/fixture_tables.sql")
	if err != nil {
		t.Fatal(err)
	}
	return NewEngine(loadedStore(t, string(fixture)))
}

// day0 is the fixture's reference day: most tables are queried over [day0, day0 + 2 days).
var day0 = time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC)

func tableQuery(metric string, from, to time.Time) Query {
	return Query{Metric: metric, Format: FormatTable, From: from, To: to, Filters: map[string][]string{}, Bucket: step("1d")}
}

func runTableQuery(t *testing.T, e *Engine, q Query) data.Frames {
	t.Helper()
	frames, err := e.Run(context.Background(), q)
	if err != nil {
		t.Fatalf("%s: %v", q.Metric, err)
	}
	if len(frames) == 0 {
		t.Fatalf("%s: no frames", q.Metric)
	}
	return frames
}

// col returns the field called name, failing the test when it is missing.
func col(t *testing.T, f *data.Frame, name string) *data.Field {
	t.Helper()
	for _, fld := range f.Fields {
		if fld.Name == name {
			return fld
		}
	}
	t.Fatalf("frame %s has no column %q", f.Name, name)
	return nil
}

// rowOf returns the index of the row whose column key equals value.
func rowOf(t *testing.T, f *data.Frame, key, value string) int {
	t.Helper()
	fld := col(t, f, key)
	for i := 0; i < fld.Len(); i++ {
		if fld.At(i).(string) == value {
			return i
		}
	}
	t.Fatalf("frame %s has no row with %s = %q", f.Name, key, value)
	return -1
}

// wantNum checks a numeric cell (nil want = NULL) to 1e-9 relative precision.
func wantNum(t *testing.T, f *data.Frame, row int, name string, want *float64) {
	t.Helper()
	got := col(t, f, name).At(row).(*float64)
	switch {
	case want == nil && got != nil:
		t.Errorf("%s row %d %s = %v, want NULL", f.Name, row, name, *got)
	case want != nil && got == nil:
		t.Errorf("%s row %d %s = NULL, want %v", f.Name, row, name, *want)
	case want != nil && math.Abs(*got-*want) > 1e-9*math.Max(1, math.Abs(*want)):
		t.Errorf("%s row %d %s = %v, want %v", f.Name, row, name, *got, *want)
	}
}

func wantStr(t *testing.T, f *data.Frame, row int, name, want string) {
	t.Helper()
	if got := col(t, f, name).At(row).(string); got != want {
		t.Errorf("%s row %d %s = %q, want %q", f.Name, row, name, got, want)
	}
}

func TestTableMetrics(t *testing.T) {
	e := tablesFixture(t)
	for name, fn := range tableTests {
		t.Run(name, func(t *testing.T) { fn(t, e) })
	}
}

// tableTests are registered by the table_*_test.go files, so every composite shares one fixture
// database (migrating one per metric would cost more than the tests).
var tableTests = map[string]func(t *testing.T, e *Engine){}
