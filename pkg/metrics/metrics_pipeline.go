package metrics

import (
	"context"
	"fmt"
)

// Pipeline metrics: builds and deployments (seed metric type pipeline-metrics).

var (
	zero, hundred = 0.0, 100.0
	pct0to100     = func(d Definition) Definition { d.Min, d.Max = &zero, &hundred; return d }
)

var buildDurationHist = []rollup{{Grain: day, Dims: buildsRollupDims, Source: rollupUnion(
	"build_duration_hist_daily", "tech_stack, team, status, bin, n",
	"builds", "finished_at", "tech_stack, team, status, "+histBinSQL("duration_seconds")+", 1::bigint", "")}}

func init() {
	registerAgg(pct0to100(Definition{
		ID: "build_success_rate", Title: "Build success rate", Category: "pipeline-metrics", Unit: "%", GrafanaUnit: "percent",
		Description: "Successful builds ÷ (successful + failed builds) × 100 of builds finished in range; cancelled builds are excluded.",
		Dimensions:  []string{"tech_stack", "team", "pipeline", "repo", "service"}, TargetKey: "build_success_rate",
	}), &aggSpec{
		Source: buildsRaw, Dims: buildsDims, Rollups: buildsRollups(), Fill: []fill{fillNull},
		Values: []string{`100.0 * coalesce(sum(builds) FILTER (WHERE status = 'success'), 0) / nullif(sum(builds) FILTER (WHERE status IN ('success', 'failure')), 0)`},
	})

	registerAgg(Definition{
		ID: "builds", Title: "Builds", Category: "pipeline-metrics", Unit: "count", GrafanaUnit: "short",
		Description: "Number of builds finished in range (by status when grouped by status).",
	}, &aggSpec{Source: buildsRaw, Dims: buildsDims, Rollups: buildsRollups(), Fill: []fill{fillZero},
		Values: []string{"sum(builds)"}})

	RegisterSeries(Definition{
		ID: "build_duration", Title: "Build duration", Category: "pipeline-metrics", Unit: "min", GrafanaUnit: "m",
		Description: "p50 / p95 / p99 / mean (option stat, default p50) of the duration of builds finished in range, in minutes. " +
			"Short ranges are exact; ranges of 7 days or more read daily histograms (≤ 2 % relative error); the mean is always exact.",
		Dimensions: buildsDims.keys(), Options: []Option{OptionStat},
	}, buildDuration)

	registerAgg(Definition{
		ID: "deployments", Title: "Deployments", Category: "pipeline-metrics", Unit: "count", GrafanaUnit: "short",
		Description: "Number of deployments finished in range, every environment and status.",
	}, &aggSpec{Source: deploymentsRaw, Dims: deploymentsDims, Rollups: deploymentsRollups(), Fill: []fill{fillZero},
		Values: []string{"sum(deployments)"}})

	registerAgg(Definition{
		ID: "deployment_frequency", Title: "Deployment frequency", Category: "pipeline-metrics", Unit: "/day", GrafanaUnit: "suffix: /day",
		Description: "Successful production deployments ÷ days in range (per bucket: ÷ days of the bucket inside the range).",
		Dimensions:  []string{"tech_stack", "team", "product_line", "environment", "environment_type", "service"}, TargetKey: "deployment_frequency",
	}, &aggSpec{Source: deploymentsRaw, Dims: deploymentsDims, Rollups: deploymentsRollups(), Fill: []fill{fillZero},
		Values: []string{"coalesce(sum(deployments) FILTER (WHERE is_production AND status = 'success'), 0)"}, Post: perDay})
}

func buildDuration(ctx context.Context, env *Env, q Query) (*Result, error) {
	if q.Stat == "mean" {
		return runAgg(ctx, env, q, &aggSpec{Source: buildsRaw, Dims: buildsDims, Rollups: buildsRollups(), Fill: []fill{fillNull},
			Values: []string{"sum(duration_sum) / nullif(sum(builds), 0) / 60"}})
	}
	p, err := statQuantile(q.Stat)
	if err != nil {
		return nil, err
	}
	return runPercentile(ctx, env, q, &pctSpec{Raw: buildsRaw, Col: "duration_sum", Dims: buildsDims, Scale: 1.0 / 60, Hist: buildDurationHist}, p, !env.rawOnly)
}

func statQuantile(stat string) (float64, error) {
	switch stat {
	case "", "p50":
		return 0.5, nil
	case "p95":
		return 0.95, nil
	case "p99":
		return 0.99, nil
	}
	return 0, fmt.Errorf("stat %q is unknown; use p50, p95, p99 or mean", stat)
}
