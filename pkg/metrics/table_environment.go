package metrics

import (
	"context"
	"fmt"

	"github.com/grafana/grafana-plugin-sdk-go/data"
)

// environment_deployments: per environment its deployments, success rate and a status, plus a
// per-type summary frame.

// Status rules (shared/spec/metrics.md): down when the environment's last 3 deployments (before
// the end of the range) all failed; degraded when the success rate of the last 24 h is below
// 90 %; otherwise operational.
const (
	envDownRun          = 3
	envDegradedBelowPct = 90.0
)

const environmentDeploymentsSQL = `SELECT e.name, e.type,
  (SELECT count(*) FROM deployments d
   WHERE d.environment = e.name AND d.finished_at >= @from AND d.finished_at < @to)::double precision,
  (SELECT 100.0 * count(*) FILTER (WHERE d.status = 'success') / nullif(count(*), 0) FROM deployments d
   WHERE d.environment = e.name AND d.finished_at >= @from AND d.finished_at < @to)::double precision,
  coalesce((SELECT count(*) = @run AND bool_and(x.status <> 'success') FROM (
     SELECT d.status FROM deployments d WHERE d.environment = e.name AND d.finished_at < @to
     ORDER BY d.finished_at DESC LIMIT @run) x), false),
  (SELECT 100.0 * count(*) FILTER (WHERE d.status = 'success') / nullif(count(*), 0) FROM deployments d
   WHERE d.environment = e.name AND d.finished_at >= @to - interval '24 hours' AND d.finished_at < @to)::double precision
FROM environments e
WHERE true%s
ORDER BY e.name`

func init() {
	Register(Definition{
		ID: "environment_deployments", Title: "Environment deployments", Category: "environment-metrics", Unit: "table",
		Formats: tableOnly, Dimensions: []string{"environment", "environment_type"},
		Description: fmt.Sprintf("Per environment: type, deployments finished in range, success rate %% (success ÷ all), "+
			"and status: down if its last %d deployments before the end of the range all failed (failure or rolled_back), "+
			"degraded if the success rate of the last 24 h before the end of the range is below %g %%, else operational. "+
			"A second frame per environment type: environments, deployments, mean success rate of its environments.",
			envDownRun, envDegradedBelowPct),
	}, runEnvironmentDeployments)
}

func runEnvironmentDeployments(ctx context.Context, env *Env, q Query) (data.Frames, error) {
	where, args, err := filterArgs(q, Columns{"environment": "e.name", "environment_type": "e.type"})
	if err != nil {
		return nil, err
	}
	args["run"] = envDownRun
	sql := fmt.Sprintf(environmentDeploymentsSQL, where)
	rows, err := env.Query(ctx, q.Metric, sql, args)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var names, types, statuses []string
	var deploys, rates []*float64
	for rows.Next() {
		var name, typ string
		var n float64
		var rate, recent *float64
		var down bool
		if err := rows.Scan(&name, &typ, &n, &rate, &down, &recent); err != nil {
			return nil, dbError(q.Metric+": read row", err)
		}
		status := "operational"
		switch {
		case down:
			status = "down"
		case recent != nil && *recent < envDegradedBelowPct:
			status = "degraded"
		}
		names, types, statuses = append(names, name), append(types, typ), append(statuses, status)
		deploys, rates = append(deploys, fptr(n)), append(rates, rate)
	}
	if err := rows.Err(); err != nil {
		return nil, dbError(q.Metric, err)
	}
	if len(names) == 0 {
		f := EmptyFrame(q.Metric, "No environments registered (or none match the filters): add rows to the environments table.")
		f.Meta.ExecutedQueryString = sql
		return data.Frames{f}, nil
	}
	perEnv := newTable(q.Metric).str("environment", "Environment", names).str("type", "Type", types).
		num("deployments", "Deployments", "short", deploys).
		num("success_rate", "Success rate", "percent", rates).
		str("status", "Status", statuses).frame(sql)

	// Per type, in first-seen order (environments are sorted by name).
	var typeOrder []string
	envs, total, rateSum, rateN := map[string]float64{}, map[string]float64{}, map[string]float64{}, map[string]float64{}
	for i, t := range types {
		if envs[t] == 0 {
			typeOrder = append(typeOrder, t)
		}
		envs[t]++
		total[t] += *deploys[i]
		if rates[i] != nil {
			rateSum[t] += *rates[i]
			rateN[t]++
		}
	}
	var nEnv, nDep, meanRate []*float64
	for _, t := range typeOrder {
		nEnv, nDep = append(nEnv, fptr(envs[t])), append(nDep, fptr(total[t]))
		meanRate = append(meanRate, ratioPtr(rateSum[t], rateN[t]))
	}
	perType := newTable(q.Metric+"_by_type").str("type", "Type", typeOrder).
		num("environments", "Environments", "short", nEnv).
		num("deployments", "Deployments", "short", nDep).
		num("mean_success_rate", "Mean success rate", "percent", meanRate).frame(sql)
	return data.Frames{perEnv, perType}, nil
}
