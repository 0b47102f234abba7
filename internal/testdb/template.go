package testdb

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/platformlens/platformlens-analytics-app/pkg/store"
)

// templatePrefix names the template databases NewFromTemplate keeps on the server between tests.
const templatePrefix = "pl_tpl_"

// templateLock is the advisory-lock key that serialises template building across test processes
// (go test runs packages in parallel, each its own process).
const templateLock int64 = 0x706c5f74706c // "pl_tpl"

// NewFromTemplate returns a fresh database cloned from the template `name` at `fingerprint`,
// which fill builds once per server: several test packages need the same expensive world (a
// migrated schema with a year of demo data), and copying a database is far cheaper than loading
// it again. fingerprint must change whenever what fill produces could (callers hash the source
// that builds it); an older template of the same name is dropped when a new one is built. An
// empty fingerprint disables the cache: fill runs on the new database itself.
//
// The clone is an ordinary test database: owned by this test, dropped when it ends, its
// background jobs paused like New's.
func NewFromTemplate(t testing.TB, name, fingerprint string, fill func(ctx context.Context, db *Database) error) *Database {
	t.Helper()
	if fingerprint == "" {
		db := New(t)
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
		defer cancel()
		if err := fill(ctx, db); err != nil {
			t.Fatalf("testdb: fill %s: %v", db.Name, err)
		}
		return db
	}
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Minute)
	defer cancel()
	admin, err := pgx.Connect(ctx, AdminDSN())
	if err != nil {
		t.Fatalf("testdb: cannot reach PostgreSQL at %s (set PLATFORMLENS_TEST_DSN): %v", redact(AdminDSN()), err)
	}
	defer admin.Close(context.Background())
	checkExpectedMode(ctx, t, admin)

	tpl := templatePrefix + name + "_" + fingerprint
	if len(fingerprint) > 16 {
		tpl = templatePrefix + name + "_" + fingerprint[:16]
	}
	if err := ensureTemplate(ctx, t, admin, name, tpl, fill); err != nil {
		t.Fatalf("testdb: template %s: %v", tpl, err)
	}

	clone := "pl_test_" + randomSuffix()
	if err := createFrom(ctx, admin, clone, tpl); err != nil {
		t.Fatalf("testdb: clone %s from %s: %v", clone, tpl, err)
	}
	t.Cleanup(func() { drop(t, clone) })
	return pauseJobs(ctx, t, admin, clone)
}

// ensureTemplate builds tpl with fill unless another test (of any process) already did. Building
// happens under a server-wide advisory lock, in a database with another name that is renamed
// only when complete, so a template that exists is always whole.
func ensureTemplate(ctx context.Context, t testing.TB, admin *pgx.Conn, name, tpl string, fill func(context.Context, *Database) error) error {
	t.Helper()
	if _, err := admin.Exec(ctx, "SELECT pg_advisory_lock($1)", templateLock); err != nil {
		return err
	}
	defer func() { _, _ = admin.Exec(context.Background(), "SELECT pg_advisory_unlock($1)", templateLock) }()

	var exists bool
	if err := admin.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)", tpl).Scan(&exists); err != nil {
		return err
	}
	if exists {
		return nil
	}
	// Templates of this name built from other source are stale: drop them so a developer's server
	// does not collect one per edit.
	rows, err := admin.Query(ctx, "SELECT datname FROM pg_database WHERE starts_with(datname, $1)", templatePrefix+name+"_")
	if err != nil {
		return err
	}
	stale, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return err
	}
	for _, old := range stale {
		if _, err := admin.Exec(ctx, "DROP DATABASE IF EXISTS "+pgx.Identifier{old}.Sanitize()+" WITH (FORCE)"); err != nil {
			return fmt.Errorf("drop stale template %s: %w", old, err)
		}
	}

	building := tpl + "_b" + randomSuffix()[:4]
	if _, err := admin.Exec(ctx, "CREATE DATABASE "+pgx.Identifier{building}.Sanitize()); err != nil {
		return err
	}
	db := pauseJobs(ctx, t, admin, building)
	began := time.Now()
	if err := fill(ctx, db); err != nil {
		_, _ = admin.Exec(context.Background(), "DROP DATABASE IF EXISTS "+pgx.Identifier{building}.Sanitize()+" WITH (FORCE)")
		return fmt.Errorf("fill: %w", err)
	}
	t.Logf("testdb: built template %s in %s", tpl, time.Since(began).Round(time.Millisecond))
	// No session may stay in a template (CREATE DATABASE … TEMPLATE refuses one that is in use),
	// and TimescaleDB's scheduler would open one: refuse connections, then end those left.
	ident := pgx.Identifier{building}.Sanitize()
	if _, err := admin.Exec(ctx, "ALTER DATABASE "+ident+" ALLOW_CONNECTIONS false"); err != nil {
		return err
	}
	if err := endSessions(ctx, admin, building); err != nil {
		return err
	}
	_, err = admin.Exec(ctx, "ALTER DATABASE "+ident+" RENAME TO "+pgx.Identifier{tpl}.Sanitize())
	return err
}

// createFrom copies template into a new database, retrying while a straggling session (a
// TimescaleDB worker that connected before the template stopped accepting connections) leaves.
func createFrom(ctx context.Context, admin *pgx.Conn, name, template string) error {
	sql := "CREATE DATABASE " + pgx.Identifier{name}.Sanitize() + " TEMPLATE " + pgx.Identifier{template}.Sanitize()
	var err error
	for attempt := 0; attempt < 20; attempt++ {
		if _, err = admin.Exec(ctx, sql); err == nil || !strings.Contains(err.Error(), "being accessed by other users") {
			return err
		}
		if err := endSessions(ctx, admin, template); err != nil {
			return err
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(250 * time.Millisecond):
		}
	}
	return err
}

func endSessions(ctx context.Context, admin *pgx.Conn, name string) error {
	_, err := admin.Exec(ctx, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()", name)
	return err
}

// pauseJobs applies the per-database settings every test database gets (they are not copied
// from a template) and describes the database.
func pauseJobs(ctx context.Context, t testing.TB, admin *pgx.Conn, name string) *Database {
	t.Helper()
	if _, err := admin.Exec(ctx, "ALTER DATABASE "+pgx.Identifier{name}.Sanitize()+" SET "+store.BackgroundJobsSetting+" = 'paused'"); err != nil {
		t.Fatalf("testdb: pause background jobs of %s: %v", name, err)
	}
	db, err := describe(name)
	if err != nil {
		t.Fatalf("testdb: %v", err)
	}
	return db
}
