// Package testworld gives integration tests the demo world: a migrated schema holding the demo
// data (tier S, seed 1) up to a fixed end, in a fresh database of their own.
//
// Loading a year of demo data is the slowest setup of the suite and half a dozen packages need
// the same one, so the world is loaded once per server, end and source version into a template
// database (testdb.NewFromTemplate) and every test gets a copy. The template's fingerprint hashes
// the source that builds it (pkg/: schema, migrations, generator, ingest path; this package;
// go.sum): change any of it and the next test builds a new template, so a copy never holds data
// older code wrote.
package testworld

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/platformlens/platformlens-analytics-app/internal/testdb"
	"github.com/platformlens/platformlens-analytics-app/pkg/demo"
	"github.com/platformlens/platformlens-analytics-app/pkg/store"
)

// Seed and Tier of the demo world.
const (
	Seed = 1
	Tier = demo.TierS
)

// The ends of the demo worlds tests use. Each distinct end is a year of demo data loaded once per
// server (about a minute and a half on TimescaleDB under a CI run's load), so tests share these
// two instead of picking their own.
var (
	// WeekdayEnd: a Wednesday afternoon.
	WeekdayEnd = time.Date(2026, 3, 11, 15, 0, 0, 0, time.UTC)
	// MonthStartEnd: the night of the first of a month (month-bucketed panels cross a boundary).
	MonthStartEnd = time.Date(2026, 4, 1, 3, 0, 0, 0, time.UTC)
)

// Demo returns a fresh database holding the migrated schema and the demo data up to end. Open it
// with store.Open as usual (Migrate is then a no-op).
func Demo(t testing.TB, end time.Time) *testdb.Database {
	t.Helper()
	if testing.Short() {
		t.Skip("loads demo tier S into PostgreSQL; skipped with -short")
	}
	end = end.UTC()
	fp := ""
	if src := sourceFingerprint(); src != "" {
		h := sha256.Sum256([]byte(src + "|" + end.Format(time.RFC3339Nano) + "|" + string(Tier)))
		fp = hex.EncodeToString(h[:])
	}
	return testdb.NewFromTemplate(t, "demo_"+end.Format("20060102t15"), fp, func(ctx context.Context, db *testdb.Database) error {
		st, err := store.Open(ctx, store.Config{DSN: db.DSN})
		if err != nil {
			return err
		}
		defer st.Close()
		if _, err := st.Migrate(ctx); err != nil {
			return err
		}
		_, err = demo.Load(ctx, st, demo.Options{Tier: Tier, Seed: Seed, End: end})
		return err
	})
}

var (
	fingerprintOnce sync.Once
	fingerprint     string
)

// sourceFingerprint hashes every non-test file under pkg/ and internal/testworld, and go.sum, of
// the checkout this package was built from ("" when that source is not on disk, e.g. a copied test binary: then nothing is cached).
func sourceFingerprint() string {
	fingerprintOnce.Do(func() {
		_, file, _, ok := runtime.Caller(0)
		if !ok {
			return
		}
		root := filepath.Join(filepath.Dir(file), "..", "..")
		if _, err := os.Stat(filepath.Join(root, "go.mod")); err != nil {
			return
		}
		// What builds the world: pkg/ (schema, generator, ingest), this package, the dependencies.
		paths := []string{filepath.Join(root, "go.sum")}
		for _, dir := range []string{"pkg", filepath.Join("internal", "testworld")} {
			err := filepath.WalkDir(filepath.Join(root, dir), func(path string, d fs.DirEntry, err error) error {
				if err != nil {
					return err
				}
				if !d.IsDir() && !strings.HasSuffix(path, "_test.go") && !strings.Contains(path, string(filepath.Separator)+"testdata"+string(filepath.Separator)) {
					paths = append(paths, path)
				}
				return nil
			})
			if err != nil {
				return
			}
		}
		sort.Strings(paths)
		h := sha256.New()
		for _, p := range paths {
			b, err := os.ReadFile(p)
			if err != nil {
				return
			}
			rel, _ := filepath.Rel(root, p)
			h.Write([]byte(rel + "\x00"))
			h.Write(b)
			h.Write([]byte{0})
		}
		fingerprint = hex.EncodeToString(h.Sum(nil))
	})
	return fingerprint
}

// DemoStore is Demo opened as a migrated store (closed when the test ends); the database is
// returned too, for tests that need its DSN.
func DemoStore(t testing.TB, end time.Time) (*store.Store, *testdb.Database) {
	t.Helper()
	db := Demo(t, end)
	ctx := context.Background()
	st, err := store.Open(ctx, store.Config{DSN: db.DSN})
	if err != nil {
		t.Fatalf("open the demo world: %v", err)
	}
	t.Cleanup(st.Close)
	if _, err := st.Migrate(ctx); err != nil {
		t.Fatalf("migrate the demo world: %v", err)
	}
	return st, db
}
