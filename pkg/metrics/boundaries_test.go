package metrics

import (
	"context"
	_ "embed"
	"strings"
	"testing"
	"time"
)

//go:embed testdata/fixture_boundaries.sql
var boundariesSQL string

// Boundary tests: each one fails when the comparison it pins is off by one (> vs >=, a window
// scaled, a join condition dropped); the mutations they were checked against are named.

// newBoundaries loads testdata/fixture_boundaries.sql with the attribution window pinned to 2 h.
func newBoundaries(t *testing.T) *fixtureDB {
	t.Helper()
	st := loadedStore(t, boundariesSQL)
	if _, err := st.Pool().Exec(context.Background(),
		`UPDATE settings SET value = '2' WHERE key = 'incident_attribution_window_hours'`); err != nil {
		t.Fatal(err)
	}
	return &fixtureDB{st: st, engine: NewEngine(st)}
}

func TestBoundaries(t *testing.T) {
	f := newBoundaries(t)
	day := func(d, h, m int) time.Time { return time.Date(2025, 6, d, h, m, 0, 0, time.UTC) }

	// An incident resolved exactly at the instant is no longer active; one opened exactly then is
	// not active yet (mutation: until > at → until >= at).
	t.Run("point in time", func(t *testing.T) {
		frames := f.query(t, `{"metric":"incidents_active","format":"table","filters":{"service":["pit"]}}`, day(2, 0, 0), day(2, 12, 0))
		wantValue(t, "active incidents at 12:00", tableValue(t, frames, "value", ""), 1)
	})

	// Events exactly at the midnights where a 7-day range switches between daily rollups and raw
	// rows are counted once (mutations: bucket >= @mid_from → >, raw >= @mid_to → >).
	t.Run("rollup seam", func(t *testing.T) {
		frames := f.query(t, `{"metric":"builds","format":"table","filters":{"team":["seam-team"]}}`, day(2, 10, 30), day(9, 10, 30))
		if sql := frames[0].Meta.ExecutedQueryString; !strings.Contains(sql, "builds_daily") {
			t.Fatalf("a 7-day range must read the daily rollup, ran:\n%s", sql)
		}
		wantValue(t, "builds over the week", tableValue(t, frames, "value", ""), 5)
	})

	// With incident_attribution_window_hours = 2, only the incident 1.5 h after a deployment is
	// attributed to it (mutation: the window multiplied by 3).
	t.Run("attribution window", func(t *testing.T) {
		frames := f.query(t, `{"metric":"change_failure_rate","format":"table","filters":{"service":["attr"]}}`, day(2, 0, 0), day(9, 0, 0))
		wantValue(t, "change failure rate", tableValue(t, frames, "value", ""), 50)
	})

	// Recovery is the next success in the same environment (mutation: environment ignored).
	t.Run("recovery per environment", func(t *testing.T) {
		frames := f.query(t, `{"metric":"recovery_time","format":"table","filters":{"service":["rt"]}}`, day(2, 0, 0), day(9, 0, 0))
		wantValue(t, "recovery hours", tableValue(t, frames, "value", ""), 5)
	})

	// A success finished at the same instant as the failure is not its recovery: the next
	// success strictly after it is (mutation: window frame up to CURRENT ROW instead of 1 µs before it).
	t.Run("recovery strictly after", func(t *testing.T) {
		frames := f.query(t, `{"metric":"recovery_time","format":"table","filters":{"service":["tie"]}}`, day(2, 0, 0), day(9, 0, 0))
		wantValue(t, "recovery hours", tableValue(t, frames, "value", ""), 2)
	})
}
