package metrics

import "testing"

func init() {
	tableTests["cost_breakdown"] = func(t *testing.T, e *Engine) {
		f := runTableQuery(t, e, tableQuery("cost_breakdown", day0, day0.AddDate(0, 0, 2)))[0]
		// Latest snapshots in range: git (2 June) 100 seats, 80 active, 1200; ci 10/10, 300.
		// devbox's only snapshot (1 May) is before the range. Total 1500.
		g := rowOf(t, f, "platform", "git")
		wantNum(t, f, g, "monthly_cost", fptr(1200))
		wantNum(t, f, g, "percent_of_total", fptr(80)) // 1200 / 1500
		wantNum(t, f, g, "utilization", fptr(80))      // 80 / 100
		wantNum(t, f, g, "cost_per_seat", fptr(12))    // 1200 / 100
		c := rowOf(t, f, "platform", "ci")
		wantNum(t, f, c, "percent_of_total", fptr(20)) // 300 / 1500
		wantNum(t, f, c, "utilization", fptr(100))
		wantNum(t, f, c, "cost_per_seat", fptr(30))
		if n := f.Fields[0].Len(); n != 2 {
			t.Errorf("%d rows, want 2 (devbox has no snapshot in range)", n)
		}
	}
	tableTests["cost_savings"] = func(t *testing.T, e *Engine) {
		f := runTableQuery(t, e, tableQuery("cost_savings", day0, day0.AddDate(0, 0, 2)))[0]
		// Only git has unused seats: 100 - 80 = 20, × 12 per seat = 240.
		if n := f.Fields[0].Len(); n != 1 {
			t.Fatalf("%d rows, want git only", n)
		}
		wantStr(t, f, 0, "platform", "git")
		wantNum(t, f, 0, "unused_seats", fptr(20))
		wantNum(t, f, 0, "potential_savings", fptr(240))
		wantStr(t, f, 0, "recommendation", "Reclaim 20 unused seats")
	}
	tableTests["budget_burn"] = func(t *testing.T, e *Engine) {
		f := runTableQuery(t, e, tableQuery("budget_burn", day0, day0.AddDate(0, 0, 2)))[0]
		// June, 2 of 30 days elapsed: month-to-date cost = 1500 × 2/30 = 100;
		// budget = 1000 + 2000 + 500 = 3500 → 100 / 3500 × 100 = 20/7 %.
		wantNum(t, f, 0, "value", fptr(20.0/7))
	}
}
