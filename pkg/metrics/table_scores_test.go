package metrics

import (
	"strings"
	"testing"
)

func init() {
	// Range [1 June, 3 June): 48 hours, 2 days. Targets are the migration's defaults.
	stability := (100*(400.0/6)/99.9 + // uptime: 4 of 6 probes not down = 66.67 % vs 99.9 (higher better)
		100*48.0/168 + // mtbf: 48 h / 1 p1 incident = 48 h vs 168 h (higher better)
		100) / 3 // mttr: i1 resolved after 60 min vs 60 (lower better) → 100
	efficiency := (100.0 + // lead_time: median of 2, 4, 3, 30 h = 3.5 h vs 24 (lower better) → capped at 100
		50 + // cycle_time: 96 h vs 48 → 100 × 48/96
		100 + // deployment_frequency: 4 successful production deployments / 2 days = 2/day vs 1 → capped
		75) / 4 // change_failure_rate: d3 of 5 production deployments = 20 % vs 15 → 100 × 15/20
	quality := (100*80.0/90 + // build_success_rate: 4 ok / (4 ok + 1 failed) = 80 % vs 90
		75 + // test_coverage: mean of latest 70 and 50 = 60 % vs 80
		50) / 3 // critical_bugs_open: 5 + 15 = 20 vs 10 (lower better)

	for id, want := range map[string]float64{"stability_score": stability, "efficiency_score": efficiency,
		"quality_score": quality, "seq_score": (stability + efficiency + quality) / 3} {
		tableTests[id] = func(t *testing.T, e *Engine) {
			frames := runTableQuery(t, e, tableQuery(id, day0, day0.AddDate(0, 0, 2)))
			wantNum(t, frames[0], 0, "value", fptr(want))
			if len(frames) != 2 {
				t.Fatalf("%d frames, want value + components", len(frames))
			}
		}
	}
	tableTests["efficiency_score components"] = func(t *testing.T, e *Engine) {
		f := runTableQuery(t, e, tableQuery("efficiency_score", day0, day0.AddDate(0, 0, 2)))[1]
		c := rowOf(t, f, "component", "change_failure_rate")
		wantNum(t, f, c, "actual", fptr(20))
		wantNum(t, f, c, "target", fptr(15))
		wantNum(t, f, c, "score", fptr(75))
	}
	tableTests["dora_summary"] = func(t *testing.T, e *Engine) {
		f := runTableQuery(t, e, tableQuery("dora_summary", day0, day0.AddDate(0, 0, 2)))[0]
		// Deployment days: 1 June (d1) and 2 June (d2, d4, d5) in the one week (from Monday 27 May) → 2/week → high.
		// lead time 3.5 h < 24 → elite; CFR 20 % > 15 → low; recovery d3 10:00 → d4 10:30 = 0.5 h < 1 → elite.
		for metric, want := range map[string]struct {
			v    float64
			band string
		}{"deployment_frequency": {2, "high"}, "lead_time": {3.5, "elite"}, "change_failure_rate": {20, "low"}, "recovery_time": {0.5, "elite"}} {
			r := rowOf(t, f, "metric", metric)
			wantNum(t, f, r, "value", fptr(want.v))
			wantStr(t, f, r, "band", want.band)
		}
		def, _ := Lookup("dora_summary")
		if !strings.Contains(def.Description, "change_failure_rate: ≤ 5 elite, ≤ 10 high, ≤ 15 medium, else low") {
			t.Errorf("catalog description lacks the band table: %s", def.Description)
		}
	}
}
