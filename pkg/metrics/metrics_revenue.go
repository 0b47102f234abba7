package metrics

import (
	"context"
	"time"
)

// Revenue metrics (seed revenue-impact, product-lines).

const revenueRaw = `SELECT period_start AS ts, product_line, amount FROM revenue`

var revenueDims = sameNameColumns("product_line")

var revenueSpec = &aggSpec{Source: revenueRaw, Dims: revenueDims, Fill: []fill{fillZero}, Values: []string{"sum(amount)"}}

// developersAt: Σ developer_count of the teams valid at an instant.
var developersAt = &pointSpec{
	Source: `SELECT valid_from AS ts, valid_to AS until, name AS team, tech_stack, product_line, developer_count FROM teams`,
	Dims:   sameNameColumns("team", "tech_stack", "product_line"), Value: "sum(developer_count)", Fill: fillNull,
}

func init() {
	registerAgg(Definition{
		ID: "revenue", Title: "Revenue", Category: "revenue-impact", Unit: "currency", GrafanaUnit: "currencyUSD",
		Description: "Σ amount of the months starting in range (by product line when grouped).",
	}, revenueSpec)

	RegisterSeries(Definition{
		ID: "revenue_per_deploy", Title: "Revenue per deployment", Category: "revenue-impact", Unit: "currency", GrafanaUnit: "currencyUSD",
		Dimensions:  revenueDims.keys(),
		Description: "Revenue ÷ successful production deployments in range (per product line when grouped).",
	}, func(ctx context.Context, env *Env, q Query) (*Result, error) {
		return revenueOver(ctx, env, q, func(ctx context.Context) (*Result, error) {
			return runAgg(ctx, env, q, &aggSpec{Source: deploymentsRaw, Dims: deploymentsDims, Rollups: deploymentsRollups(),
				Fill: []fill{fillZero}, Values: []string{"coalesce(sum(deployments) FILTER (WHERE is_production AND status = 'success'), 0)"}})
		}, fillZero)
	})

	RegisterSeries(Definition{
		ID: "revenue_per_developer", Title: "Revenue per developer", Category: "revenue-impact", Unit: "currency", GrafanaUnit: "currencyUSD",
		Dimensions:  revenueDims.keys(),
		Description: "Revenue ÷ developers (Σ developer_count of the teams valid at the end of the range or bucket).",
	}, func(ctx context.Context, env *Env, q Query) (*Result, error) {
		return revenueOver(ctx, env, q, func(ctx context.Context) (*Result, error) { return runPoint(ctx, env, q, developersAt) }, fillNull)
	})

	RegisterSeries(Definition{
		ID: "deploy_velocity_change", Title: "Deploy velocity change", Category: "revenue-impact", Unit: "%", GrafanaUnit: "percent",
		Dimensions:  deploymentsDims.keys(),
		Description: "Deployments in range vs the same range one year earlier: (current − year before) ÷ year before × 100.",
	}, deployVelocityChange)
}

// revenueOver divides revenue by another series; no revenue at all gives no value, not 0.
func revenueOver(ctx context.Context, env *Env, q Query, denom func(context.Context) (*Result, error), denomFill fill) (*Result, error) {
	rev, err := runAgg(ctx, env, q, revenueSpec)
	if err != nil || len(rev.Series) == 0 {
		return rev, err
	}
	d, err := denom(ctx)
	if err != nil {
		return nil, err
	}
	return combine(q, rev, d, fillZero, denomFill, func(x, y *float64, _ time.Duration) *float64 { return ratio(x, y) }), nil
}

func deployVelocityChange(ctx context.Context, env *Env, q Query) (*Result, error) {
	spec := &aggSpec{Source: deploymentsRaw, Dims: deploymentsDims, Rollups: deploymentsRollups(), Fill: []fill{fillZero},
		Values: []string{"sum(deployments)"}}
	cur, err := runAgg(ctx, env, q, spec)
	if err != nil {
		return nil, err
	}
	back, _ := CompareYoY.Shifts(q.From, q.To)
	prev, err := runAgg(ctx, env, q.Shifted(back), spec)
	if err != nil {
		return nil, err
	}
	if len(cur.Series) == 0 && len(prev.Series) == 0 {
		return cur, nil
	}
	// The year-earlier grid is paired with the current one bucket by bucket (month buckets match
	// exactly; fixed-width buckets may be offset by the weekday shift of a year).
	return combine(q, cur, prev, fillZero, fillZero, func(x, y *float64, _ time.Duration) *float64 { return ChangePercent(x, y) }), nil
}
