package datasource

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"

	"github.com/platformlens/platformlens-analytics-app/internal/testdb"
)

func health(t *testing.T, d *Datasource) *backend.CheckHealthResult {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	res, err := d.CheckHealth(ctx, &backend.CheckHealthRequest{})
	if err != nil {
		t.Fatalf("CheckHealth returned an error instead of a result: %v", err)
	}
	return res
}

func wantHealth(t *testing.T, res *backend.CheckHealthResult, status backend.HealthStatus, parts ...string) {
	t.Helper()
	if res.Status != status {
		t.Fatalf("health status = %v, want %v; message %q", res.Status, status, res.Message)
	}
	for _, p := range parts {
		if !strings.Contains(res.Message, p) {
			t.Fatalf("health message %q does not contain %q", res.Message, p)
		}
	}
}

func TestHealthLifecycleOnRealDatabase(t *testing.T) {
	d, db := newDBDatasource(t)

	// Fresh database: connected, versions reported, not migrated with the exact instruction.
	res := health(t, d)
	wantHealth(t, res, backend.HealthStatusError, "Connected to PostgreSQL", "store mode",
		"not migrated — open PlatformLens › Configuration and press Migrate (or run `platformlens migrate`)")

	migrate(t, d)
	res = health(t, d)
	wantHealth(t, res, backend.HealthStatusOk, "Connected to PostgreSQL 1", "(up to date)")
	var det healthDetails
	if err := json.Unmarshal(res.JSONDetails, &det); err != nil || !det.Migrated || det.SchemaVersion != det.LatestSchemaVersion || det.Mode == "" {
		t.Fatalf("health details = %s (%v)", res.JSONDetails, err)
	}

	// A newer plugin migrated the database: this one refuses it and says to upgrade.
	db.LoadFixture(t, "future_schema_version")
	wantHealth(t, health(t, d), backend.HealthStatusError, "version 999", "refusing", "upgrade the PlatformLens app")
}

func TestHealthExplainsConnectionFailures(t *testing.T) {
	t.Run("unreachable host (closed port)", func(t *testing.T) {
		d := New(instanceSettings(t, map[string]any{"host": "127.0.0.1", "port": testdb.FreePort(t), "user": "postgres", "sslMode": "disable"}, nil), OpenEngine)
		defer d.Dispose()
		wantHealth(t, health(t, d), backend.HealthStatusError, "connection refused", "check host and port")
	})
	t.Run("database missing", func(t *testing.T) {
		_, db := newDBDatasource(t)
		js := dbJSON(db)
		js["database"] = "platformlens_no_such_db"
		d := New(instanceSettings(t, js, nil), OpenEngine)
		defer d.Dispose()
		wantHealth(t, health(t, d), backend.HealthStatusError, `database "platformlens_no_such_db" does not exist`, "CREATE DATABASE")
	})
	t.Run("invalid settings name the field", func(t *testing.T) {
		d := New(instanceSettings(t, map[string]any{"user": "postgres", "port": 0}, nil), OpenEngine)
		defer d.Dispose()
		wantHealth(t, health(t, d), backend.HealthStatusError, `"port"`, "between 1 and 65535", "Save & test")
	})
}

// TestHealthExplainsAuthAndTLSFailures uses a private server (testdb.PrivateServer) because the
// shared one trusts every local connection and has TLS on.
func TestHealthExplainsAuthAndTLSFailures(t *testing.T) {
	port := testdb.PrivateServer(t)
	base := map[string]any{"host": "127.0.0.1", "port": port, "user": "postgres", "database": "postgres", "sslMode": "disable"}
	with := func(k string, v any) map[string]any {
		m := map[string]any{}
		for key, val := range base {
			m[key] = val
		}
		m[k] = v
		return m
	}
	cases := []struct {
		name   string
		json   map[string]any
		secure map[string]string
		parts  []string
	}{
		{"wrong password", base, map[string]string{"password": "wrong"}, []string{"password authentication failed", `"postgres"`}},
		{"missing password", base, nil, []string{"requires a password", "none is set"}},
		{"TLS required but server without TLS", with("sslMode", "require"), map[string]string{"password": testdb.PrivateServerPassword}, []string{"does not support TLS", "sslMode"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			d := New(instanceSettings(t, c.json, c.secure), OpenEngine)
			defer d.Dispose()
			res := health(t, d)
			wantHealth(t, res, backend.HealthStatusError, c.parts...)
			if pw := c.secure["password"]; pw != "" && strings.Contains(res.Message, pw) {
				t.Fatalf("the health message leaks the password: %q", res.Message)
			}
		})
	}
	t.Run("right password", func(t *testing.T) {
		d := New(instanceSettings(t, base, map[string]string{"password": testdb.PrivateServerPassword}), OpenEngine)
		defer d.Dispose()
		wantHealth(t, health(t, d), backend.HealthStatusError, "Connected to PostgreSQL", "not migrated")
	})
}

// TestHealthNamesFailingJobs: a failing TimescaleDB policy job keeps the datasource usable (OK)
// but the message and details name the job and its last error.
func TestHealthNamesFailingJobs(t *testing.T) {
	failing := "TimescaleDB job 1004 (platformlens.retention_after_refresh on platformlens.platform_probes) is failing: cannot drop portal (3 failed runs)"
	res := healthResult(Health{PostgresVersion: "15.8", TimescaleVersion: "2.28.3", Mode: "timescaledb",
		SchemaVersion: 3, LatestSchemaVersion: 3, FailingJobs: []string{failing}})
	wantHealth(t, res, backend.HealthStatusOk, "(up to date)", "Warning: "+failing)
	var det healthDetails
	if err := json.Unmarshal(res.JSONDetails, &det); err != nil || len(det.FailingJobs) != 1 || det.FailingJobs[0] != failing {
		t.Fatalf("health details = %s (%v); want the failing job listed", res.JSONDetails, err)
	}
	if ok := healthResult(Health{Mode: "timescaledb", SchemaVersion: 3, LatestSchemaVersion: 3}); strings.Contains(ok.Message, "Warning") {
		t.Fatalf("no failing jobs, yet the message warns: %q", ok.Message)
	}
}
