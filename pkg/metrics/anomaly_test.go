package metrics

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"

	"github.com/platformlens/platformlens-analytics-app/pkg/metrics/stats"
)

func TestAnomalyMath(t *testing.T) {
	// Window 10 11 12 10 11 12 10: median 11, |dev| 1 0 1 1 0 1 1 -> MAD 1.
	y := []float64{10, 11, 12, 10, 11, 12, 10, 14, 11}
	ev := stats.EvaluateAnomalies(y, 3)
	if len(ev) != 2 {
		t.Fatalf("want 2 evaluated points, got %d", len(ev))
	}
	// 14: 3 MADs from 11 -> not beyond k = 3 (the band is inclusive).
	if ev[0].Expected != 11 || ev[0].Score != 3 || ev[0].Severity != "" {
		t.Errorf("point 7 = %+v, want expected 11, score 3, normal", ev[0])
	}
	if ev := stats.EvaluateAnomalies(y, 2); ev[0].Severity != "low" {
		t.Errorf("k=2: score 3 is low (2 < 3 ≤ 3), got %q", ev[0].Severity)
	}
	// Flat window of 5s: MAD 0, mean absolute deviation 0, scale 1 % of 5 = 0.05; 6 is 20 MADs.
	flat := stats.EvaluateAnomalies([]float64{5, 5, 5, 5, 5, 5, 5, 6}, 3)
	if flat[0].Score != 20 || flat[0].Severity != "high" {
		t.Errorf("flat window: %+v, want score 20, high", flat[0])
	}
	for _, c := range []struct {
		score float64
		want  string
	}{{3, ""}, {3.1, "low"}, {4.5, "low"}, {4.6, "medium"}, {6, "medium"}, {6.1, "high"}} {
		if got, _ := stats.SeverityOf(c.score, 3); got != c.want {
			t.Errorf("severity of %v MADs at k=3 = %q, want %q", c.score, got, c.want)
		}
	}
}

func TestAnomaliesMetric(t *testing.T) {
	e := seriesEngine(t)
	day := func(d int) time.Time { return seriesFrom.AddDate(0, 0, d) }
	// The ranges start at day 7: the look-back (AnomalyLookback days before the range) then
	// lies in the fixture's data, and days 0..6, whose windows would reach the zero days before
	// the fixture starts, are outside the answer.
	from := day(stats.AnomalyWindow)

	t.Run("table", func(t *testing.T) {
		// team-a's windows of 10/11/12 have median 11 and MAD 1 (see seriesFixtureSQL):
		// day 20: 15 -> 4 MADs, low; day 30: 40 -> 29, high; day 40: 16 -> 5, medium;
		// day 50: 0 -> 11, high. team-b's line: window median y-4, MAD 2 -> 2 MADs, never anomalous.
		frames, err := runSeriesJSON(t, e, `{"metric":"anomalies","baseMetric":"deployments","groupBy":"team","interval":"day","format":"table"}`, from, seriesTo)
		if err != nil {
			t.Fatal(err)
		}
		f := frames[0]
		want := []struct {
			d        int
			actual   float64
			severity string
		}{{20, 15, "low"}, {30, 40, "high"}, {40, 16, "medium"}, {50, 0, "high"}}
		if f.Rows() != len(want) {
			t.Fatalf("want %d anomalies, got %d", len(want), f.Rows())
		}
		for i, w := range want {
			if got := col(t, f, "time").At(i).(time.Time); !got.Equal(day(w.d)) {
				t.Errorf("row %d time = %v, want day %d", i, got, w.d)
			}
			wantStr(t, f, i, "team", "team-a")
			wantStr(t, f, i, "severity", w.severity)
			wantNum(t, f, i, "expected", fptr(11))
			wantNum(t, f, i, "actual", fptr(w.actual))
			wantNum(t, f, i, "deviation", fptr(w.actual-11))
		}
	})

	t.Run("time series for alerts", func(t *testing.T) {
		frames, err := runSeriesJSON(t, e, `{"metric":"anomalies","baseMetric":"deployments","filters":{"team":["team-a"]},"interval":"day","sensitivity":3}`, from, seriesTo)
		if err != nil {
			t.Fatal(err)
		}
		f := frames[0]
		if f.Rows() != 60-stats.AnomalyWindow {
			t.Fatalf("want %d evaluated days, got %d", 60-stats.AnomalyWindow, f.Rows())
		}
		scores := map[int]float64{20: 1, 30: 3, 40: 2, 50: 3}
		for i := 0; i < f.Rows(); i++ {
			d := i + stats.AnomalyWindow
			wantValue(t, "severity_score", col(t, f, "severity_score").At(i).(*float64), scores[d])
		}
	})

	t.Run("annotations", func(t *testing.T) {
		q, err := ParseQuery([]byte(`{"refId":"anno","metric":"anomalies","baseMetric":"deployments","filters":{"team":["team-a"]},"interval":"day"}`),
			backend.TimeRange{From: from, To: seriesTo}, 0, 0)
		if err != nil {
			t.Fatal(err)
		}
		frames, err := AnomalyAnnotations(context.Background(), e, q)
		if err != nil {
			t.Fatal(err)
		}
		f := frames[0]
		if f.Rows() != 4 || f.RefID != "anno" {
			t.Fatalf("want 4 annotations for refId anno, got %d (%s)", f.Rows(), f.RefID)
		}
		if got := col(t, f, "title").At(1).(string); got != "High anomaly: Deployments" {
			t.Errorf("title = %q", got)
		}
		if got := col(t, f, "text").At(1).(string); !strings.Contains(got, "was 40 (expected 11, 29.0 MADs away)") {
			t.Errorf("text = %q", got)
		}
		if got := col(t, f, "tags").At(0).(string); got != "anomaly,low,deployments" {
			t.Errorf("tags = %q", got)
		}
		if got := col(t, f, "timeEnd").At(0).(time.Time); !got.Equal(day(21)) {
			t.Errorf("timeEnd = %v, want the end of day 20", got)
		}
	})

	t.Run("sensitivity and too few points", func(t *testing.T) {
		// k = 10: only the 29-MAD spike (high beyond 20) and the 11-MAD dip (low) remain.
		frames, err := runSeriesJSON(t, e, `{"metric":"anomalies","baseMetric":"deployments","filters":{"team":["team-a"]},"interval":"day","sensitivity":10,"format":"table"}`, from, seriesTo)
		if err != nil {
			t.Fatal(err)
		}
		if f := frames[0]; f.Rows() != 2 || col(t, f, "severity").At(0).(string) != "high" || col(t, f, "severity").At(1).(string) != "low" {
			t.Errorf("k=10: want high (day 30) and low (day 50), got %d rows", f.Rows())
		}
		// A ratio base metric has no value where nothing happened: a range whose look-back and
		// points hold 5 days of data in all is too short, answered empty with the reason.
		frames, err = runSeriesJSON(t, e, `{"metric":"anomalies","baseMetric":"change_failure_rate","filters":{"team":["team-a"]},"interval":"day"}`, day(-20), day(5))
		if err != nil || len(frames[0].Fields) != 0 || len(noticesOf(frames[0])) == 0 || !strings.Contains(noticesOf(frames[0])[0].Text, "look-back") {
			t.Errorf("5 days of data: want an empty frame with the trailing-window notice, got %v %v", frames, err)
		}
	})
}

// TestAnomaliesLookback: a short range is judged against the intervals before it (AnomalyLookback),
// so its first points have a baseline; points before the range are never answered. The range
// starts exactly on a bucket edge (the bucket starting there is the first answered), and a range
// starting inside a bucket leaves that bucket out, as before.
func TestAnomaliesLookback(t *testing.T) {
	e := seriesEngine(t)
	day := func(d int) time.Time { return seriesFrom.AddDate(0, 0, d) }

	t.Run("day interval, range starts on the spike's bucket edge", func(t *testing.T) {
		// Days 30..35: 6 points, fewer than the 7-point window on their own. Day 30 (40
		// deployments) is 29 MADs from the median 11 of days 23..29, read before the range.
		frames, err := runSeriesJSON(t, e, `{"metric":"anomalies","baseMetric":"deployments","filters":{"team":["team-a"]},"interval":"day"}`, day(30), day(36))
		if err != nil {
			t.Fatal(err)
		}
		f := frames[0]
		if f.Rows() != 6 {
			t.Fatalf("want the 6 days of the range evaluated, got %d rows (notices %v)", f.Rows(), noticesOf(f))
		}
		if got := col(t, f, "time").At(0).(time.Time); !got.Equal(day(30)) {
			t.Errorf("first point = %v, want the range start %v (look-back points are not answered)", got, day(30))
		}
		wantValue(t, "severity_score day 30", col(t, f, "severity_score").At(0).(*float64), 3)
		for i := 1; i < 6; i++ {
			wantValue(t, "severity_score", col(t, f, "severity_score").At(i).(*float64), 0)
		}
		tab, err := runSeriesJSON(t, e, `{"metric":"anomalies","baseMetric":"deployments","groupBy":"team","interval":"day","format":"table"}`, day(30), day(31))
		if err != nil {
			t.Fatal(err)
		}
		if f := tab[0]; f.Rows() != 1 || col(t, f, "severity").At(0).(string) != "high" {
			t.Fatalf("one-day range on day 30: want its high anomaly, got %d rows", f.Rows())
		}
		wantNum(t, tab[0], 0, "expected", fptr(11))
		wantNum(t, tab[0], 0, "actual", fptr(40))
	})

	t.Run("range starting inside a bucket leaves that bucket out", func(t *testing.T) {
		frames, err := runSeriesJSON(t, e, `{"metric":"anomalies","baseMetric":"deployments","groupBy":"team","interval":"day","format":"table"}`, day(30).Add(time.Hour), day(36))
		if err != nil {
			t.Fatal(err)
		}
		if f := frames[0]; f.Rows() != 0 {
			t.Errorf("range from day 30 01:00: day 30 started before the range, want no anomaly row, got %d", f.Rows())
		}
	})

	t.Run("hour interval, 6 h range", func(t *testing.T) {
		// team-h deploys 4 or 5 times every hour of 2024-03-10/11; 14:00 on the 11th has 30.
		at := time.Date(2024, 3, 11, 14, 0, 0, 0, time.UTC)
		var n int
		if err := e.db.QueryRow(context.Background(), `
WITH ins AS (INSERT INTO deployments (finished_at, started_at, service, team, product_line, tech_stack, environment,
  status, duration_seconds, is_production, first_commit_at, source, external_id)
SELECT x.h + i * interval '1 minute', x.h, 'svc', 'team-h', 'pl', 'go', 'prod', 'success', 60, true, x.h, 'fx', 'h-' || k || '-' || i
FROM generate_series(0, 47) k
CROSS JOIN LATERAL (SELECT timestamptz '2024-03-10 00:00+00' + k * interval '1 hour' AS h) x
CROSS JOIN LATERAL generate_series(1, CASE WHEN x.h = $1 THEN 30 ELSE 4 + k % 2 END) i
RETURNING 1) SELECT count(*) FROM ins`, at).Scan(&n); err != nil {
			t.Fatal(err)
		}
		var done any
		if err := e.db.QueryRow(context.Background(), "SELECT refresh_rollups($1, $2)", at.Add(-48*time.Hour), at.Add(48*time.Hour)).Scan(&done); err != nil {
			t.Fatal(err)
		}
		frames, err := runSeriesJSON(t, e, `{"metric":"anomalies","baseMetric":"deployments","filters":{"team":["team-h"]},"interval":"hour"}`, at, at.Add(6*time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		f := frames[0]
		if f.Rows() != 6 {
			t.Fatalf("6 h range: want 6 hours evaluated, got %d (notices %v)", f.Rows(), noticesOf(f))
		}
		if got := col(t, f, "time").At(0).(time.Time); !got.Equal(at) {
			t.Errorf("first point = %v, want %v", got, at)
		}
		wantValue(t, "severity_score 14:00", col(t, f, "severity_score").At(0).(*float64), 3)
	})
}
