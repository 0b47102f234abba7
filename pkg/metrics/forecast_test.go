package metrics

import (
	"context"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"
)

// seriesFixtureSQL writes 60 days of deployments from Monday 2024-01-01:
//   - team-a: 10 + d mod 3 per day (10, 11, 12, …) except day 20 (15), 30 (40), 40 (16) and
//     50 (0): the anomalies of anomaly_test.go;
//   - team-b: 2 + d per day, a straight line the forecast must continue exactly.
const seriesFixtureSQL = `
INSERT INTO deployments (finished_at, started_at, service, team, product_line, tech_stack, environment,
  status, duration_seconds, is_production, first_commit_at, source, external_id)
SELECT x.day + interval '1 hour' + i * interval '1 second', x.day, 'svc', c.team, 'pl', 'go', 'prod',
  'success', 60, true, x.day, 'fx', c.team || '-' || d || '-' || i
FROM generate_series(0, 59) d
CROSS JOIN LATERAL (SELECT timestamptz '2024-01-01 00:00+00' + d * interval '1 day' AS day) x
CROSS JOIN LATERAL (VALUES
  ('team-a', CASE d WHEN 20 THEN 15 WHEN 30 THEN 40 WHEN 40 THEN 16 WHEN 50 THEN 0 ELSE 10 + d % 3 END),
  ('team-b', 2 + d)) c(team, n)
CROSS JOIN LATERAL generate_series(1, c.n) i;`

var (
	seriesFrom = time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	seriesTo   = time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC)
)

// seriesEngine loads seriesFixtureSQL and refreshes the rollups the deployments metric reads.
func seriesEngine(t *testing.T) *Engine {
	t.Helper()
	e := analyticsEngine(t, seriesFixtureSQL)
	var done any
	if err := e.db.QueryRow(context.Background(), "SELECT refresh_rollups($1, $2)", seriesFrom, seriesTo).Scan(&done); err != nil {
		t.Fatalf("refresh rollups: %v", err)
	}
	return e
}

func runSeriesJSON(t *testing.T, e *Engine, raw string, from, to time.Time) (data.Frames, error) {
	t.Helper()
	q, err := ParseQuery([]byte(raw), backend.TimeRange{From: from, To: to}, 0, 0)
	if err != nil {
		return nil, err
	}
	return e.Run(context.Background(), q)
}

func floatAt(t *testing.T, f *data.Frame, name string, i int) *float64 {
	t.Helper()
	return col(t, f, name).At(i).(*float64)
}

func TestForecastMetric(t *testing.T) {
	e := seriesEngine(t)

	t.Run("daily linear", func(t *testing.T) {
		frames, err := runSeriesJSON(t, e, `{"metric":"forecast","baseMetric":"deployments","filters":{"team":["team-b"]},"interval":"day","horizon":30}`, seriesFrom, seriesTo)
		if err != nil {
			t.Fatal(err)
		}
		if len(frames) != 1 {
			t.Fatalf("want 1 frame, got %d", len(frames))
		}
		f := frames[0]
		// 60 actual days + 30 forecast days; day d (from 2024-01-01) is 2 + d.
		if f.Rows() != 90 {
			t.Fatalf("want 90 rows, got %d", f.Rows())
		}
		wantValue(t, "actual day 59", floatAt(t, f, "actual", 59), 61)
		wantValue(t, "actual in the future", floatAt(t, f, "actual", 60), math.NaN())
		wantValue(t, "forecast before the last actual", floatAt(t, f, "forecast", 58), math.NaN())
		wantValue(t, "forecast joins the last actual", floatAt(t, f, "forecast", 59), 61)
		for _, d := range []int{60, 75, 89} {
			for _, name := range []string{"forecast", "lower_80", "upper_80", "lower_95", "upper_95"} {
				wantValue(t, name, floatAt(t, f, name, d), float64(2+d)) // exact, zero-wide band
			}
		}
		if got := col(t, f, "time").At(89).(time.Time); !got.Equal(time.Date(2024, 3, 30, 0, 0, 0, 0, time.UTC)) {
			t.Errorf("last forecast time = %v, want 2024-03-30", got)
		}
		if got := f.Meta.Custom.(map[string]any); got["model"] != "Holt-Winters additive (season 7)" || got["mape"].(float64) > 1e-9 {
			t.Errorf("meta = %v, want Holt-Winters and MAPE 0", got)
		}
	})

	t.Run("weekly table", func(t *testing.T) {
		// Complete weeks: the 8 starting 01-01 … 02-19 (the week of 02-26 ends after the range).
		// Week w sums days 7w … 7w+6: 7·2 + 49w + 21 = 35 + 49w, a line Holt continues exactly.
		// Horizon 30 days = 5 weeks: week 12 (starting 2024-03-25) = 35 + 588 = 623.
		frames, err := runSeriesJSON(t, e, `{"metric":"forecast","baseMetric":"deployments","groupBy":"team","interval":"week","horizon":30,"format":"table"}`, seriesFrom, seriesTo)
		if err != nil {
			t.Fatal(err)
		}
		f := frames[0]
		r := rowOf(t, f, "team", "team-b")
		wantStr(t, f, r, "model", "Holt linear trend")
		wantNum(t, f, r, "last_actual", fptr(35+49*7))
		wantNum(t, f, r, "forecast", fptr(623))
		wantNum(t, f, r, "lower_95", fptr(623))
		wantNum(t, f, r, "mape", fptr(0))
		if got := col(t, f, "horizon_end").At(r).(time.Time); !got.Equal(time.Date(2024, 3, 25, 0, 0, 0, 0, time.UTC)) {
			t.Errorf("horizon end = %v, want 2024-03-25", got)
		}
		rowOf(t, f, "team", "team-a") // team-a is forecast too (its numbers are not exact)
	})

	t.Run("too few points and errors", func(t *testing.T) {
		frames, err := runSeriesJSON(t, e, `{"metric":"forecast","baseMetric":"deployments","interval":"day"}`, seriesFrom, seriesFrom.AddDate(0, 0, 5))
		if err != nil || len(frames[0].Fields) != 0 || !strings.Contains(noticesOf(frames[0])[0].Text, "fewer than the 8") {
			t.Errorf("5 days: want an empty frame with a notice, got %v %v", frames, err)
		}
		for raw, want := range map[string]string{
			`{"metric":"forecast"}`:                                                         "needs a base metric",
			`{"metric":"forecast","baseMetric":"funnel_steps"}`:                             "not a numeric time-series metric",
			`{"metric":"forecast","baseMetric":"deployments","horizon":45}`:                 "use 30, 60 or 90",
			`{"metric":"forecast","baseMetric":"deployments","filters":{"platform":["x"]}}`: "not available for base metric",
		} {
			if _, err := runSeriesJSON(t, e, raw, seriesFrom, seriesTo); err == nil || !strings.Contains(err.Error(), want) || !backend.IsDownstreamError(err) {
				t.Errorf("%s: want a downstream error containing %q, got %v", raw, want, err)
			}
		}
	})
}
