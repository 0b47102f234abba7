package bench

import (
	"context"
	"os"
	"strconv"
	"sync"
	"testing"
	"time"
)

// Run by hand against a loaded tier-M database (docs/benchmarks.md):
//
//	PLATFORMLENS_BENCH_DSN='postgres://postgres@127.0.0.1:5432/platformlens?sslmode=disable' \
//	  go test ./bench -run '^$' -bench . -benchtime 1x
//
// PLATFORMLENS_BENCH_REPS (default 5) sets the repetitions per panel whose median is reported.

var reported sync.Map // report printed once per benchmark, not once per b.N round

func harness(b *testing.B) (*Harness, time.Time, int) {
	dsn := os.Getenv("PLATFORMLENS_BENCH_DSN")
	if dsn == "" {
		b.Skip("set PLATFORMLENS_BENCH_DSN to a database loaded with `platformlens demo --tier M` (see docs/benchmarks.md)")
	}
	reps := 5
	if s := os.Getenv("PLATFORMLENS_BENCH_REPS"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 {
			b.Fatalf("PLATFORMLENS_BENCH_REPS=%q is not a positive number", s)
		}
		reps = n
	}
	ctx := context.Background()
	h, err := Open(ctx, dsn, os.Getenv("PLATFORMLENS_BENCH_SCHEMA"))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(h.Close)
	end, err := h.DataEnd(ctx)
	if err != nil {
		b.Fatal(err)
	}
	return h, end, reps
}

// benchDashboard prints the per-panel report once, then times whole-dashboard loads (every panel's
// request through QueryData, one after the other) b.N times.
func benchDashboard(b *testing.B, file, rangeExpr string, rawReps func(reps int) int, extra func(rows []Row)) {
	h, end, reps := harness(b)
	ctx := context.Background()
	panels, err := LoadPanels(file)
	if err != nil {
		b.Fatal(err)
	}
	if _, done := reported.LoadOrStore(b.Name(), true); !done {
		rows, err := h.Measure(ctx, panels, rangeExpr, end, reps, rawReps(reps))
		if err != nil {
			b.Fatal(err)
		}
		t := Print(os.Stdout, b.Name()+" — "+file+", range "+rangeExpr+" ending "+end.Format(time.RFC3339)+", store mode "+string(h.Mode)+", median of "+strconv.Itoa(reps), rows)
		b.ReportMetric(Ratio(t.PluginDirect, t.Direct), "overhead-x")
		if t.Raw > 0 {
			b.ReportMetric(Ratio(t.Raw, t.PluginRaw), "speedup-x")
		}
		if extra != nil {
			extra(rows)
		}
	}
	b.ResetTimer()
	for range b.N {
		for _, p := range panels {
			req, err := Request(p, rangeExpr, end)
			if err != nil {
				b.Fatal(err)
			}
			if _, _, err := h.Plugin(ctx, req); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// BenchmarkExecutive: executive dashboard over one year (quality bar: overhead ≤ 1.25×,
// ≥ 30× faster than raw-table SQL).
func BenchmarkExecutive(b *testing.B) {
	benchDashboard(b, "../dashboards/executive.json", "1y", func(reps int) int { return min(reps, 3) }, nil)
}

// BenchmarkOperations: operations dashboard over its default 24 hours (quality bar: every query
// under 100 ms); the slowest panel is reported as max-panel-ms.
func BenchmarkOperations(b *testing.B) {
	benchDashboard(b, "../dashboards/operations.json", "24h", func(int) int { return 0 }, func(rows []Row) {
		var worst time.Duration
		for _, r := range rows {
			worst = max(worst, r.Plugin)
		}
		b.ReportMetric(float64(worst.Microseconds())/1000, "max-panel-ms")
	})
}
