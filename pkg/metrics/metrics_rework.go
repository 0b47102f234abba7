package metrics

import "context"

// Deployment rework rate, DORA's fifth key (2024 State of DevOps). The marker is stored on the
// deployment (migration 0007_dora.sql, accepted through ingest): is_rework, or fixes_deployment
// naming the deployment it fixes.

// reworkRaw: every production deployment with whether it is rework.
const reworkRaw = `SELECT d.finished_at AS ts, d.external_id AS id, d.tech_stack, d.team, d.product_line, d.environment, ` + envType + `, d.service,
    (d.is_rework OR d.fixes_deployment IS NOT NULL) AS rework,
    concat_ws('; ', CASE WHEN d.is_rework THEN 'marked is_rework' END, 'fixes ' || d.fixes_deployment) AS reason
  FROM deployments d WHERE d.is_production`

func init() {
	dims := sameNameColumns("tech_stack", "team", "product_line", "environment", "environment_type", "service")
	RegisterSeries(pct0to100(Definition{
		ID: "rework_rate", Title: "Deployment rework rate", Category: "efficiency", Unit: "%", GrafanaUnit: "percent",
		Dimensions: dims.keys(),
		Description: "Rework production deployments ÷ production deployments finished in range × 100 (DORA deployment rework " +
			"rate, 2024). A production deployment is rework when it was unplanned and made to fix a user-facing problem: a " +
			"rollback or roll-forward fix linked to an incident or to a failed change. The source marks it with is_rework, or " +
			"names the deployment it fixes in fixes_deployment (that deployment's external_id); either marks it. The 2021 and " +
			"2023 band sets publish no rework-rate cut-offs, so it has no band.",
	}), func(ctx context.Context, env *Env, q Query) (*Result, error) {
		return runAgg(ctx, env, q, &aggSpec{Source: reworkRaw, Dims: dims, Fill: []fill{fillNull},
			Values: []string{"100.0 * count(*) FILTER (WHERE rework) / nullif(count(*), 0)"}})
	})
}
