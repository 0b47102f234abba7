package metrics

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"
)

// Developer experience tables: dx_breakdown (survey means per tech stack) and dx_trend (the
// direction of each stack's monthly mean dx_score).

// teamsAtEnd selects the version of each team valid at the end of the range (@to): the
// developer counts a table shows are "as of now" for the range.
const teamsAtEnd = `SELECT t.name AS team, t.tech_stack, t.product_line, t.developer_count FROM teams t
  WHERE t.valid_from <= @to AND (t.valid_to IS NULL OR t.valid_to > @to)`

const dxBreakdownSQL = `WITH r AS (
  SELECT * FROM dx_responses WHERE submitted_at >= @from AND submitted_at < @to%s
), pains AS (
  SELECT tech_stack, p, count(*) AS n, row_number() OVER (PARTITION BY tech_stack ORDER BY count(*) DESC, p) AS rk
  FROM r, unnest(r.pain_points) p GROUP BY tech_stack, p
), devs AS (
  SELECT tech_stack, sum(developer_count)::double precision AS developers FROM (` + teamsAtEnd + `) t WHERE true%s GROUP BY tech_stack
)
SELECT r.tech_stack, avg(r.dx_score), avg(r.build_time), avg(r.deployment_ease), avg(r.platform_usability),
  avg(r.tooling_effectiveness), count(DISTINCT r.respondent)::double precision,
  coalesce((SELECT string_agg(p, ', ' ORDER BY rk) FROM pains WHERE pains.tech_stack = r.tech_stack AND rk <= 3), ''),
  (SELECT developers FROM devs WHERE devs.tech_stack = r.tech_stack)
FROM r GROUP BY r.tech_stack ORDER BY r.tech_stack`

// dxTrendStable is the band of slopes (points per month) reported as stable.
const dxTrendStable = 1.0

func init() {
	Register(Definition{
		ID: "dx_breakdown", Title: "DX breakdown", Category: "developer-experience", Unit: "table", Formats: tableOnly,
		Dimensions: []string{"tech_stack", "team"},
		Description: "Per tech stack, over the survey responses submitted in range: mean dx_score, mean of each sub-score " +
			"(build_time, deployment_ease, platform_usability, tooling_effectiveness), distinct respondents, the top 3 pain " +
			"points by frequency (ties alphabetical), and developer_count of the stack's teams valid at the end of the range.",
	}, runDXBreakdown)
	Register(Definition{
		ID: "dx_trend", Title: "DX trend", Category: "developer-experience", Unit: "table", Formats: tableOnly,
		Dimensions: []string{"tech_stack", "team"},
		Description: fmt.Sprintf("Per tech stack: least-squares slope of the monthly mean dx_score (points per month, "+
			"months without responses are skipped, not zero); improving above +%[1]g, declining below -%[1]g, else stable. "+
			"Needs at least 3 months with responses; fewer gives no trend and a notice.", dxTrendStable),
	}, runDXTrend)
}

func runDXBreakdown(ctx context.Context, env *Env, q Query) (data.Frames, error) {
	where, teamWhere, args, err := stackTeamFilters(q)
	if err != nil {
		return nil, err
	}
	sql := fmt.Sprintf(dxBreakdownSQL, where, teamWhere)
	rows, err := env.Query(ctx, "dx_breakdown", sql, args)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var stacks, pains []string
	cols := make([][]*float64, 7)
	for rows.Next() {
		var stack, pain string
		v := make([]*float64, 7)
		if err := rows.Scan(&stack, &v[0], &v[1], &v[2], &v[3], &v[4], &v[5], &pain, &v[6]); err != nil {
			return nil, dbError("dx_breakdown: read row", err)
		}
		stacks, pains = append(stacks, stack), append(pains, pain)
		for i := range v {
			cols[i] = append(cols[i], v[i])
		}
	}
	if err := rows.Err(); err != nil {
		return nil, dbError("dx_breakdown", err)
	}
	if len(stacks) == 0 {
		f := EmptyFrame(q.Metric, noDataReason(q))
		f.Meta.ExecutedQueryString = sql
		return data.Frames{f}, nil
	}
	return data.Frames{newTable(q.Metric).str("tech_stack", "Tech stack", stacks).
		num("dx_score", "DX score", "none", cols[0]).
		num("build_time", "Build time", "none", cols[1]).
		num("deployment_ease", "Deployment ease", "none", cols[2]).
		num("platform_usability", "Platform usability", "none", cols[3]).
		num("tooling_effectiveness", "Tooling effectiveness", "none", cols[4]).
		num("respondents", "Respondents", "short", cols[5]).
		str("top_pain_points", "Top pain points", pains).
		num("developer_count", "Developers", "short", cols[6]).frame(sql)}, nil
}

func runDXTrend(ctx context.Context, env *Env, q Query) (data.Frames, error) {
	monthly, sql, err := metricMonthly(ctx, env, q, "dx_score", "tech_stack")
	if err != nil {
		return nil, err
	}
	stacks := make([]string, 0, len(monthly))
	for s := range monthly {
		stacks = append(stacks, s)
	}
	sort.Strings(stacks)
	var outStacks, trends []string
	var months, slopes, latest []*float64
	var short []string
	for _, s := range stacks {
		var x, y []float64
		var last *float64
		for _, m := range sortedMonths(monthly[s]) {
			if v := monthly[s][m]; v != nil {
				// x counts calendar months, so a month without responses leaves a gap.
				x = append(x, float64(m.Year()*12+int(m.Month())))
				y = append(y, *v)
				last = v
			}
		}
		if len(x) == 0 {
			continue
		}
		outStacks, months, latest = append(outStacks, s), append(months, fptr(float64(len(x)))), append(latest, last)
		if len(x) < 3 {
			slopes, trends, short = append(slopes, nil), append(trends, ""), append(short, s)
			continue
		}
		b := slope(x, y)
		slopes, trends = append(slopes, fptr(b)), append(trends, dxTrendLabel(b))
	}
	if len(outStacks) == 0 {
		f := EmptyFrame(q.Metric, noDataReason(q))
		f.Meta.ExecutedQueryString = sql
		return data.Frames{f}, nil
	}
	var notices []data.Notice
	if len(short) > 0 {
		notices = append(notices, infoNotice("No trend for %s: fewer than 3 months with survey responses in range.", strings.Join(short, ", ")))
	}
	return data.Frames{newTable(q.Metric).str("tech_stack", "Tech stack", outStacks).
		num("months", "Months", "short", months).
		num("latest", "Latest monthly DX score", "none", latest).
		num("slope", "Slope (points/month)", "none", slopes).
		str("trend", "Trend", trends).frame(sql, notices...)}, nil
}

func dxTrendLabel(slope float64) string {
	switch {
	case slope > dxTrendStable:
		return "improving"
	case slope < -dxTrendStable:
		return "declining"
	}
	return "stable"
}

func sortedMonths(m map[time.Time]*float64) []time.Time {
	out := make([]time.Time, 0, len(m))
	for t := range m {
		out = append(out, t)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Before(out[j]) })
	return out
}
