package metrics

import "context"

// Platform stack metrics: probes of the platforms (seed metric type platform-stack).

const uptimeValue = `100.0 * (sum(probes) - sum(down)) / nullif(sum(probes), 0)`

var responseHist = []rollup{{Grain: day, Dims: probesDims, Source: rollupUnion(
	"platform_response_hist_daily", "platform, bin, n",
	"platform_probes", "probed_at", "platform, "+histBinSQL("response_ms")+", 1::bigint", "")}}

func uptimeSpec(pred string) *aggSpec {
	return &aggSpec{Source: probesRaw(pred), Dims: probesDims, Rollups: probesRollups(pred), Fill: []fill{fillNull},
		Values: []string{uptimeValue}}
}

func init() {
	registerAgg(pct0to100(Definition{
		ID: "platform_uptime", Title: "Platform uptime", Category: "platform-stack", Unit: "%", GrafanaUnit: "percent", TargetKey: "uptime",
		Description: "Probes not down ÷ all probes × 100 (degraded counts as up), per platform when grouped, else over all platforms.",
	}), uptimeSpec(""))

	registerAgg(pct0to100(Definition{
		ID: "uptime", Title: "Uptime", Category: "stability", Unit: "%", GrafanaUnit: "percent", TargetKey: "uptime",
		Description: "Platform uptime over all platforms: probes not down ÷ all probes × 100.",
	}), uptimeSpec(""))

	registerAgg(pct0to100(Definition{
		ID: "pipeline_availability", Title: "Pipeline availability", Category: "pipeline-metrics", Unit: "%", GrafanaUnit: "percent",
		TargetKey:   "pipeline_availability",
		Description: "Platform uptime over the platforms marked is_pipeline: probes not down ÷ all probes × 100.",
	}), uptimeSpec(pipelinePlatforms))

	registerAgg(pct0to100(Definition{
		ID: "cloud_dev_env_health", Title: "Cloud dev environment health", Category: "pipeline-metrics", Unit: "%", GrafanaUnit: "percent",
		TargetKey:   "cloud_dev_env_health",
		Description: "Platform uptime over the platforms of category dev_env: probes not down ÷ all probes × 100.",
	}), uptimeSpec(devEnvPlatforms))

	registerAgg(pct0to100(Definition{
		ID: "platform_error_rate", Title: "Platform error rate", Category: "platform-stack", Unit: "%", GrafanaUnit: "percent",
		Description: "Probes with error ÷ all probes × 100.",
	}), &aggSpec{Source: probesRaw(""), Dims: probesDims, Rollups: probesRollups(""), Fill: []fill{fillNull},
		Values: []string{"100.0 * sum(errors) / nullif(sum(probes), 0)"}})

	RegisterSeries(Definition{
		ID: "platform_response_p95", Title: "Platform response time p95", Category: "platform-stack", Unit: "ms", GrafanaUnit: "ms",
		Description: "95th percentile of probe response_ms. Exact for short ranges; ranges of 7 days or more read daily histograms (≤ 2 % relative error).",
		Dimensions:  probesDims.keys(),
	}, func(ctx context.Context, env *Env, q Query) (*Result, error) {
		return runPercentile(ctx, env, q, &pctSpec{Raw: probesRaw(""), Col: "response_ms", Dims: probesDims, Scale: 1, Hist: responseHist}, 0.95, !env.rawOnly)
	})
}
