package datasource

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/jackc/pgx/v5"

	"github.com/platformlens/platformlens-analytics-app/internal/testdb"
)

// Finding 7 of issue 8: admin shutdown (57P01) and statement timeouts (57014) on ingest and
// GET /status were answered 400, so clients did not retry. A table lock held by another session
// provokes both on the real database.
func TestDatabaseFailuresHaveTruthfulStatus(t *testing.T) {
	db := testdb.New(t)
	js := dbJSON(db)
	js["statementTimeoutSeconds"] = 1
	d := New(instanceSettings(t, js, nil), OpenEngine)
	t.Cleanup(d.Dispose)
	migrate(t, d)

	ctx := context.Background()
	admin, err := pgx.Connect(ctx, db.DSN)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close(ctx)
	if _, err := admin.Exec(ctx, "BEGIN; LOCK TABLE platformlens.builds, platformlens.schema_migrations IN ACCESS EXCLUSIVE MODE"); err != nil {
		t.Fatal(err)
	}

	// Statement timeout → 504 with a hint, for ingest, GET /status and QueryData.
	code, body := call(t, d, "Editor", "POST", "/ingest/builds", ingestBodyOf(t, buildEvent(1, "success")))
	if code != http.StatusGatewayTimeout {
		t.Errorf("ingest while the table is locked = %d %s; want 504", code, body)
	} else if _, hint := errorJSON(t, body); hint == "" {
		t.Errorf("504 without a hint: %s", body)
	}
	if code, body := call(t, d, "Viewer", "GET", "/status", nil); code != http.StatusGatewayTimeout {
		t.Errorf("GET /status while locked = %d %s; want 504", code, body)
	}
	resp := runQueries(t, d, query("A", "metric", `{"metric":"build_success_rate"}`))
	if r := resp.Responses["A"]; r.Status != backend.StatusTimeout || r.ErrorSource != backend.ErrorSourceDownstream {
		t.Errorf("metric query while locked: status %d, source %q (%v); want 504 downstream", r.Status, r.ErrorSource, r.Error)
	}

	// Admin shutdown of the backend serving the request (57P01) → 503.
	done := make(chan struct{})
	var shutCode int
	var shutBody []byte
	go func() {
		defer close(done)
		shutCode, shutBody = call(t, d, "Editor", "POST", "/ingest/builds", ingestBodyOf(t, buildEvent(2, "success")))
	}()
	deadline := time.Now().Add(10 * time.Second)
	for {
		n, err := testdb.TerminateBackends(ctx, admin, db.Name, true)
		if err != nil {
			t.Fatal(err)
		}
		if n > 0 || time.Now().After(deadline) {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	<-done
	if shutCode != http.StatusServiceUnavailable {
		t.Errorf("ingest whose backend was terminated = %d %s; want 503", shutCode, shutBody)
	}
	if _, err := admin.Exec(ctx, "ROLLBACK"); err != nil {
		t.Fatal(err)
	}

	// Too many connections (53300) → 503.
	_, dsnUser := db.Role(t, "NOSUPERUSER CONNECTION LIMIT 0")
	cfg, _ := pgx.ParseConfig(dsnUser)
	full := dbJSON(db)
	full["user"] = cfg.User
	d2 := New(instanceSettings(t, full, map[string]string{"password": testdb.Password(dsnUser)}), OpenEngine)
	t.Cleanup(d2.Dispose)
	if code, body := call(t, d2, "Viewer", "GET", "/status", nil); code != http.StatusServiceUnavailable {
		t.Errorf("GET /status without connection slots = %d %s; want 503", code, body)
	}

	// The user's bad request stays 400.
	if code, body := call(t, d, "Editor", "POST", "/ingest/builds", []byte(`{"events":`)); code != http.StatusBadRequest {
		t.Errorf("malformed ingest = %d %s; want 400", code, body)
	}
}
