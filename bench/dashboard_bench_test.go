package bench

import (
	"context"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// Run by hand against loaded databases (docs/benchmarks.md), both stores in one invocation:
//
//	PLATFORMLENS_BENCH_DSN='postgres://postgres@127.0.0.1:5432/pl_bench_m?sslmode=disable' \
//	PLATFORMLENS_BENCH_DSN_TIMESCALEDB='postgres://postgres@127.0.0.1:5433/pl_bench_m?sslmode=disable' \
//	  go test ./bench -run '^$' -bench . -benchtime 1x
//
// Either DSN may be left out. PLATFORMLENS_BENCH_REPS (default 5) sets the timed repetitions per
// panel whose median is reported, PLATFORMLENS_BENCH_WARM (default 10) the warm runs before them.

var reported sync.Map // report printed once per benchmark, not once per b.N round

// benchStores are the databases named by the environment, in the order they are measured.
func benchStores() []string {
	var dsns []string
	for _, env := range []string{"PLATFORMLENS_BENCH_DSN", "PLATFORMLENS_BENCH_DSN_TIMESCALEDB"} {
		if dsn := os.Getenv(env); dsn != "" {
			dsns = append(dsns, dsn)
		}
	}
	return dsns
}

func harness(b *testing.B, dsn string) (*Harness, time.Time, int) {
	reps := 5
	if s := os.Getenv("PLATFORMLENS_BENCH_REPS"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 {
			b.Fatalf("PLATFORMLENS_BENCH_REPS=%q is not a positive number", s)
		}
		reps = n
	}
	if s := os.Getenv("PLATFORMLENS_BENCH_WARM"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 0 {
			b.Fatalf("PLATFORMLENS_BENCH_WARM=%q is not a number ≥ 0", s)
		}
		WarmRuns = n
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

// benchDashboard measures the dashboard on every store: per store, the per-panel report and its
// summary line are printed once, then whole-dashboard loads (every panel's request through
// QueryData, one after the other) are timed b.N times.
func benchDashboard(b *testing.B, name, file, rangeExpr string, rawReps func(reps int) int, extra func(b *testing.B, rows []Row)) {
	dsns := benchStores()
	if len(dsns) == 0 {
		b.Skip("set PLATFORMLENS_BENCH_DSN (and/or PLATFORMLENS_BENCH_DSN_TIMESCALEDB) to a database loaded with `platformlens demo` (see docs/benchmarks.md)")
	}
	var summaries []string
	for _, dsn := range dsns {
		h, end, reps := harness(b, dsn)
		b.Run(string(h.Mode), func(b *testing.B) {
			if s := benchOne(b, h, end, reps, name, file, rangeExpr, rawReps, extra); s != "" {
				summaries = append(summaries, s)
			}
		})
	}
	for _, s := range summaries {
		fmt.Println(s)
	}
}

func benchOne(b *testing.B, h *Harness, end time.Time, reps int, name, file, rangeExpr string, rawReps func(reps int) int, extra func(b *testing.B, rows []Row)) string {
	ctx := context.Background()
	panels, err := LoadPanels(file)
	if err != nil {
		b.Fatal(err)
	}
	var summary string
	if _, done := reported.LoadOrStore(b.Name(), true); !done {
		rows, err := h.Measure(ctx, panels, rangeExpr, end, reps, rawReps(reps))
		if err != nil {
			b.Fatal(err)
		}
		t := Print(os.Stdout, b.Name()+" — "+file+", range "+rangeExpr+" ending "+end.Format(time.RFC3339)+", store mode "+string(h.Mode)+
			", median of "+strconv.Itoa(reps)+" after "+strconv.Itoa(WarmRuns)+" warm runs per target", rows)
		summary = Summary(name, string(h.Mode), rows) // printed with the other stores' after the run
		b.ReportMetric(Ratio(t.PluginDirect, t.Direct), "overhead-x")
		if t.Raw > 0 {
			b.ReportMetric(Ratio(t.Raw, t.PluginRaw), "speedup-x")
		}
		if extra != nil {
			extra(b, rows)
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
	return summary
}

// BenchmarkExecutive: executive dashboard over one year (quality bar: overhead ≤ 1.25×,
// ≥ 30× faster than raw-table SQL).
func BenchmarkExecutive(b *testing.B) {
	benchDashboard(b, "executive", "../dashboards/executive.json", "1y", func(reps int) int { return min(reps, 3) }, nil)
}

// BenchmarkOperations: operations dashboard over its default 24 hours (quality bar: every query
// under 100 ms); the slowest panel is reported as max-panel-ms.
func BenchmarkOperations(b *testing.B) {
	benchDashboard(b, "operations", "../dashboards/operations.json", "24h", func(int) int { return 0 }, func(b *testing.B, rows []Row) {
		var worst time.Duration
		for _, r := range rows {
			worst = max(worst, r.Plugin)
		}
		b.ReportMetric(float64(worst.Microseconds())/1000, "max-panel-ms")
	})
}

// BenchmarkScaling: the executive dashboard (1 year) on every tier and store named by
// PLATFORMLENS_BENCH_SCALING (space-separated TIER=DSN entries, smallest tier first, e.g.
// "S=postgres://…/pl_bench_s M=postgres://…/pl_bench_m"); without it, on the databases of
// PLATFORMLENS_BENCH_DSN / _TIMESCALEDB with the tier guessed from their size. Per database: the
// same warm runs and median as BenchmarkExecutive, without the raw baselines (minutes on tier M
// and beyond, and measured by BenchmarkExecutive). Prints the scaling table.
func BenchmarkScaling(b *testing.B) {
	type entry struct{ tier, dsn string }
	var entries []entry
	if s := os.Getenv("PLATFORMLENS_BENCH_SCALING"); s != "" {
		for _, f := range strings.Fields(s) {
			tier, dsn, ok := strings.Cut(f, "=")
			if !ok || tier == "" || dsn == "" {
				b.Fatalf("PLATFORMLENS_BENCH_SCALING entry %q is not TIER=DSN", f)
			}
			entries = append(entries, entry{tier, dsn})
		}
	} else {
		for _, dsn := range benchStores() {
			entries = append(entries, entry{"", dsn})
		}
	}
	if len(entries) == 0 {
		b.Skip("set PLATFORMLENS_BENCH_SCALING or PLATFORMLENS_BENCH_DSN (see docs/benchmarks.md)")
	}
	if _, done := reported.LoadOrStore(b.Name(), true); done {
		return
	}
	ctx := context.Background()
	panels, err := LoadPanels("../dashboards/executive.json")
	if err != nil {
		b.Fatal(err)
	}
	var pts []ScalePoint
	for _, e := range entries {
		h, end, reps := harness(b, e.dsn)
		n, err := h.EventRows(ctx)
		if err != nil {
			b.Fatal(err)
		}
		tier := e.tier
		if tier == "" {
			tier = GuessTier(n) + " (by size)"
		}
		rows, err := h.Measure(ctx, panels, "1y", end, reps, 0)
		if err != nil {
			b.Fatal(err)
		}
		t := Sum(rows)
		pts = append(pts, ScalePoint{Tier: tier, Store: h.Mode, Rows: n, Total: t.Plugin, Slowest: t.Slowest, Metric: t.SlowestMetric, Load: Load()})
		fmt.Printf("scaling %s %s: %d rows, executive %s ms, slowest %s ms (%s), load %s\n",
			tier, h.Mode, n, ms(t.Plugin), ms(t.Slowest), t.SlowestMetric, Load())
	}
	slices.SortStableFunc(pts, func(a, b ScalePoint) int { return strings.Compare(string(a.Store), string(b.Store)) })
	PrintScaling(os.Stdout, "Scaling — executive dashboard, range 1y, median of panel times after warm runs", pts)
}

// BenchmarkExplain: EXPLAIN (ANALYZE, BUFFERS) of the statements of the executive panels whose
// metric is listed in PLATFORMLENS_BENCH_EXPLAIN (comma-separated, e.g. "seq_score,uptime"), on
// every store, after the usual warm runs; planning vs execution time per statement, the plans
// too with PLATFORMLENS_BENCH_EXPLAIN_PLANS=1.
func BenchmarkExplain(b *testing.B) {
	want := os.Getenv("PLATFORMLENS_BENCH_EXPLAIN")
	if want == "" || len(benchStores()) == 0 {
		b.Skip("set PLATFORMLENS_BENCH_EXPLAIN=metric,… and PLATFORMLENS_BENCH_DSN (see docs/benchmarks.md)")
	}
	if _, done := reported.LoadOrStore(b.Name(), true); done {
		return
	}
	ctx := context.Background()
	panels, err := LoadPanels("../dashboards/executive.json")
	if err != nil {
		b.Fatal(err)
	}
	metricsWanted := strings.Split(want, ",")
	for _, dsn := range benchStores() {
		h, end, _ := harness(b, dsn)
		for _, p := range panels {
			m, _ := p.Targets[0]["metric"].(string)
			if !slices.Contains(metricsWanted, m) {
				continue
			}
			req, err := Request(p, "1y", end)
			if err != nil {
				b.Fatal(err)
			}
			stmts, ok, err := h.Capture(ctx, req)
			if err != nil || !ok {
				b.Fatalf("capture %s: %v", m, err)
			}
			for range WarmRuns {
				if _, _, err := h.Direct(ctx, stmts); err != nil {
					b.Fatal(err)
				}
			}
			ex, err := h.Explain(ctx, stmts)
			if err != nil {
				b.Fatal(err)
			}
			PrintExplained(os.Stdout, fmt.Sprintf("explain %s %s", h.Mode, m), ex, os.Getenv("PLATFORMLENS_BENCH_EXPLAIN_PLANS") == "1")
		}
	}
}
