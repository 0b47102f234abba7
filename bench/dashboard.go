package bench

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// Panel is one dashboard panel (or annotation query) and the targets Grafana sends for it in one
// QueryData request, with every multi-value variable on "All".
type Panel struct {
	ID         int
	Title      string
	TimeFrom   string // panel override such as "1y"; empty for the dashboard's range
	Annotation bool
	Targets    []map[string]any
}

type rawPanel struct {
	ID       int               `json:"id"`
	Title    string            `json:"title"`
	TimeFrom string            `json:"timeFrom"`
	Targets  []json.RawMessage `json:"targets"`
	Panels   []rawPanel        `json:"panels"`
}

type rawDashboard struct {
	Panels      []rawPanel `json:"panels"`
	Annotations struct {
		List []struct {
			Name       string          `json:"name"`
			Datasource json.RawMessage `json:"datasource"`
			Target     json.RawMessage `json:"target"`
		} `json:"list"`
	} `json:"annotations"`
}

// LoadPanels reads a dashboard JSON file and returns its PlatformLens panels (nested rows
// included) followed by its PlatformLens annotation queries.
func LoadPanels(path string) ([]Panel, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read dashboard: %w", err)
	}
	var d rawDashboard
	if err := json.Unmarshal(raw, &d); err != nil {
		return nil, fmt.Errorf("%s is not dashboard JSON: %w", filepath.Base(path), err)
	}
	var out []Panel
	var walk func(ps []rawPanel) error
	walk = func(ps []rawPanel) error {
		for _, p := range ps {
			if err := walk(p.Panels); err != nil {
				return err
			}
			if len(p.Targets) == 0 {
				continue
			}
			panel := Panel{ID: p.ID, Title: p.Title, TimeFrom: p.TimeFrom}
			for _, t := range p.Targets {
				q, err := allVariables(t)
				if err != nil {
					return fmt.Errorf("panel %d %q: %w", p.ID, p.Title, err)
				}
				panel.Targets = append(panel.Targets, q)
			}
			out = append(out, panel)
		}
		return nil
	}
	if err := walk(d.Panels); err != nil {
		return nil, err
	}
	for _, a := range d.Annotations.List {
		if len(a.Target) == 0 || !strings.Contains(string(a.Datasource), "platformlens") {
			continue // Grafana's built-in annotations, not ours
		}
		q, err := allVariables(a.Target)
		if err != nil {
			return nil, fmt.Errorf("annotation %q: %w", a.Name, err)
		}
		out = append(out, Panel{Title: "annotations: " + a.Name, Annotation: true, Targets: []map[string]any{q}})
	}
	return out, nil
}

// allVariables interpolates a target as the frontend does with every multi-value variable on
// "All": a filter whose values are only variable references is dropped (no filter selects every
// value). Any other field still holding a variable is an error: the benchmark would not know
// which value to pick.
func allVariables(raw json.RawMessage) (map[string]any, error) {
	var q map[string]any
	if err := json.Unmarshal(raw, &q); err != nil {
		return nil, err
	}
	delete(q, "datasource")
	if filters, ok := q["filters"].(map[string]any); ok {
		kept := map[string]any{}
		for k, v := range filters {
			list, _ := v.([]any)
			var vals []any
			for _, x := range list {
				if s, _ := x.(string); !strings.HasPrefix(s, "$") {
					vals = append(vals, x)
				}
			}
			if len(vals) > 0 {
				kept[k] = vals
			}
		}
		q["filters"] = kept
	}
	for k, v := range q {
		if s, ok := v.(string); ok && strings.Contains(s, "$") {
			return nil, fmt.Errorf("field %s holds variable %q; the benchmark only knows multi-value filters", k, s)
		}
	}
	return q, nil
}
