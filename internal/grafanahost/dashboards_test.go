package grafanahost

import (
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/genproto/pluginv2"
	"gopkg.in/yaml.v3"

	"github.com/platformlens/platformlens-analytics-app/internal/timespan"
)

// The dashboard JSON as far as Grafana's frontend reads it to build panel requests.
type dashboardJSON struct {
	File  string `json:"-"`
	UID   string `json:"uid"`
	Title string `json:"title"`
	Time  struct {
		From string `json:"from"`
		To   string `json:"to"`
	} `json:"time"`
	Panels     []panelJSON `json:"panels"`
	Templating struct {
		List []variableJSON `json:"list"`
	} `json:"templating"`
	Annotations struct {
		List []struct {
			Name       string         `json:"name"`
			Enable     bool           `json:"enable"`
			Datasource map[string]any `json:"datasource"`
			Target     map[string]any `json:"target"`
		} `json:"list"`
	} `json:"annotations"`
}

type panelJSON struct {
	ID            int              `json:"id"`
	Type          string           `json:"type"`
	Title         string           `json:"title"`
	TimeFrom      string           `json:"timeFrom"`
	TimeShift     string           `json:"timeShift"`
	MaxDataPoints *int64           `json:"maxDataPoints"`
	Interval      string           `json:"interval"`
	Datasource    map[string]any   `json:"datasource"`
	Targets       []map[string]any `json:"targets"`
	Panels        []panelJSON      `json:"panels"` // a collapsed row's panels
}

type variableJSON struct {
	Type     string          `json:"type"`
	Name     string          `json:"name"`
	AllValue *string         `json:"allValue"`
	Query    json.RawMessage `json:"query"`
	Filters  []any           `json:"filters"` // ad hoc variable
	Current  struct {
		Value any `json:"value"`
	} `json:"current"`
}

// provisionedDashboards reads every dashboard JSON under the path of every file provider of
// provisioning/dashboards/*.yaml, with PLATFORMLENS_DASHBOARDS_DIR pointing at dashboards/ as
// docker-compose.yml mounts it.
func provisionedDashboards(t *testing.T) []dashboardJSON {
	t.Helper()
	t.Setenv("PLATFORMLENS_DASHBOARDS_DIR", filepath.Join(repoRoot(t), "dashboards"))
	files, _ := filepath.Glob(filepath.Join(repoRoot(t), "provisioning", "dashboards", "*.yaml"))
	var out []dashboardJSON
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var doc struct {
			Providers []struct {
				Type    string `yaml:"type"`
				Folder  string `yaml:"folder"`
				Options struct {
					Path string `yaml:"path"`
				} `yaml:"options"`
			} `yaml:"providers"`
		}
		if err := yaml.Unmarshal(raw, &doc); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		for _, p := range doc.Providers {
			dir, err := grafanaExpand(p.Options.Path)
			if err != nil || p.Type != "file" {
				t.Fatalf("%s: provider type %q path %q: %v", f, p.Type, p.Options.Path, err)
			}
			jsons, _ := filepath.Glob(filepath.Join(dir, "*.json"))
			sort.Strings(jsons)
			for _, j := range jsons {
				var d dashboardJSON
				readJSON(t, j, &d)
				d.File = filepath.Base(j)
				out = append(out, d)
			}
		}
	}
	if len(out) == 0 {
		t.Fatal("provisioning/dashboards provides no dashboards")
	}
	return out
}

func flatten(ps []panelJSON) []panelJSON {
	var out []panelJSON
	for _, p := range ps {
		if p.Type != "row" {
			out = append(out, p)
		}
		out = append(out, flatten(p.Panels)...)
	}
	return out
}

// resolveVariables gives each template variable the value TemplateSrv would hold on load:
// query variables run through the plugin's /variables route (as metricFindQuery does, narrowed
// by the variables before them), "All" expands to every option (or allValue), and the ad hoc
// variable's filters are returned for applyTemplateVariables.
func (w *world) resolveVariables(t *testing.T, d dashboardJSON) (templateVars, []any) {
	t.Helper()
	vars := templateVars{}
	var adhoc []any
	for _, v := range d.Templating.List {
		switch v.Type {
		case "adhoc":
			adhoc = append(adhoc, v.Filters...)
		case "query":
			var q struct {
				Dimension string         `json:"dimension"`
				Filters   map[string]any `json:"filters"`
			}
			if err := json.Unmarshal(v.Query, &q); err != nil || q.Dimension == "" {
				t.Fatalf("%s: variable $%s has no dimension query: %s", d.File, v.Name, v.Query)
			}
			params := url.Values{}
			for k, vals := range vars.expandFilters(q.Filters, nil) {
				params[k] = vals.([]string)
			}
			path := "variables/" + url.PathEscape(q.Dimension)
			if len(params) > 0 {
				path += "?" + params.Encode()
			}
			code, body := w.h.callResource(t, w.as("Viewer"), "GET", path, nil)
			var opts []struct{ Value string }
			if err := json.Unmarshal(body, &opts); code != 200 || err != nil || len(opts) == 0 {
				t.Fatalf("%s: variable $%s: GET %s = %d %s (%v): a variable without options leaves its panels empty", d.File, v.Name, path, code, body, err)
			}
			options := make([]string, len(opts))
			for i, o := range opts {
				options[i] = o.Value
			}
			vars[v.Name] = currentValue(t, d, v, options)
		default: // datasource, custom, constant, interval: the saved current value
			vars[v.Name] = currentValue(t, d, v, nil)
		}
	}
	return vars, adhoc
}

// currentValue is the saved selection; "$__all" becomes allValue or every option. A saved
// single value must be one of the options, or Grafana would fall back to the first one.
func currentValue(t *testing.T, d dashboardJSON, v variableJSON, options []string) any {
	t.Helper()
	var selected []string
	multi := false
	switch x := v.Current.Value.(type) {
	case string:
		selected = []string{x}
	case []any:
		multi = true
		for _, e := range x {
			selected = append(selected, fmt.Sprint(e))
		}
	}
	if len(selected) == 1 && selected[0] == "$__all" {
		if v.AllValue != nil && *v.AllValue != "" {
			return *v.AllValue
		}
		return options
	}
	if options != nil {
		for _, s := range selected {
			if !contains(options, s) {
				t.Errorf("%s: variable $%s is saved as %q, which is not among its options %v", d.File, v.Name, s, options)
			}
		}
	}
	if multi {
		return selected
	}
	if len(selected) == 0 {
		return ""
	}
	return selected[0]
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// panelRange is the time range Grafana gives a panel: the dashboard's range, replaced by
// "now-<timeFrom>" to now when the panel has a relative time, then moved back by timeShift.
func panelRange(t *testing.T, d dashboardJSON, p panelJSON) (time.Time, time.Time) {
	t.Helper()
	if d.Time.To != "now" {
		t.Fatalf("%s: time.to %q; the suite resolves ranges ending now", d.File, d.Time.To)
	}
	fromExpr := d.Time.From
	if p.TimeFrom != "" {
		fromExpr = "now-" + p.TimeFrom
	}
	from, err := timespan.Before(fromExpr, demoEnd)
	if err != nil {
		t.Fatalf("%s panel %q: %v", d.File, p.Title, err)
	}
	to := demoEnd
	if p.TimeShift != "" {
		shifted, err := timespan.Before(p.TimeShift, to)
		if err != nil {
			t.Fatalf("%s panel %q timeShift: %v", d.File, p.Title, err)
		}
		from, to = from.Add(shifted.Sub(to)), shifted
	}
	return from, to
}

// panelRequest builds the DataQuery list Grafana sends for a panel's visible targets.
func (w *world) panelRequest(t *testing.T, d dashboardJSON, p panelJSON, vars templateVars, adhoc []any) []*pluginv2.DataQuery {
	t.Helper()
	from, to := panelRange(t, d, p)
	maxDP := int64(panelWidthPx)
	if p.MaxDataPoints != nil {
		maxDP = *p.MaxDataPoints
	}
	var minInterval time.Duration
	if p.Interval != "" {
		var err error
		if minInterval, err = time.ParseDuration(p.Interval); err != nil {
			t.Fatalf("%s panel %q: interval %q: %v", d.File, p.Title, p.Interval, err)
		}
	}
	intervalMs := calculateInterval(to.Sub(from), maxDP, minInterval)
	var out []*pluginv2.DataQuery
	for _, target := range p.Targets {
		if hide, _ := target["hide"].(bool); hide {
			continue
		}
		out = append(out, w.dataQuery(t, d.File+" "+p.Title, target, p.Datasource, vars, adhoc, from, to, maxDP, intervalMs))
	}
	return out
}

// dataQuery interpolates one target and adds what Grafana adds to it: the resolved datasource
// reference, intervalMs and maxDataPoints.
func (w *world) dataQuery(t *testing.T, where string, target, panelDS map[string]any, vars templateVars, adhoc []any, from, to time.Time, maxDP, intervalMs int64) *pluginv2.DataQuery {
	t.Helper()
	ds, _ := target["datasource"].(map[string]any)
	if ds == nil {
		ds = panelDS
	}
	typ, _ := ds["type"].(string)
	uid, _ := ds["uid"].(string)
	uid = vars.replace(uid, nil, formatGlob)
	if typ != pluginID || uid != w.settings.Uid {
		t.Fatalf("%s: datasource %v resolves to type %q uid %q, want the provisioned %s %q", where, ds, typ, uid, pluginID, w.settings.Uid)
	}
	q := vars.interpolateQuery(target, nil, adhoc)
	q["datasource"] = map[string]any{"type": typ, "uid": uid}
	q["intervalMs"] = intervalMs
	q["maxDataPoints"] = maxDP
	raw, err := json.Marshal(q)
	if err != nil {
		t.Fatal(err)
	}
	refID, _ := q["refId"].(string)
	qt, _ := q["queryType"].(string)
	return &pluginv2.DataQuery{RefId: refID, QueryType: qt, Json: raw, MaxDataPoints: maxDP, IntervalMS: intervalMs,
		TimeRange: &pluginv2.TimeRange{FromEpochMS: from.UnixMilli(), ToEpochMS: to.UnixMilli()}}
}

// testDashboards sends every panel and annotation query of every provisioned dashboard and
// checks the frames against what the panel type draws.
func (w *world) testDashboards(t *testing.T) {
	panels, annotations := 0, 0
	for _, d := range provisionedDashboards(t) {
		vars, adhoc := w.resolveVariables(t, d)
		for _, p := range flatten(d.Panels) {
			qs := w.panelRequest(t, d, p, vars, adhoc)
			if len(qs) == 0 {
				continue
			}
			panels++
			name := fmt.Sprintf("%s/%d %s", strings.TrimSuffix(d.File, ".json"), p.ID, p.Title)
			t.Run(name, func(t *testing.T) {
				res := w.h.query(t, w.as("Viewer"), nil, qs...)
				for _, q := range qs {
					r, ok := res[q.RefId]
					if !ok || r.err != "" {
						t.Fatalf("%s refId %s: error %q (source %s) for %s", p.Type, q.RefId, r.err, r.source, q.Json)
					}
					if err := checkPanelShape(p.Type, r.frames); err != nil {
						t.Errorf("%s refId %s: %v\nquery %s\n%s", p.Type, q.RefId, err, q.Json, describe(r.frames))
					}
				}
				w.checkKeyValues(t, d, p, qs, res)
			})
		}
		for _, a := range d.Annotations.List {
			if a.Datasource["type"] != pluginID || a.Target == nil || !a.Enable {
				continue // Grafana's built-in annotations and alerts
			}
			annotations++
			from, to := panelRange(t, d, panelJSON{})
			intervalMs := calculateInterval(to.Sub(from), panelWidthPx, 0)
			q := w.dataQuery(t, d.File+" annotation "+a.Name, a.Target, a.Datasource, vars, adhoc, from, to, panelWidthPx, intervalMs)
			t.Run(fmt.Sprintf("%s/annotation %s", strings.TrimSuffix(d.File, ".json"), a.Name), func(t *testing.T) {
				r := w.h.query(t, w.as("Viewer"), nil, q)[q.RefId]
				if r.err != "" {
					t.Fatalf("annotation query %s: %s", q.Json, r.err)
				}
				// Anomalies mark exceptions, which healthy demo data rightly lacks.
				needRows := a.Target["kind"] != "anomalies"
				if err := checkAnnotationShape(r.frames, needRows); err != nil {
					t.Errorf("annotation %s: %v\n%s", a.Name, err, describe(r.frames))
				}
			})
		}
	}
	t.Logf("exercised %d dashboard panels and %d annotation queries", panels, annotations)
	fmt.Printf("grafanahost: exercised %d dashboard panels and %d annotation queries of the provisioned dashboards\n", panels, annotations)
	if panels == 0 {
		t.Fatal("no dashboard panels exercised")
	}
}
