package sqlmode

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/platformlens/platformlens-analytics-app/internal/testdb"
	"github.com/platformlens/platformlens-analytics-app/pkg/store"
)

const testSchema = "platformlens"

var (
	t0 = time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC)
	t1 = t0.Add(4 * time.Hour)
)

// setup creates a small builds table in its own schema (and a decoy of the same name in public,
// to prove the search_path is ours) on a fresh database, owned by a least-privilege login role
// (not a superuser) that may SET ROLE to the schema's read role, as the migration arranges.
// maxConns 1 makes every Run reuse the same connection, so session state that leaked out of a
// query would be seen by the next.
func setup(t *testing.T) *pgxpool.Pool {
	t.Helper()
	db := testdb.New(t)
	user, dsn := db.Role(t, "NOSUPERUSER NOCREATEROLE")
	ctx := context.Background()
	admin, err := pgx.Connect(ctx, db.DSN)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close(ctx)
	reader := pgx.Identifier{store.ReaderRole(testSchema)}.Sanitize()
	// The read role is cluster-wide and shared by every test database; another test may be
	// creating it at this moment.
	if _, err := admin.Exec(ctx, "CREATE ROLE "+reader+" NOLOGIN"); err != nil && pgCode(err) != "42710" && pgCode(err) != "23505" {
		t.Fatal(err)
	}
	if _, err := admin.Exec(ctx, "GRANT "+reader+" TO "+pgx.Identifier{user}.Sanitize()+
		"; CREATE SCHEMA platformlens AUTHORIZATION "+pgx.Identifier{user}.Sanitize()+"; CREATE TABLE public.builds (decoy int)"); err != nil {
		t.Fatal(err)
	}
	return poolFor(t, dsn, `
CREATE TABLE platformlens.builds (finished_at timestamptz NOT NULL, tech_stack text, status text, duration_seconds double precision);
CREATE SEQUENCE platformlens.seq;
INSERT INTO platformlens.builds VALUES
 ('2024-03-01T00:10:00Z', 'go',   'success', 60),
 ('2024-03-01T00:50:00Z', 'go',   'failure', 120),
 ('2024-03-01T00:20:00Z', 'java', 'success', 300),
 ('2024-03-01T02:30:00Z', 'go',   'success', 90),
 ('2024-03-05T00:00:00Z', 'go',   'success', 999);
GRANT USAGE ON SCHEMA platformlens TO `+reader+`;
GRANT SELECT ON ALL TABLES IN SCHEMA platformlens TO `+reader+`;`)
}

// poolFor opens a one-connection pool on dsn (search_path as the store sets it) and runs init.
func poolFor(t *testing.T, dsn, init string) *pgxpool.Pool {
	t.Helper()
	ctx := context.Background()
	cfg, err := pgxpool.ParseConfig(dsn + "&pool_max_conns=1")
	if err != nil {
		t.Fatal(err)
	}
	cfg.ConnConfig.RuntimeParams["search_path"] = testSchema + ", public"
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	if init != "" {
		if _, err := pool.Exec(ctx, init); err != nil {
			t.Fatal(err)
		}
	}
	return pool
}

func run(t *testing.T, pool *pgxpool.Pool, q Query) (data.Frames, error) {
	t.Helper()
	if q.From.IsZero() {
		q.From, q.To = t0, t1
	}
	return Run(context.Background(), pool, testSchema, q)
}

func mustRun(t *testing.T, pool *pgxpool.Pool, q Query) *data.Frame {
	t.Helper()
	frames, err := run(t, pool, q)
	if err != nil {
		t.Fatalf("Run(%q): %v", q.SQL, err)
	}
	if len(frames) != 1 {
		t.Fatalf("Run returned %d frames, want 1", len(frames))
	}
	return frames[0]
}

func buildCount(t *testing.T, pool *pgxpool.Pool) int {
	t.Helper()
	var n int
	if err := pool.QueryRow(context.Background(), "SELECT count(*) FROM platformlens.builds").Scan(&n); err != nil {
		t.Fatalf("builds table damaged: %v", err)
	}
	return n
}

func TestRunTableWithMacros(t *testing.T) {
	pool := setup(t)
	f := mustRun(t, pool, Query{SQL: `SELECT tech_stack, count(*) AS builds, sum(duration_seconds) AS seconds
FROM builds WHERE $__timeFilter(finished_at) GROUP BY 1 ORDER BY 1`})
	// In range [00:00, 04:00]: go = 60+120+90 (3 builds), java = 300; the 5 March row is outside.
	if got := f.Fields[0].Len(); got != 2 {
		t.Fatalf("rows = %d, want 2", got)
	}
	if *f.Fields[0].At(0).(*string) != "go" || *f.Fields[1].At(0).(*int64) != 3 || *f.Fields[2].At(0).(*float64) != 270 {
		t.Errorf("go row = %v %v %v, want go 3 270", *f.Fields[0].At(0).(*string), *f.Fields[1].At(0).(*int64), *f.Fields[2].At(0).(*float64))
	}
	if !strings.Contains(f.Meta.ExecutedQueryString, "finished_at BETWEEN TIMESTAMPTZ '2024-03-01T00:00:00Z' AND TIMESTAMPTZ '2024-03-01T04:00:00Z'") {
		t.Errorf("ExecutedQueryString = %q", f.Meta.ExecutedQueryString)
	}
	if f.Meta.Type != data.FrameTypeTable {
		t.Errorf("frame type = %q, want table", f.Meta.Type)
	}
}

func TestRunSearchPathIsFixed(t *testing.T) {
	pool := setup(t)
	f := mustRun(t, pool, Query{SQL: "SELECT current_setting('search_path') AS sp, current_setting('statement_timeout') AS st, current_setting('transaction_read_only') AS ro", Timeout: 7 * time.Second})
	want := []string{`"platformlens", public`, "7s", "on"}
	for i, w := range want {
		if got := *f.Fields[i].At(0).(*string); got != w {
			t.Errorf("%s = %q, want %q", f.Fields[i].Name, got, w)
		}
	}
	// A session-level set_config is allowed by PostgreSQL (it writes nothing) but cannot outlive
	// the transaction: the next query on the same pooled connection sees our settings again.
	mustRun(t, pool, Query{SQL: "SELECT set_config('search_path', 'public', false), set_config('statement_timeout', '0', false)"})
	f = mustRun(t, pool, Query{SQL: "SELECT current_setting('search_path') AS sp, count(*) AS n FROM builds"})
	if got := *f.Fields[0].At(0).(*string); got != `"platformlens", public` {
		t.Errorf("search_path after set_config = %q, want platformlens, public", got)
	}
	if got := *f.Fields[1].At(0).(*int64); got != 5 {
		t.Errorf("unqualified builds has %d rows, want the 5 of platformlens.builds", got)
	}
}

func TestRunTypeConversion(t *testing.T) {
	pool := setup(t)
	f := mustRun(t, pool, Query{SQL: `SELECT 1::int2 AS i2, 2::int8 AS i8, 1.25::numeric AS num, 2.5::float4 AS f4,
 true AS b, 'x'::text AS s, '{"a": 1}'::jsonb AS j, ARRAY[1,2] AS arr, '6ba7b810-9dad-11d1-80b4-00c04fd430c8'::uuid AS u,
 '1 day 02:00:00'::interval AS iv, TIMESTAMPTZ '2024-03-01 01:00:00+01' AS ts, DATE '2024-02-29' AS d, NULL::int AS nul`})
	want := map[string]any{
		"i2": int64(1), "i8": int64(2), "num": 1.25, "f4": 2.5, "b": true, "s": "x", "j": `{"a":1}`,
		"arr": "[1,2]", "u": "6ba7b810-9dad-11d1-80b4-00c04fd430c8", "iv": "1 day 02:00:00",
		"ts": time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC), "d": time.Date(2024, 2, 29, 0, 0, 0, 0, time.UTC),
	}
	for _, fld := range f.Fields {
		v, ok := fld.ConcreteAt(0)
		if fld.Name == "nul" {
			if ok {
				t.Errorf("nul = %v, want NULL", v)
			}
			continue
		}
		if !ok || v != want[fld.Name] {
			t.Errorf("%s = %#v (%s), want %#v", fld.Name, v, fld.Type(), want[fld.Name])
		}
	}
}

func TestRunTimeSeries(t *testing.T) {
	pool := setup(t)
	f := mustRun(t, pool, Query{Format: FormatTimeSeries, SQL: `SELECT $__timeGroupAlias(finished_at, '1h'), tech_stack, count(*) AS builds
FROM builds WHERE $__timeFilter(finished_at) GROUP BY 1, 2`})
	// Buckets: 00:00 go 2 (00:10, 00:50), java 1; 02:00 go 1. No ORDER BY: we sort.
	if f.Meta.Type != data.FrameTypeTimeSeriesWide || len(f.Fields) != 3 {
		t.Fatalf("type %q with %d fields, want wide with time + 2 series", f.Meta.Type, len(f.Fields))
	}
	if n := f.Fields[0].Len(); n != 2 {
		t.Fatalf("%d time points, want 2", n)
	}
	for _, fld := range f.Fields[1:] {
		got := []any{fld.At(0), fld.At(1)}
		switch fld.Labels["tech_stack"] {
		case "go":
			if *got[0].(*int64) != 2 || *got[1].(*int64) != 1 {
				t.Errorf("go series = %v, want 2, 1", got)
			}
		case "java":
			if *got[0].(*int64) != 1 || got[1].(*int64) != nil {
				t.Errorf("java series = %v, want 1, null", got)
			}
		default:
			t.Errorf("unexpected labels %v", fld.Labels)
		}
	}
}

func TestRunTimeSeriesFill(t *testing.T) {
	pool := setup(t)
	for _, tc := range []struct {
		fill string
		want []any // hourly 00:00 … 04:00 of the go series: 2 builds at 00h, 1 at 02h
	}{
		{"0", []any{2.0, 1.0 * 0, 1.0, 0.0, 0.0}},
		{"NULL", []any{2.0, nil, 1.0, nil, nil}},
		{"previous", []any{2.0, 2.0, 1.0, 1.0, 1.0}},
	} {
		f := mustRun(t, pool, Query{Format: FormatTimeSeries, SQL: `SELECT $__timeGroupAlias(finished_at, '1h', ` + tc.fill + `), count(*) AS go
FROM builds WHERE $__timeFilter(finished_at) AND tech_stack = 'go' GROUP BY 1 ORDER BY 1`})
		if n := f.Fields[0].Len(); n != 5 {
			t.Fatalf("fill %s: %d points, want 5 (00:00 to 04:00 hourly)", tc.fill, n)
		}
		for i, w := range tc.want {
			v, ok := f.Fields[1].ConcreteAt(i)
			if w == nil && ok || w != nil && (!ok || v != w) {
				t.Errorf("fill %s: point %d (%v) = %v, want %v", tc.fill, i, f.Fields[0].At(i), v, w)
			}
		}
	}
}

// pgCode returns the SQLSTATE inside err, or "".
func pgCode(err error) string {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		return pgErr.Code
	}
	return ""
}

func TestRunRefusesWrites(t *testing.T) {
	pool := setup(t)
	tests := []struct {
		sql   string
		codes []string // acceptable SQLSTATEs; none means our own refusal before the database
	}{
		{"INSERT INTO builds VALUES (now(), 'go', 'success', 1)", nil},
		{"UPDATE builds SET status = 'failure'", nil},
		{"DELETE FROM builds", nil},
		{"TRUNCATE builds", nil},
		{"CREATE TABLE evil (x int)", nil},
		{"DROP TABLE builds", nil},
		{"ALTER TABLE builds ADD COLUMN x int", nil},
		{"SELECT nextval('seq')", []string{codeReadOnly, "42501"}},
		{"SELECT * FROM builds FOR UPDATE", []string{codeReadOnly, "42501"}},
		{"WITH d AS (DELETE FROM builds RETURNING 1) SELECT count(*) FROM d", []string{codeReadOnly, "0A000", "42501"}},
		{"SET TRANSACTION READ WRITE", nil},
		{"SELECT set_config('transaction_read_only', 'off', false)", []string{"25001"}},
		{"COMMIT; DROP TABLE builds", nil}, // one statement only
		{"SELECT 1; DROP TABLE builds", nil},
		{"COPY (SELECT 1) TO PROGRAM 'touch /tmp/pwned'", nil},
		{"DO $$ BEGIN EXECUTE 'DROP TABLE builds'; END $$", nil},
	}
	for _, tc := range tests {
		t.Run(tc.sql, func(t *testing.T) {
			_, err := run(t, pool, Query{SQL: tc.sql})
			if err == nil {
				t.Fatalf("%q ran; want it refused", tc.sql)
			}
			if !backend.IsDownstreamError(err) {
				t.Errorf("error is not downstream: %v", err)
			}
			code := pgCode(err)
			if len(tc.codes) == 0 && code != "" {
				t.Errorf("want our own refusal, got SQLSTATE %s: %v", code, err)
			}
			if len(tc.codes) > 0 && !contains(tc.codes, code) {
				t.Errorf("SQLSTATE %q, want one of %v: %v", code, tc.codes, err)
			}
			t.Logf("refused: %v", err)
		})
	}
	if n := buildCount(t, pool); n != 5 {
		t.Errorf("builds has %d rows after the attempts, want 5", n)
	}
	var status string
	if err := pool.QueryRow(context.Background(), "SELECT string_agg(DISTINCT status, ',' ORDER BY status) FROM platformlens.builds").Scan(&status); err != nil || status != "failure,success" {
		t.Errorf("statuses = %q (%v), want failure,success", status, err)
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func TestRunStatementTimeout(t *testing.T) {
	pool := setup(t)
	for _, sql := range []string{
		"SELECT pg_sleep(5)",
		// Changing the timeout inside the statement does not re-arm the timer already running.
		"SELECT set_config('statement_timeout', '0', true), pg_sleep(5)",
	} {
		start := time.Now()
		_, err := run(t, pool, Query{SQL: sql, Timeout: time.Second})
		elapsed := time.Since(start)
		if err == nil {
			t.Fatalf("%q finished; want the statement timeout", sql)
		}
		if pgCode(err) != codeQueryCanceled || !strings.Contains(err.Error(), "statement timeout of 1s") || !backend.IsDownstreamError(err) {
			t.Errorf("error = %v (SQLSTATE %s), want a downstream 57014 naming the timeout", err, pgCode(err))
		}
		if elapsed > 3*time.Second {
			t.Errorf("%q took %v with a 1s timeout", sql, elapsed)
		}
	}
}

func TestRunRowLimit(t *testing.T) {
	pool := setup(t)
	f := mustRun(t, pool, Query{SQL: "SELECT g FROM generate_series(1, 100000) g", RowLimit: 10})
	if n := f.Fields[0].Len(); n != 10 {
		t.Errorf("rows = %d, want 10", n)
	}
	if len(f.Meta.Notices) != 1 || !strings.Contains(f.Meta.Notices[0].Text, "result truncated to 10 rows") {
		t.Errorf("notices = %+v, want the truncation notice", f.Meta.Notices)
	}
	// Exactly the limit is not truncated; a non-cursor statement (EXPLAIN) is limited too.
	f = mustRun(t, pool, Query{SQL: "SELECT g FROM generate_series(1, 10) g", RowLimit: 10})
	if n := f.Fields[0].Len(); n != 10 || len(f.Meta.Notices) != 0 {
		t.Errorf("10 rows with limit 10: got %d rows, notices %+v", n, f.Meta.Notices)
	}
	f = mustRun(t, pool, Query{SQL: "EXPLAIN SELECT * FROM builds WHERE status = 'x' ORDER BY 1", RowLimit: 1})
	if n := f.Fields[0].Len(); n != 1 || len(f.Meta.Notices) != 1 {
		t.Errorf("EXPLAIN with limit 1: got %d rows, notices %+v", n, f.Meta.Notices)
	}
}

func TestRunCancel(t *testing.T) {
	pool := setup(t)
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(300*time.Millisecond, cancel)
	start := time.Now()
	_, err := Run(ctx, pool, testSchema, Query{SQL: "SELECT pg_sleep(10)", From: t0, To: t1})
	if err == nil || !errors.Is(err, context.Canceled) || time.Since(start) > 3*time.Second {
		t.Fatalf("after cancel: err = %v after %v, want context.Canceled quickly", err, time.Since(start))
	}
	// The pool recovers: the next query works.
	if n := mustRun(t, pool, Query{SQL: "SELECT count(*) FROM builds"}).Fields[0].At(0).(*int64); *n != 5 {
		t.Errorf("count after cancel = %d, want 5", *n)
	}
}

func TestRunErrorsAreReadable(t *testing.T) {
	pool := setup(t)
	_, err := run(t, pool, Query{SQL: "SELECT nosuchcolumn FROM builds"})
	if err == nil || pgCode(err) != "42703" || !strings.Contains(err.Error(), `at character 8 near "nosuchcolumn FROM builds"`) {
		t.Errorf("error = %v, want 42703 with the position of nosuchcolumn in the user's SQL", err)
	}
	_, err = run(t, pool, Query{SQL: "SELECT $__timeGroup(finished_at) FROM builds"})
	if err == nil || !errors.Is(err, ErrMacro) || !backend.IsDownstreamError(err) {
		t.Errorf("macro error = %v, want a downstream ErrMacro", err)
	}
	_, err = run(t, pool, Query{SQL: "  -- nothing\n"})
	if err == nil || !strings.Contains(err.Error(), "empty") {
		t.Errorf("empty query error = %v", err)
	}
	_, err = run(t, pool, Query{SQL: "SELECT tech_stack FROM builds", Format: FormatTimeSeries})
	if err == nil || !strings.Contains(err.Error(), `timestamp column named "time"`) {
		t.Errorf("time series without time column: %v", err)
	}
}

// A lone COMMIT ends our transaction early; nothing else runs in that call, and the pooled
// connection must still be clean for the next query.
func TestRunLoneCommitIsHarmless(t *testing.T) {
	pool := setup(t)
	if _, err := run(t, pool, Query{SQL: "COMMIT"}); err != nil {
		t.Logf("COMMIT: %v", err)
	}
	f := mustRun(t, pool, Query{SQL: "SELECT current_setting('transaction_read_only') AS ro, count(*) AS n FROM builds"})
	if ro := *f.Fields[0].At(0).(*string); ro != "on" {
		t.Errorf("transaction_read_only after a lone COMMIT = %q, want on", ro)
	}
}
