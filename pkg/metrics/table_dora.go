package metrics

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/platformlens/platformlens-analytics-app/pkg/metrics/stats"
)

// dora_summary: the DORA keys with their performance band, overall or per group. Lead time,
// change failure rate and recovery time are the catalog metrics of the same names (computed
// through the engine, grouped the same way); deployment frequency is measured here as DORA
// defines it for banding: the median number of days per week with a successful production
// deployment. The band sets are data (dora_bands.go).

// deployDaysSQL counts, per bucket and group, the days with a successful production deployment.
// %[1]s is the bucket expression, %[2]s the group expression, %[3]s the filters.
const deployDaysSQL = `SELECT %[1]s AS b, %[2]s AS g, count(DISTINCT date_trunc('day', finished_at, 'UTC'))::double precision
FROM deployments WHERE is_production AND status = 'success' AND finished_at >= @from AND finished_at < @to%[3]s
GROUP BY 1, 2`

var doraDims = []string{"tech_stack", "team", "product_line", "service"}

// doraSummaryKeys are the keys computed through their catalog metrics; rework_rate has no
// published bands, so its band is empty.
var doraSummaryKeys = append(append([]string{}, doraLowerKeys...), "rework_rate")

func init() {
	Register(Definition{
		ID: "dora_summary", Title: "DORA summary", Category: "efficiency", Unit: "table", Formats: tableOnly,
		Dimensions: doraDims, GroupBy: doraDims, Options: []Option{OptionBands},
		Description: "The DORA keys over the range with their band: deployment_frequency (days/week), lead_time (h), " +
			"change_failure_rate (%), recovery_time (h), and rework_rate (%, no published bands: band empty); grouped by team, tech_stack, service or product_line, one set of rows " +
			"(and bands) per group. The column band_set names the band set used (option bands, default from the datasource, " +
			"else the catalog). Bands (hours for times): " + doraBandText() + ".",
	}, runDORASummary)
}

// medianDays returns, per group, the median over b's buckets in range of the days with a
// deployment (buckets without any count as 0).
func medianDays(ctx context.Context, env *Env, q Query, b Bucket) (map[string]float64, string, error) {
	cols := sameNameColumns(doraDims...)
	where, args, err := filterArgs(q, cols)
	if err != nil {
		return nil, "", err
	}
	group, err := groupColumn(q, cols)
	if err != nil {
		return nil, "", err
	}
	sql := fmt.Sprintf(deployDaysSQL, bucketSQL(env.Timescale(), b, "finished_at"), group, where)
	rows, err := env.Query(ctx, q.Metric, sql, args)
	if err != nil {
		return nil, "", err
	}
	defer rows.Close()
	days := map[string]map[time.Time]float64{}
	for rows.Next() {
		var t time.Time
		var g string
		var n float64
		if err := rows.Scan(&t, &g, &n); err != nil {
			return nil, "", dbError(q.Metric+": read row", err)
		}
		if days[g] == nil {
			days[g] = map[time.Time]float64{}
		}
		days[g][t.UTC()] = n
	}
	if err := rows.Err(); err != nil {
		return nil, "", dbError(q.Metric, err)
	}
	out := map[string]float64{}
	if q.GroupBy == "" && len(days) == 0 {
		days[""] = nil // no deployment at all: the org's median is 0 days
	}
	grid := b.Grid(q.From, q.To)
	for g, m := range days {
		vals := make([]float64, len(grid))
		for i, t := range grid {
			vals[i] = m[t]
		}
		out[g] = stats.Median(vals)
	}
	return out, sql, nil
}

// doraRow is one line of the summary.
type doraRow struct {
	group, metric, unit, band string
	value                     *float64
}

func runDORASummary(ctx context.Context, env *Env, q Query) (data.Frames, error) {
	set := bandSetOf(q)
	perWeek, weekSQL, err := medianDays(ctx, env, q, step("1w"))
	if err != nil {
		return nil, err
	}
	perMonth, monthSQL, err := medianDays(ctx, env, q, step("1mo"))
	if err != nil {
		return nil, err
	}
	sqls := []string{weekSQL, monthSQL}
	values := map[string]map[string]*float64{} // metric → group → value
	groups := map[string]bool{}
	for g := range perWeek {
		groups[g] = true
	}
	for _, m := range doraSummaryKeys {
		v, sql, err := metricValues(ctx, env, q, m, q.GroupBy)
		if err != nil {
			return nil, err
		}
		values[m], sqls = v, append(sqls, sql)
		for g := range v {
			groups[g] = true
		}
	}
	if q.GroupBy == "" {
		groups[""] = true
	}
	ordered := make([]string, 0, len(groups))
	for g := range groups {
		ordered = append(ordered, g)
	}
	sort.Strings(ordered)
	var rows []doraRow
	missing := map[string]bool{}
	for _, g := range ordered {
		rows = append(rows, doraRow{group: g, metric: "deployment_frequency", unit: "days/week",
			value: fptr(perWeek[g]), band: set.dfBand(perWeek[g], perMonth[g])})
		for _, m := range doraSummaryKeys {
			def, _ := Lookup(m)
			r := doraRow{group: g, metric: m, unit: def.Unit, value: values[m][g]}
			if r.value != nil {
				r.band = set.band(m, *r.value)
			} else if m != "rework_rate" { // no rework data is common (sources without the marker)
				missing[m] = true
			}
			rows = append(rows, r)
		}
	}
	return data.Frames{doraFrame(q, set, rows, joinSQL(sqls...), missing)}, nil
}

func doraFrame(q Query, set bandSet, rows []doraRow, sql string, missing map[string]bool) *data.Frame {
	n := len(rows)
	groups, names, units, bands, sets := make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n)
	values := make([]*float64, n)
	for i, r := range rows {
		groups[i], names[i], units[i], bands[i], sets[i], values[i] = r.group, r.metric, r.unit, r.band, set.ID, r.value
	}
	t := newTable(q.Metric)
	if q.GroupBy != "" {
		t.str(q.GroupBy, dimensionLabels[q.GroupBy], groups)
	}
	t.str("metric", "Metric", names).num("value", "Value", "none", values).str("unit", "Unit", units).
		str("band", "Band", bands).str("band_set", "Band set", sets)
	notices := []data.Notice{infoNotice("Bands: %s (bands %q; source: %s).", set.Title, set.ID, set.Source)}
	if len(missing) > 0 {
		var ms []string
		for _, m := range doraSummaryKeys {
			if missing[m] {
				ms = append(ms, m)
			}
		}
		notices = append(notices, infoNotice("No data in range for %s (in some or all groups): no band.", strings.Join(ms, ", ")))
	}
	return t.frame(sql, notices...)
}
