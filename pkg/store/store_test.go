package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/platformlens/platformlens-analytics-app/internal/testdb"
	"github.com/platformlens/platformlens-analytics-app/pkg/store"
)

// newStore opens a Store on a fresh test database; schema "" means the default.
func newStore(t *testing.T, db *testdb.Database, schema string) *store.Store {
	t.Helper()
	st, err := store.Open(context.Background(), store.ConfigFromDSN(db.DSN, schema))
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
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	if _, err := st.Migrate(ctx); err != nil {
		t.Fatalf("migrate: %v", err)
	}
	return st
}

func ctxT(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	t.Cleanup(cancel)
	return ctx
}
