package dashboards_test

import (
	"encoding/json"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// The drill-down links of issue 12, checked on the committed JSON (no database): every DORA
// number opens the rows behind it, every per-team or per-tech-stack table opens the Team
// dashboard for its row, and the Team dashboard links back. A link resolves when its dashboard
// uid exists, its viewPanel names a panel of that dashboard and every var-X is a variable there.

const teamUID = "platformlens-team"

// doraKeys are dora_evidence's keys; a target of one of these metrics shows that DORA key.
var doraKeys = []string{"deployment_frequency", "lead_time", "change_failure_rate", "recovery_time", "rework_rate"}

// resolvedLink is an internal dashboard link taken apart.
type resolvedLink struct {
	dash  dashboard
	panel *panel // the viewPanel, if any
	query url.Values
}

// resolve checks that raw is /d/<uid>?… of a shipped dashboard, with a viewPanel of it (if any)
// and var-X parameters that are variables of it.
func resolve(dashboards []dashboard, raw string) (resolvedLink, error) {
	rest, ok := strings.CutPrefix(raw, "/d/")
	if !ok {
		return resolvedLink{}, fmt.Errorf("url %q is not /d/<uid>", raw)
	}
	uid, rawQuery, _ := strings.Cut(rest, "?")
	i := slices.IndexFunc(dashboards, func(d dashboard) bool { return d.UID == uid })
	if i < 0 {
		return resolvedLink{}, fmt.Errorf("url %q: no dashboard has uid %q", raw, uid)
	}
	r := resolvedLink{dash: dashboards[i], query: url.Values{}}
	for _, part := range strings.Split(rawQuery, "&") {
		if part == "" {
			continue
		}
		k, v, _ := strings.Cut(part, "=")
		r.query.Add(k, v)
		if name, isVar := strings.CutPrefix(k, "var-"); isVar {
			if _, ok := r.dash.variable(name); !ok {
				return r, fmt.Errorf("url %q: %s has no variable %q", raw, uid, name)
			}
		}
	}
	if vp := r.query.Get("viewPanel"); vp != "" {
		id, err := strconv.Atoi(vp)
		if err != nil {
			return r, fmt.Errorf("url %q: viewPanel %q is not a panel id", raw, vp)
		}
		for _, p := range allPanels(r.dash.Panels) {
			if p.ID == id {
				r.panel = &p
			}
		}
		if r.panel == nil {
			return r, fmt.Errorf("url %q: %s has no panel %d", raw, uid, id)
		}
	}
	return r, nil
}

// targets decodes a panel's targets.
func targets(t *testing.T, p panel) []map[string]any {
	t.Helper()
	var out []map[string]any
	for _, raw := range p.Targets {
		var m map[string]any
		if err := json.Unmarshal(raw, &m); err != nil {
			t.Fatalf("panel %q: %v", p.Title, err)
		}
		out = append(out, m)
	}
	return out
}

// filteredKey is the value a filterByValue transformation keeps of the field metric (the Team
// dashboard's stats each keep one key of dora_summary), or "".
func filteredKey(p panel) string {
	for _, tr := range p.Transformations {
		if tr.ID != "filterByValue" {
			continue
		}
		var o struct {
			Filters []struct {
				FieldName string `json:"fieldName"`
				Config    struct {
					ID      string `json:"id"`
					Options struct {
						Value string `json:"value"`
					} `json:"options"`
				} `json:"config"`
			} `json:"filters"`
		}
		if json.Unmarshal(tr.Options, &o) == nil {
			for _, f := range o.Filters {
				if f.FieldName == "metric" && f.Config.ID == "equal" {
					return f.Config.Options.Value
				}
			}
		}
	}
	return ""
}

// doraKeysShown lists the DORA keys a panel shows: a DORA key metric's own key; dora_summary
// every key, or the one its filterByValue keeps.
func doraKeysShown(t *testing.T, p panel) []string {
	var keys []string
	for _, q := range targets(t, p) {
		m, _ := q["metric"].(string)
		switch {
		case slices.Contains(doraKeys, m):
			keys = append(keys, m)
		case m == "dora_summary":
			if k := filteredKey(p); k != "" {
				keys = append(keys, k)
			} else {
				keys = append(keys, doraKeys...)
			}
		}
	}
	return keys
}

// TestDORANumbersLinkToEvidence: every DORA stat and every dora_summary panel links, for each
// key it shows, to a dora_evidence table of that key (doraKey) that exists, carrying the time
// range and the variables.
func TestDORANumbersLinkToEvidence(t *testing.T) {
	dashboards := loadDashboards(t)
	checked := 0
	for _, d := range dashboards {
		for _, p := range allPanels(d.Panels) {
			keys := doraKeysShown(t, p)
			isSummary := slices.ContainsFunc(targets(t, p), func(q map[string]any) bool { return q["metric"] == "dora_summary" })
			if len(keys) == 0 || (p.Type != "stat" && !isSummary) {
				continue
			}
			if d.UID == teamUID && p.Type == "table" {
				continue // the Team dashboard's per-service bands sit above their evidence tables
			}
			checked++
			for _, key := range keys {
				found := false
				for _, l := range p.Links {
					r, err := resolve(dashboards, l.URL)
					if err != nil {
						t.Errorf("%s panel %d %q: link %q: %v", d.File, p.ID, p.Title, l.Title, err)
						continue
					}
					if r.panel == nil || r.panel.Type != "table" {
						continue
					}
					for _, q := range targets(t, *r.panel) {
						if q["metric"] == "dora_evidence" && q["doraKey"] == key {
							found = true
							if !strings.Contains(l.URL, "${__url_time_range}") || !strings.Contains(l.URL, "${__all_variables}") {
								t.Errorf("%s panel %q: evidence link %q does not carry the time range and the variables", d.File, p.Title, l.URL)
							}
						}
					}
				}
				if !found {
					t.Errorf("%s panel %d %q shows %s but has no link to a dora_evidence table with doraKey %s (links %+v)", d.File, p.ID, p.Title, key, key, p.Links)
				}
			}
		}
	}
	// Delivery's three DORA stats, its summary, Executive's summary, the Team dashboard's five stats.
	if checked < 10 {
		t.Errorf("only %d DORA panels checked; the dashboards lost their DORA stats or this test its way to find them", checked)
	}
}

// TestPerTeamTablesLinkToTeamDashboard: every table or bar chart of Executive, Delivery and
// Reliability whose rows are teams or tech stacks has a data link to the Team dashboard with
// var-<dimension> from the row and the time range; the Team dashboard links back to the three.
func TestPerTeamTablesLinkToTeamDashboard(t *testing.T) {
	dashboards := loadDashboards(t)
	perDashboard := map[string]int{}
	for _, d := range dashboards {
		if !slices.Contains([]string{"platformlens-executive", "platformlens-delivery", "platformlens-reliability"}, d.UID) {
			continue
		}
		for _, p := range allPanels(d.Panels) {
			if p.Type != "table" && p.Type != "barchart" {
				continue
			}
			dim := ""
			for _, q := range targets(t, p) {
				if g, _ := q["groupBy"].(string); g == "team" || g == "tech_stack" {
					dim = g
				}
				if q["metric"] == "throughput" { // one row per tech stack
					dim = "tech_stack"
				}
			}
			if dim == "" {
				continue
			}
			perDashboard[d.UID]++
			want := "var-" + dim + "=${__data.fields." + dim
			found := false
			for _, l := range p.FieldConfig.Defaults.Links {
				r, err := resolve(dashboards, l.URL)
				if err != nil {
					t.Errorf("%s panel %q: data link %q: %v", d.File, p.Title, l.Title, err)
					continue
				}
				if r.dash.UID == teamUID && strings.Contains(l.URL, want) && strings.Contains(l.URL, "${__url_time_range}") {
					found = true
				}
			}
			if !found {
				t.Errorf("%s panel %d %q has rows per %s but no data link to %s with %s…} and the time range (data links %+v)",
					d.File, p.ID, p.Title, dim, teamUID, want, p.FieldConfig.Defaults.Links)
			}
		}
	}
	for _, uid := range []string{"platformlens-executive", "platformlens-delivery", "platformlens-reliability"} {
		if perDashboard[uid] == 0 {
			t.Errorf("%s has no per-team or per-tech-stack table: nothing links it to the Team dashboard", uid)
		}
	}

	i := slices.IndexFunc(dashboards, func(d dashboard) bool { return d.UID == teamUID })
	if i < 0 {
		t.Fatalf("no dashboard %s", teamUID)
	}
	back := map[string]bool{}
	for _, l := range dashboards[i].Links {
		if l.Type != "link" {
			continue
		}
		r, err := resolve(dashboards, l.URL)
		if err != nil {
			t.Errorf("team.json link %q: %v", l.Title, err)
			continue
		}
		if !l.KeepTime {
			t.Errorf("team.json link %q does not keep the time range", l.Title)
		}
		back[r.dash.UID] = true
	}
	for _, uid := range []string{"platformlens-executive", "platformlens-delivery", "platformlens-reliability"} {
		if !back[uid] {
			t.Errorf("team.json has no link back to %s (links %+v)", uid, dashboards[i].Links)
		}
	}
}

// TestInternalLinksResolve: every /d/ link of every dashboard (dashboard, panel and data links)
// names an existing dashboard, panel and variables.
func TestInternalLinksResolve(t *testing.T) {
	dashboards := loadDashboards(t)
	n := 0
	for _, d := range dashboards {
		var links []link
		links = append(links, d.Links...)
		for _, p := range allPanels(d.Panels) {
			links = append(links, p.Links...)
			links = append(links, p.FieldConfig.Defaults.Links...)
		}
		for _, l := range links {
			if !strings.HasPrefix(l.URL, "/d/") {
				continue
			}
			n++
			if _, err := resolve(dashboards, l.URL); err != nil {
				t.Errorf("%s: link %q: %v", d.File, l.Title, err)
			}
		}
	}
	if n == 0 {
		t.Fatal("no internal links found")
	}
}
