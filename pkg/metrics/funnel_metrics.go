package metrics

import (
	"context"
	"fmt"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"
)

const funnelRules = "Ordered steps (other events may come between), each after the previous, all within the " +
	"funnel's conversion window from the subject's first step-1 event in range (a repeated step-1 event does not " +
	"restart the window); each subject counts once."

func init() {
	pct, hundred := 0.0, 100.0
	Register(Definition{
		ID: "funnel_steps", Title: "Funnel steps", Category: "funnels", Unit: "table", GrafanaUnit: "short",
		Description: "Per step of the funnel: subjects that reached it, conversion from the previous step and from " +
			"the first step (%), drop-off from the previous step (%) and the median hours from the previous step. " +
			funnelRules + " With a breakdown property key, one set of rows per value of that property on the " +
			"subject's entry event ('(none)' when missing; the 25 largest values).",
		Dimensions: []string{"funnel"}, GroupBy: []string{"funnel"}, Formats: tableOnly, Options: []Option{OptionFunnel, OptionBreakdown},
	}, runFunnelSteps)
	RegisterSeries(Definition{
		ID: "funnel_conversion", Title: "Funnel conversion", Category: "funnels", Unit: "%", GrafanaUnit: "percent",
		Description: "Share of the subjects entering the funnel in an interval (by the time of their first step-1 " +
			"event) that reached the last step. " + funnelRules,
		Dimensions: []string{"funnel"}, Options: []Option{OptionFunnel}, Min: &pct, Max: &hundred,
	}, func(ctx context.Context, env *Env, q Query) (*Result, error) {
		return funnelSeries(ctx, env, q, func(entered, converted int64, _ *float64) *float64 {
			if entered == 0 {
				return nil
			}
			return fptr(100 * float64(converted) / float64(entered))
		})
	})
	RegisterSeries(Definition{
		ID: "funnel_time_to_convert", Title: "Funnel time to convert", Category: "funnels", Unit: "h", GrafanaUnit: "h",
		Description: "Median hours from the first step to the last step of the subjects that converted, by the " +
			"interval they entered in. " + funnelRules,
		Dimensions: []string{"funnel"}, Options: []Option{OptionFunnel},
	}, func(ctx context.Context, env *Env, q Query) (*Result, error) {
		return funnelSeries(ctx, env, q, func(_, _ int64, ttc *float64) *float64 { return ttc })
	})
}

// funnelSeries computes, per funnel q names and per entry bucket, the subjects that entered,
// those that converted and their median time to convert, and turns them into values with pick.
func funnelSeries(ctx context.Context, env *Env, q Query, pick func(entered, converted int64, ttcHours *float64) *float64) (*Result, error) {
	names := funnelNames(q)
	funnels, err := loadFunnels(ctx, env, names)
	if err != nil {
		return nil, err
	}
	grid := bucketStarts(q)
	bucket := "@from::timestamptz"
	if q.Format == FormatTimeSeries {
		bucket = env.BucketSQL(q, "c.t1")
	}
	res := &Result{}
	for _, f := range funnels {
		n := len(f.Steps)
		sql := funnelChainSQL(n, false) + fmt.Sprintf(`SELECT %s AS t, count(*)::bigint, count(c.t%d)::bigint,
  percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM c.t%d - c.t1) / 3600)
FROM chain c GROUP BY 1 ORDER BY 1`, bucket, n, n)
		rows, err := env.Query(ctx, "metric "+q.Metric+" ("+f.Name+")", sql, funnelArgs(q, f))
		if err != nil {
			return nil, err
		}
		byBucket := map[int64]*float64{}
		for rows.Next() {
			var t time.Time
			var entered, converted int64
			var ttc *float64
			if err := rows.Scan(&t, &entered, &converted, &ttc); err != nil {
				rows.Close()
				return nil, dbError("metric "+q.Metric+": read row", err)
			}
			byBucket[t.UTC().Unix()] = pick(entered, converted, ttc)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, dbError("metric "+q.Metric, err)
		}
		s := Series{Values: make([]*float64, len(grid))}
		for i, t := range grid {
			s.Values[i] = byBucket[t.Unix()] // no entry in a bucket: no value, not 0 %
		}
		if q.Format == FormatTimeSeries {
			s.Times = grid
		}
		if labelByFunnel(q, funnels) {
			s.Labels = data.Labels{"funnel": f.Name}
		}
		res.Series = append(res.Series, s)
		res.SQL = joinSQL(nonEmpty(res.SQL, "-- funnel "+f.Name+"\n"+sql)...)
	}
	return res, nil
}

// nonEmpty drops empty strings (the first joinSQL of a loop).
func nonEmpty(parts ...string) []string {
	out := parts[:0]
	for _, p := range parts {
		if p != "" {
			out = append(out, p)
		}
	}
	return out
}
