package store_test

import (
	"errors"
	"sync"
	"testing"

	"github.com/platformlens/platformlens-analytics-app/internal/testdb"
	"github.com/platformlens/platformlens-analytics-app/pkg/store"
)

func TestMigrateEmptyDatabaseThenNoop(t *testing.T) {
	ctx := ctxT(t)
	st := newStore(t, testdb.New(t), "")
	if v, err := st.SchemaVersion(ctx); err != nil || v != 0 {
		t.Fatalf("SchemaVersion before migrate = %d, %v; want 0, nil", v, err)
	}
	res, err := st.Migrate(ctx)
	if err != nil {
		t.Fatalf("migrate: %v", err)
	}
	if len(res.Applied) != store.LatestVersion || res.Version != store.LatestVersion {
		t.Fatalf("first migrate = %+v; want %d applied, version %d", res, store.LatestVersion, store.LatestVersion)
	}
	if v, err := st.SchemaVersion(ctx); err != nil || v != store.LatestVersion {
		t.Fatalf("SchemaVersion = %d, %v; want %d", v, err, store.LatestVersion)
	}
	if err := st.CheckSchema(ctx); err != nil {
		t.Fatalf("CheckSchema after migrate: %v", err)
	}
	again, err := st.Migrate(ctx)
	if err != nil {
		t.Fatalf("second migrate: %v", err)
	}
	if len(again.Applied) != 0 || again.Version != store.LatestVersion {
		t.Fatalf("second migrate = %+v; want nothing applied", again)
	}

	// Every table of the contract exists in the configured schema.
	for _, table := range append(append([]string{}, contractTables...), store.Rollups()...) {
		var ok bool
		if err := st.Pool().QueryRow(ctx, "SELECT to_regclass('platformlens.' || $1) IS NOT NULL", table).Scan(&ok); err != nil || !ok {
			t.Errorf("table %s missing (err %v)", table, err)
		}
	}
	var targets int
	if err := st.Pool().QueryRow(ctx, "SELECT count(*) FROM targets").Scan(&targets); err != nil || targets != 14 {
		t.Errorf("targets defaults = %d, %v; want 14", targets, err)
	}
}

var contractTables = []string{
	"tech_stacks", "teams", "platforms", "environments", "funnels", "targets", "settings",
	"builds", "deployments", "pull_requests", "platform_probes", "incidents", "change_tickets",
	"dx_responses", "quality_snapshots", "license_snapshots", "revenue", "product_events",
	"schema_migrations", "ingest_errors",
}

func TestConcurrentMigrationsApplyEachVersionOnce(t *testing.T) {
	ctx := ctxT(t)
	db := testdb.New(t)
	const n = 3
	results := make([]store.MigrateResult, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		st := newStore(t, db, "") // separate pools, like separate Grafana replicas
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i], errs[i] = st.Migrate(ctx)
		}()
	}
	wg.Wait()
	total := 0
	for i := range n {
		if errs[i] != nil {
			t.Fatalf("migration %d: %v", i, errs[i])
		}
		total += len(results[i].Applied)
		if results[i].Version != store.LatestVersion {
			t.Errorf("migration %d ended at version %d", i, results[i].Version)
		}
	}
	if total != store.LatestVersion {
		t.Fatalf("applied %d migrations in all; want each of %d exactly once", total, store.LatestVersion)
	}
	st := newStore(t, db, "")
	var rows, distinct int
	if err := st.Pool().QueryRow(ctx, "SELECT count(*), count(DISTINCT version) FROM schema_migrations").Scan(&rows, &distinct); err != nil {
		t.Fatal(err)
	}
	if rows != store.LatestVersion || distinct != store.LatestVersion {
		t.Fatalf("schema_migrations has %d rows (%d versions); want %d", rows, distinct, store.LatestVersion)
	}
}

func TestNewerSchemaIsRefused(t *testing.T) {
	ctx := ctxT(t)
	st := migrated(t)
	if _, err := st.Pool().Exec(ctx, "INSERT INTO schema_migrations (version, name, checksum, mode) VALUES ($1, 'future', 'x', 'postgresql')", store.LatestVersion+1); err != nil {
		t.Fatal(err)
	}
	_, err := st.Migrate(ctx)
	if !errors.Is(err, store.ErrSchemaNewer) {
		t.Fatalf("Migrate on a newer schema: err = %v; want ErrSchemaNewer", err)
	}
	if err := st.CheckSchema(ctx); !errors.Is(err, store.ErrSchemaNewer) {
		t.Fatalf("CheckSchema on a newer schema: err = %v; want ErrSchemaNewer", err)
	}
	t.Logf("message: %v", err)
}

func TestEditedMigrationIsRefused(t *testing.T) {
	ctx := ctxT(t)
	st := migrated(t)
	if _, err := st.Pool().Exec(ctx, "UPDATE schema_migrations SET checksum = 'edited' WHERE version = 1"); err != nil {
		t.Fatal(err)
	}
	if _, err := st.Migrate(ctx); !errors.Is(err, store.ErrChecksumMismatch) {
		t.Fatalf("err = %v; want ErrChecksumMismatch", err)
	}
}

func TestCustomSchemaName(t *testing.T) {
	ctx := ctxT(t)
	st := newStore(t, testdb.New(t), `Lens "Prod"`)
	if _, err := st.Migrate(ctx); err != nil {
		t.Fatalf("migrate into a schema that needs quoting: %v", err)
	}
	var schema string
	if err := st.Pool().QueryRow(ctx, "SELECT table_schema FROM information_schema.tables WHERE table_name = 'builds'").Scan(&schema); err != nil {
		t.Fatal(err)
	}
	if schema != `Lens "Prod"` {
		t.Fatalf("builds created in schema %q", schema)
	}
	if v, err := st.SchemaVersion(ctx); err != nil || v != store.LatestVersion {
		t.Fatalf("SchemaVersion = %d, %v", v, err)
	}
}
