package bench

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"
	"time"
)

// Row is the measurement of one panel.
type Row struct {
	Panel             Panel
	Plugin, Direct    time.Duration // medians
	Stmts, Rows       int           // statements the engine ran, rows they returned
	HasDirect         bool
	Raw               time.Duration // median of the raw baseline
	HasRaw            bool
	Mismatches        int
	FirstDiff, Metric string
	Load              string // 1-minute load average when the panel's timing ended
}

// Load returns the 1-, 5- and 15-minute load averages ("" where /proc/loadavg is not readable):
// printed with every figure because the machine is shared and absolute times drift with it.
func Load() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return ""
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return ""
	}
	return strings.Join(f[:3], " ")
}

// WarmRuns is how many times each panel runs (plugin and direct) before it is timed, per
// connection it can use: PostgreSQL plans a prepared statement generically after five executions
// on a connection, and production (Grafana's long-lived pool) only ever sees that steady state.
// Both pools are LIFO (the connection released last is acquired first), so sequential runs reuse
// one connection; a panel with several targets may use one connection per target, hence
// WarmRuns × targets.
var WarmRuns = 10

// Measure times every panel reps times (plugin and direct interleaved, so drift of the shared
// machine hits both alike; one warm-up run first) and, where a raw baseline exists, rawReps times.
func (h *Harness) Measure(ctx context.Context, panels []Panel, rangeExpr string, end time.Time, reps, rawReps int) ([]Row, error) {
	var out []Row
	for _, p := range panels {
		req, err := Request(p, rangeExpr, end)
		if err != nil {
			return nil, err
		}
		row := Row{Panel: p}
		row.Metric, _ = p.Targets[0]["metric"].(string)
		frames, _, err := h.Plugin(ctx, req) // the answer the baseline is checked against
		if err != nil {
			return nil, fmt.Errorf("panel %q: %w", p.Title, err)
		}
		stmts, ok, err := h.Capture(ctx, req)
		if err != nil {
			return nil, fmt.Errorf("panel %q: capture: %w", p.Title, err)
		}
		row.Stmts, row.HasDirect = len(stmts), ok
		for range WarmRuns * max(1, len(p.Targets)) {
			if _, _, err := h.Plugin(ctx, req); err != nil {
				return nil, fmt.Errorf("panel %q: %w", p.Title, err)
			}
			if ok {
				if _, row.Rows, err = h.Direct(ctx, stmts); err != nil {
					return nil, err
				}
			}
		}
		var plugin, direct []time.Duration
		for range reps {
			_, took, err := h.Plugin(ctx, req)
			if err != nil {
				return nil, fmt.Errorf("panel %q: %w", p.Title, err)
			}
			plugin = append(plugin, took)
			if ok {
				took, _, err := h.Direct(ctx, stmts)
				if err != nil {
					return nil, err
				}
				direct = append(direct, took)
			}
		}
		row.Plugin, row.Direct, row.Load = Median(plugin), Median(direct), Load()
		if b, found := RawBaselines[row.Metric]; found && len(p.Targets) == 1 && rawReps > 0 {
			dq := req.Queries[0]
			var raws []time.Duration
			var got map[string]float64
			for range rawReps {
				vals, took, err := RunRaw(ctx, h.Store.Pool(), b, dq.TimeRange.From, dq.TimeRange.To)
				if err != nil {
					return nil, err
				}
				got = vals
				raws = append(raws, took)
			}
			row.HasRaw, row.Raw = true, Median(raws)
			row.Mismatches, row.FirstDiff = Compare(PluginPoints(frames[dq.RefID], b.Field), got)
		}
		out = append(out, row)
	}
	return out, nil
}

func ms(d time.Duration) string { return fmt.Sprintf("%.1f", float64(d.Microseconds())/1000) }

// Totals sums a report: plugin and direct time over the panels measured both ways, and plugin and
// raw time over the panels with a raw baseline.
type Totals struct {
	Plugin, PluginDirect, Direct, PluginRaw, Raw time.Duration
	Slowest                                      time.Duration
	SlowestMetric                                string
	Mismatched                                   int
}

// Sum computes the totals of rows.
func Sum(rows []Row) Totals {
	var t Totals
	for _, r := range rows {
		t.Plugin += r.Plugin
		if r.Plugin > t.Slowest {
			t.Slowest, t.SlowestMetric = r.Plugin, r.Metric
			if t.SlowestMetric == "" {
				t.SlowestMetric = r.Panel.Title
			}
		}
		if r.HasDirect {
			t.PluginDirect += r.Plugin
			t.Direct += r.Direct
		}
		if r.HasRaw {
			t.PluginRaw += r.Plugin
			t.Raw += r.Raw
			if r.Mismatches > 0 {
				t.Mismatched++
			}
		}
	}
	return t
}

// Ratio is a/b, 0 when b is 0.
func Ratio(a, b time.Duration) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

// Print writes the per-panel table and the totals as Markdown.
func Print(w io.Writer, title string, rows []Row) Totals {
	fmt.Fprintf(w, "\n### %s\n\n", title)
	fmt.Fprintln(w, "| panel | metric | stmts | rows | plugin ms | direct ms | overhead × | raw ms | speed-up × | raw check | load |")
	fmt.Fprintln(w, "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |")
	for _, r := range rows {
		direct, over, raw, speed, check := "—", "—", "—", "—", ""
		if r.HasDirect {
			direct, over = ms(r.Direct), fmt.Sprintf("%.2f", Ratio(r.Plugin, r.Direct))
		}
		if r.HasRaw {
			raw, speed, check = ms(r.Raw), fmt.Sprintf("%.1f", Ratio(r.Raw, r.Plugin)), "same values"
			if r.Mismatches > 0 {
				check = fmt.Sprintf("%d MISMATCHES, first %s", r.Mismatches, r.FirstDiff)
			}
		}
		name := r.Panel.Title
		if r.Panel.TimeFrom != "" {
			name += " (" + r.Panel.TimeFrom + ")"
		}
		fmt.Fprintf(w, "| %s | %s | %d | %d | %s | %s | %s | %s | %s | %s | %s |\n", strings.ReplaceAll(name, "|", "/"), r.Metric,
			r.Stmts, r.Rows, ms(r.Plugin), direct, over, raw, speed, check, r.Load)
	}
	t := Sum(rows)
	if t.Raw == 0 {
		fmt.Fprintf(w, "\nTotal plugin time %s ms over %d queries; slowest %s ms. Plugin overhead: %s ms through QueryData vs %s ms straight = %.2f×.\n",
			ms(t.Plugin), len(rows), ms(t.Slowest), ms(t.PluginDirect), ms(t.Direct), Ratio(t.PluginDirect, t.Direct))
		return t
	}
	fmt.Fprintf(w, "\nTotal plugin time %s ms over %d queries. Plugin overhead: %s ms through QueryData vs %s ms straight = %.2f× (target ≤ 1.25×). Raw-table baselines: %s ms vs %s ms through the plugin for the same panels = %.1f× faster (target ≥ 30×); %d baseline(s) disagree with the plugin.\n",
		ms(t.Plugin), len(rows), ms(t.PluginDirect), ms(t.Direct), Ratio(t.PluginDirect, t.Direct), ms(t.Raw), ms(t.PluginRaw),
		Ratio(t.Raw, t.PluginRaw), t.Mismatched)
	return t
}

// Summary is the one-line verdict of a dashboard on a store, e.g. "executive postgresql: 18
// panels, plugin 310 ms, raw 14200 ms, speed-up 45.8x, overhead 1.07x, slowest 62 ms
// (dora_summary), 0 mismatches, load 2.10 1.90 1.80".
func Summary(dashboard, store string, rows []Row) string {
	t := Sum(rows)
	raw := "no raw baseline"
	if t.Raw > 0 {
		raw = fmt.Sprintf("raw %s ms, speed-up %.1fx", ms(t.Raw), Ratio(t.Raw, t.PluginRaw))
	}
	return fmt.Sprintf("%s %s: %d panels, plugin %s ms, %s, overhead %.2fx, slowest %s ms (%s), %d mismatches, load %s",
		dashboard, store, len(rows), ms(t.Plugin), raw, Ratio(t.PluginDirect, t.Direct), ms(t.Slowest), t.SlowestMetric,
		t.Mismatched, Load())
}
