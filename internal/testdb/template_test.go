package testdb

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// TestNewFromTemplate: fill runs once per fingerprint, every clone starts from the template and
// is its own database, a new fingerprint replaces the old template, and a failed fill leaves no
// template behind for the next test to trust.
func TestNewFromTemplate(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	name := "selftest" + randomSuffix()[:6]
	t.Cleanup(func() { dropTemplates(t, name) })

	fills := 0
	fill := func(ctx context.Context, db *Database) error {
		fills++
		c, err := pgx.Connect(ctx, db.DSN)
		if err != nil {
			return err
		}
		defer c.Close(ctx)
		_, err = c.Exec(ctx, "CREATE TABLE world (v int); INSERT INTO world VALUES (1)")
		return err
	}

	a := NewFromTemplate(t, name, "v1", fill)
	b := NewFromTemplate(t, name, "v1", fill)
	if fills != 1 {
		t.Fatalf("fill ran %d times for one fingerprint, want 1", fills)
	}
	if a.Name == b.Name {
		t.Fatalf("two clones share database %s", a.Name)
	}
	execSQL(t, ctx, a.DSN, "INSERT INTO world VALUES (2)")
	if got := count(t, ctx, a.DSN); got != 2 {
		t.Fatalf("clone a holds %d rows, want 2", got)
	}
	if got := count(t, ctx, b.DSN); got != 1 {
		t.Fatalf("clone b holds %d rows, want 1: clones must not share rows", got)
	}

	NewFromTemplate(t, name, "v2", fill)
	if fills != 2 {
		t.Fatalf("fill ran %d times after a new fingerprint, want 2", fills)
	}
	if got := templates(t, ctx, name); len(got) != 1 || got[0] != templatePrefix+name+"_v2" {
		t.Fatalf("templates after rebuild = %v, want only the v2 one", got)
	}

	// A failing fill: the test would fail (t.Fatalf); check the template state directly instead.
	admin, err := pgx.Connect(ctx, AdminDSN())
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close(ctx)
	broken := errors.New("generator broke")
	err = ensureTemplate(ctx, t, admin, name, templatePrefix+name+"_v3", func(context.Context, *Database) error { return broken })
	if !errors.Is(err, broken) {
		t.Fatalf("ensureTemplate with a failing fill = %v, want the fill's error", err)
	}
	for _, got := range templates(t, ctx, name) {
		switch got {
		case templatePrefix + name + "_v3":
			t.Fatalf("a failed fill left template %s", got)
		case templatePrefix + name + "_v2": // the previous template may stay or go
		default:
			t.Fatalf("a half-built database %s was left behind", got)
		}
	}
}

func execSQL(t *testing.T, ctx context.Context, dsn, sql string) {
	t.Helper()
	c, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close(ctx)
	if _, err := c.Exec(ctx, sql); err != nil {
		t.Fatal(err)
	}
}

func count(t *testing.T, ctx context.Context, dsn string) int {
	t.Helper()
	c, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close(ctx)
	var n int
	if err := c.QueryRow(ctx, "SELECT count(*) FROM world").Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func templates(t *testing.T, ctx context.Context, name string) []string {
	t.Helper()
	c, err := pgx.Connect(ctx, AdminDSN())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close(ctx)
	rows, err := c.Query(ctx, "SELECT datname FROM pg_database WHERE starts_with(datname, $1) ORDER BY 1", templatePrefix+name+"_")
	if err != nil {
		t.Fatal(err)
	}
	names, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		t.Fatal(err)
	}
	return names
}

func dropTemplates(t *testing.T, name string) {
	ctx := context.Background()
	for _, tpl := range templates(t, ctx, name) {
		drop(t, tpl)
	}
}
