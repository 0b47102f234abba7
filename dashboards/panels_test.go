package dashboards_test

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/platformlens/platformlens-analytics-app/internal/testdb"
	"github.com/platformlens/platformlens-analytics-app/internal/testworld"
	"github.com/platformlens/platformlens-analytics-app/internal/timespan"
	"github.com/platformlens/platformlens-analytics-app/pkg/datasource"
	"github.com/platformlens/platformlens-analytics-app/pkg/metrics"
)

// demoEnds are the "now"s the dashboards are checked at: the demo data ends there, as it does when
// an Admin loads it. A weekday afternoon (Wednesday 15:00 UTC) and the night of the first of a
// month (empty last hours, a month just begun, no revenue month started in a short range) catch
// panels that only work at a good moment. They are fixed, so
// every run checks the same data; test databases keep TimescaleDB's retention jobs unscheduled
// (internal/testdb), so nothing is dropped by the real clock.
var demoEnds = []time.Time{
	testworld.WeekdayEnd,    // a Wednesday
	testworld.MonthStartEnd, // the night of the first of the month
}

// TestDashboardMetricsExist checks every target against the catalog without a database: the
// metric exists, accepts the format, every filter key is one of its dimensions, and options it
// sets are ones it reads.
func TestDashboardMetricsExist(t *testing.T) {
	for _, d := range loadDashboards(t) {
		if d.UID == "" || d.Title == "" {
			t.Errorf("%s: uid and title are required", d.File)
		}
		for _, q := range d.queries(t) {
			if q.JSON["queryType"] == "annotations" {
				continue // checked by running it
			}
			id, _ := q.JSON["metric"].(string)
			def, ok := metrics.Lookup(id)
			if !ok {
				t.Errorf("%s: metric %q is not in metrics.Catalog()", q.Name, id)
				continue
			}
			if f, _ := q.JSON["format"].(string); f != "" && !def.HasFormat(metrics.Format(f)) {
				t.Errorf("%s: metric %s has no format %q (has %v)", q.Name, id, f, def.Formats)
			}
			filters, _ := q.JSON["filters"].(map[string]any)
			for k := range filters {
				if !def.HasDimension(k) {
					t.Errorf("%s: metric %s does not accept filter %q (dimensions %v)", q.Name, id, k, def.Dimensions)
				}
			}
			if g, _ := q.JSON["groupBy"].(string); g != "" && !def.HasDimension(g) {
				t.Errorf("%s: metric %s cannot group by %q", q.Name, id, g)
			}
			for opt, key := range map[metrics.Option]string{metrics.OptionCompare: "compare", metrics.OptionStat: "stat",
				metrics.OptionFunnel: "funnel", metrics.OptionHorizon: "horizon", metrics.OptionBaseMetric: "baseMetric",
				metrics.OptionSensitivity: "sensitivity"} {
				if v, set := q.JSON[key]; set && v != "" && !def.HasOption(opt) {
					t.Errorf("%s: metric %s does not read option %q", q.Name, id, key)
				}
			}
		}
	}
}

// TestDashboardPanelsReturnData runs every panel target and annotation query of every dashboard
// through the datasource's QueryData (the path Grafana takes) against demo tier S, with every
// multi-value variable on "All", and requires data: no panel may show "No data" on the demo set.
func TestDashboardPanelsReturnData(t *testing.T) {
	if testing.Short() {
		t.Skip("loads demo tier S into PostgreSQL; skipped with -short")
	}
	ctx := context.Background()
	dashboards := loadDashboards(t)

	for i, end := range demoEnds {
		// Each end sees only its own year of demo data, in its own database.
		st, db := testworld.DemoStore(t, end)
		ds := datasource.New(instanceSettings(t, db), datasource.OpenEngine)
		t.Cleanup(ds.Dispose)
		eng := metrics.NewEngine(st)
		t.Run(end.Format("2006-01-02T15h"), func(t *testing.T) {
			for _, d := range dashboards {
				for _, q := range d.queries(t) {
					groupData := map[string]bool{} // per-value variants of a filter variable: any with data
					for _, variant := range interpolate(t, ctx, eng, d, q) {
						// Annotations mark events: a quiet Sunday night rightly has none, so they
						// must return data only at the weekday end; panels at every end. Anomaly
						// annotations mark exceptions, which a healthy day rightly lacks: they must
						// answer without error, not with data.
						isAnno := variant.json["queryType"] == "annotations"
						needData := !isAnno || (i == 0 && variant.json["kind"] != "anomalies")
						if variant.fallback && groupData[variant.group] {
							continue
						}
						if variant.group != "" {
							// One team rightly may have no incident in the range: each value must
							// answer without error, and some value must give data.
							groupData[variant.group] = groupData[variant.group] || !needData
							t.Run(variant.name, func(t *testing.T) {
								if runTarget(t, ctx, ds, variant.json, q.TimeFrom, end, false) {
									groupData[variant.group] = true
								}
							})
							continue
						}
						t.Run(variant.name, func(t *testing.T) {
							runTarget(t, ctx, ds, variant.json, q.TimeFrom, end, needData)
						})
					}
					for g, ok := range groupData {
						if !ok {
							t.Errorf("%s: no value of %s gives data (the panel works only on All)", q.Name, g)
						}
					}
				}
			}
		})
	}
}

type variantQuery struct {
	name string
	json map[string]any
	// group is set on the per-value variants of a single-value filter variable ("team").
	group string
	// fallback: a per-value variant outside the sample, run only while no value gave data.
	fallback bool
}

// interpolate replaces template variables as Grafana does with every multi-value variable on
// "All": a filter whose values are only variable references is dropped (the frontend sends no
// filter for an empty selection, and "All" selects every value anyway). Single-value variables
// in other fields (the funnel) give one variant per value of the variable's dimension, so every
// choice a user can make is run.
func interpolate(t *testing.T, ctx context.Context, eng *metrics.Engine, d dashboard, q query) []variantQuery {
	t.Helper()
	base := map[string]any{}
	for k, v := range q.JSON {
		base[k] = v
	}
	delete(base, "datasource")
	if filters, ok := q.JSON["filters"].(map[string]any); ok {
		kept := map[string]any{}
		for k, raw := range filters {
			var vals []string
			for _, v := range raw.([]any) {
				s := fmt.Sprint(v)
				if _, isVar := varName(s); !isVar {
					vals = append(vals, s)
				}
			}
			if len(vals) > 0 {
				kept[k] = vals
			}
		}
		base["filters"] = kept
	}
	out := []variantQuery{{name: q.Name, json: base}}
	// A single-value variable in a filter (the Team dashboard's team: one team or All) is run on
	// "All" (above) and on each of its values, so a panel that only works org-wide is caught.
	if filters, ok := q.JSON["filters"].(map[string]any); ok {
		keys := make([]string, 0, len(filters))
		for k := range filters {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			raw, _ := filters[k].([]any)
			if len(raw) != 1 {
				continue
			}
			name, isVar := varName(fmt.Sprint(raw[0]))
			if v, ok := d.variable(name); !isVar || !ok || v.Type != "query" || v.Multi {
				continue
			}
			values, sampled := sampleFirst(variableValues(t, ctx, eng, d, name))
			for i, val := range values {
				m := map[string]any{}
				for x, y := range base {
					m[x] = y
				}
				kept := map[string]any{k: []string{val}}
				for x, y := range base["filters"].(map[string]any) {
					kept[x] = y
				}
				m["filters"] = kept
				out = append(out, variantQuery{name: q.Name + "/" + k + "=" + val, json: m, group: "$" + name, fallback: i >= sampled})
			}
		}
	}
	for key, v := range q.JSON {
		s, ok := v.(string)
		if !ok || key == "refId" {
			continue
		}
		name, isVar := varName(s)
		if !isVar {
			if strings.Contains(s, "$") {
				t.Errorf("%s: field %s embeds a variable in %q; use a whole-value reference", q.Name, key, s)
			}
			continue
		}
		values := variableValues(t, ctx, eng, d, name)
		var next []variantQuery
		for _, prev := range out {
			for _, val := range values {
				m := map[string]any{}
				for k, x := range prev.json {
					m[k] = x
				}
				m[key] = val
				next = append(next, variantQuery{name: prev.name + "/" + key + "=" + val, json: m})
			}
		}
		out = next
	}
	return out
}

// sampleFirst orders a variable's values for the per-value runs: the first, middle and last (in
// the variable's sort order) are the sample, the rest fall-backs, run only while no value of the
// sample gave data. The per-value runs catch a panel that works only on "All" (a filter the metric
// ignores or mishandles), which any value with data shows; running all 41 teams × every Team
// panel × two ends took 1,700 subtests and 35 s per TimescaleDB stage for the same finding.
func sampleFirst(values []string) (ordered []string, sampled int) {
	if len(values) <= 3 {
		return values, len(values)
	}
	mid, last := len(values)/2, len(values)-1
	ordered = []string{values[0], values[mid], values[last]}
	for i, v := range values {
		if i != 0 && i != mid && i != last {
			ordered = append(ordered, v)
		}
	}
	return ordered, 3
}

// variableValues lists a single-value query variable's options from the engine, as the
// frontend's /variables route would.
func variableValues(t *testing.T, ctx context.Context, eng *metrics.Engine, d dashboard, name string) []string {
	t.Helper()
	v, ok := d.variable(name)
	if !ok || v.Type != "query" {
		t.Fatalf("%s: variable $%s is not a query variable of the dashboard", d.File, name)
	}
	var vq struct {
		Dimension string `json:"dimension"`
	}
	if err := json.Unmarshal(v.Query, &vq); err != nil || vq.Dimension == "" {
		t.Fatalf("%s: variable $%s has no dimension query: %s", d.File, name, v.Query)
	}
	vals, err := eng.Values(ctx, vq.Dimension, nil)
	if err != nil || len(vals) == 0 {
		t.Fatalf("%s: variable $%s (dimension %s) lists no values on demo data: %v", d.File, name, vq.Dimension, err)
	}
	out := make([]string, len(vals))
	for i, x := range vals {
		out[i] = x.Value
	}
	return out
}

// runTarget sends one query through QueryData and requires an answer without error and, when
// needData, with at least one non-null value. It reports whether the answer has a value.
func runTarget(t *testing.T, ctx context.Context, ds *datasource.Datasource, q map[string]any, timeFrom string, end time.Time, needData bool) bool {
	from, err := timespan.Before(timeFrom, end)
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := json.Marshal(q)
	// Grafana's $__interval for a panel about 1,000 pixels wide.
	interval := max(end.Sub(from)/1000, time.Second)
	refID, _ := q["refId"].(string)
	qt, _ := q["queryType"].(string)
	req := &backend.QueryDataRequest{Queries: []backend.DataQuery{{
		RefID: refID, QueryType: qt, JSON: raw, Interval: interval, MaxDataPoints: 1000,
		TimeRange: backend.TimeRange{From: from, To: end},
	}}}
	resp, err := ds.QueryData(ctx, req)
	if err != nil {
		t.Fatalf("QueryData: %v", err)
	}
	r := resp.Responses[refID]
	if r.Error != nil {
		t.Fatalf("query %s failed: %v", raw, r.Error)
	}
	has := hasValue(r.Frames)
	if !needData || has {
		return has
	}
	var notices []string
	for _, f := range r.Frames {
		if f.Meta != nil {
			for _, n := range f.Meta.Notices {
				notices = append(notices, n.Text)
			}
		}
	}
	t.Errorf("query %s over %s returned no values (the panel would show \"No data\"); notices: %v", raw, timeFrom, notices)
	return false
}

// instanceSettings points the datasource at the test database, as provisioning would.
func instanceSettings(t *testing.T, db *testdb.Database) backend.DataSourceInstanceSettings {
	t.Helper()
	port, _ := strconv.Atoi(db.Port)
	raw, err := json.Marshal(map[string]any{"host": db.Host, "port": port, "database": db.Name, "user": db.User,
		"sslMode": "disable", "maxConns": 4, "statementTimeoutSeconds": 30})
	if err != nil {
		t.Fatal(err)
	}
	return backend.DataSourceInstanceSettings{UID: "platformlens", Name: "PlatformLens", JSONData: raw}
}

// hasValue reports whether a frame holds a non-null value besides time: rows of nulls draw nothing.
func hasValue(frames data.Frames) bool {
	for _, f := range frames {
		for _, fld := range f.Fields {
			if fld.Type().Time() {
				continue
			}
			for i := 0; i < fld.Len(); i++ {
				if v, ok := fld.ConcreteAt(i); ok && v != nil {
					return true
				}
			}
		}
	}
	return false
}
