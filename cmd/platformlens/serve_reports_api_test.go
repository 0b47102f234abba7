package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/platformlens/platformlens-analytics-app/internal/testworld"
	"github.com/platformlens/platformlens-analytics-app/pkg/report"
)

// TestReportsAPIMountAndCLI drives the CLI and serve's API mount over demo data at a fixed end:
// `report --format pdf` holds the numbers `query` prints, the REST API answers `query`'s CSV
// byte for byte, admin-made keys work until revoked, and the scheduler stops with the context.
func TestReportsAPIMountAndCLI(t *testing.T) {
	if testing.Short() {
		t.Skip("loads demo tier S into PostgreSQL; skipped with -short")
	}
	ctx := context.Background()
	end := testworld.MonthStartEnd
	st, db := testworld.DemoStore(t, end)
	t.Setenv("PLATFORMLENS_DSN", db.DSN)
	// The 30 whole days before the world's end (its last hours are left out).
	fromDay, toDay := end.AddDate(0, 0, -30).Format(time.DateOnly), end.Format(time.DateOnly)
	rng := []string{"--from", fromDay, "--to", toDay}

	t.Run("report PDF numbers equal query's", func(t *testing.T) {
		if _, err := exec.LookPath("pdftotext"); err != nil {
			if os.Getenv("CI") == "true" {
				t.Fatal("pdftotext is not installed: CI must apt-get install -y poppler-utils")
			}
			t.Skip("pdftotext is not installed: apt-get install -y poppler-utils")
		}
		pdf := filepath.Join(t.TempDir(), "r.pdf")
		if code, out, errOut := run(t, append([]string{"report", "--format", "pdf", "--out", pdf}, rng...)...); code != 0 {
			t.Fatalf("report: %d %s %s", code, out, errOut)
		}
		text, err := exec.Command("pdftotext", "-layout", pdf, "-").Output()
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range []struct{ id, unit string }{{"uptime", "%"}, {"deployments", "count"}, {"lead_time", "h"}, {"cost_per_deploy", "currency"}, {"unused_licenses", "count"}} {
			code, out, errOut := run(t, append([]string{"query", "--metric", m.id, "--format", "table", "--output", "csv"}, rng...)...)
			lines := strings.Split(strings.TrimSpace(out), "\n")
			if code != 0 || len(lines) != 2 {
				t.Fatalf("query %s: %d %q %s", m.id, code, out, errOut)
			}
			var v float64
			if err := json.Unmarshal([]byte(lines[1]), &v); err != nil {
				t.Fatalf("query %s value %q: %v", m.id, lines[1], err)
			}
			if want := report.FormatValue(m.unit, &v); !strings.Contains(string(text), want) {
				t.Errorf("PDF lacks %s = %s (from `query`)", m.id, want)
			}
		}
	})

	t.Setenv("PLATFORMLENS_ADMIN_TOKEN", "admin-secret")
	mux := http.NewServeMux()
	mctx, stop := context.WithCancel(ctx)
	defer stop()
	var logs bytes.Buffer
	now := end.Add(time.Hour)
	if err := mountReportsAPI(mctx, mux, serveDeps{Store: st, Logger: slog.New(slog.NewTextHandler(&logs, nil)), Now: func() time.Time { return now }}); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(mux)
	defer srv.Close()
	call := func(method, path, token, accept, body string) (int, string) {
		req, _ := http.NewRequest(method, srv.URL+path, strings.NewReader(body))
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		if accept != "" {
			req.Header.Set("Accept", accept)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	code, body := call("POST", "/api/v1/admin/keys", "admin-secret", "", `{"name":"portal"}`)
	var created struct {
		Key    struct{ ID string }
		Secret string
	}
	if code != 201 || json.Unmarshal([]byte(body), &created) != nil || created.Secret == "" {
		t.Fatalf("create key: %d %s", code, body)
	}
	if code, _ := call("POST", "/api/v1/admin/keys", created.Secret, "", `{"name":"x"}`); code != 401 {
		t.Errorf("an API key reached the admin API: %d", code)
	}
	for _, id := range []string{"uptime", "deployments", "change_failure_rate"} {
		_, cli, _ := run(t, append([]string{"query", "--metric", id, "--format", "table", "--output", "csv"}, rng...)...)
		code, rest := call("GET", "/api/v1/metrics/"+id+"?from="+fromDay+"&to="+toDay, created.Secret, "text/csv", "")
		if code != 200 || rest != cli {
			t.Errorf("%s: REST %d %q, CLI %q", id, code, rest, cli)
		}
	}
	if code, body := call("POST", "/api/v1/admin/schedules", "admin-secret", "", `{"name":"weekly","when":"weekly, Monday 08:00, Europe/Berlin","emails":["leadership@company.com"]}`); code != 201 {
		t.Errorf("add schedule: %d %s", code, body)
	}
	if code, body := call("GET", "/api/v1/admin/schedules", "admin-secret", "", ""); code != 200 || !strings.Contains(body, `"when":"weekly, Monday 08:00, Europe/Berlin"`) {
		t.Errorf("list schedules: %d %s", code, body)
	}
	if code, _ := call("DELETE", "/api/v1/admin/keys/"+created.Key.ID, "admin-secret", "", ""); code != 204 {
		t.Errorf("revoke: %d", code)
	}
	if code, _ := call("GET", "/api/v1/metrics", created.Secret, "", ""); code != 401 {
		t.Errorf("revoked key: %d, want 401", code)
	}
	if code, _ := call("GET", "/api/v1/openapi.json", "", "", ""); code != 200 {
		t.Errorf("openapi.json: %d", code)
	}
}
