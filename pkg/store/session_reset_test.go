package store_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/platformlens/platformlens-analytics-app/internal/testdb"
	"github.com/platformlens/platformlens-analytics-app/pkg/sqlmode"
	"github.com/platformlens/platformlens-analytics-app/pkg/store"
)

// Finding 3 of issue 8: an SQL-mode query took the migration's advisory lock on a pooled
// connection and kept it after its transaction ended, so `platformlens migrate` (another
// connection) hung. Now the connection is reset after every SQL-mode query.
func TestSQLModeCannotHoldTheMigrationLock(t *testing.T) {
	db := testdb.New(t)
	_, dsn := db.Role(t, "NOSUPERUSER CREATEROLE")
	schema := "pl_lock_" + strings.TrimPrefix(db.Name, "pl_test_")
	dropRoleAtEnd(t, db, store.ReaderRole(schema))
	cfg := store.ConfigFromDSN(dsn, schema)
	cfg.MaxConns = 1
	grafana, err := store.Open(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(grafana.Close)
	ctx := ctxT(t)
	if res, err := grafana.Migrate(ctx); err != nil || len(res.Notices) != 0 {
		t.Fatalf("migrate: %+v, %v", res, err)
	}
	now := time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC)
	q := func(sql string) error {
		_, err := sqlmode.Run(ctx, grafana.Pool(), schema, sqlmode.Query{SQL: sql, From: now.Add(-time.Hour), To: now})
		return err
	}
	if err := q(fmt.Sprintf("SELECT pg_advisory_lock(%d)", store.MigrateLockKey(schema))); err != nil {
		t.Fatalf("taking the lock in SQL mode: %v", err)
	}
	for _, sql := range []string{"LISTEN x", "PREPARE p AS SELECT 1"} {
		if err := q(sql); err == nil {
			t.Errorf("%q ran in SQL mode", sql)
		}
	}

	// The CLI's migrate on its own connection.
	cli, err := store.Open(context.Background(), store.ConfigFromDSN(dsn, schema))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(cli.Close)
	mctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	if _, err := cli.Migrate(mctx); err != nil {
		t.Fatalf("migrate after an SQL-mode query took its lock: %v", err)
	}
	// The next queries on the same pooled connection are unaffected.
	if err := q("SELECT count(*) FROM builds"); err != nil {
		t.Errorf("next SQL-mode query: %v", err)
	}
	if _, err := grafana.Status(ctx); err != nil {
		t.Errorf("next store query: %v", err)
	}
}
