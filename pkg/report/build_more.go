package report

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/platformlens/platformlens-analytics-app/pkg/records"
)

// pickFrames returns the records of frame i of frames (empty when absent).
func pickFrames(fr data.Frames, i int) records.Table {
	if i < len(fr) {
		return records.FromFrames(data.Frames{fr[i]})
	}
	return records.Table{}
}

// 4. Developer-experience insights: per stack, biggest movers and top pain points.
func (b *builder) dx(ev *Evidence) Section {
	var s Section
	for _, id := range []string{"dx_score", "cycle_time"} {
		s.KPIs = append(s.KPIs, b.kpi(id, nil))
	}
	ev.KPIs = append(ev.KPIs, s.KPIs...)
	per := b.table("DX per tech stack", "dx_breakdown", nil, 0, "tech_stack", "dx_score", "respondents", "top_pain_points")
	movers := b.table("Biggest movers", "dx_score", map[string]any{"groupBy": "tech_stack", "compare": "previous"}, 0,
		"tech_stack", "value", "previous", "change_percent")
	ch := column(movers.Table, "change_percent")
	idx := make([]int, 0, len(ch))
	for i, v := range ch {
		if _, ok := v.(float64); ok {
			idx = append(idx, i)
		}
	}
	sort.SliceStable(idx, func(a, c int) bool { return abs(ch[idx[a]].(float64)) > abs(ch[idx[c]].(float64)) })
	if len(idx) > 3 {
		idx = idx[:3]
	}
	top := records.Table{Columns: movers.Columns}
	for _, i := range idx {
		top.Rows = append(top.Rows, movers.Rows[i])
	}
	movers.Table = top
	// Pain points: each stack's top three, weighted by its respondents.
	weight := map[string]float64{}
	resp := column(per.Table, "respondents")
	for i, v := range column(per.Table, "top_pain_points") {
		w, _ := resp[i].(float64)
		if n, ok := resp[i].(int64); ok {
			w = float64(n)
		}
		for _, p := range strings.Split(records.Text(v), ", ") {
			if p != "" {
				weight[p] += w
			}
		}
	}
	pains := records.Table{Columns: []string{"pain_point", "respondents_of_stacks_naming_it"}}
	for p, w := range weight {
		pains.Rows = append(pains.Rows, []any{p, w})
	}
	sort.Slice(pains.Rows, func(i, j int) bool {
		a, c := pains.Rows[i], pains.Rows[j]
		if a[1].(float64) != c[1].(float64) {
			return a[1].(float64) > c[1].(float64)
		}
		return a[0].(string) < c[0].(string)
	})
	if len(pains.Rows) > 5 {
		pains.Rows = pains.Rows[:5]
	}
	s.Tables = append(s.Tables, per, movers, Table{Title: "Top pain points", Metric: "dx_breakdown", Table: pains})
	s.Chart = barChart("DX score per tech stack (0–100)", "0–100", per.Table, "tech_stack", "dx_score")
	dxK := s.KPIs[0]
	s.Reading = fmt.Sprintf("DX score %s (%s vs the previous period)", FormatValue(dxK.Unit, dxK.Value), orNone(FormatChange(dxK.ChangePct)))
	if len(top.Rows) > 0 {
		c := top.Rows[0][3].(float64)
		s.Reading += fmt.Sprintf("; biggest mover %s (%s)", records.Text(top.Rows[0][0]), FormatChange(&c))
	}
	if len(pains.Rows) > 0 {
		s.Reading += fmt.Sprintf("; most named pain point: %s", pains.Rows[0][0])
	}
	s.Reading += "."
	return s
}

func orNone(s string) string {
	if s == "" {
		return "no comparison"
	}
	return s
}

// 5. Cost & ROI: utilization, cost per deploy and savings opportunities.
func (b *builder) cost(ev *Evidence) Section {
	var s Section
	for _, id := range []string{"license_utilization", "unused_licenses", "monthly_opex", "annual_run_rate", "cost_per_deploy", "budget_burn"} {
		s.KPIs = append(s.KPIs, b.kpi(id, nil))
	}
	ev.KPIs = append(ev.KPIs, s.KPIs...)
	sav := b.table("Savings opportunities", "cost_savings", nil, 0, "platform", "unused_seats", "cost_per_seat", "potential_savings")
	total := 0.0
	plats, seats, money := column(sav.Table, "platform"), column(sav.Table, "unused_seats"), column(sav.Table, "potential_savings")
	for i := range plats {
		n := num(seats[i])
		m := num(money[i])
		if n == nil || m == nil {
			continue
		}
		total += *m
		ev.Savings = append(ev.Savings, Saving{Platform: records.Text(plats[i]), UnusedSeats: *n, MonthlySavings: *m})
	}
	s.Tables = append(s.Tables, sav)
	util := b.table("Utilization per platform", "cost_breakdown", nil, 0, "platform", "monthly_cost", "utilization")
	s.Chart = barChart("License utilization per platform (%)", "%", util.Table, "platform", "utilization")
	u, c := s.KPIs[0], s.KPIs[4]
	s.Reading = fmt.Sprintf("License utilization %s; cost per deploy %s; unused seats could save %s a month.",
		FormatValue(u.Unit, u.Value), FormatValue(c.Unit, c.Value), FormatValue("currency", &total))
	return s
}

// 6. Revenue impact and its correlation with delivery.
func (b *builder) revenue(ev *Evidence) Section {
	var s Section
	for _, id := range []string{"revenue", "revenue_per_deploy", "revenue_per_developer", "deploy_velocity_change"} {
		s.KPIs = append(s.KPIs, b.kpi(id, nil))
	}
	ev.KPIs = append(ev.KPIs, s.KPIs...)
	// Revenue is booked per calendar month and a correlation needs months, so the tables cover
	// the 12 full calendar months before the end of the period (said in the titles).
	to := time.Date(b.spec.To.Year(), b.spec.To.Month(), 1, 0, 0, 0, 0, time.UTC)
	from := to.AddDate(-1, 0, 0)
	months := from.Format("Jan 2006") + " – " + to.AddDate(0, -1, 0).Format("Jan 2006")
	pl := b.tableIn(from, to, "Revenue by product line, "+months, "revenue_by_product_line", nil, 0)
	corr := b.tableIn(from, to, "Correlation with delivery, "+months, "revenue_correlation", nil, 0)
	s.Tables = append(s.Tables, pl, corr)
	s.Chart = barChart("Revenue per product line, "+months, "currency", pl.Table, "product_line", "revenue")
	rv := s.KPIs[0]
	s.Reading = fmt.Sprintf("Revenue %s in the period", FormatValue(rv.Unit, rv.Value))
	if rv.Value == nil {
		s.Reading = "No revenue month starts in the period (revenue is booked per calendar month)"
	}
	pairs, rs := column(corr.Table, "pair"), column(corr.Table, "r")
	found := false
	for i := range pairs {
		if r, ok := rs[i].(float64); ok && pairs[i] == "deployments vs revenue" {
			s.Reading += fmt.Sprintf("; over %s monthly deployments and revenue correlate with r = %.2f", months, r)
			found = true
		}
	}
	if !found {
		s.Reading += "; too few months with revenue for a correlation with delivery (6 needed)"
	}
	s.Reading += "."
	return s
}

// anomalyBases and forecastBases are the metrics the anomaly and forecast rules watch.
var (
	anomalyBases  = []string{"deployments", "build_success_rate", "platform_error_rate"}
	forecastBases = []string{"deployment_frequency", "lead_time", "change_failure_rate", "build_success_rate"}
)

// 7. Recommendations & action items from the rules (Recommend).
func (b *builder) recommendations(ev *Evidence) Section {
	for _, m := range anomalyBases {
		t := pickFrames(b.frames("anomalies", map[string]any{"baseMetric": m, "interval": "day"}), 0)
		times, exp, act, sev := column(t, "time"), column(t, "expected"), column(t, "actual"), column(t, "severity")
		for i := range times {
			e, a := num(exp[i]), num(act[i])
			if e == nil || a == nil {
				continue
			}
			ev.Anomalies = append(ev.Anomalies, Anomaly{BaseMetric: m, Time: strings.TrimSuffix(records.Text(times[i]), "T00:00:00Z"),
				Expected: *e, Actual: *a, Severity: records.Text(sev[i])})
		}
	}
	for _, m := range forecastBases {
		t := pickFrames(b.frames("forecast", map[string]any{"baseMetric": m, "horizon": 30}), 0)
		ends, fcs, mapes := column(t, "horizon_end"), column(t, "forecast"), column(t, "mape")
		var cur KPI
		for _, k := range ev.KPIs {
			if k.Metric == m {
				cur = k
			}
		}
		for i := range ends {
			if f := num(fcs[i]); f != nil && cur.Metric != "" {
				ev.Forecasts = append(ev.Forecasts, ForecastPoint{Current: cur, HorizonEnd: strings.TrimSuffix(records.Text(ends[i]), "T00:00:00Z"), Forecast: *f, MAPE: num(mapes[i])})
			}
		}
	}
	s := Section{Recommendations: Recommend(*ev)}
	high := 0
	for _, r := range s.Recommendations {
		if r.Severity == "high" {
			high++
		}
	}
	s.Reading = fmt.Sprintf("%d action items, %d of them high priority, each from an explicit rule over this period's data.", len(s.Recommendations), high)
	if len(s.Recommendations) == 0 {
		s.Reading = "No rule fired: every watched metric meets its target and no anomaly, band drop or savings opportunity was found."
	}
	return s
}
