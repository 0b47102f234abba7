package metrics

import (
	"fmt"
	"time"
)

// Row sources shared by the metric families. Each yields ts (the event time), one column per
// dimension it serves (named like the dimension) and measure columns; rollup variants yield the
// same measure columns from a rollup table for the grain-aligned middle of the range plus raw
// rows for the partial grains at the edges (see rollup).

// rollupUnion builds a rollup row source: cols are read from the rollup table (bucket AS ts) for
// [@mid_from, @mid_to), rawCols (the same columns, in order) from the raw table for the two edges
// [@from, @mid_from) and [@mid_to, @to). pred, if not empty, filters the union (a constant of this
// package).
//
// Each edge is its own branch with a closed range on the time column, never one "outside the
// middle" OR: PostgreSQL switches a prepared statement to a generic plan after five executions
// (Grafana's long-lived pool gets there quickly), and a generic plan cannot turn
// "t < @mid_from OR t >= @mid_to" plus the outer [@from, @to) into two short index ranges: it
// read every raw row of the whole range (a year of probes) and filtered. Two branches, each with
// both bounds as plain parameters, give index ranges the planner can use whatever the values.
func rollupUnion(table, cols, rawTable, rawTime, rawCols, pred string) string {
	edge := func(lo, hi string) string {
		return fmt.Sprintf("SELECT %s AS ts, %s FROM %s WHERE %s >= %s AND %s < %s",
			rawTime, rawCols, rawTable, rawTime, lo, rawTime, hi)
	}
	src := fmt.Sprintf("SELECT bucket AS ts, %s FROM %s WHERE bucket >= @mid_from AND bucket < @mid_to\n"+
		"  UNION ALL\n  %s\n  UNION ALL\n  %s",
		cols, table, edge("@from", "@mid_from"), edge("@mid_to", "@to"))
	if pred == "" {
		return src
	}
	return "SELECT * FROM (" + src + ") u WHERE " + pred
}

const day = 24 * time.Hour

// Builds: raw and rollup sources with the measures builds (count) and duration_sum (seconds).
const buildsRaw = `SELECT finished_at AS ts, tech_stack, team, status, pipeline, repo, service,
  1::bigint AS builds, duration_seconds AS duration_sum FROM builds`

var buildsDims = sameNameColumns("tech_stack", "team", "status", "pipeline", "repo", "service")
var buildsRollupDims = sameNameColumns("tech_stack", "team", "status")

func buildsRollups() []rollup {
	cols := "tech_stack, team, status, builds, duration_sum"
	raw := "tech_stack, team, status, 1::bigint, duration_seconds"
	return []rollup{
		{Grain: day, Dims: buildsRollupDims, Source: rollupUnion("builds_daily", cols, "builds", "finished_at", raw, "")},
		{Grain: time.Hour, Dims: buildsRollupDims, Source: rollupUnion("builds_hourly", cols, "builds", "finished_at", raw, "")},
	}
}

// Deployments: measures deployments (count), is_production, change_failed, and on the raw source
// first_commit_at for lead time. environment_type comes from the environments dimension table.
const envType = `(SELECT e.type FROM environments e WHERE e.name = d.environment) AS environment_type`

const deploymentsRaw = `SELECT d.finished_at AS ts, d.tech_stack, d.team, d.product_line, d.environment, ` + envType + `,
  d.status, d.service, d.is_production, d.change_failed, 1::bigint AS deployments, d.first_commit_at
  FROM deployments d`

var deploymentsDims = sameNameColumns("tech_stack", "team", "product_line", "environment", "environment_type", "status", "service")
var deploymentsRollupDims = sameNameColumns("tech_stack", "team", "product_line", "environment", "environment_type", "status")

func deploymentsRollups() []rollup {
	cols := "tech_stack, team, product_line, environment, status, is_production, change_failed, deployments"
	raw := "tech_stack, team, product_line, environment, status, is_production, change_failed, 1::bigint"
	wrap := func(table string) string {
		return "SELECT d.*, " + envType + " FROM (" + rollupUnion(table, cols, "deployments", "finished_at", raw, "") + ") d"
	}
	return []rollup{
		{Grain: day, Dims: deploymentsRollupDims, Source: wrap("deployments_daily")},
		{Grain: time.Hour, Dims: deploymentsRollupDims, Source: wrap("deployments_hourly")},
	}
}

// Probes: measures probes, down, errors (counts) and response_sum; response_ms on the raw source
// for percentiles. pred restricts the platforms (pipeline availability, dev environments).
func probesRaw(pred string) string {
	src := `SELECT probed_at AS ts, platform, 1::bigint AS probes, (status = 'down')::int AS down,
  error::int AS errors, response_ms FROM platform_probes`
	if pred != "" {
		src += " WHERE " + pred
	}
	return src
}

var probesDims = sameNameColumns("platform")

func probesRollups(pred string) []rollup {
	cols := "platform, probes, down, errors"
	raw := "platform, 1::bigint, (status = 'down')::int, error::int"
	return []rollup{
		{Grain: day, Dims: probesDims, Source: rollupUnion("platform_probes_daily", cols, "platform_probes", "probed_at", raw, pred)},
		{Grain: time.Hour, Dims: probesDims, Source: rollupUnion("platform_probes_hourly", cols, "platform_probes", "probed_at", raw, pred)},
	}
}

// Platform predicates (constants) for the platform subsets of the catalog.
const (
	pipelinePlatforms = "platform IN (SELECT name FROM platforms WHERE is_pipeline)"
	devEnvPlatforms   = "platform IN (SELECT name FROM platforms WHERE category = 'dev_env')"
)
