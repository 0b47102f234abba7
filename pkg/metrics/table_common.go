package metrics

import (
	"context"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"
	"github.com/jackc/pgx/v5"
)

// Helpers shared by the composite table metrics (table_*.go): a frame builder, and access to
// other metrics' computations so each metric's SQL stays in one place.

// tableOnly is the format list of the composite tables.
var tableOnly = []Format{FormatTable}

// table builds a multi-column table frame field by field.
type table struct{ f *data.Frame }

func newTable(name string) *table {
	return &table{f: data.NewFrame(name)}
}

// str adds a string column.
func (t *table) str(name, display string, vals []string) *table {
	fld := data.NewField(name, nil, vals)
	fld.Config = &data.FieldConfig{DisplayNameFromDS: display}
	t.f.Fields = append(t.f.Fields, fld)
	return t
}

// num adds a nullable numeric column with its Grafana unit.
func (t *table) num(name, display, unit string, vals []*float64) *table {
	fld := data.NewField(name, nil, vals)
	fld.Config = &data.FieldConfig{DisplayNameFromDS: display, Unit: unit}
	t.f.Fields = append(t.f.Fields, fld)
	return t
}

// frame finishes the table with its SQL and notices.
func (t *table) frame(sql string, notices ...data.Notice) *data.Frame {
	t.f.Meta = &data.FrameMeta{Type: data.FrameTypeTable, ExecutedQueryString: sql, Notices: notices}
	return t.f
}

// subQuery is q re-aimed at another metric: table format, grouped by groupBy, keeping only the
// filters that metric accepts (a composite's filter on a dimension the part does not know
// cannot apply to it).
func subQuery(q Query, id, groupBy string) (Query, entry, error) {
	ent, ok := lookup(id)
	if !ok || ent.series == nil {
		return Query{}, entry{}, backend.PluginError(fmt.Errorf("metric %q, needed by %q, is not registered as a series metric", id, q.Metric))
	}
	sub := q
	sub.Metric, sub.GroupBy, sub.Compare, sub.Format = id, groupBy, CompareNone, FormatTable
	sub.Filters = map[string][]string{}
	for k, v := range q.Filters {
		if ent.def.HasDimension(k) {
			sub.Filters[k] = v
		}
	}
	sub.AdHoc = nil
	for _, f := range q.AdHoc {
		if ent.def.HasDimension(f.Key) {
			sub.AdHoc = append(sub.AdHoc, f)
		}
	}
	if groupBy != "" && !ent.def.HasDimension(groupBy) {
		return Query{}, entry{}, backend.PluginError(fmt.Errorf("metric %q cannot be grouped by %q", id, groupBy))
	}
	return sub, ent, nil
}

// metricValues computes metric id over q's whole range, one value per value of groupBy ("" gives
// the overall value under the key ""). It also returns the SQL the metric ran.
func metricValues(ctx context.Context, env *Env, q Query, id, groupBy string) (map[string]*float64, string, error) {
	sub, ent, err := subQuery(q, id, groupBy)
	if err != nil {
		return nil, "", err
	}
	res, err := ent.series(ctx, env, sub)
	if err != nil {
		return nil, "", err
	}
	out := map[string]*float64{}
	for _, s := range res.Series {
		out[s.Labels[groupBy]] = first(s.Values)
	}
	return out, "-- " + id + ":\n" + res.SQL, nil
}

// metricValue is metricValues without grouping.
func metricValue(ctx context.Context, env *Env, q Query, id string) (*float64, string, error) {
	m, sql, err := metricValues(ctx, env, q, id, "")
	if err != nil {
		return nil, "", err
	}
	return m[""], sql, nil
}

// metricMonthly computes metric id per calendar month of q's range, one series per value of
// groupBy ("" = overall); the maps are keyed by group and then by month start (UTC).
func metricMonthly(ctx context.Context, env *Env, q Query, id, groupBy string) (map[string]map[time.Time]*float64, string, error) {
	sub, ent, err := subQuery(q, id, groupBy)
	if err != nil {
		return nil, "", err
	}
	sub.Format, sub.Bucket = FormatTimeSeries, step("1mo")
	res, err := ent.series(ctx, env, sub)
	if err != nil {
		return nil, "", err
	}
	out := map[string]map[time.Time]*float64{}
	for _, s := range res.Series {
		m := map[time.Time]*float64{}
		for i, t := range s.Times {
			m[t.UTC()] = s.Values[i]
		}
		out[s.Labels[groupBy]] = m
	}
	return out, "-- " + id + " per month:\n" + res.SQL, nil
}

// filterArgs is FilterSQL with a fresh argument map holding @from and @to.
func filterArgs(q Query, cols Columns) (string, pgx.NamedArgs, error) {
	args := pgx.NamedArgs{"from": q.From, "to": q.To}
	where, err := FilterSQL(q, cols, args)
	return where, args, err
}

// stackTeamFilters filters an event table and the teams dimension (aliased t) by the same
// tech_stack / team selection, for the per-stack tables that join the two. FilterSQL names the
// parameters of the two clauses apart.
func stackTeamFilters(q Query) (eventWhere, teamWhere string, args pgx.NamedArgs, err error) {
	eventWhere, args, err = filterArgs(q, Columns{"tech_stack": "tech_stack", "team": "team"})
	if err != nil {
		return "", "", nil, err
	}
	teamWhere, err = FilterSQL(q, Columns{"tech_stack": "t.tech_stack", "team": "t.team"}, args)
	return eventWhere, teamWhere, args, err
}

// joinSQL joins the statements a composite ran for the query inspector.
func joinSQL(parts ...string) string {
	return strings.Join(parts, ";\n")
}

// pearson returns the Pearson correlation of x and y, or nil when it is undefined (fewer than
// two points or a constant series).
func pearson(x, y []float64) *float64 {
	n := float64(len(x))
	if len(x) < 2 || len(x) != len(y) {
		return nil
	}
	var sx, sy float64
	for i := range x {
		sx += x[i]
		sy += y[i]
	}
	mx, my := sx/n, sy/n
	var cov, vx, vy float64
	for i := range x {
		cov += (x[i] - mx) * (y[i] - my)
		vx += (x[i] - mx) * (x[i] - mx)
		vy += (y[i] - my) * (y[i] - my)
	}
	if vx == 0 || vy == 0 {
		return nil
	}
	return fptr(cov / math.Sqrt(vx*vy))
}

// slope is the least-squares slope of y over x.
func slope(x, y []float64) float64 {
	n := float64(len(x))
	var sx, sy, sxy, sxx float64
	for i := range x {
		sx += x[i]
		sy += y[i]
		sxy += x[i] * y[i]
		sxx += x[i] * x[i]
	}
	den := n*sxx - sx*sx
	if den == 0 {
		return 0
	}
	return (n*sxy - sx*sy) / den
}

// monthsIn is the length of q's range in average months (30.44 days), for per-month rates.
func monthsIn(q Query) float64 { return q.To.Sub(q.From).Hours() / 24 / 30.44 }

// infoNotice is an informational notice.
func infoNotice(format string, a ...any) data.Notice {
	return data.Notice{Severity: data.NoticeSeverityInfo, Text: fmt.Sprintf(format, a...)}
}
