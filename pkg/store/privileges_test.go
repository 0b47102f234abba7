package store_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/platformlens/platformlens-analytics-app/internal/testdb"
	"github.com/platformlens/platformlens-analytics-app/pkg/store"
)

// dropRoleAtEnd removes a cluster-wide role created by a test, after its grants in db are gone.
func dropRoleAtEnd(t *testing.T, db *testdb.Database, role string) {
	t.Cleanup(func() {
		c, err := pgx.Connect(context.Background(), db.DSN)
		if err != nil {
			return
		}
		defer c.Close(context.Background())
		id := pgx.Identifier{role}.Sanitize()
		if _, err := c.Exec(context.Background(), "DROP OWNED BY "+id+"; DROP ROLE IF EXISTS "+id); err != nil {
			t.Logf("drop role %s: %v", role, err)
		}
	})
}

// readerCan reports whether the read role of st may run sql (inside a read-only transaction that
// switched to it, as queries do).
func readerCan(t *testing.T, st *store.Store, sql string) error {
	t.Helper()
	ctx := ctxT(t)
	tx, err := st.Pool().BeginTx(ctx, pgx.TxOptions{AccessMode: pgx.ReadOnly})
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = tx.Rollback(ctx) }()
	if _, err := store.GuardTx(ctx, tx, st.Schema(), store.ReadOnlyOptions{AllowPrivileged: true, RequireReader: true}); err != nil {
		t.Fatalf("GuardTx: %v", err)
	}
	var who string
	if err := tx.QueryRow(ctx, "SELECT current_user::text").Scan(&who); err != nil || who != store.ReaderRole(st.Schema()) {
		t.Fatalf("current_user = %q, %v; want the read role", who, err)
	}
	_, err = tx.Exec(ctx, sql)
	return err
}

func TestMigrateCreatesReadRole(t *testing.T) {
	db := testdb.New(t)
	// A schema name that needs quoting, unique so the cluster-wide role is this test's own.
	schema := `Odd "Schema" ` + strings.TrimPrefix(db.Name, "pl_test_")
	dropRoleAtEnd(t, db, store.ReaderRole(schema))
	st := newStore(t, db, schema)
	ctx := ctxT(t)
	res, err := st.Migrate(ctx)
	if err != nil {
		t.Fatalf("migrate: %v", err)
	}
	for _, n := range res.Notices {
		if strings.Contains(n, "SQL mode") {
			t.Errorf("superuser migration left a read-role notice: %s", n)
		}
	}
	p, err := st.Privileges(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !p.ReaderExists || !p.ReaderReady || !p.Superuser || !p.Privileged() {
		t.Fatalf("privileges = %+v; want the read role ready and the superuser flagged", p)
	}
	var login bool
	if err := st.Pool().QueryRow(ctx, "SELECT rolcanlogin FROM pg_roles WHERE rolname = $1", p.ReaderRole).Scan(&login); err != nil || login {
		t.Fatalf("read role rolcanlogin = %v, %v; want NOLOGIN", login, err)
	}
	if err := readerCan(t, st, "SELECT count(*) FROM builds JOIN builds_hourly USING (tech_stack) JOIN settings ON true"); err != nil {
		t.Errorf("read role cannot read the tables and rollups: %v", err)
	}
	// A table created after the migration (by the same owner) is readable too: default privileges.
	if _, err := st.Pool().Exec(ctx, "CREATE TABLE later (x int)"); err != nil {
		t.Fatal(err)
	}
	if err := readerCan(t, st, "SELECT * FROM later"); err != nil {
		t.Errorf("read role cannot read a table created later: %v", err)
	}
	for _, sql := range []string{
		"SELECT pg_read_file('/etc/hostname')",
		"SELECT pg_ls_dir('.')",
		"SELECT pg_reload_conf()",
		"SELECT lo_import('/etc/hostname')",
	} {
		if err := readerCan(t, st, sql); err == nil {
			t.Errorf("read role ran %q", sql)
		}
	}
	// PostgreSQL lets a statement SET ROLE back to the login role (the check is against
	// session_user): the read role narrows what a query reaches but is no wall against a
	// privileged login role. That is why SQL mode refuses superusers and the server roles.
	if err := readerCan(t, st, "SELECT set_config('role', 'none', true)"); err != nil {
		t.Logf("SET ROLE back to the login role was refused (%v); the privileged-role refusal is still needed on older servers", err)
	}
}

// A migrating role without CREATEROLE still migrates; SQL mode is refused with the SQL an admin
// runs, and once the admin ran it the role works without migrating again.
func TestMigrateWithoutCreateRole(t *testing.T) {
	db := testdb.New(t)
	user, dsn := db.Role(t, "NOSUPERUSER NOCREATEROLE")
	schema := "pl_nocr_" + strings.TrimPrefix(db.Name, "pl_test_")
	dropRoleAtEnd(t, db, store.ReaderRole(schema))
	st, err := store.Open(context.Background(), store.ConfigFromDSN(dsn, schema))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(st.Close)
	ctx := ctxT(t)
	res, err := st.Migrate(ctx)
	if err != nil {
		t.Fatalf("migrate without CREATEROLE: %v", err)
	}
	notice := strings.Join(res.Notices, "\n")
	if !strings.Contains(notice, "SQL mode is disabled") || !strings.Contains(notice, "CREATE ROLE "+pgx.Identifier{store.ReaderRole(schema)}.Sanitize()) {
		t.Fatalf("notices = %q; want the SQL an admin runs", res.Notices)
	}
	p, err := st.Privileges(ctx)
	if err != nil || p.ReaderReady || p.Privileged() || p.User != user {
		t.Fatalf("privileges = %+v, %v; want an unprivileged user without read role", p, err)
	}
	tx, err := st.Pool().BeginTx(ctx, pgx.TxOptions{AccessMode: pgx.ReadOnly})
	if err != nil {
		t.Fatal(err)
	}
	_, err = store.GuardTx(ctx, tx, schema, store.ReadOnlyOptions{RequireReader: true})
	_ = tx.Rollback(ctx)
	if !errors.Is(err, store.ErrNoReadRole) || !strings.Contains(err.Error(), "GRANT SELECT ON ALL TABLES") {
		t.Fatalf("GuardTx without read role = %v; want ErrNoReadRole with the admin SQL", err)
	}

	admin, err := pgx.Connect(ctx, db.DSN)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close(context.Background())
	if _, err := admin.Exec(ctx, store.ReadRoleSQL(schema, user)); err != nil {
		t.Fatalf("admin runs ReadRoleSQL: %v", err)
	}
	if err := readerCan(t, st, "SELECT count(*) FROM builds"); err != nil {
		t.Errorf("after the admin's SQL the read role cannot read: %v", err)
	}
	// Migrate again is still fine (grants re-applied by the owner) and leaves no notice.
	res, err = st.Migrate(ctx)
	if err != nil || len(res.Notices) != 0 {
		t.Fatalf("migrate after the admin's SQL = %+v, %v; want no notice", res, err)
	}
}
