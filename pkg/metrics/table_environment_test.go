package metrics

import "testing"

func init() {
	tableTests["environment_deployments"] = func(t *testing.T, e *Engine) {
		frames := runTableQuery(t, e, tableQuery("environment_deployments", day0, day0.AddDate(0, 0, 2)))
		f := frames[0]
		// prod: d1..d5 in range, 4 successes → 80 %. Last 24 h (2 June): d2 ok, d3 failed, d4 ok, d5 ok
		// → 75 % < 90 → degraded (its last 3, d3 d4 d5, did not all fail).
		p := rowOf(t, f, "environment", "prod")
		wantNum(t, f, p, "deployments", fptr(5))
		wantNum(t, f, p, "success_rate", fptr(80))
		wantStr(t, f, p, "status", "degraded")
		// staging: d6 ok, d7 failure, d8 rolled_back, d9 failure → 1/4 = 25 %; last 3 all failed → down.
		s := rowOf(t, f, "environment", "staging")
		wantNum(t, f, s, "success_rate", fptr(25))
		wantStr(t, f, s, "status", "down")
		// lab: its only deployment (30 May) is before the range: 0 deployments, no rate, operational.
		l := rowOf(t, f, "environment", "lab")
		wantNum(t, f, l, "deployments", fptr(0))
		wantNum(t, f, l, "success_rate", nil)
		wantStr(t, f, l, "status", "operational")
		// Per type (one environment each).
		bt := frames[1]
		pc := rowOf(t, bt, "type", "public_cloud")
		wantNum(t, bt, pc, "deployments", fptr(5))
		wantNum(t, bt, pc, "mean_success_rate", fptr(80))
		wantNum(t, bt, rowOf(t, bt, "type", "on_prem"), "mean_success_rate", nil)
	}

	tableTests["throughput"] = func(t *testing.T, e *Engine) {
		frames := runTableQuery(t, e, tableQuery("throughput", day0, day0.AddDate(0, 0, 2)))
		f := frames[0]
		// go: builds b1..b4 (300, 600, 60, 120 s; 2 successes) → mean 1080/4 = 270 s = 4.5 min.
		// deployments d1 d2 d3 d4 d6 d9 (120+240+60+180+180+60 = 840 s; 4 successes) → 140 s = 7/3 min.
		// efficiency = 4 successful deployments / 2 successful builds × 100 = 200 %.
		g := rowOf(t, f, "tech_stack", "go")
		for name, want := range map[string]float64{"builds": 4, "deployments": 6, "efficiency": 200,
			"build_minutes": 4.5, "deploy_minutes": 7.0 / 3, "developer_count": 18} {
			wantNum(t, f, g, name, fptr(want))
		}
		// java: builds 120, 240 s (both ok) → 3 min; deployments d5 d7 d8 (600+60+60 = 720 s, 1 ok) → 4 min;
		// efficiency 1/2 × 100 = 50 %.
		j := rowOf(t, f, "tech_stack", "java")
		for name, want := range map[string]float64{"builds": 2, "deployments": 3, "efficiency": 50,
			"build_minutes": 3, "deploy_minutes": 4, "developer_count": 20} {
			wantNum(t, f, j, name, fptr(want))
		}
		h := frames[1]
		for highlight, stack := range map[string]string{"highest efficiency": "go", "highest throughput": "go",
			"fastest build": "java", "fastest deploy": "go"} {
			wantStr(t, h, rowOf(t, h, "highlight", highlight), "tech_stack", stack)
		}
	}
}
