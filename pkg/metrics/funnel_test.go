package metrics

import (
	"context"
	_ "embed"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"
)

//go:embed testdata/fixture_funnels.sql
var fixtureFunnelsSQL string

// analyticsEngine returns an engine over a fresh database loaded with setup.
func analyticsEngine(t *testing.T, setup string) *Engine {
	t.Helper()
	return NewEngine(loadedStore(t, setup))
}

// The range of the funnel tests: one week, every subject of the fixture enters inside it.
var (
	funnelFrom = time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC)
	funnelTo   = time.Date(2024, 3, 8, 0, 0, 0, 0, time.UTC)
)

func runJSON(t *testing.T, ctx context.Context, e *Engine, raw string) data.Frames {
	t.Helper()
	q, err := ParseQuery([]byte(raw), backend.TimeRange{From: funnelFrom, To: funnelTo}, 0, 0)
	if err != nil {
		t.Fatalf("parse %s: %v", raw, err)
	}
	frames, err := e.Run(ctx, q)
	if err != nil {
		t.Fatalf("run %s: %v", raw, err)
	}
	return frames
}

func TestFunnels(t *testing.T) {
	e := analyticsEngine(t, fixtureFunnelsSQL)
	ctx := context.Background()
	nan := math.NaN()

	t.Run("steps", func(t *testing.T) {
		// Entered (first A in range): u1 u2 u3 u4 u5 u6 u8 u9 u10 = 9 (u7's only A is before the range).
		// Reached B: u1 u2 u4 u6 u8 u9 u10 = 7 (u3's B precedes A, u5's B is 25 h > 1 day after A).
		// Reached C: u1 u6 u9 u10 = 4 (u2's C precedes B, u4's C is 25 h after its FIRST A).
		// Hours A->B: 1, 2, 23, 0.5, 2, 3, 1 -> sorted 0.5 1 1 2 2 3 23 -> median 2.
		// Hours B->C: 2, 1.5, 1, 1 -> sorted 1 1 1.5 2 -> median (1+1.5)/2 = 1.25.
		f := runJSON(t, ctx, e, `{"metric":"funnel_steps","funnel":"signup","format":"table"}`)[0]
		if f.Rows() != 3 {
			t.Fatalf("want 3 rows, got %d", f.Rows())
		}
		wantStr(t, f, 1, "step_name", "B")
		if got := col(t, f, "step").At(2).(int64); got != 3 {
			t.Errorf("row 2 step = %d, want 3", got)
		}
		want := [][5]float64{
			// subjects, from previous, from first, drop-off, median hours from previous
			{9, 100, 100, 0, nan},
			{7, 100 * 7.0 / 9, 100 * 7.0 / 9, 100 - 100*7.0/9, 2},
			{4, 100 * 4.0 / 7, 100 * 4.0 / 9, 100 - 100*4.0/7, 1.25},
		}
		cols := []string{"subjects", "conversion_from_previous", "conversion_from_first", "drop_off", "median_hours_from_previous"}
		for r, row := range want {
			for c, v := range row {
				wantValue(t, cols[c]+" step "+string(rune('1'+r)), col(t, f, cols[c]).At(r).(*float64), v)
			}
		}
	})

	t.Run("breakdown", func(t *testing.T) {
		// plan of the entry event: pro = u1 u4 u6 u9 (u4's first A is pro, its second free);
		// free = u2 u3 u8 u10 (u8 enters at its in-range A, which is free); (none) = u5.
		// pro: 4 -> B 4 (u1 u4 u6 u9) -> C 3 (u1 u6 u9); A->B 1 23 0.5 3 -> median 2; B->C 2 1.5 1 -> 1.5.
		// free: 4 -> B 3 (u2 u8 u10) -> C 1 (u10); A->B 2 2 1 -> 2; B->C 1.
		// (none): 1 -> 0 -> 0; conversion of step 3 from step 2 is undefined (0 of 0).
		f := runJSON(t, ctx, e, `{"metric":"funnel_steps","funnel":"signup","breakdown":"plan","format":"table"}`)[0]
		if f.Rows() != 9 {
			t.Fatalf("want 9 rows (3 values x 3 steps), got %d", f.Rows())
		}
		groups := col(t, f, "breakdown")
		want := map[string][][3]float64{ // subjects, from previous, median hours
			"pro":    {{4, 100, nan}, {4, 100, 2}, {3, 75, 1.5}},
			"free":   {{4, 100, nan}, {3, 75, 2}, {1, 100.0 / 3, 1}},
			"(none)": {{1, 100, nan}, {0, 0, nan}, {0, nan, nan}},
		}
		seen := map[string]int{}
		for r := 0; r < f.Rows(); r++ {
			g := groups.At(r).(string)
			i := seen[g]
			seen[g]++
			w, ok := want[g]
			if !ok {
				t.Fatalf("unexpected breakdown value %q", g)
			}
			wantValue(t, g+" subjects", col(t, f, "subjects").At(r).(*float64), w[i][0])
			wantValue(t, g+" from previous", col(t, f, "conversion_from_previous").At(r).(*float64), w[i][1])
			wantValue(t, g+" median", col(t, f, "median_hours_from_previous").At(r).(*float64), w[i][2])
		}
		// Largest groups first: pro and free (4 entries each, by name: free, pro), then (none).
		if g := groups.At(0).(string); g != "free" {
			t.Errorf("first breakdown value = %q, want free", g)
		}
	})

	t.Run("conversion", func(t *testing.T) {
		// Overall 4 of 9. Per entry day: 03-01 u1 yes u2 no = 50; 03-02 u3 u4 = 0; 03-03 u5 = 0;
		// 03-04 u6 = 100; 03-05 u8 = 0; 03-06 u10 = 100; 03-07 u9 = 100 (its B and C fall after
		// the range end but inside the window).
		tbl := runJSON(t, ctx, e, `{"metric":"funnel_conversion","funnel":"signup","format":"table"}`)
		wantValue(t, "overall conversion", tableValue(t, tbl, "value", ""), 100*4.0/9)
		ts := runJSON(t, ctx, e, `{"metric":"funnel_conversion","filters":{"funnel":["signup"]},"interval":"day"}`)
		got := seriesValues(t, ts, nil)
		want := []float64{50, 0, 0, 100, 0, 100, 100}
		if len(got) != len(want) {
			t.Fatalf("want %d days, got %d", len(want), len(got))
		}
		for i, w := range want {
			wantValue(t, "day "+string(rune('1'+i)), got[i], w)
		}
		// Grouped by funnel without a selection: every funnel. trial (A -> C within 7 days):
		// u1 u2 u3 u4 u6 u9 u10 have a C after their entry = 7 of 9.
		grp := runJSON(t, ctx, e, `{"metric":"funnel_conversion","groupBy":"funnel","format":"table"}`)
		wantValue(t, "signup", tableValue(t, grp, "value", "signup"), 100*4.0/9)
		wantValue(t, "trial", tableValue(t, grp, "value", "trial"), 100*7.0/9)
	})

	t.Run("time to convert", func(t *testing.T) {
		// Converted: u1 3 h, u6 2 h, u9 4 h, u10 2 h -> sorted 2 2 3 4 -> median 2.5 h.
		tbl := runJSON(t, ctx, e, `{"metric":"funnel_time_to_convert","funnel":"signup","format":"table"}`)
		wantValue(t, "time to convert", tableValue(t, tbl, "value", ""), 2.5)
	})

	t.Run("errors and empty", func(t *testing.T) {
		q, err := ParseQuery([]byte(`{"metric":"funnel_steps","funnel":"nope","format":"table"}`), backend.TimeRange{From: funnelFrom, To: funnelTo}, 0, 0)
		if err != nil {
			t.Fatal(err)
		}
		_, err = e.Run(ctx, q)
		if err == nil || !strings.Contains(err.Error(), "signup, trial") || !backend.IsDownstreamError(err) {
			t.Errorf("unknown funnel: want a downstream error listing signup, trial; got %v", err)
		}
		// No funnel selected (Grafana's "All"): every funnel, with a funnel column.
		q.Funnel = ""
		frames, err := e.Run(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		if f := frames[0]; f.Rows() != 5 || col(t, f, "funnel").At(4).(string) != "trial" {
			t.Errorf("all funnels: want 3 signup + 2 trial rows, got %d", f.Rows())
		}
		q.Funnel, q.From, q.To = "signup", funnelFrom.AddDate(1, 0, 0), funnelTo.AddDate(1, 0, 0)
		frames, err = e.Run(ctx, q)
		if err != nil || len(frames) != 1 || len(frames[0].Fields) != 0 || len(noticesOf(frames[0])) == 0 {
			t.Errorf("no entries: want an empty frame with a notice, got %v %v", frames, err)
		}
	})
}
