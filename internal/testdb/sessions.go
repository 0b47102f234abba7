package testdb

import (
	"context"
	"embed"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// fixtures holds setup SQL that tests of several packages load into a migrated database (by file
// name, with positional parameters), so SQL stays out of the packages under test.
//
//go:embed fixtures/*.sql
var fixtures embed.FS

// LoadFixture runs the statements of fixtures/<name>.sql on d (migrated, schema platformlens) as
// the admin role, each with args ($1 …). A statement ends with a semicolon at the end of a line.
func (d *Database) LoadFixture(t testing.TB, name string, args ...any) {
	t.Helper()
	sql, err := fixtures.ReadFile("fixtures/" + name + ".sql")
	if err != nil {
		t.Fatalf("testdb: fixture %s: %v", name, err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	c, err := pgx.Connect(ctx, d.DSN)
	if err != nil {
		t.Fatalf("testdb: connect to %s: %v", d.Name, err)
	}
	defer c.Close(context.Background())
	for _, stmt := range strings.Split(string(sql), ";\n") {
		if strings.TrimSpace(stmt) == "" {
			continue
		}
		if _, err := c.Exec(ctx, stmt, args...); err != nil {
			t.Fatalf("testdb: fixture %s: %v", name, err)
		}
	}
}

// CountSourceRows counts the rows of platformlens.<table> whose source column is source (table
// is a constant of the calling test).
func (d *Database) CountSourceRows(t testing.TB, table, source string) int64 {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, d.DSN)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	var n int64
	q := "SELECT count(*) FROM platformlens." + pgx.Identifier{table}.Sanitize() + " WHERE source = $1"
	if err := conn.QueryRow(ctx, q, source).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// TerminateBackends ends, through conn, the other sessions connected to database dbName (what a
// server restart or a failover does to a pool) and returns how many it ended. With
// waitingOnLock it ends only the sessions waiting for a lock (admin shutdown, SQLSTATE 57P01, of
// a blocked request).
func TerminateBackends(ctx context.Context, conn *pgx.Conn, dbName string, waitingOnLock bool) (int, error) {
	q := `SELECT count(*) FILTER (WHERE pg_terminate_backend(pid))
		FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`
	if waitingOnLock {
		q += ` AND wait_event_type = 'Lock'`
	}
	var n int
	err := conn.QueryRow(ctx, q, dbName).Scan(&n)
	return n, err
}
