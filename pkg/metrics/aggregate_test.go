package metrics

import (
	"fmt"
	"testing"
)

// TestAggregateMetricsTable checks every aggregate metric over the fixture week in table format
// (one value for the whole range). The arithmetic is next to each expectation.
func TestAggregateMetricsTable(t *testing.T) {
	f := newFixture(t)
	cases := []struct {
		metric string
		extra  string
		want   float64
		tol    float64 // relative; 0 = exact
	}{
		// builds in range: b1 s, b2 f, b3 cancelled, b4 s, b5 s, b6 s, b7 f, b10 s → 5 ÷ (5+2) × 100
		{"build_success_rate", "", 500.0 / 7, 0},
		{"builds", "", 8, 0},
		// durations 60,120,150,180,240,300,600,900 s → p50 = (180+240)/2 = 210 s = 3.5 min
		{"build_duration", `,"stat":"p50"`, 3.5, 0.02}, // a 7-day range reads the daily histograms: ≤ 2 %
		// mean = 2550 / 8 s = 318.75 s = 5.3125 min
		{"build_duration", `,"stat":"mean"`, 5.3125, 0},
		// p95: rank 0.95×7 = 6.65 → 600 + 0.65×300 = 795 s = 13.25 min
		{"build_duration", `,"stat":"p95"`, 13.25, 0.02},
		// d1..d9 finished in range
		{"deployments", "", 9, 0},
		// successful production: d1 d2 d4 d5 d8 d9 = 6 ÷ 7 days
		{"deployment_frequency", "", 6.0 / 7, 0},
		// probes: 8, down p2 p7 → 6/8
		{"platform_uptime", "", 75, 0},
		{"uptime", "", 75, 0},
		// github + jenkins: 6 probes, 1 down → 5/6
		{"pipeline_availability", "", 500.0 / 6, 0},
		// devbox: 2 probes, 1 down
		{"cloud_dev_env_health", "", 50, 0},
		// errors p2 p7 → 2/8
		{"platform_error_rate", "", 25, 0},
		// 100,120,200,300,310,400,500,1000: rank 6.65 → 500 + 0.65×500 = 825
		{"platform_response_p95", "", 825, 0.02},
		// (80+70+60)/3
		{"dx_score", "", 70, 0},
		// p1/p2 opened in range: i1 i2 i3 i5 → 168 h / 4
		{"mtbf", "", 42, 0},
		// resolved in range: i1 120, i2 30, i3 60 min (i5 resolves after the range) → 70
		{"mttr", "", 70, 0},
		{"incidents", "", 5, 0},
		// at 2024-01-08 00:00: i4 (never resolved), i5 (resolved 02:00 later)
		{"incidents_active", "", 2, 0},
		{"incident_resolution_time", "", 70.0 / 60, 0},
		{"change_tickets", "", 3, 0},
		// t1 6 h, t2 24 h
		{"change_ticket_completion_time", "", 15, 0},
		// successful production lead times 12,24,12,12,24,9 h → sorted 9,12,12,12,24,24 → 12
		{"lead_time", "", 12, 0},
		// PRs 24, 12, 72 h → 24
		{"cycle_time", "", 24, 0},
		// production d1 d2 d3 d4 d5 d7 d8 d9 = 8; failed: d2 (i1, i2 attributed: latest successful
		// prod pay deployment within 24 h, counted once), d3 rolled back, d5 (i3 caused_by), d9
		// change_failed → 4/8
		{"change_failure_rate", "", 50, 0},
		// d3 → d4 6 h, d7 → d8 24 h, d9 has no later success → median(6, 24) = 15
		{"recovery_time", "", 15, 0},
		// latest per repo: pay-api 80 (q2), search-api 60, web-ui 90 → 230/3
		{"test_coverage", "", 230.0 / 3, 0},
		// grades A(1), C(3), B(2) → median 2 (B)
		{"code_quality_grade", "", 2, 0},
		{"critical_bugs_open", "", 3, 0},
		{"technical_debt_hours", "", 33, 0},
		// latest per platform: github 90/100 (l2), jenkins 20/50 → 110/150
		{"license_utilization", "", 110.0 / 1.5, 0},
		{"unused_licenses", "", 40, 0},
		{"monthly_opex", "", 3000, 0},
		{"annual_run_rate", "", 36000, 0},
		// 3000 × (7/30.44) ÷ 6 successful production deployments (d1 d2 d4 d5 d8 d9; d6 is staging)
		{"cost_per_deploy", "", 3000 * 7 / 30.44 / 6, 0},
		{"revenue", "", 160000, 0},
		// 160000 ÷ 6 successful production deployments
		{"revenue_per_deploy", "", 160000.0 / 6, 0},
		// 160000 ÷ (10 + 5) developers
		{"revenue_per_developer", "", 160000.0 / 15, 0},
		// 9 deployments vs 2 (d10, d11) a year earlier → +350 %
		{"deploy_velocity_change", "", 350, 0},
	}
	for _, c := range cases {
		t.Run(c.metric+c.extra, func(t *testing.T) {
			frames := f.query(t, fmt.Sprintf(`{"metric":%q,"format":"table"%s}`, c.metric, c.extra), weekFrom, weekTo)
			got := tableValue(t, frames, "value", "")
			if c.tol > 0 {
				if got == nil || !near(*got, c.want, c.tol*c.want) {
					t.Errorf("%s = %v, want %v within %v %%", c.metric, got, c.want, c.tol*100)
				}
				return
			}
			wantValue(t, c.metric, got, c.want)
		})
	}
}
