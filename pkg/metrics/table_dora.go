package metrics

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/platformlens/platformlens-analytics-app/pkg/metrics/stats"
)

// dora_summary: the four DORA metrics with their performance band. Lead time, change failure
// rate and recovery time are the catalog metrics of the same names (computed through the
// engine); deployment frequency is measured here as DORA defines it for banding: the median
// number of days per week with a successful production deployment.

// doraBand is one cut-off: a value on the good side of Limit earns Band. The table is data: it
// is printed into the catalog description, so the docs and the computation cannot disagree.
type doraBand struct {
	Band  string
	Limit float64
	// Inclusive: ≤ / ≥ rather than < / >.
	Inclusive bool
}

// doraBands after the 2023 State of DevOps report, as Apache DevLake applies them. Lower is
// better for all but deployment frequency, whose bands are on days per week (elite, high) and
// days per month (medium), see dfBand.
var doraBands = map[string][]doraBand{
	"lead_time":           {{"elite", 24, false}, {"high", 24 * 7, false}, {"medium", 24 * 30, false}},
	"change_failure_rate": {{"elite", 5, true}, {"high", 10, true}, {"medium", 15, true}},
	"recovery_time":       {{"elite", 1, false}, {"high", 24, false}, {"medium", 24 * 7, false}},
}

const (
	dfEliteDaysPerWeek   = 5.0
	dfHighDaysPerWeek    = 1.0
	dfMediumDaysPerMonth = 1.0
)

func bandLowerIsBetter(metric string, v float64) string {
	for _, b := range doraBands[metric] {
		if v < b.Limit || b.Inclusive && v == b.Limit {
			return b.Band
		}
	}
	return "low"
}

func dfBand(perWeek, perMonth float64) string {
	switch {
	case perWeek >= dfEliteDaysPerWeek:
		return "elite"
	case perWeek >= dfHighDaysPerWeek:
		return "high"
	case perMonth >= dfMediumDaysPerMonth:
		return "medium"
	}
	return "low"
}

func doraBandText() string {
	var b strings.Builder
	fmt.Fprintf(&b, "deployment_frequency (median days per week with a successful production deployment): ≥ %g elite, ≥ %g high, "+
		"median days per month ≥ %g medium, else low", dfEliteDaysPerWeek, dfHighDaysPerWeek, dfMediumDaysPerMonth)
	for _, m := range []string{"lead_time", "change_failure_rate", "recovery_time"} {
		fmt.Fprintf(&b, "; %s:", m)
		for _, x := range doraBands[m] {
			op := "<"
			if x.Inclusive {
				op = "≤"
			}
			fmt.Fprintf(&b, " %s %g %s,", op, x.Limit, x.Band)
		}
		b.WriteString(" else low")
	}
	return b.String()
}

// deployDaysSQL counts, per bucket, the days with a successful production deployment. %[1]s is
// the bucket expression, %[2]s the filters.
const deployDaysSQL = `SELECT %[1]s AS b, count(DISTINCT date_trunc('day', finished_at, 'UTC'))::double precision
FROM deployments WHERE is_production AND status = 'success' AND finished_at >= @from AND finished_at < @to%[2]s
GROUP BY 1`

var doraDims = []string{"tech_stack", "team", "product_line", "service"}

func init() {
	Register(Definition{
		ID: "dora_summary", Title: "DORA summary", Category: "efficiency", Unit: "table", Formats: tableOnly, Dimensions: doraDims,
		Description: "The four DORA metrics over the range with their band: deployment_frequency (days/week), lead_time (h), " +
			"change_failure_rate (%), recovery_time (h). Bands (hours for times): " + doraBandText() + ".",
	}, runDORASummary)
}

// medianDays returns the median over b's buckets in range of the days with a deployment
// (buckets without any count as 0).
func medianDays(ctx context.Context, env *Env, q Query, b Bucket) (float64, string, error) {
	where, args, err := filterArgs(q, sameNameColumns(doraDims...))
	if err != nil {
		return 0, "", err
	}
	sql := fmt.Sprintf(deployDaysSQL, bucketSQL(env.Timescale(), b, "finished_at"), where)
	rows, err := env.Query(ctx, q.Metric, sql, args)
	if err != nil {
		return 0, "", err
	}
	defer rows.Close()
	days := map[time.Time]float64{}
	for rows.Next() {
		var t time.Time
		var n float64
		if err := rows.Scan(&t, &n); err != nil {
			return 0, "", dbError(q.Metric+": read row", err)
		}
		days[t.UTC()] = n
	}
	if err := rows.Err(); err != nil {
		return 0, "", dbError(q.Metric, err)
	}
	var vals []float64
	for _, t := range b.Grid(q.From, q.To) {
		vals = append(vals, days[t])
	}
	return stats.Median(vals), sql, nil
}

func runDORASummary(ctx context.Context, env *Env, q Query) (data.Frames, error) {
	perWeek, weekSQL, err := medianDays(ctx, env, q, step("1w"))
	if err != nil {
		return nil, err
	}
	perMonth, monthSQL, err := medianDays(ctx, env, q, step("1mo"))
	if err != nil {
		return nil, err
	}
	names := []string{"deployment_frequency"}
	units := []string{"days/week"}
	values := []*float64{fptr(perWeek)}
	bands := []string{dfBand(perWeek, perMonth)}
	sqls := []string{weekSQL, monthSQL}
	var missing []string
	for _, m := range []string{"lead_time", "change_failure_rate", "recovery_time"} {
		v, sql, err := metricValue(ctx, env, q, m)
		if err != nil {
			return nil, err
		}
		def, _ := Lookup(m)
		band := ""
		if v != nil {
			band = bandLowerIsBetter(m, *v)
		} else {
			missing = append(missing, m)
		}
		names, units, values, bands, sqls = append(names, m), append(units, def.Unit), append(values, v), append(bands, band), append(sqls, sql)
	}
	var notices []data.Notice
	if len(missing) > 0 {
		notices = append(notices, infoNotice("No data in range for %s: no band.", strings.Join(missing, ", ")))
	}
	return data.Frames{newTable(q.Metric).str("metric", "Metric", names).num("value", "Value", "none", values).
		str("unit", "Unit", units).str("band", "Band", bands).frame(joinSQL(sqls...), notices...)}, nil
}
