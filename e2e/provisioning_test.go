package e2e

import (
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"testing"

	"gopkg.in/yaml.v3"
)

const (
	appID  = "platformlens-analytics-app"
	dsID   = "platformlens-analytics-datasource"
	dsUID  = "platformlens"
	dsPath = "/api/datasources/uid/" + dsUID
)

// repoRoot is the repository root (this module lives in <root>/e2e).
func repoRoot(t *testing.T) string {
	t.Helper()
	abs, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	return abs
}

func TestAppPluginEnabled(t *testing.T) {
	g := adminClient(t)
	var s struct {
		ID      string `json:"id"`
		Type    string `json:"type"`
		Enabled bool   `json:"enabled"`
		Info    struct {
			Version string `json:"version"`
		} `json:"info"`
	}
	g.getJSON(t, "/api/plugins/"+appID+"/settings", &s)
	if s.ID != appID || s.Type != "app" {
		t.Fatalf("plugin settings: id=%q type=%q, want %q app", s.ID, s.Type, appID)
	}
	if !s.Enabled {
		t.Fatalf("app %s is not enabled: provisioning/plugins/app.yaml should enable it", appID)
	}
	var ds struct {
		ID   string `json:"id"`
		Type string `json:"type"`
	}
	g.getJSON(t, "/api/plugins/"+dsID+"/settings", &ds)
	if ds.ID != dsID || ds.Type != "datasource" {
		t.Fatalf("nested datasource plugin: id=%q type=%q", ds.ID, ds.Type)
	}
}

func TestDatasourceHealth(t *testing.T) {
	g := adminClient(t)
	var h struct {
		Status  string `json:"status"`
		Message string `json:"message"`
	}
	status, b := g.do(t, http.MethodGet, dsPath+"/health", nil)
	if status != http.StatusOK {
		t.Fatalf("datasource health: HTTP %d: %s", status, truncate(b))
	}
	mustUnmarshal(t, b, &h)
	if h.Status != "OK" {
		t.Fatalf("datasource health: status %q, message %q", h.Status, h.Message)
	}
}

// ruleFile is the part of an alerting provisioning file the tests compare with Grafana.
type ruleFile struct {
	Groups []struct {
		Name   string `yaml:"name"`
		Folder string `yaml:"folder"`
		Rules  []struct {
			UID          string `yaml:"uid"`
			Title        string `yaml:"title"`
			NoDataState  string `yaml:"noDataState"`
			ExecErrState string `yaml:"execErrState"`
		} `yaml:"rules"`
	} `yaml:"groups"`
}

// provisionedRules reads every rule of provisioning/alerting/*.yaml.
func provisionedRules(t *testing.T) map[string]string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(repoRoot(t), "provisioning", "alerting", "*.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	rules := map[string]string{} // uid → title
	for _, f := range files {
		var rf ruleFile
		readYAML(t, f, &rf)
		for _, g := range rf.Groups {
			for _, r := range g.Rules {
				if r.NoDataState == "" || r.NoDataState == "OK" || r.ExecErrState == "" || r.ExecErrState == "OK" {
					t.Errorf("%s: rule %q must set noDataState and execErrState explicitly and not to OK (got %q / %q)",
						f, r.Title, r.NoDataState, r.ExecErrState)
				}
				rules[r.UID] = r.Title
			}
		}
	}
	if len(rules) == 0 {
		t.Fatal("no alert rules found under provisioning/alerting")
	}
	return rules
}

func TestAlertRulesProvisioned(t *testing.T) {
	g := adminClient(t)
	// One GET per rule: the list endpoint leaves provenance empty in some Grafana versions.
	for uid, title := range provisionedRules(t) {
		var r struct {
			Title        string `json:"title"`
			NoDataState  string `json:"noDataState"`
			ExecErrState string `json:"execErrState"`
			Provenance   string `json:"provenance"`
		}
		status, b := g.do(t, http.MethodGet, "/api/v1/provisioning/alert-rules/"+uid, nil)
		if status != http.StatusOK {
			t.Errorf("alert rule %q (%s) is not provisioned in Grafana: HTTP %d: %s", title, uid, status, truncate(b))
			continue
		}
		mustUnmarshal(t, b, &r)
		if r.Title != title || r.Provenance != "file" {
			t.Errorf("rule %s: title %q provenance %q, want %q from a file", uid, r.Title, r.Provenance, title)
		}
		if r.NoDataState == "OK" || r.ExecErrState == "OK" {
			t.Errorf("rule %s: noDataState %q execErrState %q must never be OK", uid, r.NoDataState, r.ExecErrState)
		}
	}
}

func readYAML(t *testing.T, path string, out any) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := yaml.Unmarshal(b, out); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
}

func mustUnmarshal(t *testing.T, b []byte, out any) {
	t.Helper()
	if err := json.Unmarshal(b, out); err != nil {
		t.Fatalf("decode %s: %v", truncate(b), err)
	}
}

// userWithRole creates a user through the admin API and gives it an organisation role.
func userWithRole(t *testing.T, g *grafana, login, role string) *grafana {
	t.Helper()
	pass := fmt.Sprintf("pw-%s-e2e", login)
	var created struct {
		ID int64 `json:"id"`
	}
	g.mustJSON(t, http.MethodPost, "/api/admin/users", map[string]string{
		"name": login, "login": login, "email": login + "@example.invalid", "password": pass,
	}, &created)
	g.mustJSON(t, http.MethodPatch, fmt.Sprintf("/api/org/users/%d", created.ID), map[string]string{"role": role}, nil)
	return g.as(login, pass)
}
