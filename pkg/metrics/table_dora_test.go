package metrics

import (
	"strings"
	"testing"

	"github.com/grafana/grafana-plugin-sdk-go/data"
)

// Hand-computed dora_summary per tech stack and per band set, on fixture_tables.sql over
// [1 June, 3 June) (production deployments d1–d5; see table_scores_test.go for the org totals).
func init() {
	type cell struct {
		v    *float64
		band string
	}
	// go: deployment days 1 and 2 June (d1; d2, d4) → 2/week; lead time median(2, 4, 3) = 3 h; CFR d3 of
	// d1–d4 = 25 %; recovery d3 10:00 → d4 10:30 = 0.5 h.
	// java: d5 on 2 June → 1 day/week; lead time 30 h; CFR 0 %; no failed deployment → no recovery.
	want := map[string]map[string]map[string]cell{
		"2023": {
			"go":   {"deployment_frequency": {fptr(2), "high"}, "lead_time": {fptr(3), "elite"}, "change_failure_rate": {fptr(25), "low"}, "recovery_time": {fptr(0.5), "elite"}, "rework_rate": {fptr(0), ""}},
			"java": {"deployment_frequency": {fptr(1), "high"}, "lead_time": {fptr(30), "high"}, "change_failure_rate": {fptr(0), "elite"}, "recovery_time": {nil, ""}, "rework_rate": {fptr(0), ""}},
		},
		// 2021: lead time < 1 h elite, < 1 week high; CFR ≤ 15 elite, ≤ 20 high, ≤ 30 medium.
		"2021": {
			"go":   {"deployment_frequency": {fptr(2), "high"}, "lead_time": {fptr(3), "high"}, "change_failure_rate": {fptr(25), "medium"}, "recovery_time": {fptr(0.5), "elite"}, "rework_rate": {fptr(0), ""}},
			"java": {"deployment_frequency": {fptr(1), "high"}, "lead_time": {fptr(30), "high"}, "change_failure_rate": {fptr(0), "elite"}, "recovery_time": {nil, ""}, "rework_rate": {fptr(0), ""}},
		},
	}
	for set, groups := range want {
		tableTests["dora_summary by tech_stack, bands "+set] = func(t *testing.T, e *Engine) {
			q := tableQuery("dora_summary", day0, day0.AddDate(0, 0, 2))
			q.GroupBy, q.Bands = "tech_stack", set
			f := runTableQuery(t, e, q)[0]
			if f.Rows() != 10 {
				t.Fatalf("%d rows, want 5 keys × 2 stacks", f.Rows())
			}
			for g, keys := range groups {
				for m, c := range keys {
					r := doraRowOf(t, f, g, m)
					wantNum(t, f, r, "value", c.v)
					wantStr(t, f, r, "band", c.band)
					wantStr(t, f, r, "band_set", set)
				}
			}
			if !hasNotice(data.Frames{f}, "Bands: State of DevOps "+set) {
				t.Errorf("no notice naming the band set: %v", noticesOf(f))
			}
		}
	}
	tableTests["dora_summary bands 2021 overall"] = func(t *testing.T, e *Engine) {
		q := tableQuery("dora_summary", day0, day0.AddDate(0, 0, 2))
		q.Bands = "2021"
		f := runTableQuery(t, e, q)[0]
		// Org: lead time 3.5 h → high; CFR 20 % → high (≤ 20); recovery 0.5 h → elite; 2 days/week → high.
		for m, band := range map[string]string{"deployment_frequency": "high", "lead_time": "high", "change_failure_rate": "high", "recovery_time": "elite"} {
			wantStr(t, f, rowOf(t, f, "metric", m), "band", band)
		}
		def, _ := Lookup("dora_summary")
		if !strings.Contains(def.Description, "change_failure_rate: ≤ 15 elite, ≤ 20 high, ≤ 30 medium, else low") {
			t.Errorf("catalog description lacks the 2021 band table: %s", def.Description)
		}
	}
}

// doraRowOf finds the summary row of metric m in the tech stack g.
func doraRowOf(t *testing.T, f *data.Frame, g, m string) int {
	t.Helper()
	gs, ms := col(t, f, "tech_stack"), col(t, f, "metric")
	for i := 0; i < f.Rows(); i++ {
		if gs.At(i).(string) == g && ms.At(i).(string) == m {
			return i
		}
	}
	t.Fatalf("no row %s / %s", g, m)
	return -1
}
