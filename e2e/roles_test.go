package e2e

import (
	"net/http"
	"testing"
	"time"
)

// buildEvent is one row for POST /ingest/builds (column names of docs/architecture.md).
func buildEvent(id, stack, status string, finished time.Time) map[string]any {
	return map[string]any{
		"source": "e2e", "external_id": id,
		"started_at":  finished.Add(-3 * time.Minute).UTC().Format(time.RFC3339),
		"finished_at": finished.UTC().Format(time.RFC3339),
		"pipeline":    "e2e-pipeline", "repo": "e2e-repo", "service": "e2e-service", "team": "e2e-team",
		"tech_stack": stack, "status": status, "queue_seconds": 5.0, "duration_seconds": 180.0,
	}
}

func TestWriteRoutesNeedEditor(t *testing.T) {
	g := adminClient(t)
	suffix := time.Now().Format("150405")
	viewer := userWithRole(t, g, "e2e-viewer-"+suffix, "Viewer")
	editor := userWithRole(t, g, "e2e-editor-"+suffix, "Editor")
	stack := anyTechStack(t, g)
	body := func(id string) map[string]any {
		return map[string]any{"events": []any{buildEvent(id, stack, "success", time.Now().Add(-2*time.Hour))}}
	}
	path := dsPath + "/resources/ingest/builds"

	status, b := viewer.do(t, http.MethodPost, path, body("role-viewer-"+suffix))
	if status != http.StatusForbidden {
		t.Errorf("Viewer POST %s: HTTP %d, want 403: %s", path, status, truncate(b))
	}
	status, b = editor.do(t, http.MethodPost, path, body("role-editor-"+suffix))
	if status != http.StatusOK {
		t.Fatalf("Editor POST %s: HTTP %d, want 200: %s", path, status, truncate(b))
	}
	var res struct {
		Stored   int   `json:"stored"`
		Rejected []any `json:"rejected"`
	}
	mustUnmarshal(t, b, &res)
	if res.Stored != 1 || len(res.Rejected) != 0 {
		t.Fatalf("Editor ingest: %s, want 1 stored and nothing rejected", truncate(b))
	}
	// A Viewer may still read.
	if status, b := viewer.do(t, http.MethodGet, dsPath+"/resources/catalog", nil); status != http.StatusOK {
		t.Errorf("Viewer GET catalog: HTTP %d: %s", status, truncate(b))
	}
}

// anyTechStack returns the first tech stack of the demo data (GET /variables/tech_stack).
func anyTechStack(t *testing.T, g *grafana) string {
	t.Helper()
	stacks := techStacks(t, g)
	return stacks[0]
}

func techStacks(t *testing.T, g *grafana) []string {
	t.Helper()
	var vals []struct {
		Value string `json:"value"`
	}
	g.getJSON(t, dsPath+"/resources/variables/tech_stack", &vals)
	if len(vals) == 0 {
		t.Fatal("no tech stacks in the demo data (GET /variables/tech_stack is empty): was `demo --tier S` loaded?")
	}
	out := make([]string, 0, len(vals))
	for _, v := range vals {
		out = append(out, v.Value)
	}
	return out
}
