package report

import (
	"strings"
	"testing"
)

func f(v float64) *float64 { return &v }

func TestRecommendRules(t *testing.T) {
	cases := []struct {
		name string
		ev   Evidence
		want []string // "rule/severity" in order
		text []string // substrings of the texts and evidence, in order
	}{
		{
			name: "nothing fires on healthy data",
			ev: Evidence{KPIs: []KPI{{Metric: "uptime", Label: "Uptime", Unit: "%", Value: f(99.95), Target: f(99.9), HigherIsBetter: true}},
				Bands:     []BandChange{{Metric: "lead_time", Previous: "high", Current: "elite"}},
				Anomalies: []Anomaly{{BaseMetric: "deployments", Severity: "low", Actual: 1, Expected: 12}},
				Savings:   []Saving{{Platform: "X", UnusedSeats: 0, MonthlySavings: 0}}},
		},
		{
			name: "target breached: high beyond 10 % of the target, medium within, lower-is-better direction",
			ev: Evidence{Period: "P", KPIs: []KPI{
				{Metric: "mttr", Label: "MTTR", Unit: "min", Value: f(90), Target: f(60)},
				{Metric: "uptime", Label: "Uptime", Unit: "%", Value: f(99.5), Target: f(99.9), HigherIsBetter: true},
				{Metric: "uptime", Label: "Uptime", Unit: "%", Value: f(99.5), Target: f(99.9), HigherIsBetter: true}, // same metric twice: once
				{Metric: "dx_score", Label: "DX", Unit: "0–100", Value: f(50)},                                        // no target: never breached
			}},
			want: []string{"target_breached/high", "target_breached/medium"},
			text: []string{"mttr over P = 90.00 min (target ≤ 60.00 min)", "uptime over P = 99.50 % (target ≥ 99.90 %)"},
		},
		{
			name: "band dropped by one (medium) and two (high); a rise or missing band does not fire",
			ev: Evidence{Period: "P", Bands: []BandChange{
				{Metric: "lead_time", Previous: "elite", Current: "high"},
				{Metric: "recovery_time", Previous: "high", Current: "low"},
				{Metric: "change_failure_rate", Previous: "", Current: "low"},
				{Metric: "deployment_frequency", Previous: "low", Current: "medium"},
			}},
			want: []string{"band_dropped/high", "band_dropped/medium"},
			text: []string{"recovery_time band: high in the previous period, low over P", "lead_time band: elite in the previous period, high"},
		},
		{
			name: "anomalies: low ignored, one item per base metric, severity of the worst, largest deviation named",
			ev: Evidence{Period: "P", Anomalies: []Anomaly{
				{BaseMetric: "deployments", Time: "2026-05-16", Expected: 12, Actual: 1, Severity: "low"},
				{BaseMetric: "deployments", Time: "2026-05-24", Expected: 16, Actual: 2, Severity: "medium"},
				{BaseMetric: "deployments", Time: "2026-05-25", Expected: 16, Actual: 10, Severity: "medium"},
				{BaseMetric: "platform_error_rate", Time: "2026-05-18", Expected: 0, Actual: 3, Severity: "high"},
			}},
			want: []string{"anomaly/high", "anomaly/medium"},
			text: []string{"2026-05-18 (3, expected 0)", "largest on 2026-05-24: 2 where 16"},
		},
		{
			name: "unused licenses: top three by savings, medium from $1,000 a month",
			ev: Evidence{Period: "P", Savings: []Saving{
				{Platform: "A", UnusedSeats: 2, MonthlySavings: 200},
				{Platform: "B", UnusedSeats: 25, MonthlySavings: 5833.33},
				{Platform: "C", UnusedSeats: 5, MonthlySavings: 750},
				{Platform: "D", UnusedSeats: 1, MonthlySavings: 100},
			}},
			want: []string{"unused_licenses/medium", "unused_licenses/low", "unused_licenses/low"},
			text: []string{"Reclaim 25 unused B seats to save $5,833.33 a month", "Reclaim 5 unused C seats", "Reclaim 2 unused A seats"},
		},
		{
			name: "forecast crossing the target fires only when on target now and the back-test is good enough",
			ev: Evidence{Period: "P", Forecasts: []ForecastPoint{
				{Current: KPI{Metric: "lead_time", Label: "Lead time", Unit: "h", Value: f(19), Target: f(24)}, HorizonEnd: "2026-06-30", Forecast: 32, MAPE: f(20)},
				{Current: KPI{Metric: "lead_time", Label: "Lead time", Unit: "h", Value: f(19), Target: f(24)}, HorizonEnd: "2026-06-30", Forecast: 32, MAPE: f(80)},
				{Current: KPI{Metric: "lead_time", Label: "Lead time", Unit: "h", Value: f(19), Target: f(24)}, HorizonEnd: "2026-06-30", Forecast: 32},
				{Current: KPI{Metric: "lead_time", Label: "Lead time", Unit: "h", Value: f(19), Target: f(24)}, HorizonEnd: "2026-06-30", Forecast: 20, MAPE: f(10)},
				{Current: KPI{Metric: "build_success_rate", Label: "Build success", Unit: "%", Value: f(85), Target: f(90), HigherIsBetter: true}, HorizonEnd: "2026-06-30", Forecast: 80, MAPE: f(5)},
			}},
			want: []string{"forecast_crosses_target/medium"},
			text: []string{"forecast of lead_time at 2026-06-30 = 32.00 h (back-test MAPE 20 %)"},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := Recommend(tc.ev)
			var ids []string
			var all strings.Builder
			for _, r := range got {
				ids = append(ids, r.Rule+"/"+r.Severity)
				if r.Text == "" || r.Evidence == "" {
					t.Errorf("recommendation %+v lacks text or evidence", r)
				}
				all.WriteString(r.Text + " | " + r.Evidence + "\n")
			}
			if strings.Join(ids, ",") != strings.Join(tc.want, ",") {
				t.Fatalf("rules = %v, want %v\n%s", ids, tc.want, all.String())
			}
			rest := all.String()
			for _, s := range tc.text {
				i := strings.Index(rest, s)
				if i < 0 {
					t.Fatalf("%q not found (in order) in\n%s", s, all.String())
				}
				rest = rest[i+len(s):]
			}
		})
	}
}

func TestFormatValue(t *testing.T) {
	cases := []struct {
		unit string
		v    *float64
		want string
	}{
		{"%", f(99.99414), "99.99 %"},
		{"currency", f(1704000), "$1,704,000.00"},
		{"currency", f(442.8716), "$442.87"},
		{"currency", f(-0.999), "-$1.00"},
		{"count", f(169), "169"},
		{"count", f(12345.4), "12,345"},
		{"0–100", f(72.244), "72.2"},
		{"A–F", f(2), "B"},
		{"h", f(19.23107), "19.23 h"},
		{"%", nil, "no data"},
	}
	for _, c := range cases {
		if got := FormatValue(c.unit, c.v); got != c.want {
			t.Errorf("FormatValue(%q, %v) = %q, want %q", c.unit, c.v, got, c.want)
		}
	}
}
