package sqlmode

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"

	"github.com/platformlens/platformlens-analytics-app/internal/testdb"
	"github.com/platformlens/platformlens-analytics-app/pkg/sqlmode/sqlmodetest"
	"github.com/platformlens/platformlens-analytics-app/pkg/store"
)

// The red-team payloads of issue 8 against the real database, as a least-privilege owner: each
// is refused, and nothing happened (no file, no lock, no rows changed).
func TestRunRedTeamPayloads(t *testing.T) {
	pool := setup(t)
	marker := filepath.Join(t.TempDir(), "pwn")
	for _, sql := range sqlmodetest.RedTeam(marker) {
		start := time.Now()
		_, err := run(t, pool, Query{SQL: sql, Timeout: 5 * time.Second})
		if err == nil {
			t.Errorf("%q ran; want it refused", sql)
			continue
		}
		if !backend.IsDownstreamError(err) {
			t.Errorf("%q: error is not downstream: %v", sql, err)
		}
		if time.Since(start) > 4*time.Second {
			t.Errorf("%q took %v to be refused", sql, time.Since(start))
		}
	}
	if _, err := os.Stat(marker); err == nil {
		t.Fatalf("a payload created %s: the server ran a program", marker)
	}
	if n := buildCount(t, pool); n != 5 {
		t.Errorf("builds has %d rows, want 5", n)
	}
}

// A superuser login role (or a member of the server roles) is refused unless the Admin setting
// allows it; then the query still runs as the read role.
func TestRunRefusesPrivilegedLoginRole(t *testing.T) {
	setup(t) // creates the shared read role
	db := testdb.New(t)
	super := poolFor(t, db.DSN, `CREATE SCHEMA platformlens; CREATE TABLE platformlens.builds (x int);
GRANT USAGE ON SCHEMA platformlens TO platformlens_reader; GRANT SELECT ON platformlens.builds TO platformlens_reader`)
	_, err := run(t, super, Query{SQL: "SELECT 1"})
	if !errors.Is(err, store.ErrPrivilegedConnection) || !backend.IsDownstreamError(err) ||
		!strings.Contains(err.Error(), "is a superuser") || !strings.Contains(err.Error(), "CREATE ROLE") {
		t.Fatalf("superuser connection: %v; want a downstream ErrPrivilegedConnection with the SQL of a least-privilege role", err)
	}
	f := mustRun(t, super, Query{SQL: "SELECT current_user::text AS u, count(*) AS n FROM builds", AllowPrivilegedRole: true})
	if u := *f.Fields[0].At(0).(*string); u != store.ReaderRole(testSchema) {
		t.Errorf("allowed privileged connection ran as %q, want the read role", u)
	}

	_, dsn := db.Role(t, "NOSUPERUSER IN ROLE pg_read_server_files")
	member := poolFor(t, dsn, "")
	_, err = run(t, member, Query{SQL: "SELECT 1"})
	if !errors.Is(err, store.ErrPrivilegedConnection) || !strings.Contains(err.Error(), "pg_read_server_files") {
		t.Fatalf("member of pg_read_server_files: %v; want refused naming the role", err)
	}
}

// Finding 3: session-level state taken in SQL mode does not survive the query. The one pooled
// connection is reused, so a leak would be seen.
func TestRunResetsSession(t *testing.T) {
	pool := setup(t)
	const key = 424242
	mustRun(t, pool, Query{SQL: fmt.Sprintf("SELECT pg_advisory_lock(%d), set_config('search_path', 'public', false), set_config('work_mem', '1GB', false)", key)})
	for _, sql := range []string{"LISTEN x", "PREPARE p AS SELECT 1", "SET work_mem = '2GB'"} {
		if _, err := run(t, pool, Query{SQL: sql}); err == nil {
			t.Errorf("%q ran in SQL mode", sql)
		}
	}
	var locks, listens int
	var sp, wm string
	if err := pool.QueryRow(context.Background(), `SELECT (SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid()),
		(SELECT count(*) FROM pg_listening_channels()), current_setting('search_path'), current_setting('work_mem')`).Scan(&locks, &listens, &sp, &wm); err != nil {
		t.Fatal(err)
	}
	if locks != 0 || listens != 0 || sp != testSchema+", public" || wm == "1GB" {
		t.Errorf("after SQL mode the connection holds %d advisory locks, %d LISTENs, search_path %q, work_mem %s; want none and the pool's settings", locks, listens, sp, wm)
	}
	// pgx's own statement cache survived DISCARD ALL consistently: prepared queries still work.
	for i := 0; i < 3; i++ {
		if n := buildCount(t, pool); n != 5 {
			t.Fatalf("count = %d", n)
		}
		mustRun(t, pool, Query{SQL: "SELECT 1"})
	}
}

// Finding 5: SELECT repeat('x', 1000000) FROM generate_series(1, 600) was read whole (600 MB,
// 3.9 GB RSS). Now the byte limit cuts it, says so, and the heap stays small.
func TestRunByteLimit(t *testing.T) {
	pool := setup(t)
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	start := time.Now()
	f := mustRun(t, pool, Query{SQL: "SELECT repeat('x', 1000000) AS big FROM generate_series(1, 600)"})
	elapsed := time.Since(start)
	runtime.ReadMemStats(&after)
	rows := f.Fields[0].Len()
	if rows == 0 || rows > DefaultByteLimit/1000000 {
		t.Errorf("rows = %d; want fewer than %d (the 4 MiB limit)", rows, DefaultByteLimit/1000000+1)
	}
	if len(f.Meta.Notices) != 1 || !strings.Contains(f.Meta.Notices[0].Text, "size limit of 4 MiB") {
		t.Errorf("notices = %+v; want the size-limit notice", f.Meta.Notices)
	}
	alloc := after.TotalAlloc - before.TotalAlloc
	t.Logf("600 x 1 MB rows: %d rows kept in %v, %.1f MB allocated, heap %.1f MB, sys %.1f MB",
		rows, elapsed, float64(alloc)/1e6, float64(after.HeapAlloc)/1e6, float64(after.Sys)/1e6)
	if alloc > 400<<20 {
		t.Errorf("allocated %d MB for a 4 MiB result", alloc>>20)
	}

	// One row over the limit: a clean error, and the connection is replaced.
	_, err := run(t, pool, Query{SQL: "SELECT repeat('x', 2000000) AS big", ByteLimit: 1 << 20})
	if err == nil || !strings.Contains(err.Error(), "single row") || !backend.IsDownstreamError(err) {
		t.Errorf("oversized row: %v; want a downstream error about a single row", err)
	}
	if n := buildCount(t, pool); n != 5 {
		t.Errorf("after an oversized row the pool answers %d", n)
	}
	// A result under both limits is not cut.
	f = mustRun(t, pool, Query{SQL: "SELECT repeat('x', 1000) FROM generate_series(1, 100)", ByteLimit: 1 << 20})
	if f.Fields[0].Len() != 100 || len(f.Meta.Notices) != 0 {
		t.Errorf("small result: %d rows, notices %+v", f.Fields[0].Len(), f.Meta.Notices)
	}
}

// A long result with a distinct label on every row would become rows² cells as a wide time
// series (100 000 rows → 10¹⁰ values); it is refused before data.LongToWide allocates anything.
func TestRunTimeSeriesCellLimit(t *testing.T) {
	pool := setup(t)
	start := time.Now()
	_, err := run(t, pool, Query{Format: FormatTimeSeries, ByteLimit: 32 << 20,
		SQL: "SELECT to_timestamp(g) AS time, g::text AS k, 1 AS v FROM generate_series(1, 100000) g"})
	if err == nil || !strings.Contains(err.Error(), "100000 timestamps × 100000 series") || !backend.IsDownstreamError(err) {
		t.Fatalf("wide explosion: %v; want a downstream error naming the size", err)
	}
	t.Logf("refused in %v", time.Since(start))
	_, err = run(t, pool, Query{Format: FormatTimeSeries, From: time.Date(2, 1, 1, 0, 0, 0, 0, time.UTC), To: time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC),
		RowLimit: 10_000_000, SQL: "SELECT $__timeGroupAlias(finished_at, '1h', 0), count(*) AS n FROM builds GROUP BY 1"})
	if err == nil || !strings.Contains(err.Error(), "more than the row limit") {
		t.Fatalf("hourly fill over 10 000 years: %v; want refused", err)
	}
}
