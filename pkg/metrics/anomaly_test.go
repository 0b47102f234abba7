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

	t.Run("table", func(t *testing.T) {
		// team-a's windows of 10/11/12 have median 11 and MAD 1 (see seriesFixtureSQL):
		// day 20: 15 -> 4 MADs, low; day 30: 40 -> 29, high; day 40: 16 -> 5, medium;
		// day 50: 0 -> 11, high. team-b's line: window median y-4, MAD 2 -> 2 MADs, never anomalous.
		frames, err := runSeriesJSON(t, e, `{"metric":"anomalies","baseMetric":"deployments","groupBy":"team","interval":"day","format":"table"}`, seriesFrom, seriesTo)
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
		frames, err := runSeriesJSON(t, e, `{"metric":"anomalies","baseMetric":"deployments","filters":{"team":["team-a"]},"interval":"day","sensitivity":3}`, seriesFrom, seriesTo)
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
			backend.TimeRange{From: seriesFrom, To: seriesTo}, 0, 0)
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
		frames, err := runSeriesJSON(t, e, `{"metric":"anomalies","baseMetric":"deployments","filters":{"team":["team-a"]},"interval":"day","sensitivity":10,"format":"table"}`, seriesFrom, seriesTo)
		if err != nil {
			t.Fatal(err)
		}
		if f := frames[0]; f.Rows() != 2 || col(t, f, "severity").At(0).(string) != "high" || col(t, f, "severity").At(1).(string) != "low" {
			t.Errorf("k=10: want high (day 30) and low (day 50), got %d rows", f.Rows())
		}
		frames, err = runSeriesJSON(t, e, `{"metric":"anomalies","baseMetric":"deployments","interval":"day"}`, seriesFrom, seriesFrom.AddDate(0, 0, 5))
		if err != nil || len(frames[0].Fields) != 0 || len(noticesOf(frames[0])) == 0 {
			t.Errorf("5 days: want an empty frame with a notice, got %v %v", frames, err)
		}
	})
}
