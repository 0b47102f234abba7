package metrics

import "testing"

func init() {
	tableTests["platform_status"] = func(t *testing.T, e *Engine) {
		frames := runTableQuery(t, e, tableQuery("platform_status", day0, day0.AddDate(0, 0, 2)))
		if len(frames) != 2 {
			t.Fatalf("%d frames, want per-platform + summary", len(frames))
		}
		f := frames[0]
		// git probes: 100 op, 200 op, 300 down+error, 400 degraded (latest).
		// uptime = 3 not down / 4 = 75 %; error rate = 1/4 = 25 %;
		// p95 = percentile_cont over [100,200,300,400]: rank 0.95×3 = 2.85 → 300 + 0.85×100 = 385.
		// One incident opened in range (the other, 20 May, is before it).
		g := rowOf(t, f, "platform", "git")
		wantStr(t, f, g, "status", "degraded")
		wantStr(t, f, g, "category", "scm")
		wantNum(t, f, g, "uptime", fptr(75))
		wantNum(t, f, g, "error_rate", fptr(25))
		wantNum(t, f, g, "response_p95", fptr(385))
		wantNum(t, f, g, "incidents", fptr(1))
		// ci: 50 op, 70 down+error (latest): uptime 50 %, error 50 %, p95 = 50 + 0.95×20 = 69; no incident in range.
		c := rowOf(t, f, "platform", "ci")
		wantStr(t, f, c, "status", "down")
		wantNum(t, f, c, "uptime", fptr(50))
		wantNum(t, f, c, "error_rate", fptr(50))
		wantNum(t, f, c, "response_p95", fptr(69))
		wantNum(t, f, c, "incidents", fptr(0))
		// devbox has no probes: status unknown, no uptime (not a made-up 0).
		d := rowOf(t, f, "platform", "devbox")
		wantStr(t, f, d, "status", "unknown")
		wantNum(t, f, d, "uptime", nil)
		// Summary: 3 platforms, 0 operational, 1 degraded, 1 down, average uptime (75 + 50) / 2 = 62.5.
		s := frames[1]
		for name, want := range map[string]float64{"total": 3, "operational": 0, "degraded": 1, "down": 1, "average_uptime": 62.5} {
			wantNum(t, s, 0, name, fptr(want))
		}
		// A platform filter narrows both frames.
		q := tableQuery("platform_status", day0, day0.AddDate(0, 0, 2))
		q.Filters["platform"] = []string{"ci"}
		frames = runTableQuery(t, e, q)
		if n := frames[0].Fields[0].Len(); n != 1 {
			t.Errorf("filtered to ci: %d rows, want 1", n)
		}
		wantNum(t, frames[1], 0, "down", fptr(1))
	}
}
