package demo_test

import (
	"context"
	"encoding/json"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/platformlens/platformlens-analytics-app/internal/testdb"
	"github.com/platformlens/platformlens-analytics-app/internal/testworld"
	"github.com/platformlens/platformlens-analytics-app/pkg/demo"
	"github.com/platformlens/platformlens-analytics-app/pkg/metrics"
	"github.com/platformlens/platformlens-analytics-app/pkg/store"
)

// liveStart is the fixed "now" the live demo tests start at: a Wednesday afternoon at an even
// hour, so the scripted degradation (minutes 20–30 of even hours) falls inside the run.
var liveStart = time.Date(2026, 11, 18, 14, 0, 0, 0, time.UTC)

// stepClock is a clock the test advances; Live.Run's wait moves it to the requested instant.
type stepClock struct{ now time.Time }

func (c *stepClock) Now() time.Time { return c.now }

func openMigrated(t *testing.T) *store.Store {
	t.Helper()
	ctx := context.Background()
	db := testdb.New(t)
	st, err := store.Open(ctx, store.Config{DSN: db.DSN})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(st.Close)
	if _, err := st.Migrate(ctx); err != nil {
		t.Fatalf("migrate: %v", err)
	}
	return st
}

// runLive runs the live demo through Run from the clock's time until minutes have passed: the
// wait function advances the clock instead of sleeping and cancels when the time is up.
func runLive(t *testing.T, st *store.Store, clock *stepClock, minutes int, check func(now time.Time)) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	end := clock.now.Add(time.Duration(minutes) * time.Minute)
	live := demo.NewLive(st, demo.LiveOptions{Seed: 7, Now: clock.Now})
	steps := 0
	err := live.Run(ctx, func(ctx context.Context, until time.Time) error {
		if check != nil {
			check(clock.now)
		}
		if !until.Before(end) {
			cancel()
			return ctx.Err()
		}
		clock.now = until
		return nil
	}, func(demo.LiveStep) { steps++ })
	if err != nil {
		t.Fatalf("live demo: %v", err)
	}
	if steps < minutes {
		t.Fatalf("live demo made %d steps in %d simulated minutes", steps, minutes)
	}
}

// latestHourPanels returns the queries of the Operations dashboard's "latest hour" panels, with
// the dashboard variables at their "All" value (no filters).
func latestHourPanels(t *testing.T) map[string][]byte {
	t.Helper()
	raw, err := os.ReadFile("../../dashboards/operations.json")
	if err != nil {
		t.Fatal(err)
	}
	var dash struct {
		Panels []struct {
			Title   string           `json:"title"`
			Targets []map[string]any `json:"targets"`
		} `json:"panels"`
	}
	if err := json.Unmarshal(raw, &dash); err != nil {
		t.Fatal(err)
	}
	out := map[string][]byte{}
	for _, p := range dash.Panels {
		if !strings.Contains(strings.ToLower(p.Title), "latest hour") {
			continue
		}
		for _, q := range p.Targets {
			delete(q, "filters")
			delete(q, "datasource")
			b, _ := json.Marshal(q)
			out[p.Title+" "+q["refId"].(string)] = b
		}
	}
	if len(out) < 4 {
		t.Fatalf("found %d latest-hour panel queries in operations.json, want the builds/deployments row", len(out))
	}
	return out
}

// hasValue reports whether any numeric field of the frames has a non-null value.
func hasValue(frames data.Frames) bool {
	for _, f := range frames {
		for _, fld := range f.Fields {
			if fld.Type() == data.FieldTypeTime || fld.Type() == data.FieldTypeNullableTime {
				continue
			}
			for i := range fld.Len() {
				if v, ok := fld.ConcreteAt(i); ok {
					if _, num := v.(float64); num {
						return true
					}
				}
			}
		}
	}
	return false
}

// TestLiveDemoKeepsLatestHourPanels starts from the test world (the year of tier S ending at
// testworld.WeekdayEnd, a copy of the template the dashboard tests use, so no load of its own),
// and from that end (not the package's liveStart) runs the live demo for 70 simulated minutes
// (the loaded data leaves the latest hour), checking every "latest hour" panel of the Operations
// dashboard through the metric engine along the way.
func TestLiveDemoKeepsLatestHourPanels(t *testing.T) {
	ctx := context.Background()
	liveStart := testworld.WeekdayEnd
	st, _ := testworld.DemoStore(t, liveStart)
	panels := latestHourPanels(t)
	eng := metrics.NewEngine(st)
	checkPanels := func(now time.Time) {
		for name, raw := range panels {
			q, err := metrics.ParseQuery(raw, backend.TimeRange{From: now.Add(-time.Hour), To: now}, time.Minute, 500)
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			frames, err := eng.Run(ctx, q)
			if err != nil {
				t.Fatalf("%s at %s: %v", name, now, err)
			}
			if !hasValue(frames) {
				t.Errorf("%s has no data at %s (%d simulated minutes in)", name, now.Format(time.RFC3339), int(now.Sub(liveStart).Minutes()))
			}
		}
	}
	clock := &stepClock{now: liveStart}
	runLive(t, st, clock, 70, func(now time.Time) {
		if int(now.Sub(liveStart).Minutes())%15 == 0 {
			checkPanels(now)
		}
	})
	checkPanels(clock.now)
	// Nothing older than the load remains in the last hour: the data is the live demo's.
	var n int
	if err := st.Pool().QueryRow(ctx, `SELECT count(*) FROM builds WHERE finished_at >= $1 AND external_id NOT LIKE 'live-%'`,
		clock.now.Add(-time.Hour)).Scan(&n); err != nil || n != 0 {
		t.Errorf("latest hour holds %d non-live builds (%v)", n, err)
	}
}

// TestLiveDemoIdempotent writes the same minutes twice (a restarted live demo): the second pass
// stores nothing.
func TestLiveDemoIdempotent(t *testing.T) {
	ctx := context.Background()
	st := openMigrated(t)
	clock := &stepClock{now: liveStart.Add(30 * time.Minute)}
	first, err := demo.NewLive(st, demo.LiveOptions{Seed: 3, Now: clock.Now, MaxCatchUp: 30 * time.Minute}).Step(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if first.Stored == 0 || !first.From.Equal(liveStart) {
		t.Fatalf("first step = %+v, want rows from %s", first, liveStart)
	}
	if !first.Degraded {
		// minute 29 is inside the scripted degradation (20–30)
		t.Errorf("step ending at minute 30 is not marked degraded: %+v", first)
	}
	again, err := demo.NewLive(st, demo.LiveOptions{Seed: 3, Now: clock.Now, MaxCatchUp: 30 * time.Minute}).Step(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if again.Stored != 0 {
		t.Errorf("rewriting the same minutes stored %d rows, want 0", again.Stored)
	}
	var down, incidents int
	if err := st.Pool().QueryRow(ctx, `SELECT (SELECT count(*) FROM platform_probes WHERE status = 'down'),
		(SELECT count(*) FROM incidents WHERE severity = 'p1' AND resolved_at IS NOT NULL)`).Scan(&down, &incidents); err != nil {
		t.Fatal(err)
	}
	if down != 10 || incidents != 1 {
		t.Errorf("scripted degradation wrote %d down probes and %d resolved p1 incidents, want 10 and 1", down, incidents)
	}
}
