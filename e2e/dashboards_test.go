package e2e

import (
	"encoding/json"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// dashboardFiles finds every dashboard JSON that a file provider of provisioning/dashboards
// reads. Provider paths may use environment variables (the harness sets them), as Grafana does.
func dashboardFiles(t *testing.T) []string {
	t.Helper()
	providers, err := filepath.Glob(filepath.Join(repoRoot(t), "provisioning", "dashboards", "*.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var files []string
	for _, p := range providers {
		var cfg struct {
			Providers []struct {
				Name    string `yaml:"name"`
				Type    string `yaml:"type"`
				Options struct {
					Path string `yaml:"path"`
				} `yaml:"options"`
			} `yaml:"providers"`
		}
		readYAML(t, p, &cfg)
		for _, pr := range cfg.Providers {
			dir := os.ExpandEnv(pr.Options.Path)
			if dir == "" {
				t.Fatalf("%s: provider %q has an empty path (is PLATFORMLENS_DASHBOARDS_DIR set?)", p, pr.Name)
			}
			err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
				if err == nil && !d.IsDir() && strings.HasSuffix(path, ".json") {
					files = append(files, path)
				}
				return err
			})
			if err != nil {
				t.Fatalf("provider %q: %v", pr.Name, err)
			}
		}
	}
	if len(files) == 0 {
		t.Fatal("no provisioned dashboard JSON found")
	}
	return files
}

// dashboard is the part of a dashboard JSON the tests need. Panels keep their targets raw so
// every query field reaches /api/ds/query unchanged.
type dashboard struct {
	UID    string  `json:"uid"`
	Title  string  `json:"title"`
	Panels []panel `json:"panels"`
	Time   struct {
		From string `json:"from"`
		To   string `json:"to"`
	} `json:"time"`
	Templating struct {
		List []struct {
			Name    string `json:"name"`
			Current struct {
				Value json.RawMessage `json:"value"`
			} `json:"current"`
		} `json:"list"`
	} `json:"templating"`
}

// variables returns each template variable's saved current value(s), as the frontend would
// interpolate them; "All" ($__all) and empty selections resolve to nothing.
func (d dashboard) variables() map[string][]string {
	out := map[string][]string{}
	for _, v := range d.Templating.List {
		var one string
		var many []string
		if json.Unmarshal(v.Current.Value, &one) == nil {
			many = []string{one}
		} else {
			_ = json.Unmarshal(v.Current.Value, &many)
		}
		for _, x := range many {
			if x != "" && x != "$__all" {
				out[v.Name] = append(out[v.Name], x)
			}
		}
	}
	return out
}

// varName returns the variable a value refers to ("$funnel", "${funnel}"), or "".
func varName(v string) string {
	if !strings.HasPrefix(v, "$") {
		return ""
	}
	return strings.Trim(strings.TrimPrefix(v, "$"), "{}")
}

type panel struct {
	ID         int                          `json:"id"`
	Title      string                       `json:"title"`
	Type       string                       `json:"type"`
	Datasource *dsRef                       `json:"datasource"`
	Targets    []map[string]json.RawMessage `json:"targets"`
	TimeFrom   string                       `json:"timeFrom"` // panel-level relative time override
	Panels     []panel                      `json:"panels"`   // collapsed rows
}

type dsRef struct {
	Type string `json:"type"`
	UID  string `json:"uid"`
}

func flatten(ps []panel) []panel {
	var out []panel
	for _, p := range ps {
		out = append(out, p)
		out = append(out, flatten(p.Panels)...)
	}
	return out
}

func TestProvisionedDashboardsReturnData(t *testing.T) {
	g := adminClient(t)
	// Pick up files written after Grafana started (the provider rescans only every 60 s).
	g.mustJSON(t, http.MethodPost, "/api/admin/provisioning/dashboards/reload", nil, nil)
	for _, f := range dashboardFiles(t) {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var d dashboard
		if err := json.Unmarshal(b, &d); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		t.Run(filepath.Base(f), func(t *testing.T) {
			if d.UID == "" {
				t.Fatalf("%s has no uid", f)
			}
			var got struct {
				Meta struct {
					FolderTitle string `json:"folderTitle"`
					Provisioned bool   `json:"provisioned"`
				} `json:"meta"`
			}
			g.getJSON(t, "/api/dashboards/uid/"+d.UID, &got)
			if !got.Meta.Provisioned || got.Meta.FolderTitle != "PlatformLens" {
				t.Errorf("dashboard %s: provisioned=%v folder=%q, want provisioned in PlatformLens",
					d.UID, got.Meta.Provisioned, got.Meta.FolderTitle)
			}
			from, to := orDefault(d.Time.From, "now-24h"), orDefault(d.Time.To, "now")
			queries := 0
			for _, p := range flatten(d.Panels) {
				for _, target := range p.Targets {
					if hidden(target) {
						continue
					}
					queries++
					panelFrom := from
					if p.TimeFrom != "" { // Grafana's relative time override, e.g. "1y"
						panelFrom = "now-" + p.TimeFrom
					}
					checkPanelQuery(t, g, d.UID, p, target, d.variables(), panelFrom, to)
				}
			}
			if queries == 0 {
				t.Errorf("dashboard %s has no queries", d.UID)
			}
			t.Logf("dashboard %s: %d panel queries checked (range %s … %s)", d.UID, queries, from, to)
		})
	}
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

func hidden(target map[string]json.RawMessage) bool {
	var h bool
	_ = json.Unmarshal(target["hide"], &h)
	return h
}

// checkPanelQuery sends one panel query through Grafana (/api/ds/query) and requires data:
// no error and at least one frame with at least one row.
func checkPanelQuery(t *testing.T, g *grafana, uid string, p panel, target map[string]json.RawMessage, vars map[string][]string, from, to string) {
	t.Helper()
	q := map[string]any{}
	for k, v := range target {
		q[k] = v
		// String options that name a variable ("funnel": "$funnel") get its saved value.
		var s string
		if json.Unmarshal(v, &s) == nil && varName(s) != "" {
			if vals := vars[varName(s)]; len(vals) > 0 {
				q[k] = vals[0]
			}
		}
	}
	// Dashboards select the datasource through a variable ("${datasource}") or name it; the
	// server-side API needs the concrete uid. Template variables in filters mean "All" here.
	q["datasource"] = map[string]string{"type": dsID, "uid": dsUID}
	q["intervalMs"] = 60000
	q["maxDataPoints"] = 1000
	q["filters"] = resolveFilters(target["filters"], vars)
	delete(q, "adhocFilters")
	var refID string
	_ = json.Unmarshal(target["refId"], &refID)
	if refID == "" {
		refID = "A"
		q["refId"] = refID
	}
	status, b := g.do(t, http.MethodPost, "/api/ds/query", map[string]any{"queries": []any{q}, "from": from, "to": to})
	what := uid + " / panel " + p.Title + " / " + refID
	if status != http.StatusOK {
		t.Errorf("%s: HTTP %d: %s", what, status, truncate(b))
		return
	}
	var resp struct {
		Results map[string]struct {
			Error  string `json:"error"`
			Frames []struct {
				Data struct {
					Values []json.RawMessage `json:"values"`
				} `json:"data"`
			} `json:"frames"`
		} `json:"results"`
	}
	mustUnmarshal(t, b, &resp)
	r, ok := resp.Results[refID]
	if !ok {
		t.Errorf("%s: no result for refId %s: %s", what, refID, truncate(b))
		return
	}
	if r.Error != "" {
		t.Errorf("%s: query error: %s", what, r.Error)
		return
	}
	for _, f := range r.Frames {
		for _, col := range f.Data.Values {
			var vals []json.RawMessage
			if json.Unmarshal(col, &vals) == nil && len(vals) > 0 {
				return
			}
		}
	}
	t.Errorf("%s: no data (%d frames, all empty) on the demo data set", what, len(r.Frames))
}

// resolveFilters replaces variable references in filter values by the variables' saved values;
// a variable set to "All" (or unknown) drops the value, as the frontend sends no filter then.
func resolveFilters(raw json.RawMessage, vars map[string][]string) map[string][]string {
	in := map[string][]string{}
	_ = json.Unmarshal(raw, &in)
	out := map[string][]string{}
	for k, vs := range in {
		for _, v := range vs {
			if name := varName(v); name != "" {
				out[k] = append(out[k], vars[name]...)
			} else {
				out[k] = append(out[k], v)
			}
		}
		if len(out[k]) == 0 {
			delete(out, k)
		}
	}
	return out
}
