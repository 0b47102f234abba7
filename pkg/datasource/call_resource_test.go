package datasource

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/platformlens/platformlens-analytics-app/internal/testdb"
)

// buildEvent is a valid builds event; i makes its external id unique.
func buildEvent(i int, status string) map[string]any {
	finished := time.Date(2026, 3, 2, 10, i%60, 0, 0, time.UTC)
	return map[string]any{"source": "test", "external_id": fmt.Sprintf("b-%d", i),
		"finished_at": finished.Format(time.RFC3339), "started_at": finished.Add(-time.Minute).Format(time.RFC3339),
		"pipeline": "ci", "repo": "shop", "service": "checkout", "team": "payments", "tech_stack": "go",
		"status": status, "queue_seconds": 1, "duration_seconds": 60}
}

func ingestBodyOf(t *testing.T, events ...map[string]any) []byte {
	t.Helper()
	b, err := json.Marshal(map[string]any{"events": events})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestWritesNeedTheirRole(t *testing.T) {
	d, _ := newDBDatasource(t)
	cases := []struct {
		role, method, path string
		want               int
	}{
		{"Viewer", "POST", "/migrate", http.StatusForbidden},
		{"Editor", "POST", "/migrate", http.StatusForbidden},
		{"Viewer", "POST", "/ingest/builds", http.StatusForbidden},
		{"None", "GET", "/catalog", http.StatusForbidden},
		{"", "POST", "/ingest/builds", http.StatusForbidden},
		{"Editor", "POST", "/demo", http.StatusForbidden},
		{"Editor", "PUT", "/targets", http.StatusForbidden},
	}
	for _, c := range cases {
		code, body := call(t, d, c.role, c.method, c.path, []byte(`{}`))
		if code != c.want {
			t.Fatalf("%s %s as %q = %d %s, want %d", c.method, c.path, c.role, code, body, c.want)
		}
		msg, hint := errorJSON(t, body)
		if !strings.Contains(msg, "role") || hint == "" {
			t.Fatalf("403 must say which role is needed and what to do: %s", body)
		}
	}

	// Admin migrates; then an Editor ingests and a Viewer reads.
	migrate(t, d)
	code, body := call(t, d, "Editor", "POST", "/ingest/builds", ingestBodyOf(t, buildEvent(1, "success"), buildEvent(2, "failure")))
	if code != http.StatusOK || !strings.Contains(string(body), `"stored":2`) {
		t.Fatalf("Editor ingest = %d %s", code, body)
	}
	// Resending the batch stores nothing new: idempotent by (source, external_id, time).
	code, body = call(t, d, "Admin", "POST", "/ingest/builds", ingestBodyOf(t, buildEvent(1, "success"), buildEvent(2, "failure")))
	if code != http.StatusOK || !strings.Contains(string(body), `"duplicates":2`) {
		t.Fatalf("resent batch = %d %s", code, body)
	}
	if code, body := call(t, d, "Viewer", "GET", "/catalog", nil); code != http.StatusOK || !strings.Contains(string(body), `"metrics"`) || !strings.Contains(string(body), `"dimensions"`) {
		t.Fatalf("Viewer GET /catalog = %d %.200s", code, body)
	}
}

func TestIngestValidationAndLimits(t *testing.T) {
	d, _ := newDBDatasource(t)
	migrate(t, d)

	bad := buildEvent(3, "exploded")
	code, body := call(t, d, "Editor", "POST", "/ingest/builds", ingestBodyOf(t, buildEvent(4, "success"), bad))
	if code != http.StatusBadRequest {
		t.Fatalf("invalid row = %d %s, want 400", code, body)
	}
	var res struct {
		Error    string     `json:"error"`
		Stored   int        `json:"stored"`
		Rejected []RowError `json:"rejected"`
	}
	if err := json.Unmarshal(body, &res); err != nil {
		t.Fatal(err)
	}
	if len(res.Rejected) == 0 || res.Rejected[0].Index != 1 || res.Rejected[0].Field != "status" || !strings.Contains(res.Error, "event 1") {
		t.Fatalf("400 must name the row index and field: %s", body)
	}

	code, body = call(t, d, "Editor", "POST", "/ingest/no_such_table", ingestBodyOf(t, buildEvent(5, "success")))
	if msg, hint := errorJSON(t, body); code != http.StatusNotFound || !strings.Contains(msg, "no_such_table") || !strings.Contains(hint, "builds") {
		t.Fatalf("unknown table = %d %s", code, body)
	}

	for name, payload := range map[string]string{"not JSON": `{"events": [`, "no events": `{"events": []}`, "wrong shape": `[1,2]`} {
		if code, body := call(t, d, "Editor", "POST", "/ingest/builds", []byte(payload)); code != http.StatusBadRequest {
			t.Fatalf("%s = %d %s, want 400", name, code, body)
		}
	}

	d.MaxIngestBytes = 512
	big := ingestBodyOf(t, buildEvent(6, "success"), buildEvent(7, "success"), buildEvent(8, "success"), buildEvent(9, "success"))
	code, body = call(t, d, "Editor", "POST", "/ingest/builds", big)
	if msg, _ := errorJSON(t, body); code != http.StatusRequestEntityTooLarge || !strings.Contains(msg, "512 bytes") {
		t.Fatalf("oversized body = %d %s, want 413 naming the limit", code, body)
	}
}

func TestUnknownRoutesAnswerJSON(t *testing.T) {
	d, _ := newDBDatasource(t)
	code, body := call(t, d, "Viewer", "GET", "/nope", nil)
	if msg, _ := errorJSON(t, body); code != http.StatusNotFound || !strings.Contains(msg, "/nope") {
		t.Fatalf("GET /nope = %d %s", code, body)
	}
	code, body = call(t, d, "Admin", "DELETE", "/catalog", nil)
	if _, hint := errorJSON(t, body); code != http.StatusMethodNotAllowed || !strings.Contains(hint, "GET") {
		t.Fatalf("DELETE /catalog = %d %s", code, body)
	}
	code, body = call(t, d, "Viewer", "GET", "/tag-values", nil)
	if msg, _ := errorJSON(t, body); code != http.StatusBadRequest || !strings.Contains(msg, "key") {
		t.Fatalf("GET /tag-values without key = %d %s", code, body)
	}
	code, body = call(t, d, "Admin", "POST", "/demo", []byte(`{"tier":"XXL"}`))
	if msg, _ := errorJSON(t, body); code != http.StatusBadRequest || !strings.Contains(msg, "S, M or L") {
		t.Fatalf("POST /demo XXL = %d %s", code, body)
	}
}

func TestIngestErrorsAndDatabaseDownAnswers(t *testing.T) {
	d, _ := newDBDatasource(t)
	migrate(t, d)
	call(t, d, "Editor", "POST", "/ingest/builds", ingestBodyOf(t, buildEvent(1, "exploded")))
	code, body := call(t, d, "Viewer", "GET", "/ingest/errors?limit=5", nil)
	if code != http.StatusOK || !strings.Contains(string(body), `"status"`) {
		t.Fatalf("GET /ingest/errors = %d %s", code, body)
	}

	down := New(instanceSettings(t, map[string]any{"host": "127.0.0.1", "port": testdb.FreePort(t), "user": "postgres", "sslMode": "disable"}, nil), OpenEngine)
	defer down.Dispose()
	code, body = call(t, down, "Viewer", "GET", "/ingest/errors", nil)
	if msg, _ := errorJSON(t, body); code != http.StatusServiceUnavailable || !strings.Contains(msg, "connection refused") {
		t.Fatalf("database down = %d %s, want 503 saying the connection was refused", code, body)
	}
}
