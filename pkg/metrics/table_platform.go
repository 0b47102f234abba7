package metrics

import (
	"context"

	"github.com/grafana/grafana-plugin-sdk-go/data"
)

// platform_status: one row per platform plus a summary frame. Uptime, p95 and error rate come
// from the platform_* metrics through the engine (their SQL, rollups and histograms); only the
// latest status and the incident count are read here.

const platformStatusSQL = `SELECT p.name, p.category,
  coalesce((SELECT pp.status FROM platform_probes pp
            WHERE pp.platform = p.name AND pp.probed_at >= @from AND pp.probed_at < @to
            ORDER BY pp.probed_at DESC LIMIT 1), 'unknown') AS status,
  (SELECT count(*) FROM incidents i
   WHERE i.platform = p.name AND i.opened_at >= @from AND i.opened_at < @to)::double precision AS incidents
FROM platforms p
WHERE true`

func init() {
	Register(Definition{
		ID: "platform_status", Title: "Platform status", Category: "platform-stack", Unit: "table", Formats: tableOnly,
		Dimensions: []string{"platform"},
		Description: "Per platform: latest probe status in range (unknown without probes), uptime %, response p95 (ms), " +
			"error rate %, incidents opened in range. A second frame summarises: total platforms, operational, degraded, " +
			"down, and the average uptime of the platforms.",
	}, runPlatformStatus)
}

func runPlatformStatus(ctx context.Context, env *Env, q Query) (data.Frames, error) {
	where, args, err := filterArgs(q, Columns{"platform": "p.name"})
	if err != nil {
		return nil, err
	}
	sql := platformStatusSQL + where + " ORDER BY p.name"
	rows, err := env.Query(ctx, "platform_status", sql, args)
	if err != nil {
		return nil, err
	}
	var names, cats, statuses []string
	var incidents []*float64
	for rows.Next() {
		var n, c, s string
		var i float64
		if err := rows.Scan(&n, &c, &s, &i); err != nil {
			rows.Close()
			return nil, dbError("platform_status: read row", err)
		}
		names, cats, statuses, incidents = append(names, n), append(cats, c), append(statuses, s), append(incidents, fptr(i))
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, dbError("platform_status", err)
	}
	if len(names) == 0 {
		f := EmptyFrame(q.Metric, "No platforms registered (or none match the filters): add rows to the platforms table.")
		f.Meta.ExecutedQueryString = sql
		return data.Frames{f}, nil
	}
	sqls := []string{sql}
	parts := map[string]map[string]*float64{}
	for _, id := range []string{"platform_uptime", "platform_response_p95", "platform_error_rate"} {
		vals, s, err := metricValues(ctx, env, q, id, "platform")
		if err != nil {
			return nil, err
		}
		parts[id], sqls = vals, append(sqls, s)
	}
	column := func(id string) []*float64 {
		out := make([]*float64, len(names))
		for i, n := range names {
			out[i] = parts[id][n]
		}
		return out
	}
	uptime := column("platform_uptime")
	all := joinSQL(sqls...)
	perPlatform := newTable(q.Metric).
		str("platform", "Platform", names).str("category", "Category", cats).str("status", "Status", statuses).
		num("uptime", "Uptime", "percent", uptime).
		num("response_p95", "Response p95", "ms", column("platform_response_p95")).
		num("error_rate", "Error rate", "percent", column("platform_error_rate")).
		num("incidents", "Incidents", "short", incidents).frame(all)

	count := map[string]float64{}
	var sum, n float64
	for i, s := range statuses {
		count[s]++
		if uptime[i] != nil {
			sum += *uptime[i]
			n++
		}
	}
	var avg *float64
	if n > 0 {
		avg = fptr(sum / n)
	}
	summary := newTable(q.Metric+"_summary").
		num("total", "Platforms", "short", []*float64{fptr(float64(len(names)))}).
		num("operational", "Operational", "short", []*float64{fptr(count["operational"])}).
		num("degraded", "Degraded", "short", []*float64{fptr(count["degraded"])}).
		num("down", "Down", "short", []*float64{fptr(count["down"])}).
		num("average_uptime", "Average uptime", "percent", []*float64{avg}).frame(all)
	return data.Frames{perPlatform, summary}, nil
}
