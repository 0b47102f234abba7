package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/platformlens/platformlens-analytics-app/internal/testdb"
	"github.com/platformlens/platformlens-analytics-app/pkg/store"
)

func TestMigrateThenStatus(t *testing.T) {
	db := testdb.New(t)
	t.Setenv("PLATFORMLENS_DSN", db.DSN)

	code, out, errOut := run(t, "status", "--json")
	if code != 0 {
		t.Fatalf("status before migrate: code %d, stderr %q", code, errOut)
	}
	var before store.Status
	if err := json.Unmarshal([]byte(out), &before); err != nil || before.Migrated || before.SchemaVersion != 0 {
		t.Fatalf("status before migrate: %v, %+v", err, before)
	}

	code, out, errOut = run(t, "migrate", "--schema", "cli_lens")
	if code != 0 || !strings.Contains(out, "applied 0001_tables") || !strings.Contains(out, `schema "cli_lens" migrated to version`) {
		t.Fatalf("migrate: code %d, stdout %q, stderr %q", code, out, errOut)
	}
	code, out, _ = run(t, "migrate", "--schema", "cli_lens")
	if code != 0 || !strings.Contains(out, "up to date") {
		t.Fatalf("second migrate: code %d, stdout %q", code, out)
	}

	code, out, errOut = run(t, "status", "--schema", "cli_lens", "--json")
	if code != 0 {
		t.Fatalf("status: code %d, stderr %q", code, errOut)
	}
	// The JSON keys are those of the /status resource (docs/architecture.md).
	var raw map[string]any
	if err := json.Unmarshal([]byte(out), &raw); err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{"mode", "postgresVersion", "timescaleVersion", "schemaVersion", "latestSchemaVersion", "migrated", "tables", "ingestErrors"} {
		if _, ok := raw[key]; !ok {
			t.Errorf("status JSON lacks %q: %s", key, out)
		}
	}
	if raw["migrated"] != true || len(raw["tables"].([]any)) != len(store.EventTables) {
		t.Fatalf("status JSON: %s", out)
	}

	code, out, _ = run(t, "status", "--schema", "cli_lens")
	if code != 0 || !strings.Contains(out, "(up to date)") || !strings.Contains(out, "platform_probes") || !strings.Contains(out, "empty") {
		t.Fatalf("status text: code %d, %q", code, out)
	}
}
