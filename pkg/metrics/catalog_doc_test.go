package metrics_test

import (
	"bytes"
	"context"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/platformlens/platformlens-analytics-app/internal/testdb"
	"github.com/platformlens/platformlens-analytics-app/pkg/metrics"
	"github.com/platformlens/platformlens-analytics-app/pkg/store"
)

// -update rewrites docs/metrics.md; without it the test only compares (never rewrites silently).
var updateDocs = flag.Bool("update", false, "rewrite docs/metrics.md from the catalog")

// TestCatalogDoc keeps docs/metrics.md equal to the catalog and the migration's default targets.
func TestCatalogDoc(t *testing.T) {
	ctx := context.Background()
	db := testdb.New(t)
	st, err := store.Open(ctx, store.ConfigFromDSN(db.DSN, store.DefaultSchema))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if _, err := st.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	rows, err := st.Pool().Query(ctx, `SELECT key, value, coalesce(unit, ''), coalesce(higher_is_better, true), coalesce(description, '') FROM targets ORDER BY key`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close() // an open result would make st.Close wait forever after a failed Scan
	var targets []metrics.DocTarget
	for rows.Next() {
		var d metrics.DocTarget
		if err := rows.Scan(&d.Key, &d.Value, &d.Unit, &d.HigherIsBetter, &d.Description); err != nil {
			t.Fatal(err)
		}
		targets = append(targets, d)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}

	var got bytes.Buffer
	if err := metrics.WriteCatalogMarkdown(&got, targets); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join("..", "..", "docs", "metrics.md")
	if *updateDocs {
		if err := os.WriteFile(path, got.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read %s: %v (generate it with: go test ./pkg/metrics -run TestCatalogDoc -update)", path, err)
	}
	if !bytes.Equal(want, got.Bytes()) {
		t.Fatalf("%s is out of date with the catalog: run go test ./pkg/metrics -run TestCatalogDoc -update and review the diff", path)
	}
}
