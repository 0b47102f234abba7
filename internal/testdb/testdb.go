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

	name := "pl_test_" + randomSuffix()
	if _, err := admin.Exec(ctx, "CREATE DATABASE "+pgx.Identifier{name}.Sanitize()); err != nil {
		t.Fatalf("testdb: create database %s: %v", name, err)
	}
	t.Cleanup(func() { drop(t, name) })
	// TimescaleDB's policy jobs (retention, compression, aggregate refresh) would run against the
	// wall clock while tests load data at fixed dates: the store leaves them unscheduled in a
	// database with this setting, and tests that need a job run it by hand (RunJobs).
	if _, err := admin.Exec(ctx, "ALTER DATABASE "+pgx.Identifier{name}.Sanitize()+" SET "+store.BackgroundJobsSetting+" = 'paused'"); err != nil {
		t.Fatalf("testdb: pause background jobs of %s: %v", name, err)
	}

	u, err := url.Parse(AdminDSN())
	if err != nil {
		t.Fatalf("testdb: PLATFORMLENS_TEST_DSN is not a URL: %v", err)
	}
	u.Path = "/" + name
	db := &Database{Name: name, DSN: u.String(), Host: u.Hostname(), Port: u.Port(), User: u.User.Username()}
	if db.Port == "" {
		db.Port = "5432"
	}
	return db
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
