package metrics

import (
	"context"
	"fmt"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"
)

// Cost tables over the latest license snapshot of each platform within the range.

const latestLicensesSQL = `SELECT DISTINCT ON (l.platform) l.platform, l.seats_total::double precision,
  l.seats_active::double precision, l.monthly_cost::double precision
FROM license_snapshots l
WHERE l.measured_at >= @from AND l.measured_at < @to%s
ORDER BY l.platform, l.measured_at DESC`

type license struct {
	platform            string
	total, active, cost float64
}

func latestLicenses(ctx context.Context, env *Env, q Query) ([]license, string, error) {
	where, args, err := filterArgs(q, Columns{"platform": "l.platform"})
	if err != nil {
		return nil, "", err
	}
	sql := fmt.Sprintf(latestLicensesSQL, where)
	rows, err := env.Query(ctx, q.Metric, sql, args)
	if err != nil {
		return nil, "", err
	}
	defer rows.Close()
	var out []license
	for rows.Next() {
		var l license
		if err := rows.Scan(&l.platform, &l.total, &l.active, &l.cost); err != nil {
			return nil, "", dbError(q.Metric+": read row", err)
		}
		out = append(out, l)
	}
	if err := rows.Err(); err != nil {
		return nil, "", dbError(q.Metric, err)
	}
	return out, sql, nil
}

func ratioPtr(a, b float64) *float64 {
	if b == 0 {
		return nil
	}
	return fptr(a / b)
}

func init() {
	Register(Definition{
		ID: "cost_breakdown", Title: "Cost breakdown", Category: "cost-analytics", Unit: "table", Formats: tableOnly,
		Dimensions: []string{"platform"},
		Description: "Per platform, from its latest license snapshot in range: monthly cost, % of the total monthly cost, " +
			"seats (total, active), utilization = active ÷ total × 100, cost per seat = monthly cost ÷ total seats.",
	}, runCostBreakdown)
	Register(Definition{
		ID: "cost_savings", Title: "Cost savings", Category: "cost-analytics", Unit: "table", Formats: tableOnly,
		Dimensions: []string{"platform"},
		Description: "Per platform with unused seats in its latest license snapshot in range: unused seats × cost per seat " +
			"(monthly cost ÷ total seats) = potential monthly savings, with a recommendation; largest savings first.",
	}, runCostSavings)
	Register(Definition{
		ID: "budget_burn", Title: "Budget burn", Category: "cost-analytics", Unit: "%", GrafanaUnit: "percent", Formats: tableOnly,
		Dimensions: []string{"platform"},
		Description: "Month-to-date cost ÷ Σ platform monthly budget × 100, for the calendar month (UTC) containing the end " +
			"of the range: month-to-date cost = Σ monthly cost of the latest snapshots in range × elapsed fraction of that month.",
	}, runBudgetBurn)
}

func runCostBreakdown(ctx context.Context, env *Env, q Query) (data.Frames, error) {
	ls, sql, err := latestLicenses(ctx, env, q)
	if err != nil || len(ls) == 0 {
		return emptyOr(q, sql, err)
	}
	var total float64
	for _, l := range ls {
		total += l.cost
	}
	var names []string
	var cost, share, seats, active, util, perSeat []*float64
	for _, l := range ls {
		names = append(names, l.platform)
		cost, seats, active = append(cost, fptr(l.cost)), append(seats, fptr(l.total)), append(active, fptr(l.active))
		share = append(share, pct(ratioPtr(l.cost, total)))
		util = append(util, pct(ratioPtr(l.active, l.total)))
		perSeat = append(perSeat, ratioPtr(l.cost, l.total))
	}
	return data.Frames{newTable(q.Metric).str("platform", "Platform", names).
		num("monthly_cost", "Monthly cost", "currencyUSD", cost).
		num("percent_of_total", "% of total", "percent", share).
		num("seats_total", "Seats", "short", seats).
		num("seats_active", "Active seats", "short", active).
		num("utilization", "Utilization", "percent", util).
		num("cost_per_seat", "Cost per seat", "currencyUSD", perSeat).frame(sql)}, nil
}

func runCostSavings(ctx context.Context, env *Env, q Query) (data.Frames, error) {
	ls, sql, err := latestLicenses(ctx, env, q)
	if err != nil || len(ls) == 0 {
		return emptyOr(q, sql, err)
	}
	// Largest savings first: a stable insertion sort keeps platform order among equals.
	var rows []license
	for _, l := range ls {
		if l.total > l.active && l.total > 0 {
			rows = append(rows, l)
		}
	}
	saving := func(l license) float64 { return (l.total - l.active) * l.cost / l.total }
	for i := 1; i < len(rows); i++ {
		for j := i; j > 0 && saving(rows[j]) > saving(rows[j-1]); j-- {
			rows[j], rows[j-1] = rows[j-1], rows[j]
		}
	}
	if len(rows) == 0 {
		f := EmptyFrame(q.Metric, "No unused seats in the latest license snapshots in range: nothing to reclaim.")
		f.Meta.ExecutedQueryString = sql
		return data.Frames{f}, nil
	}
	var names, recs []string
	var unused, perSeat, savings []*float64
	for _, l := range rows {
		u := l.total - l.active
		names, recs = append(names, l.platform), append(recs, fmt.Sprintf("Reclaim %g unused seats", u))
		unused, perSeat, savings = append(unused, fptr(u)), append(perSeat, fptr(l.cost/l.total)), append(savings, fptr(saving(l)))
	}
	return data.Frames{newTable(q.Metric).str("platform", "Platform", names).
		num("unused_seats", "Unused seats", "short", unused).
		num("cost_per_seat", "Cost per seat", "currencyUSD", perSeat).
		num("potential_savings", "Potential monthly savings", "currencyUSD", savings).
		str("recommendation", "Recommendation", recs).frame(sql)}, nil
}

func runBudgetBurn(ctx context.Context, env *Env, q Query) (data.Frames, error) {
	ls, sql, err := latestLicenses(ctx, env, q)
	if err != nil || len(ls) == 0 {
		return emptyOr(q, sql, err)
	}
	where, args, err := filterArgs(q, Columns{"platform": "name"})
	if err != nil {
		return nil, err
	}
	budgetSQL := "SELECT sum(monthly_budget)::double precision FROM platforms WHERE true" + where
	var budget *float64
	if err := env.DB.QueryRow(ctx, budgetSQL, args).Scan(&budget); err != nil {
		return nil, dbError("budget_burn: read budgets", err)
	}
	sql = joinSQL(sql, budgetSQL)
	if budget == nil || *budget == 0 {
		f := EmptyFrame(q.Metric, "No monthly budget set on the platforms (platforms.monthly_budget): budget burn is undefined.")
		f.Meta.ExecutedQueryString = sql
		return data.Frames{f}, nil
	}
	var cost float64
	for _, l := range ls {
		cost += l.cost
	}
	// The month containing the end of the range (To is exclusive, so step back an instant).
	end := q.To.Add(-time.Nanosecond).UTC()
	monthStart := time.Date(end.Year(), end.Month(), 1, 0, 0, 0, 0, time.UTC)
	elapsed := q.To.Sub(monthStart).Hours() / monthStart.AddDate(0, 1, 0).Sub(monthStart).Hours()
	value := newTable(q.Metric).num("value", "Budget burn", "percent", []*float64{fptr(100 * cost * elapsed / *budget)})
	f := value.frame(sql, infoNotice("Month to date: %.1f%% of %s elapsed, monthly cost %.2f, budget %.2f.",
		100*elapsed, monthStart.Format("January 2006"), cost, *budget))
	f.Meta.Type = data.FrameTypeNumericLong
	return data.Frames{f}, nil
}

// pct turns a ratio into percent.
func pct(r *float64) *float64 {
	if r == nil {
		return nil
	}
	return fptr(100 * *r)
}

// emptyOr returns err, or the empty frame with the no-data notice.
func emptyOr(q Query, sql string, err error) (data.Frames, error) {
	if err != nil {
		return nil, err
	}
	f := EmptyFrame(q.Metric, noDataReason(q))
	f.Meta.ExecutedQueryString = sql
	return data.Frames{f}, nil
}
