package metrics

import (
	"math"
	"strings"
	"testing"
	"time"
)

func init() {
	h1From, h1To := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2024, 7, 1, 0, 0, 0, 0, time.UTC)

	tableTests["revenue_by_product_line"] = func(t *testing.T, e *Engine) {
		f := runTableQuery(t, e, tableQuery("revenue_by_product_line", h1From, h1To))[0]
		// payments: 6 × 100 = 600; 2023 H1 = 10+20+…+60 = 210 → YoY (600 − 210) / 210 × 100.
		// Deployments in 2024 H1: d1..d10, all payments = 10. Teams at 1 July: go-a, java-a = 2.
		p := rowOf(t, f, "product_line", "payments")
		wantNum(t, f, p, "revenue", fptr(600))
		wantNum(t, f, p, "yoy_growth", fptr((600.0-210)/210*100))
		wantNum(t, f, p, "deployments", fptr(10))
		wantNum(t, f, p, "team_count", fptr(2))
		// search: 300, no revenue a year earlier → no growth figure; no deployments; 1 team (go-b).
		s := rowOf(t, f, "product_line", "search")
		wantNum(t, f, s, "revenue", fptr(300))
		wantNum(t, f, s, "yoy_growth", nil)
		wantNum(t, f, s, "deployments", fptr(0))
		wantNum(t, f, s, "team_count", fptr(1))
	}

	tableTests["revenue_by_tech_stack"] = func(t *testing.T, e *Engine) {
		f := runTableQuery(t, e, tableQuery("revenue_by_tech_stack", h1From, h1To))[0]
		// payments' 600 split by its 2024 H1 deployments: go d1 d2 d3 d4 d6 d9 d10 = 7, java d5 d7 d8 = 3
		// → go 420, java 180. search's 300 has no deployments: unattributed (notice). Total revenue 900.
		months := 182 / 30.44 // 1 Jan to 1 July 2024 = 182 days
		g := rowOf(t, f, "tech_stack", "go")
		wantNum(t, f, g, "revenue", fptr(420))
		wantNum(t, f, g, "developers", fptr(18))
		wantNum(t, f, g, "revenue_per_developer", fptr(420.0/18))
		wantNum(t, f, g, "deploys_per_month", fptr(7/months))
		wantNum(t, f, g, "percent_of_total", fptr(420.0/900*100))
		j := rowOf(t, f, "tech_stack", "java")
		wantNum(t, f, j, "revenue", fptr(180))
		wantNum(t, f, j, "revenue_per_developer", fptr(9)) // 180 / 20
		if len(f.Meta.Notices) != 1 || !strings.Contains(f.Meta.Notices[0].Text, "300.00 of 900.00") {
			t.Errorf("notices = %+v, want the unattributed 300", f.Meta.Notices)
		}
	}

	tableTests["revenue_correlation"] = func(t *testing.T, e *Engine) {
		from, to := time.Date(2023, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2023, 7, 1, 0, 0, 0, 0, time.UTC)
		f := runTableQuery(t, e, tableQuery("revenue_correlation", from, to))[0]
		// Monthly revenue 10..60 against deployments 1..6: exactly linear → r = 1. Developers all of
		// 2023 H1: go-a 10 + go-b 5 + java-a 20 = 35, so deployments per developer is linear too → 1.
		wantNum(t, f, rowOf(t, f, "pair", "deployments vs revenue"), "r", fptr(1))
		wantNum(t, f, rowOf(t, f, "pair", "deployments_per_developer vs revenue"), "r", fptr(1))
		// Uptime 100, 100, 100, 50, 50, 50: deviations ±25 from 75; revenue deviations −25, −15, −5, 5, 15, 25.
		// cov = 25 × (−45) − 25 × 45 = −2250; Σdx² = 6 × 625 = 3750; Σdy² = 1750 → r = −2250 / √(3750 × 1750).
		wantNum(t, f, rowOf(t, f, "pair", "uptime vs revenue"), "r", fptr(-2250/math.Sqrt(3750*1750)))

		// Five months are not enough: r is null with a notice.
		f = runTableQuery(t, e, tableQuery("revenue_correlation", from, time.Date(2023, 6, 1, 0, 0, 0, 0, time.UTC)))[0]
		wantNum(t, f, rowOf(t, f, "pair", "deployments vs revenue"), "r", nil)
		if len(f.Meta.Notices) != 1 {
			t.Errorf("notices = %+v, want the fewer-than-6-months notice", f.Meta.Notices)
		}
	}
}
