package metrics

import (
	"context"
	"time"
)

// Cost metrics over each platform's latest license snapshot in range (seed cost-analytics).

const licensesRaw = `SELECT measured_at AS ts, platform, seats_total, seats_active, monthly_cost FROM license_snapshots`

var licenseDims = sameNameColumns("platform")

func licenseSpec(value string) *aggSpec {
	return &aggSpec{Source: licensesRaw, Dims: licenseDims, Latest: "platform", Fill: []fill{fillNull}, Values: []string{value}}
}

// daysPerMonth converts a monthly cost to the cost of a span (365.25 / 12).
const daysPerMonth = 30.44

func init() {
	registerAgg(pct0to100(Definition{
		ID: "license_utilization", Title: "License utilization", Category: "cost-analytics", Unit: "%", GrafanaUnit: "percent",
		TargetKey:   "license_utilization",
		Description: "Σ seats_active ÷ Σ seats_total × 100 over each platform's latest license snapshot in range.",
	}), licenseSpec("100.0 * sum(seats_active) / nullif(sum(seats_total), 0)"))

	registerAgg(Definition{
		ID: "unused_licenses", Title: "Unused licenses", Category: "cost-analytics", Unit: "count", GrafanaUnit: "short",
		Description: "Σ (seats_total − seats_active) over each platform's latest license snapshot in range.",
	}, licenseSpec("sum(seats_total - seats_active)"))

	registerAgg(Definition{
		ID: "monthly_opex", Title: "Monthly OpEx", Category: "cost-analytics", Unit: "currency", GrafanaUnit: "currencyUSD",
		Description: "Σ monthly_cost over each platform's latest license snapshot in range.",
	}, licenseSpec("sum(monthly_cost)"))

	registerAgg(Definition{
		ID: "annual_run_rate", Title: "Annual run rate", Category: "cost-analytics", Unit: "currency", GrafanaUnit: "currencyUSD",
		Description: "Monthly OpEx × 12.",
	}, licenseSpec("sum(monthly_cost) * 12"))

	RegisterSeries(Definition{
		ID: "cost_per_deploy", Title: "Cost per deployment", Category: "cost-analytics", Unit: "currency", GrafanaUnit: "currencyUSD",
		TargetKey: "cost_per_deploy", Dimensions: []string{},
		Description: "Monthly OpEx × (days in range ÷ 30.44) ÷ successful production deployments finished in range (deployments to " +
			"other environments and failed or rolled-back ones are not counted).",
	}, costPerDeploy)
}

func costPerDeploy(ctx context.Context, env *Env, q Query) (*Result, error) {
	opex, err := runAgg(ctx, env, q, licenseSpec("sum(monthly_cost)"))
	if err != nil || len(opex.Series) == 0 {
		return opex, err
	}
	deploys, err := runAgg(ctx, env, q, &aggSpec{Source: deploymentsRaw, Dims: deploymentsDims, Rollups: deploymentsRollups(),
		Fill: []fill{fillZero}, Values: []string{"coalesce(sum(deployments) FILTER (WHERE status = 'success' AND is_production), 0)"}})
	if err != nil {
		return nil, err
	}
	return combine(q, opex, deploys, fillNull, fillZero, func(cost, n *float64, span time.Duration) *float64 {
		if cost == nil {
			return nil
		}
		return ratio(fptr(*cost*span.Hours()/24/daysPerMonth), n)
	}), nil
}
