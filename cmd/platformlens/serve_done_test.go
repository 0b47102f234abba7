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
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"

	"github.com/platformlens/platformlens-analytics-app/internal/testdb"
	"github.com/platformlens/platformlens-analytics-app/pkg/metrics"
	"github.com/platformlens/platformlens-analytics-app/pkg/receiver"
	"github.com/platformlens/platformlens-analytics-app/pkg/store"
)

// TestServeCountsGitHubAndOTLPBuilds is the "done when": serve receives a signed GitHub
// workflow_run completed event and an OTLP/JSON trace with a CI/CD pipeline-run span, and the
// builds metric (as `platformlens query --metric builds` computes it) counts both.
func TestServeCountsGitHubAndOTLPBuilds(t *testing.T) {
	ctx := context.Background()
	db := testdb.New(t)
	st, err := store.Open(ctx, store.ConfigFromDSN(db.DSN, ""))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if _, err := st.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC)
	deps := serveDeps{Store: st, Logger: slog.New(slog.DiscardHandler), Now: func() time.Time { return now }}
	secret := []byte("it-is-a-secret")
	h, stop, err := newServeHandler(ctx, deps, serveOptions{maxBodyBytes: defaultMaxBodyBytes,
		receivers: receiver.Config{GitHubSecret: secret, MaxBodyBytes: defaultMaxBodyBytes}})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	defer srv.Close()

	wfRun, err := os.ReadFile("../../pkg/receiver/testdata/github_workflow_run_completed.json")
	if err != nil {
		t.Fatal(err)
	}
	req, _ := http.NewRequest("POST", srv.URL+"/webhooks/github", bytes.NewReader(wfRun))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-GitHub-Event", "workflow_run")
	req.Header.Set("X-Hub-Signature-256", "sha256="+receiver.Sign(secret, wfRun))
	if code, body := do(t, req); code != 202 || !strings.Contains(body, `"stored":1`) {
		t.Fatalf("GitHub: %d %s", code, body)
	}
	trace, err := os.ReadFile("../../pkg/receiver/testdata/otlp_traces_cicd.json")
	if err != nil {
		t.Fatal(err)
	}
	req, _ = http.NewRequest("POST", srv.URL+"/v1/traces", bytes.NewReader(trace))
	req.Header.Set("Content-Type", "application/json")
	if code, body := do(t, req); code != 200 || !strings.Contains(body, `"stored":3`) {
		t.Fatalf("OTLP: %d %s", code, body)
	}
	req, _ = http.NewRequest("GET", srv.URL+"/metrics", nil)
	if code, body := do(t, req); code != 200 || !strings.Contains(body, `platformlens_receiver_events_stored_total{source="otlp",table="builds"} 2`) ||
		!strings.Contains(body, `platformlens_receiver_events_stored_total{source="github",table="builds"} 1`) ||
		!strings.Contains(body, "platformlens_receiver_write_seconds_count 3") {
		t.Fatalf("/metrics: %d %s", code, body)
	}
	stop() // flush bookkeeping and rollups, as serve does on shutdown

	// The same query `platformlens query --metric builds --from 2026-11-20 --to 2026-11-21` runs.
	raw, _ := json.Marshal(map[string]any{"refId": "A", "metric": "builds", "format": "table", "groupBy": "status"})
	q, err := metrics.ParseQuery(raw, backend.TimeRange{From: time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC), To: time.Date(2026, 11, 21, 0, 0, 0, 0, time.UTC)}, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	frames, err := metrics.NewEngine(st).Run(ctx, q)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]float64{}
	for _, f := range frames {
		for i := 0; i < f.Rows(); i++ {
			var status string
			var n float64
			for _, fld := range f.Fields {
				switch v := fld.At(i).(type) {
				case string:
					status = v
				case *string:
					if v != nil {
						status = *v
					}
				case float64:
					n = v
				case *float64:
					if v != nil {
						n = *v
					}
				case int64:
					n = float64(v)
				case *int64:
					if v != nil {
						n = float64(*v)
					}
				}
			}
			got[status] += n
		}
	}
	// GitHub's run succeeded; the OTLP trace has a successful pipeline run and a failed one
	// reported with the deprecated cicd.pipeline.run.status.
	if got["success"] != 2 || got["failure"] != 1 {
		t.Fatalf("builds by status = %v (frames %v); want success 2 (GitHub + OTLP), failure 1 (OTLP legacy)", got, frames)
	}

	// And through the CLI itself.
	code, out, errOut := run(t, "query", "--dsn", db.DSN, "--metric", "builds", "--from", "2026-11-20", "--to", "2026-11-21", "--output", "csv")
	if code != 0 || strings.Fields(out)[len(strings.Fields(out))-1] != "3" {
		t.Fatalf("platformlens query: %d %q %q", code, out, errOut)
	}
}

func do(t *testing.T, req *http.Request) (int, string) {
	t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}
