// Package testdb gives integration tests a throw-away PostgreSQL database on the real server.
//
// Tests never mock the database: each call to New creates a fresh database on the server named by
// PLATFORMLENS_TEST_DSN (default: the local trust-auth server) and drops it when the test ends, so
// packages can run in parallel without seeing each other's rows. On TimescaleDB the database's
// policy jobs stay unscheduled (store.BackgroundJobsSetting): nothing runs against the real clock.
package testdb

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/platformlens/platformlens-analytics-app/pkg/store"
)

// DefaultAdminDSN is used when PLATFORMLENS_TEST_DSN is unset: the CI machine's local server.
const DefaultAdminDSN = "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"

// AdminDSN returns the DSN of a role that may CREATE DATABASE.
func AdminDSN() string {
	if dsn := os.Getenv("PLATFORMLENS_TEST_DSN"); dsn != "" {
		return dsn
	}
	return DefaultAdminDSN
}

// Database is a fresh database that lives for one test.
type Database struct {
	Name string // database name
	DSN  string // connection string to it
	Host string
	Port string
	User string
}

// New creates an empty database and registers its removal with t.Cleanup.
// It fails the test (it does not skip) when the server cannot be reached: integration tests
// that silently skip would prove nothing.
func New(t testing.TB) *Database {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()

	admin, err := pgx.Connect(ctx, AdminDSN())
	if err != nil {
		t.Fatalf("testdb: cannot reach PostgreSQL at %s (set PLATFORMLENS_TEST_DSN): %v", redact(AdminDSN()), err)
	}
	defer admin.Close(context.Background())
	checkExpectedMode(ctx, t, admin)

	name := "pl_test_" + randomSuffix()
	if _, err := admin.Exec(ctx, "CREATE DATABASE "+pgx.Identifier{name}.Sanitize()); err != nil {
		t.Fatalf("testdb: create database %s: %v", name, err)
	}
	t.Cleanup(func() { drop(t, name) })
	// TimescaleDB's policy jobs (retention, compression, aggregate refresh) would run against the
	// wall clock while tests load data at fixed dates: the store leaves them unscheduled in a
	// database with this setting, and tests that need a job run it by hand (RunJobs).
	return pauseJobs(ctx, t, admin, name)
}

// describe is the Database named name on the admin server.
func describe(name string) (*Database, error) {
	u, err := url.Parse(AdminDSN())
	if err != nil {
		return nil, fmt.Errorf("PLATFORMLENS_TEST_DSN is not a URL: %v", err)
	}
	u.Path = "/" + name
	db := &Database{Name: name, DSN: u.String(), Host: u.Hostname(), Port: u.Port(), User: u.User.Username()}
	if db.Port == "" {
		db.Port = "5432"
	}
	return db, nil
}

// ExpectModeEnv names the store mode the test server must offer (postgresql, timescaledb or
// timescaledb-apache). CI sets it for each stage it runs against a TimescaleDB server, so that a
// server without the extension fails every integration test instead of letting the
// TimescaleDB-only checks skip and the stage pass.
const ExpectModeEnv = "PLATFORMLENS_TEST_EXPECT_MODE"

// ServerMode is the store mode a fresh database on the admin server gets when migrated:
// timescaledb when the extension is available and preloaded, timescaledb-apache when the server
// runs it under timescaledb.license = apache, postgresql otherwise.
func ServerMode(ctx context.Context, admin *pgx.Conn) (string, error) {
	var available bool
	var preload, license string
	err := admin.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'timescaledb'),
		current_setting('shared_preload_libraries'), coalesce(current_setting('timescaledb.license', true), '')`).
		Scan(&available, &preload, &license)
	switch {
	case err != nil:
		return "", err
	case !available || !strings.Contains(preload, "timescaledb"):
		return string(store.ModePostgreSQL), nil
	case license == "apache":
		return string(store.ModeTimescaleApache), nil
	}
	return string(store.ModeTimescaleDB), nil
}

func checkExpectedMode(ctx context.Context, t testing.TB, admin *pgx.Conn) {
	t.Helper()
	want := os.Getenv(ExpectModeEnv)
	if want == "" {
		return
	}
	got, err := ServerMode(ctx, admin)
	if err != nil {
		t.Fatalf("testdb: detect the server's store mode: %v", err)
	}
	if got != want {
		t.Fatalf("testdb: %s=%s but the server at %s offers %s mode: the %s checks cannot run "+
			"(start it with `eval \"$(bash ../shared/timescaledb/ensure.sh)\"` and point PLATFORMLENS_TEST_DSN at its DSN)",
			ExpectModeEnv, want, redact(AdminDSN()), got, want)
	}
}

// Exists reports whether the database server is reachable with the admin DSN.
func Exists(ctx context.Context) error {
	c, err := pgx.Connect(ctx, AdminDSN())
	if err != nil {
		return err
	}
	return c.Close(ctx)
}

func drop(t testing.TB, name string) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	admin, err := pgx.Connect(ctx, AdminDSN())
	if err != nil {
		t.Logf("testdb: cannot drop %s: %v", name, err)
		return
	}
	defer admin.Close(context.Background())
	// WITH (FORCE) ends connections a pool may still hold (PostgreSQL 13+).
	if _, err := admin.Exec(ctx, "DROP DATABASE IF EXISTS "+pgx.Identifier{name}.Sanitize()+" WITH (FORCE)"); err != nil {
		t.Logf("testdb: drop %s: %v", name, err)
	}
}

func randomSuffix() string {
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

func redact(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil {
		return "<unparseable DSN>"
	}
	if _, ok := u.User.Password(); ok {
		u.User = url.UserPassword(u.User.Username(), "xxxxx")
	}
	return strings.TrimSpace(u.String())
}

// String describes the database for test logs.
func (d *Database) String() string { return fmt.Sprintf("%s on %s:%s", d.Name, d.Host, d.Port) }

// Role creates a LOGIN role (with a random password, in the DSN) with the given extra attributes (e.g. "NOSUPERUSER CREATEROLE") that
// owns nothing yet and may create schemas in d, and returns its name and a DSN connecting as it.
// Roles are cluster-wide, so the name is random; the role and everything it owns in d are
// dropped when the test ends (before d itself is dropped).
func (d *Database) Role(t testing.TB, attrs string) (name, dsn string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	admin, err := pgx.Connect(ctx, d.DSN)
	if err != nil {
		t.Fatalf("testdb: connect to %s: %v", d.Name, err)
	}
	defer admin.Close(context.Background())
	name = "pl_role_" + randomSuffix()
	// A password, because CI's server asks for one over TCP (scram) while a local one may trust.
	password := randomSuffix() + randomSuffix()
	ident := pgx.Identifier{name}.Sanitize()
	// attrs is a constant of the calling test and password is hex, never user input.
	if _, err := admin.Exec(ctx, "CREATE ROLE "+ident+" LOGIN PASSWORD '"+password+"' "+attrs); err != nil {
		t.Fatalf("testdb: create role: %v", err)
	}
	if _, err := admin.Exec(ctx, "GRANT CREATE ON DATABASE "+pgx.Identifier{d.Name}.Sanitize()+" TO "+ident); err != nil {
		t.Fatalf("testdb: grant create: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		c, err := pgx.Connect(ctx, d.DSN)
		if err != nil {
			t.Logf("testdb: cannot drop role %s: %v", name, err)
			return
		}
		defer c.Close(context.Background())
		// Other sessions of the role must end before DROP OWNED can take its locks.
		_, _ = c.Exec(ctx, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = $1", name)
		if _, err := c.Exec(ctx, "DROP OWNED BY "+ident+" CASCADE; DROP ROLE "+ident); err != nil {
			t.Logf("testdb: drop role %s: %v", name, err)
		}
	})
	u, err := url.Parse(d.DSN)
	if err != nil {
		t.Fatalf("testdb: %v", err)
	}
	u.User = url.UserPassword(name, password)
	return name, u.String()
}

// Password returns the password in a DSN returned by Role ("" when there is none).
func Password(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil {
		return ""
	}
	pw, _ := u.User.Password()
	return pw
}
