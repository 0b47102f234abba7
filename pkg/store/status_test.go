package store_test

import (
	"testing"
	"time"

	"github.com/platformlens/platformlens-analytics-app/internal/testdb"
	"github.com/platformlens/platformlens-analytics-app/pkg/store"
)

func TestStatusBeforeMigration(t *testing.T) {
	ctx := ctxT(t)
	st := newStore(t, testdb.New(t), "")
	s, err := st.Status(ctx)
	if err != nil {
		t.Fatalf("Status of an unmigrated database must not fail: %v", err)
	}
	if s.Migrated || s.SchemaVersion != 0 || s.LatestSchemaVersion != store.LatestVersion || len(s.Tables) != 0 || len(s.Notices) == 0 {
		t.Fatalf("status = %+v", s)
	}
}

func TestStatusTablesFreshnessAndIngestErrors(t *testing.T) {
	ctx := ctxT(t)
	st := migrated(t)
	now := testNow
	exec := func(sql string, args ...any) {
		t.Helper()
		if _, err := st.Pool().Exec(ctx, sql, args...); err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
	}
	// A probe a minute old (fresh: threshold 15m), two builds a day old (stale: threshold 6h).
	exec(`INSERT INTO platform_probes (probed_at, platform, status, response_ms, source, external_id)
		VALUES ($1, 'GitHub', 'operational', 12, 'probe', 'p1')`, now.Add(-time.Minute))
	for i, ago := range []time.Duration{30 * time.Hour, 25 * time.Hour} {
		exec(`INSERT INTO builds (finished_at, started_at, pipeline, repo, service, team, tech_stack, status,
			queue_seconds, duration_seconds, source, external_id) VALUES ($1, $1, 'p', 'r', 's', 't', 'go', 'success', 0, 1, 'ci', $2)`,
			now.Add(-ago), "b"+string(rune('0'+i)))
	}
	for i := range 25 {
		exec(`INSERT INTO ingest_errors (table_name, source, row_index, field, reason) VALUES ('builds', 'ci', $1, 'status', 'bad')`, i)
	}

	s, err := st.Status(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !s.Migrated || s.Mode != store.ModePostgreSQL && !s.Mode.HasHypertables() || s.MigratedMode == "" {
		t.Fatalf("status header = %+v", s)
	}
	byName := map[string]store.TableStatus{}
	for _, ts := range s.Tables {
		byName[ts.Table] = ts
	}
	if len(byName) != len(store.EventTables) {
		t.Fatalf("%d tables in status; want %d", len(byName), len(store.EventTables))
	}
	check := func(table string, rows int64, fresh store.Freshness) {
		t.Helper()
		ts := byName[table]
		if ts.Rows != rows || ts.RowsEstimated || ts.Freshness != fresh {
			t.Errorf("%s = %+v; want %d exact rows, %s", table, ts, rows, fresh)
		}
	}
	check("platform_probes", 1, store.Fresh)
	check("builds", 2, store.Stale)
	check("deployments", 0, store.Empty)
	if nb := byName["builds"].Newest; nb == nil || nb.Sub(now.Add(-25*time.Hour)).Abs() > time.Millisecond {
		t.Errorf("builds newest = %v; want %v", nb, now.Add(-25*time.Hour))
	}
	if len(s.IngestErrors) != 20 || *s.IngestErrors[0].RowIndex != 24 || s.IngestErrors[0].Table != "builds" {
		t.Fatalf("ingest errors: %d, first %+v; want the 20 newest, newest first", len(s.IngestErrors), s.IngestErrors[0])
	}
}
