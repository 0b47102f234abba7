package grafanahost

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// Roles: Grafana puts the signed-in user and their organisation role in the plugin context of
// every resource call, and anyone with a session or token can make such calls, so the backend
// enforces each route's least role itself.

type routeCase struct {
	method, path string
	body         any
	min          string // least role: Viewer, Editor or Admin
	okStatus     int    // the answer for a role that may call it (bodies are chosen so writes change nothing)
}

var routeCases = []routeCase{
	{"GET", "catalog", nil, "Viewer", 200},
	{"GET", "status", nil, "Viewer", 200},
	{"GET", "variables/team", nil, "Viewer", 200},
	{"GET", "tag-keys", nil, "Viewer", 200},
	{"GET", "tag-values?key=team", nil, "Viewer", 200},
	{"GET", "targets", nil, "Viewer", 200},
	{"PUT", "targets", []byte("not json"), "Admin", 400},
	{"POST", "migrate", nil, "Admin", 200}, // idempotent on a migrated database
	{"POST", "demo", map[string]any{"tier": "nope"}, "Admin", 400},
	{"GET", "demo", nil, "Viewer", 200},
	{"POST", "ingest/builds", map[string]any{"events": []any{}}, "Editor", 400},
	{"GET", "ingest/errors", nil, "Viewer", 200},
	{"GET", "sources", nil, "Viewer", 200},
}

var roleRank = map[string]int{"": 0, "None": 0, "Viewer": 1, "Editor": 2, "Admin": 3}

func (w *world) testRoles(t *testing.T) {
	checkRoutesCovered(t)
	for _, rc := range routeCases {
		for _, role := range []string{"", "None", "Viewer", "Editor", "Admin"} {
			code, body := w.h.callResource(t, w.as(role), rc.method, rc.path, rc.body)
			who := role
			if who == "" {
				who = "no user"
			}
			if roleRank[role] < roleRank[rc.min] {
				if code != 403 || !strings.Contains(string(body), `"error"`) {
					t.Errorf("%s /%s as %s = %d %s, want 403 with a JSON reason (needs %s)", rc.method, rc.path, who, code, body, rc.min)
				}
			} else if code != rc.okStatus {
				t.Errorf("%s /%s as %s = %d %.300s, want %d", rc.method, rc.path, who, code, body, rc.okStatus)
			}
		}
	}
}

// checkRoutesCovered fails when pkg/datasource registers a route this table lacks, so a new
// route cannot ship without its role check being tested.
func checkRoutesCovered(t *testing.T) {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(repoRoot(t), "pkg", "datasource", "call_resource.go"))
	if err != nil {
		t.Fatal(err)
	}
	covered := map[string]bool{}
	for _, rc := range routeCases {
		covered[rc.method+" /"+strings.SplitN(rc.path, "?", 2)[0]] = true
	}
	pattern := regexp.MustCompile(`d\.handle\(mux, "([A-Z]+) (/[^"]*)"`)
	for _, m := range pattern.FindAllStringSubmatch(string(raw), -1) {
		route := m[1] + " " + regexp.MustCompile(`\{[^}]+\}`).ReplaceAllStringFunc(m[2], func(p string) string {
			return map[string]string{"{dimension}": "team", "{table}": "builds"}[p]
		})
		if !covered[route] {
			t.Errorf("route %s %s of pkg/datasource has no role case in roles_test.go", m[1], m[2])
		}
	}
}
