package metrics

import (
	"strings"
	"testing"
	"time"
)

func init() {
	tableTests["dx_breakdown"] = func(t *testing.T, e *Engine) {
		f := runTableQuery(t, e, tableQuery("dx_breakdown", day0, day0.AddDate(0, 0, 2)))[0]
		// go: responses (80,70,60,90,80), (60,50,40,70,60), (70,60,50,80,70) from r1, r2, r1.
		// means: dx (80+60+70)/3 = 70, build 60, deploy 50, usability 80, tooling 70; 2 respondents.
		// pains: slow builds 3, flaky tests 2, docs 1, onboarding 1 → top 3 (tie alphabetical).
		// developers at the end of the range: go-a 10 + go-b 8 (the 5-dev version ended 1 May) = 18.
		g := rowOf(t, f, "tech_stack", "go")
		for name, want := range map[string]float64{"dx_score": 70, "build_time": 60, "deployment_ease": 50,
			"platform_usability": 80, "tooling_effectiveness": 70, "respondents": 2, "developer_count": 18} {
			wantNum(t, f, g, name, fptr(want))
		}
		wantStr(t, f, g, "top_pain_points", "slow builds, flaky tests, docs")
		j := rowOf(t, f, "tech_stack", "java")
		wantNum(t, f, j, "dx_score", fptr(50))
		wantNum(t, f, j, "developer_count", fptr(20))
		wantStr(t, f, j, "top_pain_points", "")
		if n := f.Fields[0].Len(); n != 2 {
			t.Errorf("%d rows, want go and java", n)
		}
	}

	tableTests["dx_trend"] = func(t *testing.T, e *Engine) {
		from := time.Date(2024, 2, 1, 0, 0, 0, 0, time.UTC)
		f := runTableQuery(t, e, tableQuery("dx_trend", from, time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC)))[0]
		// go: 60, 62, 64, 66 in Feb..May → slope +2/month > 1 → improving.
		g := rowOf(t, f, "tech_stack", "go")
		wantNum(t, f, g, "slope", fptr(2))
		wantStr(t, f, g, "trend", "improving")
		wantNum(t, f, g, "latest", fptr(66))
		// java: Feb 70, Mar (70+71)/2 = 70.5, Apr 69.5; x = 0,1,2 → slope = Σ(x-1)(y-70)/Σ(x-1)² = (0 + 0 - 0.5)/2 = -0.25 → stable.
		j := rowOf(t, f, "tech_stack", "java")
		wantNum(t, f, j, "slope", fptr(-0.25))
		wantStr(t, f, j, "trend", "stable")
		// rust: Feb 80, Mar 75, May 70 (April missing, a gap not a zero): x = 0,1,3, x̄ = 4/3, ȳ = 75;
		// Σ(x-x̄)(y-ȳ) = (-4/3)(5) + (-1/3)(0) + (5/3)(-5) = -15; Σ(x-x̄)² = 16/9 + 1/9 + 25/9 = 14/3;
		// slope = -15 / (14/3) = -45/14 → declining.
		r := rowOf(t, f, "tech_stack", "rust")
		wantNum(t, f, r, "slope", fptr(-45.0/14))
		wantStr(t, f, r, "trend", "declining")
		// python: only Feb and Mar → no trend, a notice.
		p := rowOf(t, f, "tech_stack", "python")
		wantNum(t, f, p, "slope", nil)
		wantNum(t, f, p, "months", fptr(2))
		if len(f.Meta.Notices) != 1 || !strings.Contains(f.Meta.Notices[0].Text, "python") {
			t.Errorf("notices = %+v, want one naming python", f.Meta.Notices)
		}
	}
}
