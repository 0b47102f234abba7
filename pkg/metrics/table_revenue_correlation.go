package metrics

import (
	"context"
	"strings"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"
)

// teamVersionsSQL reads every team version overlapping the range; developers per month are
// summed in Go (a handful of rows) rather than with one sub-select per month.
const teamVersionsSQL = `SELECT developer_count::double precision, valid_from, valid_to FROM teams
WHERE valid_from < @to AND (valid_to IS NULL OR valid_to > @from)`

type teamVersion struct {
	devs     float64
	from, to time.Time
	open     bool
}

func runRevenueCorrelation(ctx context.Context, env *Env, q Query) (data.Frames, error) {
	rev, revSQL, err := metricMonthly(ctx, env, q, "revenue", "")
	if err != nil {
		return nil, err
	}
	deps, depSQL, err := metricMonthly(ctx, env, q, "deployments", "")
	if err != nil {
		return nil, err
	}
	up, upSQL, err := metricMonthly(ctx, env, q, "uptime", "")
	if err != nil {
		return nil, err
	}
	versions, err := readTeamVersions(ctx, env, q)
	if err != nil {
		return nil, err
	}
	grid := step("1mo").Grid(q.From, q.To)
	perDev := map[time.Time]*float64{}
	for _, m := range grid {
		end := step("1mo").Next(m)
		var devs float64
		for _, v := range versions {
			if !v.from.After(end) && (v.open || v.to.After(end)) { // as teamsAtEnd, at the month's end
				devs += v.devs
			}
		}
		if d := deps[""][m]; d != nil && devs > 0 {
			perDev[m] = fptr(*d / devs)
		}
	}
	pairs := []struct {
		name string
		x    map[time.Time]*float64
	}{{"deployments", deps[""]}, {"deployments_per_developer", perDev}, {"uptime", up[""]}}
	var names, short []string
	var rs, months []*float64
	for _, p := range pairs {
		var x, y []float64
		for _, m := range grid {
			if p.x[m] != nil && rev[""][m] != nil {
				x, y = append(x, *p.x[m]), append(y, *rev[""][m])
			}
		}
		var r *float64
		if len(x) >= minCorrelationMonths {
			r = pearson(x, y)
		} else {
			short = append(short, p.name)
		}
		names, rs, months = append(names, p.name+" vs revenue"), append(rs, r), append(months, fptr(float64(len(x))))
	}
	var notices []data.Notice
	if len(short) > 0 {
		notices = append(notices, infoNotice("No correlation for %s: fewer than %d months with both values in range.",
			strings.Join(short, ", "), minCorrelationMonths))
	}
	return data.Frames{newTable(q.Metric).str("pair", "Pair", names).
		num("r", "Pearson r", "none", rs).
		num("months", "Months", "short", months).frame(joinSQL(revSQL, depSQL, upSQL, teamVersionsSQL), notices...)}, nil
}

func readTeamVersions(ctx context.Context, env *Env, q Query) ([]teamVersion, error) {
	rows, err := env.Query(ctx, q.Metric, teamVersionsSQL, map[string]any{"from": q.From, "to": q.To})
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []teamVersion
	for rows.Next() {
		var v teamVersion
		var to *time.Time
		if err := rows.Scan(&v.devs, &v.from, &to); err != nil {
			return nil, dbError(q.Metric+": read teams", err)
		}
		if to == nil {
			v.open = true
		} else {
			v.to = *to
		}
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		return nil, dbError(q.Metric, err)
	}
	return out, nil
}
