package metrics

import (
	"context"
	"errors"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
)

// Finding 4 of issue 8: a 100-year range with maxDataPoints 1e9 and a 1-minute interval built
// ~52 M empty buckets in Go (183 MB → 4.5 GB RSS, 57.6 s). Now maxDataPoints is clamped, so "auto"
// picks a bucket that fits, and an explicit interval that does not fit is refused up front.
func TestHundredYearRangeIsBounded(t *testing.T) {
	f := newFixture(t)
	to := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	from := to.AddDate(-100, 0, 0)
	run := func(raw string) (int, error) {
		q, err := ParseQuery([]byte(raw), backend.TimeRange{From: from, To: to}, time.Minute, 1_000_000_000)
		if err != nil {
			return 0, err
		}
		frames, err := f.engine.Run(context.Background(), q)
		if err != nil {
			return 0, err
		}
		points := 0
		for _, fr := range frames {
			points += fr.Rows()
		}
		return points, nil
	}
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	start := time.Now()
	for _, metric := range []string{"build_success_rate", "open_incidents", "build_duration_p95", "deployment_frequency"} {
		if _, ok := Lookup(metric); !ok {
			continue
		}
		points, err := run(`{"metric":"` + metric + `","interval":"auto"}`)
		if err != nil {
			t.Fatalf("%s over 100 years (auto): %v", metric, err)
		}
		if points > MaxBuckets {
			t.Errorf("%s: %d points, want at most %d", metric, points, MaxBuckets)
		}
	}
	_, err := run(`{"metric":"build_success_rate","interval":"hour"}`)
	elapsed := time.Since(start)
	runtime.ReadMemStats(&after)
	if err == nil || !backend.IsDownstreamError(err) || !strings.Contains(err.Error(), "use interval day (36525 points)") {
		t.Errorf("hourly over 100 years: %v; want a downstream error naming interval day", err)
	}
	alloc := after.TotalAlloc - before.TotalAlloc
	t.Logf("100-year queries: %v, %.1f MB allocated, heap %.1f MB, sys %.1f MB", elapsed, float64(alloc)/1e6, float64(after.HeapAlloc)/1e6, float64(after.Sys)/1e6)
	if alloc > 500<<20 {
		t.Errorf("allocated %d MB", alloc>>20)
	}
}

func TestBucketCountAndLimits(t *testing.T) {
	jan := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		b        string
		from, to time.Time
		want     int64
	}{
		{"1h", jan, jan.Add(24 * time.Hour), 24},
		{"1h", jan.Add(30 * time.Minute), jan.Add(90 * time.Minute), 2},
		{"1mo", jan, jan.AddDate(1, 0, 0), 12},
		{"1d", time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC), 3651694}, // beyond time.Duration
	} {
		b := step(tc.b)
		if got := bucketCount(b, tc.from, tc.to); got != tc.want {
			t.Errorf("bucketCount(%s, %s, %s) = %d, want %d", tc.b, tc.from, tc.to, got, tc.want)
		}
		if tc.want < 1000 {
			if got := len(b.Grid(tc.from, tc.to)); int64(got) != tc.want {
				t.Errorf("Grid has %d buckets, bucketCount says %d", got, tc.want)
			}
		}
	}
	q := Query{Metric: "m", Bucket: step("1mo"), From: time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC), To: time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC), Format: FormatTimeSeries}
	if err := checkBuckets(q); err == nil || !strings.Contains(err.Error(), "even at interval month") {
		t.Errorf("10 000 years monthly: %v", err)
	}
	if b, _ := ResolveInterval("auto", 100*365*24*time.Hour, time.Minute, 1e9); bucketCount(b, q.From, q.From.Add(100*365*24*time.Hour)) > MaxBuckets {
		t.Errorf("auto with maxDataPoints 1e9 picked %s", b.Name)
	}
	if err := checkCells(context.Background(), Query{Metric: "m", GroupBy: "team"}, 300, 10_000); err == nil || !strings.Contains(err.Error(), "300 series × 10000 points") {
		t.Errorf("3 M cells: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := checkCells(ctx, Query{Metric: "m"}, 1, 1); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled context: %v", err)
	}
}

// Metric queries run in a read-only transaction as the schema's read role (issue 8).
func TestMetricQueriesRunAsReadRole(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	env, done, err := f.engine.env(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer done()
	var user, ro string
	if err := env.DB.QueryRow(ctx, "SELECT current_user::text, current_setting('transaction_read_only')").Scan(&user, &ro); err != nil {
		t.Fatal(err)
	}
	if user != "platformlens_reader" || ro != "on" {
		t.Errorf("metric queries run as %q, read-only %s; want platformlens_reader, on", user, ro)
	}
}
