package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/platformlens/platformlens-analytics-app/internal/testdb"
	"github.com/platformlens/platformlens-analytics-app/pkg/store"
)

// testNow is the fixed "now" of the store's tests (a weekday afternoon): the clock newStore gives.
var testNow = time.Date(2026, 3, 11, 15, 0, 0, 0, time.UTC)

// newStore opens a Store on a fresh test database; schema "" means the default.
func newStore(t *testing.T, db *testdb.Database, schema string) *store.Store {
	t.Helper()
	cfg := store.ConfigFromDSN(db.DSN, schema)
	cfg.Now = func() time.Time { return testNow }
	st, err := store.Open(context.Background(), cfg)
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	t.Cleanup(st.Close)
	return st
}

// migrated returns a Store on a fresh database, migrated to the latest version.
func migrated(t *testing.T) *store.Store {
	t.Helper()
	st := newStore(t, testdb.New(t), "")
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	if _, err := st.Migrate(ctx); err != nil {
		t.Fatalf("migrate: %v", err)
	}
	return st
}

func ctxT(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	t.Cleanup(cancel)
	return ctx
}
