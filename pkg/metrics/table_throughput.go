package metrics

import (
	"context"
	"fmt"

	"github.com/grafana/grafana-plugin-sdk-go/data"
)

// throughput: builds and deployments per tech stack with efficiency and mean durations, plus a
// highlights frame naming the best stack on four measures.

const throughputSQL = `WITH b AS (
  SELECT tech_stack, count(*) AS builds, count(*) FILTER (WHERE status = 'success') AS ok,
    avg(duration_seconds) / 60 AS minutes
  FROM builds WHERE finished_at >= @from AND finished_at < @to%[1]s GROUP BY tech_stack
), d AS (
  SELECT tech_stack, count(*) AS deployments, count(*) FILTER (WHERE status = 'success') AS ok,
    avg(duration_seconds) / 60 AS minutes
  FROM deployments WHERE finished_at >= @from AND finished_at < @to%[1]s GROUP BY tech_stack
), devs AS (
  SELECT tech_stack, sum(developer_count) AS developers FROM (` + teamsAtEnd + `) t WHERE true%[2]s GROUP BY tech_stack
)
SELECT s.tech_stack, coalesce(b.builds, 0)::double precision, coalesce(d.deployments, 0)::double precision,
  (100.0 * d.ok / nullif(b.ok, 0))::double precision, b.minutes::double precision, d.minutes::double precision,
  devs.developers::double precision
FROM (SELECT tech_stack FROM b UNION SELECT tech_stack FROM d) s
LEFT JOIN b USING (tech_stack) LEFT JOIN d USING (tech_stack) LEFT JOIN devs USING (tech_stack)
ORDER BY s.tech_stack`

func init() {
	Register(Definition{
		ID: "throughput", Title: "Throughput", Category: "throughput", Unit: "table", Formats: tableOnly,
		Dimensions: []string{"tech_stack", "team"},
		Description: "Per tech stack, over the range: builds, deployments, efficiency = successful deployments ÷ successful " +
			"builds × 100, mean build minutes, mean deploy minutes, developer_count (teams valid at the end of the range). " +
			"A second frame of highlights: highest efficiency, highest throughput (most deployments), fastest build and " +
			"fastest deploy (lowest mean minutes); ties go to the first stack by name.",
	}, runThroughput)
}

func runThroughput(ctx context.Context, env *Env, q Query) (data.Frames, error) {
	where, teamWhere, args, err := stackTeamFilters(q)
	if err != nil {
		return nil, err
	}
	sql := fmt.Sprintf(throughputSQL, where, teamWhere)
	rows, err := env.Query(ctx, q.Metric, sql, args)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var stacks []string
	cols := make([][]*float64, 6)
	for rows.Next() {
		var s string
		v := make([]*float64, 6)
		if err := rows.Scan(&s, &v[0], &v[1], &v[2], &v[3], &v[4], &v[5]); err != nil {
			return nil, dbError(q.Metric+": read row", err)
		}
		stacks = append(stacks, s)
		for i := range v {
			cols[i] = append(cols[i], v[i])
		}
	}
	if err := rows.Err(); err != nil {
		return nil, dbError(q.Metric, err)
	}
	if len(stacks) == 0 {
		return emptyOr(q, sql, nil)
	}
	main := newTable(q.Metric).str("tech_stack", "Tech stack", stacks).
		num("builds", "Builds", "short", cols[0]).
		num("deployments", "Deployments", "short", cols[1]).
		num("efficiency", "Efficiency", "percent", cols[2]).
		num("build_minutes", "Mean build time", "m", cols[3]).
		num("deploy_minutes", "Mean deploy time", "m", cols[4]).
		num("developer_count", "Developers", "short", cols[5]).frame(sql)

	var names, winners []string
	var values []*float64
	for _, h := range []struct {
		name    string
		col     int
		highest bool
	}{{"highest efficiency", 2, true}, {"highest throughput", 1, true}, {"fastest build", 3, false}, {"fastest deploy", 4, false}} {
		best := -1
		for i, v := range cols[h.col] {
			if v != nil && (best < 0 || h.highest && *v > *cols[h.col][best] || !h.highest && *v < *cols[h.col][best]) {
				best = i
			}
		}
		if best >= 0 {
			names, winners, values = append(names, h.name), append(winners, stacks[best]), append(values, cols[h.col][best])
		}
	}
	highlights := newTable(q.Metric+"_highlights").str("highlight", "Highlight", names).
		str("tech_stack", "Tech stack", winners).num("value", "Value", "none", values).frame(sql)
	return data.Frames{main, highlights}, nil
}
