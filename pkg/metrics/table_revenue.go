package metrics

import (
	"context"
	"fmt"
	"sort"

	"github.com/grafana/grafana-plugin-sdk-go/data"
)

// Revenue tables. Revenue and deployments come from the catalog metrics of those names (through
// the engine); what is new here is how they are split and compared.

const revenueByTechStackSQL = `WITH rev AS (
  SELECT product_line, sum(amount)::double precision AS amount FROM revenue
  WHERE period_start >= @from AND period_start < @to GROUP BY product_line
), dep AS (
  SELECT product_line, tech_stack, count(*)::double precision AS n FROM deployments
  WHERE finished_at >= @from AND finished_at < @to GROUP BY product_line, tech_stack
), split AS (
  SELECT dep.tech_stack, rev.amount * dep.n / sum(dep.n) OVER (PARTITION BY dep.product_line) AS amount, dep.n
  FROM dep JOIN rev USING (product_line)
), devs AS (
  SELECT tech_stack, sum(developer_count)::double precision AS developers FROM (` + teamsAtEnd + `) t GROUP BY tech_stack
)
SELECT s.tech_stack, sum(s.amount), (SELECT sum(n) FROM dep WHERE dep.tech_stack = s.tech_stack),
  (SELECT developers FROM devs WHERE devs.tech_stack = s.tech_stack),
  (SELECT sum(amount) FROM rev)
FROM split s GROUP BY s.tech_stack ORDER BY s.tech_stack`

const teamCountSQL = `SELECT product_line, count(*)::double precision FROM (` + teamsAtEnd + `) t GROUP BY product_line`

// minCorrelationMonths is the fewest months a Pearson r is reported for.
const minCorrelationMonths = 6

func init() {
	Register(Definition{
		ID: "revenue_by_product_line", Title: "Revenue by product line", Category: "revenue-impact", Unit: "table",
		Formats: tableOnly,
		Description: "Per product line: revenue of the months in range, deployments in range, YoY growth % against the same " +
			"range one year earlier (none without revenue then), and the number of its teams valid at the end of the range.",
	}, runRevenueByProductLine)
	Register(Definition{
		ID: "revenue_by_tech_stack", Title: "Revenue by tech stack", Category: "revenue-impact", Unit: "table", Formats: tableOnly,
		Description: "Each product line's revenue in range split across tech stacks by their share of its deployments in range, " +
			"summed per tech stack; with developers (teams valid at the end of the range), deployments per month (30.44 days), " +
			"revenue per developer and % of the total revenue in range (revenue of product lines without deployments stays " +
			"unattributed, named in a notice).",
	}, runRevenueByTechStack)
	Register(Definition{
		ID: "revenue_correlation", Title: "Revenue correlation", Category: "revenue-impact", Unit: "table", Formats: tableOnly,
		Description: fmt.Sprintf("Pearson r over the calendar months of the range between monthly revenue and: deployments, "+
			"deployments per developer (teams valid at each month's end), uptime. Months where either side is missing are "+
			"skipped; fewer than %d months give no r and a notice.", minCorrelationMonths),
	}, runRevenueCorrelation)
}

func runRevenueByProductLine(ctx context.Context, env *Env, q Query) (data.Frames, error) {
	rev, revSQL, err := metricValues(ctx, env, q, "revenue", "product_line")
	if err != nil {
		return nil, err
	}
	back, _ := CompareYoY.Shifts(q.From, q.To)
	prev, _, err := metricValues(ctx, env, q.Shifted(back), "revenue", "product_line")
	if err != nil {
		return nil, err
	}
	deps, depSQL, err := metricValues(ctx, env, q, "deployments", "product_line")
	if err != nil {
		return nil, err
	}
	teams, err := scanLabelled(ctx, env, q, teamCountSQL)
	if err != nil {
		return nil, err
	}
	lines := map[string]bool{}
	for _, m := range []map[string]*float64{rev, deps} {
		for k, v := range m {
			if v != nil {
				lines[k] = true
			}
		}
	}
	names := sortedKeys(lines)
	sql := joinSQL(revSQL, depSQL, teamCountSQL)
	if len(names) == 0 {
		return emptyOr(q, sql, nil)
	}
	var revenue, deployments, growth, teamN []*float64
	for _, n := range names {
		revenue, deployments = append(revenue, orZero(rev[n])), append(deployments, orZero(deps[n]))
		growth = append(growth, ChangePercent(rev[n], prev[n]))
		teamN = append(teamN, orZero(teams[n]))
	}
	return data.Frames{newTable(q.Metric).str("product_line", "Product line", names).
		num("revenue", "Revenue", "currencyUSD", revenue).
		num("deployments", "Deployments", "short", deployments).
		num("yoy_growth", "YoY growth", "percent", growth).
		num("team_count", "Teams", "short", teamN).frame(sql)}, nil
}

func runRevenueByTechStack(ctx context.Context, env *Env, q Query) (data.Frames, error) {
	args := map[string]any{"from": q.From, "to": q.To}
	rows, err := env.Query(ctx, q.Metric, revenueByTechStackSQL, args)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var stacks []string
	var revenue, devs, perMonth, perDev, share []*float64
	var attributed, total float64
	months := monthsIn(q)
	for rows.Next() {
		var s string
		var amount, n float64
		var d, all *float64
		if err := rows.Scan(&s, &amount, &n, &d, &all); err != nil {
			return nil, dbError(q.Metric+": read row", err)
		}
		total = *all
		attributed += amount
		stacks, revenue, devs = append(stacks, s), append(revenue, fptr(amount)), append(devs, d)
		perMonth = append(perMonth, fptr(n/months))
		if d != nil {
			perDev = append(perDev, ratioPtr(amount, *d))
		} else {
			perDev = append(perDev, nil)
		}
		share = append(share, pct(ratioPtr(amount, *all)))
	}
	if err := rows.Err(); err != nil {
		return nil, dbError(q.Metric, err)
	}
	if len(stacks) == 0 {
		return emptyOr(q, revenueByTechStackSQL, nil)
	}
	var notices []data.Notice
	if total-attributed > 1e-9*total {
		notices = append(notices, infoNotice("%.2f of %.2f revenue belongs to product lines without deployments in range and is not attributed to a tech stack.", total-attributed, total))
	}
	return data.Frames{newTable(q.Metric).str("tech_stack", "Tech stack", stacks).
		num("revenue", "Revenue", "currencyUSD", revenue).
		num("developers", "Developers", "short", devs).
		num("deploys_per_month", "Deploys per month", "short", perMonth).
		num("revenue_per_developer", "Revenue per developer", "currencyUSD", perDev).
		num("percent_of_total", "% of total", "percent", share).frame(revenueByTechStackSQL, notices...)}, nil
}

// scanLabelled runs a two-column (label, value) statement with @from/@to.
func scanLabelled(ctx context.Context, env *Env, q Query, sql string) (map[string]*float64, error) {
	rows, err := env.Query(ctx, q.Metric, sql, map[string]any{"from": q.From, "to": q.To})
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]*float64{}
	for rows.Next() {
		var k string
		var v *float64
		if err := rows.Scan(&k, &v); err != nil {
			return nil, dbError(q.Metric+": read row", err)
		}
		out[k] = v
	}
	if err := rows.Err(); err != nil {
		return nil, dbError(q.Metric, err)
	}
	return out, nil
}

func orZero(v *float64) *float64 {
	if v == nil {
		return fptr(0)
	}
	return v
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
