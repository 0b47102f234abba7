package dashboards_test

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
)

// This file reads the dashboard JSON the way Grafana does, as far as the tests need: panels
// (with the panels of collapsed rows), their targets and the dashboard's annotation queries,
// template variables and time settings. panels_test.go runs what it finds.

// datasourceType is the plugin id every PlatformLens panel and target must point at.
const datasourceType = "platformlens-analytics-datasource"

type dashboard struct {
	File       string       `json:"-"`
	UID        string       `json:"uid"`
	Title      string       `json:"title"`
	Time       timeSetting  `json:"time"`
	Panels     []panel      `json:"panels"`
	Templating templating   `json:"templating"`
	Annotation annotationsJ `json:"annotations"`
	Links      []link       `json:"links"`
}

// link is a dashboard link, a panel link or a data link, as far as links_test.go reads them.
type link struct {
	Title    string `json:"title"`
	Type     string `json:"type"`
	URL      string `json:"url"`
	KeepTime bool   `json:"keepTime"`
}

type timeSetting struct {
	From string `json:"from"`
	To   string `json:"to"`
}

type panel struct {
	ID       int               `json:"id"`
	Type     string            `json:"type"`
	Title    string            `json:"title"`
	TimeFrom string            `json:"timeFrom"`
	Targets  []json.RawMessage `json:"targets"`
	Panels   []panel           `json:"panels"` // a collapsed row's panels
	Links    []link            `json:"links"`
	// Data links of every field (fieldConfig.defaults.links).
	FieldConfig struct {
		Defaults struct {
			Links []link `json:"links"`
		} `json:"defaults"`
	} `json:"fieldConfig"`
	Transformations []struct {
		ID      string          `json:"id"`
		Options json.RawMessage `json:"options"`
	} `json:"transformations"`
}

type templating struct {
	List []variable `json:"list"`
}

type variable struct {
	Type       string          `json:"type"`
	Name       string          `json:"name"`
	Multi      bool            `json:"multi"`
	IncludeAll bool            `json:"includeAll"`
	Query      json.RawMessage `json:"query"`
}

type annotationsJ struct {
	List []struct {
		Name       string          `json:"name"`
		Datasource json.RawMessage `json:"datasource"`
		Target     json.RawMessage `json:"target"`
	} `json:"list"`
}

// query is a runnable target: which panel it belongs to, its JSON and its relative range.
type query struct {
	Name     string // dashboard / panel / refId, for test names
	JSON     map[string]any
	TimeFrom string // Grafana relative time, e.g. "now-30d"
}

// loadDashboards reads every dashboards/*.json next to this test.
func loadDashboards(t *testing.T) []dashboard {
	t.Helper()
	files, err := filepath.Glob("*.json")
	if err != nil || len(files) == 0 {
		t.Fatalf("no dashboard JSON found next to the test (glob *.json): %v", err)
	}
	sort.Strings(files)
	var out []dashboard
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var d dashboard
		if err := json.Unmarshal(raw, &d); err != nil {
			t.Fatalf("%s is not a valid dashboard: %v", f, err)
		}
		d.File = f
		out = append(out, d)
	}
	return out
}

// allPanels flattens rows: a collapsed row keeps its panels in its own "panels" field.
func allPanels(ps []panel) []panel {
	var out []panel
	for _, p := range ps {
		out = append(out, p)
		out = append(out, allPanels(p.Panels)...)
	}
	return out
}

// queries lists every PlatformLens target of the dashboard: panel targets and annotation queries.
func (d dashboard) queries(t *testing.T) []query {
	t.Helper()
	var out []query
	for _, p := range allPanels(d.Panels) {
		from := d.Time.From
		if p.TimeFrom != "" {
			from = "now-" + p.TimeFrom // Grafana's panel "relative time" override
		}
		for _, raw := range p.Targets {
			var m map[string]any
			if err := json.Unmarshal(raw, &m); err != nil {
				t.Fatalf("%s panel %q: target is not JSON: %v", d.File, p.Title, err)
			}
			out = append(out, query{Name: fmt.Sprintf("%s/%d %s/%v", d.UID, p.ID, p.Title, m["refId"]), JSON: m, TimeFrom: from})
		}
	}
	for _, a := range d.Annotation.List {
		if !strings.Contains(string(a.Datasource), datasourceType) || len(a.Target) == 0 {
			continue // Grafana's built-in annotations
		}
		var m map[string]any
		if err := json.Unmarshal(a.Target, &m); err != nil {
			t.Fatalf("%s annotation %q: target is not JSON: %v", d.File, a.Name, err)
		}
		out = append(out, query{Name: fmt.Sprintf("%s/annotation %s", d.UID, a.Name), JSON: m, TimeFrom: d.Time.From})
	}
	return out
}

func (d dashboard) variable(name string) (variable, bool) {
	for _, v := range d.Templating.List {
		if v.Name == name {
			return v, true
		}
	}
	return variable{}, false
}

var varRef = regexp.MustCompile(`^\$(\{([A-Za-z0-9_]+)(:[a-z]+)?\}|([A-Za-z0-9_]+))$`)

// varName returns the variable a whole-value reference names ("$team", "${team}", "$__all").
func varName(s string) (string, bool) {
	m := varRef.FindStringSubmatch(s)
	if m == nil {
		return "", false
	}
	if m[2] != "" {
		return m[2], true
	}
	return m[4], true
}
